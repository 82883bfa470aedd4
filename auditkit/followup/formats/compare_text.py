"""A comparison for people: a terminal table, or Markdown for an e-mail or a wiki.

Both formats tell the same story in the same order — the verdict then and now, the ladder,
the principles, the answers that moved, recommendations closed and opened, bias, actions — so
one function lays out the sections and each format only decides how a table looks.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditkit.followup.formats.interface import ComparisonFormat
from auditkit.followup.model import Comparison
from auditkit.scoring.verdict import coverage_span, percent_span
from auditkit.terminal import plain

CHANGE_ORDER = (
    "regressed",
    "improved",
    "became not applicable",
    "no longer not applicable",
    "newly answered",
    "no longer answered",
    "changed",
    "new question",
    "removed question",
)


def _delta(value: float | None) -> str:
    return "" if value is None else f"{value:+.0f}"


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def sections(comparison: Comparison) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) for every table, in reading order; empty tables are left out."""
    c = comparison
    tables = [
        (
            "Phase ladder",
            ["Phase", "Coverage before", "Coverage after", "Reached before", "Reached after"],
            [
                [
                    f"{p.phase} {p.name}",
                    coverage_span(p.coverage_before, None),
                    coverage_span(p.coverage_after, None),
                    "yes" if p.reached_before else "no",
                    "yes" if p.reached_after else "no",
                ]
                for p in c.phases
            ],
        ),
        (
            "Principles",
            ["Principle", "Before", "After", "Change"],
            [
                [
                    p.title,
                    percent_span(p.before, None),
                    percent_span(p.after, None),
                    _delta(p.delta),
                ]
                for p in c.principles
            ],
        ),
        (
            "Answers that moved",
            ["Change", "Question", "Before", "After", "Notes"],
            [
                [
                    a.change,
                    a.question,
                    a.before,
                    a.after,
                    " → ".join(n for n in (a.note_before, a.note_after) if n),
                ]
                for a in sorted(c.changes, key=lambda a: CHANGE_ORDER.index(a.change))
            ],
        ),
        (
            "Recommendations closed",
            ["Principle", "Question", "Was"],
            [[r.principle_title, r.question, r.answer or "not answered"] for r in c.closed],
        ),
        (
            "Recommendations opened",
            ["Principle", "Question", "Now", "Action"],
            [[r.principle_title, r.question, r.answer or "not answered", r.text] for r in c.opened],
        ),
        (
            "Overdue actions",
            ["Due", "Owner", "Action"],
            [[o.due, o.owner or "(no owner)", o.action] for o in c.actions.overdue],
        ),
        (
            "Bias checks (ratio to the reference group)",
            ["Metric", "Group", "Before", "After", "Verdict before", "Verdict after"],
            [
                [
                    b.label,
                    b.group,
                    _ratio(b.ratio_before),
                    _ratio(b.ratio_after),
                    b.verdict_before,
                    b.verdict_after,
                ]
                for b in c.bias
            ],
        ),
    ]
    return [table for table in tables if table[2]]


def _lead(comparison: Comparison) -> list[str]:
    c = comparison
    lines = [
        f"{c.business}: audit of {c.before_date or '(undated)'} against {c.after_date or '(undated)'} ({c.rubric})",
        c.verdict_sentence() + ".",
        f"Adoption phase {c.before.adoption_phase} → {c.after.adoption_phase}; safeguards "
        f"in place {percent_span(c.before.overall_percent, None)} → {percent_span(c.after.overall_percent, None)}.",
        f"{len(c.closed)} recommendations closed, {len(c.opened)} opened. {c.actions.sentence()}",
    ]
    if c.views is not None and c.views.sentence():
        lines.append(c.views.sentence())
    return lines + list(c.notes)


class TableFormat(ComparisonFormat):
    def format(self, comparison: Comparison) -> str:
        lines = _lead(comparison)
        for title, header, rows in sections(comparison):
            lines += ["", title]
            widths = [
                min(48, max(len(str(r[i])) for r in [header, *rows])) for i in range(len(header))
            ]
            lines.append(
                "  " + "  ".join(h.upper().ljust(w) for h, w in zip(header, widths, strict=True))
            )
            for row in rows:
                lines.append(
                    "  "
                    + "  ".join(_cut(str(v), w).ljust(w) for v, w in zip(row, widths, strict=True))
                )
        return plain("\n".join(line.rstrip() for line in lines) + "\n")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


class MarkdownFormat(ComparisonFormat):
    def format(self, comparison: Comparison) -> str:
        lead = _lead(comparison)
        lines = [
            f"# {_md(lead[0])}",
            "",
            f"**{_md(lead[1])}**",
            "",
            *(_md(line) + "  " for line in lead[2:]),
        ]
        for title, header, rows in sections(comparison):
            lines += ["", f"## {title}", "", _row(header), _row(["---"] * len(header))]
            lines += [_row(row) for row in rows]
        return plain("\n".join(lines).rstrip() + "\n")


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(_md(str(c)) for c in cells) + " |"
