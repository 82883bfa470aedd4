"""Calibration: does the verdict tell the panel's businesses apart as a careful reader would?

Each business in ``benchmarks/panel/`` carries a judgement written by hand before the model
was built (adoption phase; risk to customers none / low / moderate / high / severe). This
script fills a real answers file for each one as its owner would (``--keep DIR`` keeps them),
scores it with the shipped rubric and prints:

* one row per business: judged and scored adoption phase, judged risk, the verdict;
* the distribution of verdicts across the panel;
* adoption-phase agreement (exact, and within one phase);
* Kendall's τ-b between the judged risk and the tool's severity (ties counted, as in
  ``scipy.stats.kendalltau``'s default variant b, computed here without scipy);
* the share of none/low businesses at the two lowest levels, and of high/severe at the top.

It reads either model: rubric 1.3.0 (the "before", whose ordinal is the over-automation gap
and whose inventory is ``inventory_1_3``) or rubric 2.0.0 and later (``verdict.severity``).
Run the "before" at the commit that recorded it (docs/scoring.md names it)::

    python benchmarks/calibration.py            # the model of this checkout
    python benchmarks/calibration.py --keep /tmp/panel   # and keep the answers files
    python benchmarks/calibration.py --write-docs        # and update docs/scoring.md

The "before" table (``panel/before-1.3.0.txt``) was printed by this script at commit b02d08c,
the last with rubric 1.3.0's model; to print it again, run this script in a worktree of that
commit.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

from auditkit.answers.model import Answer, AnswerSet
from auditkit.answers.store import save_answers
from auditkit.rubric.resolve import load_rubric
from auditkit.scoring.run import score_answers_file

PANEL = Path(__file__).parent / "panel"
RISKS = ("none", "low", "moderate", "high", "severe")
MATURITY_OF = {"yes": "3", "partly": "2", "no": "0"}
STAMP = "2026-12-01T09:00:00+00:00"


def kendall_tau_b(x: list[float], y: list[float]) -> float:
    """Kendall's τ-b of two equally long sequences: (concordant − discordant) over the geometric
    mean of the pairs not tied on x and not tied on y. NaN when either side is all ties."""
    concordant = discordant = ties_x = ties_y = 0
    n = len(x)
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif dx * dy > 0:
                concordant += 1
            else:
                discordant += 1
    denominator = math.sqrt((concordant + discordant + ties_x) * (concordant + discordant + ties_y))
    return (concordant - discordant) / denominator if denominator else float("nan")


def _answer(spec: object) -> tuple[str, str, str]:
    """(value, note, na_reason) from a panel entry: a plain value or {answer, note, na_reason}."""
    if isinstance(spec, dict):
        return str(spec.get("answer")), spec.get("note", ""), spec.get("na_reason", "")
    return str(spec), "", ""


def answers_for(business: dict, rubric) -> AnswerSet:
    """The business's answers file for ``rubric``, filled as its owner would."""
    new_model = any(q.id == "adopt.back-office" for q in rubric.questions)
    inventory = business["inventory"] if new_model else business["inventory_1_3"]
    safeguards = dict(business["safeguards"])
    default = str(safeguards.pop("default"))
    answers: dict[str, Answer] = {}
    for question in rubric.questions:
        if question.kind == "adoption":
            value, note, _ = _answer(inventory.get(question.id, "no"))
            answers[question.id] = Answer(value=value, note=note, answered_at=STAMP)
            continue
        value, note, reason = _answer(safeguards.get(question.id, default))
        if value == "n/a" and not question.allow_na:
            value, reason = "no", ""  # the rubric offers no "not applicable" here
        if value == "n/a" and not reason:
            reason = "Does not apply to this business."
        if value == "unknown" and "unknown" not in _special_values(question):
            answers[question.id] = Answer(value=None, skipped=True, answered_at=STAMP)
            continue
        if question.scale.id == "maturity" and value in MATURITY_OF:
            value = MATURITY_OF[value]
        answers[question.id] = Answer(value=value, note=note, na_reason=reason, answered_at=STAMP)
    return AnswerSet(
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        rubric_sha256=rubric.sha256,
        sector=rubric.sector,
        business={"name": business["name"], "sector": business["sector"]},
        respondent={"name": "Owner", "role": "Owner"},
        started=STAMP,
        updated=STAMP,
        answers=answers,
        rubric_questions=tuple(q.id for q in rubric.questions),
    )


def _special_values(question) -> tuple[str, ...]:
    """Answers besides the scale's that the installed model accepts ("unknown" from 2.0.0)."""
    try:
        from auditkit.answers.model import UNKNOWN  # absent before 2.0.0
    except ImportError:
        return ()
    return (UNKNOWN,) if question.kind == "safeguard" else ()


def verdict_of(result) -> tuple[int, str, int]:
    """(ordinal, label, number of levels) of a score: severity from 2.0.0, else the
    gap's verdict (headroom 0, balanced 1, elevated 2, high 3)."""
    severity = getattr(result.verdict, "severity", None)
    if severity is not None:
        return severity, result.verdict.label, 5
    levels = ("headroom", "balanced", "elevated", "high")  # the gap's verdicts, best first
    return levels.index(result.gap.level), result.gap.headline, 4


def run(keep: Path | None) -> str:
    folder = keep or Path(tempfile.mkdtemp(prefix="auditkit-panel-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for path in sorted(PANEL.glob("*.yaml")):
        business = yaml.safe_load(path.read_text(encoding="utf-8"))
        rubric = load_rubric("human-centred-automation", business["sector"])
        answers_path = folder / f"{path.stem}.yaml"
        save_answers(answers_for(business, rubric), answers_path)
        result = score_answers_file(answers_path).result
        ordinal, label, _ = verdict_of(result)
        rows.append((business, result, ordinal, label))
    version = rows[0][1].rubric_version
    new_model = getattr(rows[0][1].verdict, "severity", None) is not None
    lines = [
        f"Calibration panel: {len(rows)} businesses, rubric {version}",
        "",
        f"{'BUSINESS':<28} {'SECTOR':<22} {'PHASE':>5} {'TOOL':>4}  {'RISK':<9} "
        f"{'ORD':>3}  VERDICT",
    ]
    for business, result, ordinal, label in rows:
        judgement = business["judgement"]
        lines.append(
            f"{business['name'][:28]:<28} {business['sector']:<22} "
            f"{judgement['adoption_phase']:>5} {result.adoption_phase:>4}  "
            f"{judgement['risk']:<9} {ordinal:>3}  {label}"
        )
    risks = [RISKS.index(b["judgement"]["risk"]) for b, *_ in rows]
    ordinals = [o for *_, o, _ in rows]
    labels = Counter(label for *_, label in rows)
    exact = sum(b["judgement"]["adoption_phase"] == r.adoption_phase for b, r, *_ in rows)
    near = sum(abs(b["judgement"]["adoption_phase"] - r.adoption_phase) <= 1 for b, r, *_ in rows)
    lowest = [0, 1]  # before: headroom, balanced; from 2.0.0: keep pace, minor gaps
    top = [3] if not new_model else [3, 4]  # before: over-automated (high)
    calm = [o for r, o in zip(risks, ordinals, strict=True) if r <= 1]
    grave = [o for r, o in zip(risks, ordinals, strict=True) if r >= 3]
    lines += [
        "",
        "Verdicts: "
        + " · ".join(
            f"{label} {count}" for label, count in sorted(labels.items(), key=lambda x: x[0])
        ),
        f"Verdict levels used: {len(labels)}",
        f"Adoption phase agrees with the judgement: {exact} of {len(rows)} exactly, "
        f"{near} within one phase",
        f"Kendall's tau-b, judged risk against the tool's ordinal: "
        f"{kendall_tau_b(risks, ordinals):.2f}",
        f"None/low businesses at the two lowest levels ({', '.join(map(str, lowest))}): "
        f"{sum(o in lowest for o in calm)} of {len(calm)}",
        f"High/severe businesses at the top level(s) ({', '.join(map(str, top))}): "
        f"{sum(o in top for o in grave)} of {len(grave)}",
    ]
    return "\n".join(lines)


DOCS = Path(__file__).parent.parent / "docs" / "scoring.md"
BEFORE = PANEL / "before-1.3.0.txt"


def write_docs(after: str) -> None:
    """Put the before table (recorded at the commit that kept rubric 1.3.0's model) and this
    checkout's table into docs/scoring.md, between their markers."""
    text = DOCS.read_text(encoding="utf-8")
    for name, table in (("before", BEFORE.read_text(encoding="utf-8").rstrip()), ("after", after)):
        start, end = f"<!-- calibration:{name} -->", f"<!-- /calibration:{name} -->"
        head, _, rest = text.partition(start)
        _, _, tail = rest.partition(end)
        if not rest:
            raise SystemExit(f"{DOCS}: no {start} marker")
        text = f"{head}{start}\n```\n{table}\n```\n{end}{tail}"
    DOCS.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the answers files into this folder")
    parser.add_argument(
        "--write-docs",
        action="store_true",
        help="also write the before and after tables into docs/scoring.md",
    )
    args = parser.parse_args(argv)
    table = run(args.keep)
    print(table)
    if args.write_docs:
        write_docs(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
