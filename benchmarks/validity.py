"""Do the bias verdicts mean what they say? A simulation study you can rerun.

    python benchmarks/validity.py              # 200 logs per cell (about 15 minutes on 2 cores)
    python benchmarks/validity.py --logs 50    # quicker, noisier
    python benchmarks/validity.py --only 2 --write-docs   # the power table of docs/bias.md

Logs are simulated with known truth, counted into the same cells DuckDB returns, and run
through the real pipeline (the metrics on the cells, then the verdicts):

1. **False alarms on fair logs**: chatbot logs where no group differs (10 languages, all five
   chatbot metrics), at 600, 3,000 and 20,000 rows. A log has a false alarm when any group
   gets any disadvantaged/advantaged/differs verdict, of either strength. Target with the
   default (holm): at most 5 % at every size.
2. **Power** of the gate on a decision log of six equal groups, one approved at 0.6× or 0.75×
   the others' base rate (10 % or 50 %), at 100–1,000 rows a group: the share of logs in which
   ``--fail-on disparity`` fires on it, and in which its disadvantage is established. With
   ``--write-docs`` the table replaces the ``validity:power`` block of docs/bias.md.
3. **Interval coverage** of a mean and of a ratio of means on skewed (exponential) waiting times
   at 30 rows a group, 95 % nominal. Target: ≥ 95 % for the intervals the verdicts use.
4. **A worse-off majority**: the reference (the largest group, 5,000 rows) reaches a person
   0.6× as often as six other groups, of 1,000 rows each or of 40–150. The share of logs in
   which the reference is named disadvantaged (established, on either reach metric), in which
   the default gate (``--fail-on disparity``) fires, and in which the old rule (named only
   when every other judged group is established better off) would have named it. It is named
   whenever one group is established better off, so with small groups what remains is their
   power, not the rule.
5. **Other shapes of log**, each through the real spec and verdicts (``auditkit bias check``):
   strongly unbalanced groups, a 2 % base rate, fair logs with the truth known (every error
   rate), ``--reference best`` and ``rest``, ``--within`` strata with different base rates,
   and a risk score cut at a threshold (with the truth: AUC and calibration too). For fair
   logs the share in which any group is flagged (``ANY``) and in which the default gate fires
   (``GATE``); target ≤ 5 %. For logs with a true gap, the gate's power; target ≥ 90 % for a
   0.6× gap at 500 rows a group.
6. **Strata that agree**: under ``--within``, two groups in three branches whose base rates
   differ, the second approved at one common ratio × the first in every branch. The share of
   logs called "the gap differs by stratum" must stay at or under 5 % (the test of agreement
   is on the risk-ratio scale the ratios are shown on); a ratio that does differ in one branch
   must still be caught. Breslow–Day, an odds-ratio test, is shown beside it for comparison.
7. **Test contacts** (``auditkit contacts``, ``benchmarks/contacts_rounds.py``): rounds of
   paired contacts through the real plan and check. Fair rounds (one or two cues, 24 or 60
   pairs a persona, four outcomes each): the share with any persona flagged and with the gate
   firing; target ≤ 5 %. A persona told at the first turn 0.5× as often, at the pairs the plan
   asks for 0.5× at 80 % power, and at 24 pairs at the ratio the plan says it "could see": the
   share of rounds naming it disadvantaged; target ≥ 80 %, the plan's promise.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditkit.bias.counts import Counts
from auditkit.bias.metrics import compute
from auditkit.bias.presets import CheckOptions, build_spec
from auditkit.bias.spec import Thresholds
from auditkit.bias.sql import group_alias, outcome_alias
from auditkit.bias.stats import mean_interval, mean_ratio_interval, positive_mean_interval
from auditkit.bias.verdicts import judge_check

GROUPS = [f"l{i}" for i in range(10)]
DOCS = Path(__file__).resolve().parent.parent / "docs" / "bias.md"
CORRECTIONS = ("holm", "bh", "none")
FLAGGED = ("disadvantaged", "advantaged", "differs")


def simulate(
    rng: np.random.Generator, sizes: list[int], reach: list[float], groups: list[str] = GROUPS
) -> Counts:
    """One chatbot log as count cells: ``sizes`` rows and reach-a-person rates per group."""
    frames = []
    for group, size, rate in zip(groups, sizes, reach, strict=True):
        requested = rng.random(size) < 0.35
        reached = np.where(
            requested, rng.random(size) < min(1.0, rate * 2.0), rng.random(size) < rate * 0.4
        )
        resolved = rng.random(size) < 0.7
        rated = rng.random(size) < 0.5
        satisfaction = rng.choice([1, 2, 3, 4, 5], size, p=[0.1, 0.1, 0.2, 0.3, 0.3]).astype(float)
        wait = rng.exponential(240.0, size)
        frames.append(
            pd.DataFrame(
                {
                    "g__language": group,
                    "o__reached_human": np.where(reached, "true", "false"),
                    "o__requested_human": np.where(requested, "true", "false"),
                    "o__resolved": np.where(resolved, "true", "false"),
                    "sat": np.where(rated, satisfaction, np.nan),
                    "wait": wait,
                }
            )
        )
    rows = pd.concat(frames)
    keys = ["g__language", "o__reached_human", "o__requested_human", "o__resolved"]
    grouped = rows.groupby(keys, sort=True)
    cells = grouped.size().rename("n").to_frame()
    for column, name in (("sat", "satisfaction"), ("wait", "wait_time")):
        values = rows[column]
        cells[f"n__{name}"] = grouped[column].count()
        cells[f"sum__{name}"] = grouped[column].sum()
        cells[f"sumsq__{name}"] = (
            rows.assign(_sq=values * values).groupby(keys, sort=True)["_sq"].sum()
        )
    frame = cells.reset_index()
    return Counts(frame=frame, source="simulated", rows=int(frame["n"].sum()))


def spec_for(correction: str):
    options = CheckOptions(groups=["language"], thresholds=Thresholds(correction=correction))
    spec, _ = build_spec("chatbot", options, None)
    return spec


def verdicts(counts: Counts, correction: str, reference: str = "l0"):
    """The metric results and whether the default gate (``--fail-on disparity``) fires."""
    spec = spec_for(correction)
    spec = type(spec)(**{**spec.__dict__, "reference": reference})
    metrics, findings, _, _ = judge_check(compute(counts, spec), spec)
    return metrics, any(f.side == "disadvantaged" for f in findings)


def false_alarms(logs: int, rng: np.random.Generator) -> list[tuple]:
    rows = []
    for total in (600, 3000, 20000):
        alarms = dict.fromkeys(CORRECTIONS, 0)
        gate = 0
        comparisons = []
        for _ in range(logs):
            sizes = list(rng.multinomial(total, [0.1] * 10))
            counts = simulate(rng, sizes, [0.3] * 10)
            for correction in CORRECTIONS:
                metrics, fired = verdicts(
                    counts, correction, reference=GROUPS[int(np.argmax(sizes))]
                )
                judged = [g for m in metrics for g in m.groups if g.p_value is not None]
                if correction == "holm":
                    comparisons.append(len(judged))
                    gate += fired
                if any(g.verdict.split(" ")[0] in FLAGGED for g in judged):
                    alarms[correction] += 1
        rows.append(
            (
                total,
                logs,
                float(np.mean(comparisons)),
                *(alarms[c] / logs for c in CORRECTIONS),
                gate / logs,
            )
        )
    return rows


POWER_SIZES = (100, 200, 500, 1000)
POWER_BASES = (0.1, 0.5)
POWER_RATIOS = (0.6, 0.75)
POWER_GROUPS = 6


def decision_counts(spec, rng: np.random.Generator, per_group: int, rates: list[float]) -> Counts:
    """A decision log's count cells drawn directly (binomial per group): what ``count`` would
    return for rows with these approval rates, without building the rows."""
    cells = []
    for index, rate in enumerate(rates):
        approved = int(rng.binomial(per_group, rate))
        cells += [(f"g{index}", "yes", approved), (f"g{index}", "no", per_group - approved)]
    frame = pd.DataFrame(cells, columns=[group_alias("grp"), outcome_alias("approved"), "n"]).query(
        "n > 0"
    )
    return Counts(
        frame=frame.reset_index(drop=True), source="simulated", rows=per_group * len(rates)
    )


def power_table(logs: int, rng: np.random.Generator) -> list[tuple]:
    """(rows a group, base rate, true ratio, gate fires, established) for a decision log of
    six equal groups, five approved at the base rate and one at ratio × it: the share of logs
    in which ``--fail-on disparity`` fires on that group, and in which its disadvantage is
    established (the whole interval beyond the band: what ``--fail-on established`` needs)."""
    options = CheckOptions(groups=["grp"], outcome="approved", positive="yes")
    spec, _ = build_spec("check", options, None)
    rows = []
    for per_group in POWER_SIZES:
        for base in POWER_BASES:
            for ratio in POWER_RATIOS:
                fired = established = 0
                for _ in range(logs):
                    rates = [base] * (POWER_GROUPS - 1) + [base * ratio]
                    counts = decision_counts(spec, rng, per_group, rates)
                    _, findings, _, _ = judge_check(compute(counts, spec), spec)
                    mine = [
                        f
                        for f in findings
                        if f.group == f"g{POWER_GROUPS - 1}" and f.side == "disadvantaged"
                    ]
                    fired += bool(mine)
                    established += any(f.established for f in mine)
                rows.append((per_group, base, ratio, fired / logs, established / logs))
    return rows


def power_markdown(rows: list[tuple], logs: int, seed: int) -> str:
    """The power table as docs/bias.md shows it, with its Monte-Carlo error and how to rerun."""
    worst = 1.96 * (0.25 / logs) ** 0.5
    lines = [
        f"Power of the gate: {POWER_GROUPS} groups of N rows, five approved at the base rate and one",
        "at the true ratio × it (`python benchmarks/validity.py --only 2 --write-docs`; "
        f"{logs} simulated logs a cell, seed {seed}; Monte-Carlo error at most ±{worst:.0%} at 95 %).",
        "GATE: `--fail-on disparity` fires on that group; ESTABLISHED: its whole interval is beyond",
        "the band (what `--fail-on established` counts).",
        "",
        "| rows a group | base rate | true ratio | GATE | ESTABLISHED |",
        "|---:|---:|---:|---:|---:|",
    ]
    for per_group, base, ratio, fired, established in rows:
        lines.append(f"| {per_group:,} | {base:.0%} | {ratio}× | {fired:.0%} | {established:.0%} |")
    return "\n".join(lines) + "\n"


def write_block(path: Path, name: str, text: str) -> None:
    """Replace the text between ``<!-- validity:NAME -->`` and ``<!-- /validity:NAME -->``."""
    start, end = f"<!-- validity:{name} -->", f"<!-- /validity:{name} -->"
    document = path.read_text(encoding="utf-8")
    if start not in document or end not in document:
        raise SystemExit(f"{path}: no {start} … {end} block to rewrite")
    before, rest = document.split(start, 1)
    after = rest.split(end, 1)[1]
    path.write_text(f"{before}{start}\n{text}{end}{after}", encoding="utf-8")


def worse_off_majority(logs: int, rng: np.random.Generator) -> list[tuple]:
    rows = []
    groups = GROUPS[:7]
    spec = spec_for("holm")
    spec = type(spec)(**{**spec.__dict__, "reference": groups[0]})
    for shape, others in (("6 × 1,000", None), ("6 × 40–150", (40, 150))):
        named = fired = old_rule = 0
        for _ in range(logs):
            sizes = [5000] + (
                [1000] * 6 if others is None else list(rng.integers(others[0], others[1] + 1, 6))
            )
            counts = simulate(rng, sizes, [0.24] + [0.4] * 6, groups)
            metrics, findings, _, _ = judge_check(compute(counts, spec), spec)
            named += any(
                f.group == groups[0] and f.side == "disadvantaged" and f.established
                for f in findings
            )
            fired += any(f.side == "disadvantaged" for f in findings)
            old_rule += any(_all_better_off(m) for m in metrics if m.kind != "summary")
        rows.append((shape, logs, named / logs, fired / logs, old_rule / logs))
    return rows


def _all_better_off(metric) -> bool:
    """The old rule: the reference named only when every other judged group is established
    better off."""
    judged = [g for g in metric.groups if g.verdict not in ("reference", "insufficient data")]
    return bool(judged) and all(g.verdict == "advantaged" for g in judged)


def count(rows: pd.DataFrame, spec) -> Counts:
    """Rows counted into the cells the counting query returns, for any spec without means."""
    keys = {group_alias(c): rows[c].astype(str) for c in spec.group_columns}
    keys |= {outcome_alias(c): rows[c].astype(str) for c in spec.outcome_columns}
    frame = pd.DataFrame(keys).value_counts(sort=False).rename("n").reset_index()
    return Counts(frame=frame, source="simulated", rows=len(rows))


def judge(rows: pd.DataFrame, options: CheckOptions):
    """The real spec and verdicts on simulated rows: (any group flagged, the gate fired)."""
    spec, _ = build_spec("check", options, None)
    counts = count(rows, spec)
    strata = None
    if spec.within:
        values = sorted(counts.frame[group_alias(spec.within)].unique())
        strata = {value: compute(counts, spec, stratum=value) for value in values}
    metrics, findings, _, _ = judge_check(compute(counts, spec), spec, strata)
    flagged = any(
        g.verdict.split(" ")[0] in FLAGGED for m in metrics if m.kind != "summary" for g in m.groups
    )
    flagged |= any(e.effect not in ("none",) for m in metrics for e in m.within)
    return flagged, any(f.side == "disadvantaged" for f in findings)


def decisions(
    rng: np.random.Generator,
    sizes: list[int],
    rates: list[float],
    truth: bool = False,
    score_shift: list[float] | None = None,
    strata: list[float] | None = None,
) -> pd.DataFrame:
    """A decision log: per group its size and approval rate; with ``truth`` who should have
    been approved (related to the decision the same way in every group); with
    ``score_shift`` a 0–1 risk score (rounded to 0.01) shifted per group, approved when it is
    at least 0.6; with ``strata`` a branch whose base rates multiply the group's."""
    frames = []
    for index, (size, rate) in enumerate(zip(sizes, rates, strict=True)):
        frame = {"grp": f"g{index}"}
        if strata:
            branch = rng.integers(0, len(strata), size)
            frame["branch"] = np.array([f"b{i}" for i in range(len(strata))])[branch]
            rate = np.clip(rate * np.asarray(strata)[branch], 0, 1)
        if score_shift is not None:
            outcome = rng.random(size) < 0.35
            score = 0.3 + 0.35 * outcome + score_shift[index] + rng.normal(0, 0.2, size)
            score = np.clip(score, 0, 1).round(2)
            frame |= {"risk": score, "churned": np.where(outcome, "yes", "no")}
        else:
            approved = rng.random(size) < rate
            frame["approved"] = np.where(approved, "yes", "no")
            if truth:
                should = np.where(approved, rng.random(size) < 0.7, rng.random(size) < 0.2)
                frame["repaid"] = np.where(should, "yes", "no")
        frames.append(pd.DataFrame(frame, index=range(size)))
    return pd.concat(frames, ignore_index=True)


def shapes(logs: int, rng: np.random.Generator) -> list[tuple]:
    """(shape, logs, measure, share, target) for each shape of log."""
    approve = {"outcome": "approved", "positive": "yes"}
    with_truth = {**approve, "truth": "repaid"}
    risk = {"score": "risk", "cuts": (0.6,), "truth": "churned", "positive_is_adverse": True}
    unbalanced = lambda: [5000, *rng.integers(40, 151, 6)]  # noqa: E731
    cases = [
        ("unbalanced 5,000 + 6×40–150, fair", unbalanced, [0.3] * 7, approve, {}),
        ("2% base rate, 10×2,000, fair", lambda: [2000] * 10, [0.02] * 10, approve, {}),
        ("with the truth, 6×800, fair", lambda: [800] * 6, [0.3] * 6, with_truth, {"truth": 1}),
        ("--reference best, 10×300, fair", lambda: [300] * 10, [0.3] * 10,
         {**approve, "reference": "best"}, {}),
        ("--reference rest, 10×300, fair", lambda: [300] * 10, [0.3] * 10,
         {**approve, "reference": "rest"}, {}),
        ("--within 3 branches, 6×600, fair", lambda: [600] * 6, [0.3] * 6,
         {**approve, "within": "branch"}, {"strata": [0.5, 1.0, 2.0]}),
        ("score cut at 0.6 + AUC + calibration, 6×800, fair", lambda: [800] * 6, [0.0] * 6,
         risk, {"score_shift": [0.0] * 6}),
        ("0.6× gap at 500 a group, 6 groups", lambda: [500] * 6, [0.4] * 5 + [0.24], approve, {}),
        ("score 0.1 too high for one group, 6×800", lambda: [800] * 6, [0.0] * 6, risk,
         {"score_shift": [0.0] * 5 + [0.1]}),
    ]  # fmt: skip
    rows = []
    for shape, sizes, rates, options, extra in cases:
        flagged = fired = 0
        options = CheckOptions(groups=["grp"], **options)
        for _ in range(logs):
            log = decisions(
                rng,
                list(sizes()),
                rates,
                **{k: v for k, v in extra.items() if k != "truth"},
                truth="truth" in extra,
            )
            any_flag, gate = judge(log, options)
            flagged += any_flag
            fired += gate
        fair = "fair" in shape
        rows.append(
            (
                shape,
                logs,
                flagged / logs if fair else None,
                fired / logs,
                "≤ 5%" if fair else "≥ 90%",
            )
        )
    return rows


def branch_log(
    rng: np.random.Generator, per_cell: int, base: list[float], ratios: list[float]
) -> pd.DataFrame:
    """Two groups in as many branches as ``base`` (the reference group's approval rate in
    each); group g1 is approved ``ratios[i]`` × as often as g0 in branch i. Rows per group and
    branch: ``per_cell``."""
    frames = []
    for index, (rate, ratio) in enumerate(zip(base, ratios, strict=True)):
        for group, p in (("g0", rate), ("g1", min(1.0, rate * ratio))):
            approved = rng.random(per_cell) < p
            frames.append(
                pd.DataFrame(
                    {
                        "grp": group,
                        "branch": f"b{index}",
                        "approved": np.where(approved, "yes", "no"),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def strata_agreement(logs: int, rng: np.random.Generator) -> list[tuple]:
    """(case, logs, differs, raw test, Breslow–Day, target): the share of logs in which g1's
    gap is called "differs by stratum" (the real verdicts, after the family's correction), in
    which the risk-ratio homogeneity test alone has p ≤ 0.05, and in which the odds-ratio test
    used before (Breslow–Day with Tarone's adjustment, from statsmodels) would have."""
    import warnings

    from statsmodels.stats.contingency_tables import StratifiedTable

    from auditkit.bias.pooling import stratified

    options = CheckOptions(
        groups=["grp"], outcome="approved", positive="yes", within="branch", reference="g0"
    )
    spec, _ = build_spec("check", options, None)
    three = [0.15, 0.3, 0.75]
    cases = [
        ("one common 0.7× ratio, base 15/30/75 %, 200 a cell", 200, three, [0.7] * 3, True),
        ("one common 0.7× ratio, base 15/30/75 %, 1,000 a cell", 1000, three, [0.7] * 3, True),
        ("one common 0.5× ratio, base 5/20/60 %, 300 a cell", 300, [0.05, 0.2, 0.6],
         [0.5] * 3, True),
        ("no gap, base 15/30/75 %, 200 a cell", 200, three, [1.0] * 3, True),
        ("1.0× / 1.0× / 0.5×, base 15/30/75 %, 200 a cell", 200, three, [1.0, 1.0, 0.5], False),
        ("1.0× / 1.0× / 0.6×, base 15/30/75 %, 1,000 a cell", 1000, three, [1.0, 1.0, 0.6],
         False),
    ]  # fmt: skip
    rows = []
    for case, per_cell, base, ratios, common in cases:
        differs = raw = odds = 0
        for _ in range(logs):
            log = branch_log(rng, per_cell, base, ratios)
            counts = count(log, spec)
            values = sorted(counts.frame[group_alias("branch")].unique())
            strata = {value: compute(counts, spec, stratum=value) for value in values}
            metrics, _, _, _ = judge_check(compute(counts, spec), spec, strata)
            effects = [e for e in metrics[0].within if e.group == "g1"]
            differs += any(e.effect == "differs by stratum" for e in effects)
            tables = []
            for branch in sorted(log["branch"].unique()):
                cell = log[log["branch"] == branch]
                a = int(((cell["grp"] == "g1") & (cell["approved"] == "yes")).sum())
                c = int(((cell["grp"] == "g0") & (cell["approved"] == "yes")).sum())
                tables.append((a, per_cell, c, per_cell))
            tested = stratified(tables, 1.96).heterogeneity_p
            raw += tested is not None and tested <= 0.05
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                cube = StratifiedTable(
                    [np.array([[a, n1 - a], [c, n0 - c]]) for a, n1, c, n0 in tables]
                )
                odds += cube.test_equal_odds(adjust=True).pvalue <= 0.05
        target = "≤ 5%" if common else "≥ 80%"
        rows.append((case, logs, differs / logs, raw / logs, odds / logs, target))
    return rows


def strata_markdown(rows: list[tuple], logs: int, seed: int) -> str:
    """Section 6 as docs/bias.md shows it."""
    error = 1.96 * (0.05 * 0.95 / logs) ** 0.5
    lines = [
        f"`python benchmarks/validity.py --only 6 --write-docs`; {logs} simulated logs a case, "
        f"seed {seed}; at 5 % the Monte-Carlo error is ±{error:.1%} (95 %).",
        "DIFFERS: g1's gap called \"differs by stratum\" (the verdict, after the family's "
        "correction); RR TEST: the",
        "risk-ratio agreement test alone at p ≤ 0.05; OR TEST: Breslow–Day on odds ratios, the "
        "test used before.",
        "",
        "| case (groups g0 and g1, three branches) | DIFFERS | RR TEST | OR TEST | target |",
        "|---|---:|---:|---:|---|",
    ]
    for case, _, differs, raw, odds, target in rows:
        lines.append(f"| {case} | {differs:.1%} | {raw:.1%} | {odds:.1%} | DIFFERS {target} |")
    return "\n".join(lines) + "\n"


def coverage(runs: int, rng: np.random.Generator) -> list[tuple[str, float]]:
    """How often the 95 % intervals cover the truth on exponential waits, 30 rows a group."""
    hits = {
        "mean, Student t (not used for waits)": 0,
        "mean, gamma (shape ≤ 1)": 0,
        "ratio of means, F (the verdicts' test)": 0,
    }
    for _ in range(runs):
        a, b = rng.exponential(240.0, 30), rng.exponential(240.0, 30)
        first, second = (30, a.sum(), (a * a).sum()), (30, b.sum(), (b * b).sum())
        for name, interval, truth in (
            ("mean, Student t (not used for waits)", mean_interval(*first), 240.0),
            ("mean, gamma (shape ≤ 1)", positive_mean_interval(*first), 240.0),
            (
                "ratio of means, F (the verdicts' test)",
                mean_ratio_interval(first, second, 0.95),
                1.0,
            ),
        ):
            hits[name] += interval[0] <= truth <= interval[1]
    return [(name, count / runs) for name, count in hits.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", type=int, default=200, help="simulated logs per cell")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument(
        "--write-docs",
        action="store_true",
        help="rewrite the tables of docs/bias.md this run produced (sections 2 and 6)",
    )
    parser.add_argument("--only", type=int, choices=range(1, 8), help="run one section (1–7) only")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    started = time.monotonic()

    if args.only in (None, 1):
        print("1. Family-wise false alarms on fair chatbot logs (10 groups, 5 metrics)")
        print(
            f"  {'ROWS':>6} {'LOGS':>5} {'COMPARISONS':>12} {'HOLM':>7} {'BH':>7} {'NONE':>7} "
            f"{'GATE':>7}"
        )
        for total, logs, comparisons, *rates in false_alarms(args.logs, rng):
            print(
                f"  {total:>6} {logs:>5} {comparisons:>12.1f} "
                + " ".join(f"{r:>7.1%}" for r in rates)
            )

    if args.only in (None, 2):
        rows = power_table(args.logs, rng)
        table = power_markdown(rows, args.logs, args.seed)
        print("\n2. " + table)
        if args.write_docs:
            write_block(DOCS, "power", table)
            print(f"  (written to {DOCS})")

    if args.only in (None, 3):
        print("\n3. Coverage of 95% intervals, exponential waits, 30 rows a group")
        for name, rate in coverage(max(4000, args.logs * 20), rng):
            print(f"  {name:40} {rate:.3f}")

    if args.only in (None, 4):
        print(
            "\n4. A worse-off majority: the reference (5,000 rows) reaches a person 0.6× as often"
        )
        print(f"  {'OTHER GROUPS':>12} {'LOGS':>5} {'NAMED':>7} {'GATE':>7} {'OLD RULE':>9}")
        for shape, logs, named, fired, old_rule in worse_off_majority(args.logs, rng):
            print(f"  {shape:>12} {logs:>5} {named:>7.0%} {fired:>7.0%} {old_rule:>9.0%}")

    if args.only in (None, 5):
        print("\n5. Other shapes of log (ANY: any group flagged; GATE: --fail-on disparity fires)")
        print(f"  {'SHAPE':52} {'LOGS':>5} {'ANY':>6} {'GATE':>6}  TARGET (GATE)")
        for shape, logs, flagged, fired, target in shapes(args.logs, rng):
            any_text = "" if flagged is None else f"{flagged:.0%}"
            print(f"  {shape:52} {logs:>5} {any_text:>6} {fired:>6.0%}  {target}")
    if args.only in (None, 6):
        print(
            "\n6. --within: do strata sharing one risk ratio read as 'the gap differs by stratum'?"
        )
        table = strata_markdown(strata_agreement(args.logs, rng), args.logs, args.seed)
        print(table)
        if args.write_docs:
            write_block(DOCS, "within", table)
            print(f"  (written to {DOCS})")
    if args.only in (None, 7):
        from benchmarks.contacts_rounds import contact_rounds

        print("\n7. Test contacts: rounds of paired contacts (FLAGGED: any persona; GATE/FOUND)")
        print(f"  {'SHAPE':56} {'ROUNDS':>6} {'FLAGGED':>8} {'GATE/FOUND':>10}  TARGET")
        for shape, rounds, flagged, share, target in contact_rounds(args.logs, args.seed):
            flag_text = "" if flagged is None else f"{flagged:.1%}"
            print(f"  {shape:56} {rounds:>6} {flag_text:>8} {share:>10.1%}  {target}")
    print(
        f"\n({time.monotonic() - started:.0f} s; seed {args.seed}; python {sys.version.split()[0]})"
    )


if __name__ == "__main__":
    main()
