"""The report's follow-up parts: "Since the last audit" and the action plan appendix.

Kept apart from ``context.py`` (one job each): this module turns a Comparison and a Plan into
the strings and charts the templates place, computing nothing the follow-up package has not.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from auditkit.answers.model import ACTION_STATUS_WORDS
from auditkit.followup.model import Comparison
from auditkit.followup.plan import build_plan
from auditkit.i18n import N_, _
from auditkit.i18n.formatting import format_date
from auditkit.reporting import charts
from auditkit.scoring.run import ScoredFile
from auditkit.scoring.verdict import percent_span


def date_text(iso: str) -> str:
    """ "2026-11-02" → "2 November 2026"; text that is not a date is returned as it is."""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return format_date(day)


def since_context(comparison: Comparison, primary: str, font: str) -> dict[str, Any]:
    before, after = comparison.before, comparison.after
    threshold = after.threshold
    ladder = [
        (
            f"{p.phase} {_(p.name)}",
            None if p.coverage_before is None else p.coverage_before * 100,
            None if p.coverage_after is None else p.coverage_after * 100,
        )
        for p in comparison.phases
    ]
    principles = [(p.title, p.before, p.after) for p in comparison.principles]
    return {
        "previous_date": date_text(comparison.before_date),
        "sentence": comparison.owner_sentence() + ".",
        "overall": (
            _(
                "Safeguards in place {before} → {after}; {closed} recommendations closed, "
                "{opened} opened."
            ).format(
                before=percent_span(before.overall_percent, None),
                after=percent_span(after.overall_percent, None),
                closed=len(comparison.closed),
                opened=len(comparison.opened),
            )
            + " "
            + comparison.actions.sentence()
            + (
                " " + comparison.views.sentence()
                if comparison.views is not None and comparison.views.sentence()
                else ""
            )
        ),
        "ladder_chart": charts.before_after(
            "since-ladder",
            _("Safeguard coverage per phase, last audit and this one"),
            ladder,
            threshold,
            primary,
            font,
        ),
        "principles_chart": charts.before_after(
            "since-principles",
            _("Principle scores, last audit and this one"),
            principles,
            threshold,
            primary,
            font,
        ),
        "closed": [
            {"principle": r.principle_title, "question": r.question} for r in comparison.closed
        ],
        "opened": [
            {"principle": r.principle_title, "question": r.question, "text": r.text}
            for r in comparison.opened
        ],
        "notes": list(comparison.notes),
        "overdue": [
            {"action": o.action, "owner": o.owner, "due": date_text(o.due)}
            for o in comparison.actions.overdue
        ],
    }


PLAN_GROUPS = (
    ("first", N_("First: what to do first")),
    ("now", N_("Next: for the automation you use now")),
    ("later", N_("Later: before you automate further")),
)


def plan_context(scored: ScoredFile, day: date | None = None) -> dict[str, Any]:
    """The plan as a checklist grouped by priority while nobody and no date is set; as a table
    with who, by when and the status once any is, overdue actions marked (``day`` is the
    report's date). Each action by its short name: the advice in full is in its principle."""
    rubric, result = scored.rubric, scored.result
    first = {step.question_id for step in result.first_steps}
    rows = []
    for row in build_plan(scored).rows:
        group = (
            "first"
            if row.question_id in first
            else ("now" if row.phase <= result.adoption_phase else "later")
        )
        try:
            due = date.fromisoformat(row.due) if row.due else None
        except ValueError:  # a due date the plan import accepted as text stays text
            due = None
        rows.append(
            {
                "priority": str(row.priority),
                "action": rubric.question(row.question_id).name,
                "principle": row.principle,
                "group": group,
                "owner": row.owner,
                "due": date_text(row.due) if row.due else "",
                "status": row.status,
                # In words for the owner; the plan files keep the code, which an import reads.
                "status_words": _(ACTION_STATUS_WORDS[row.status])
                if row.status in ACTION_STATUS_WORDS
                else row.status,
                "rules": row.rules,
                "overdue": bool(
                    due and day and due < day and row.status not in ("done", "dropped")
                ),
            }
        )
    planned = [r for r in rows if r["owner"] or r["due"] or r["status"]]
    unplanned = [r for r in rows if r not in planned]
    groups = [
        {"title": _(title), "rows": [r for r in unplanned if r["group"] == key]}
        for key, title in PLAN_GROUPS
    ]
    return {
        "rows": rows,
        "planned": planned,  # a table: who, by when, status, overdue marked
        "checklist": not planned,
        "groups": [g for g in groups if g["rows"]],  # the rest as a checklist by priority
    }
