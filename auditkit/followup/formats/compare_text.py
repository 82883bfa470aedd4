"""A comparison for people: a terminal table, or Markdown for an e-mail or a wiki.

Both formats tell the same story in the same order — the verdict then and now, the ladder,
the principles, the answers that moved, recommendations closed and opened, bias, actions — so
one function lays out the sections and each format only decides how a table looks. Both
follow the run's language (``auditkit.i18n.use``): titles, column names and sentences; the
answers' labels and the rubric's texts come translated with the rubric.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditkit.followup.formats.interface import ComparisonFormat
from auditkit.followup.model import Comparison
from auditkit.i18n import N_, _, ngettext
from auditkit.rubric.model import PHASE_NAMES
from auditkit.scoring.verdict import coverage_span, percent_span
from auditkit.terminal import plain

# How an answer moved, in the order the table lists them, with the words shown for each.
CHANGE_WORDS = {
    "regressed": N_("regressed"),
    "improved": N_("improved"),
    "became not applicable": N_("became not applicable"),
    "no longer not applicable": N_("no longer not applicable"),
    "newly answered": N_("newly answered"),
    "no longer answered": N_("no longer answered"),
    "changed": N_("changed"),
    "new question": N_("new question"),
    "removed question": N_("removed question"),
}
CHANGE_ORDER = tuple(CHANGE_WORDS)


def _delta(value: float | None) -> str:
    return "" if value is None else f"{value:+.0f}"


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def sections(comparison: Comparison) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) for every table, in reading order; empty tables are left out."""
    c = comparison
    tables = [
        (
            _("Phase ladder"),
            [
                _("Phase"),
                _("Coverage before"),
                _("Coverage after"),
                _("Reached before"),
                _("Reached after"),
            ],
            [
                [
                    f"{p.phase} {_(PHASE_NAMES[p.phase])}",
                    coverage_span(p.coverage_before, None),
                    coverage_span(p.coverage_after, None),
                    _("yes") if p.reached_before else _("no"),
                    _("yes") if p.reached_after else _("no"),
                ]
                for p in c.phases
            ],
        ),
        (
            _("Principles"),
            [_("Principle"), _("Before"), _("After"), _("Change")],
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
            _("Answers that moved"),
            [_("Change"), _("Question"), _("Before"), _("After"), _("Notes")],
            [
                [
                    _(CHANGE_WORDS[a.change]),
                    a.question,
                    a.before,
                    a.after,
                    " → ".join(n for n in (a.note_before, a.note_after) if n),
                ]
                for a in sorted(c.changes, key=lambda a: CHANGE_ORDER.index(a.change))
            ],
        ),
        (
            _("Recommendations closed"),
            [_("Principle"), _("Question"), _("Was")],
            [[r.principle_title, r.question, r.answer or _("not answered")] for r in c.closed],
        ),
        (
            _("Recommendations opened"),
            [_("Principle"), _("Question"), _("Now"), _("Action")],
            [
                [r.principle_title, r.question, r.answer or _("not answered"), r.text]
                for r in c.opened
            ],
        ),
        (
            _("Overdue actions"),
            [_("Due"), _("Owner"), _("Action")],
            [[o.due, o.owner or _("(no owner)"), o.action] for o in c.actions.overdue],
        ),
        (
            _("Bias checks (ratio to the reference group)"),
            [
                _("Metric"),
                _("Group"),
                _("Before"),
                _("After"),
                _("Verdict before"),
                _("Verdict after"),
            ],
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
    undated = _("(undated)")
    lines = [
        _("{business}: audit of {before} against {after} ({rubric})").format(
            business=c.business,
            before=c.before_date or undated,
            after=c.after_date or undated,
            rubric=c.rubric,
        ),
        c.verdict_sentence() + ".",
        _(
            "Adoption phase {before} → {after}; safeguards in place {share_before} → {share_after}."
        ).format(
            before=c.before.adoption_phase,
            after=c.after.adoption_phase,
            share_before=percent_span(c.before.overall_percent, None),
            share_after=percent_span(c.after.overall_percent, None),
        ),
        ngettext(
            "{closed} recommendation closed, {opened} opened.",
            "{closed} recommendations closed, {opened} opened.",
            len(c.closed),
        ).format(closed=len(c.closed), opened=len(c.opened))
        + " "
        + c.actions.sentence(),
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
