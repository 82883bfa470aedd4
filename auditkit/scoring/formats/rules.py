"""The rules a score names, as lines of the table: "Rules that apply to you", and one line
under each step saying which rules it answers. Words are whole sentences kept here, so they can
be translated as they stand; every listing ends with the disclaimer and the verified date."""

from __future__ import annotations

import datetime as dt
import textwrap

from auditkit.i18n import N_, _
from auditkit.obligations.applies import format_date
from auditkit.obligations.profile import NOT_GIVEN, SIZE_SHORT, place_short
from auditkit.scoring.model import Obligations, ScoreResult, Step

HEADING = N_("Rules that apply to you")
NONE_APPLY = N_(
    "None of the rules listed applies to the automation you use, where you serve customers."
)
UNVERIFIED = N_("not yet checked against the official text")
CONDITIONAL = N_("Only if {only_if}.")
LAST_VERIFIED = N_("The rules were last checked on {day}.")
AS_OF = N_("Dates as of {day} (the audit's date), for {places}{size}.")
STEP_RULES = N_("Rules: {rules}")


def day_words(iso: str) -> str:
    return format_date(dt.date.fromisoformat(iso))


def places_words(obligations: Obligations) -> str:
    names = [place_short(code) for code in obligations.markets or ()]
    return ", ".join(names) if names else _("no place listed")


def rule_line(item) -> str:
    """'Tell people they are talking to an AI system — overdue since 2 August 2026'."""
    mark = f" ({_(UNVERIFIED)})" if not item.verified else ""
    return f"{item.title} — {item.when}{mark}"


def step_rules(step: Step, result: ScoreResult) -> str:
    """One line naming the rules a step answers, worst standing first; '' when none."""
    if not step.obligations or result.obligations is None:
        return ""
    by_id = {item.id: item for item in result.obligations.items}
    named = [by_id[i] for i in step.obligations if i in by_id]
    return _(STEP_RULES).format(rules="; ".join(f"{i.title} ({i.when})" for i in named))


def rules_lines(result: ScoreResult, width: int = 96) -> list[str]:
    obligations = result.obligations
    if obligations is None:
        return []
    lines = ["", _(HEADING)]
    if obligations.markets is None:
        return lines + textwrap.wrap(
            _(NOT_GIVEN), width, initial_indent="  ", subsequent_indent="  "
        )
    size = f", {_(SIZE_SHORT[obligations.size])}" if obligations.size else ""
    lines += textwrap.wrap(
        _(AS_OF).format(
            day=day_words(obligations.as_of), places=places_words(obligations), size=size
        ),
        width,
        initial_indent="  ",
        subsequent_indent="  ",
    )
    if not obligations.items:
        lines.append(f"  {_(NONE_APPLY)}")
    for item in obligations.items:
        lines += textwrap.wrap(
            f"- {rule_line(item)}", width, initial_indent="  ", subsequent_indent="    "
        )
        lines += textwrap.wrap(
            f"{item.instrument}, {item.article}. {item.owner_text}",
            width,
            initial_indent="    ",
            subsequent_indent="    ",
        )
        if item.only_if:
            lines += textwrap.wrap(
                _(CONDITIONAL).format(only_if=item.only_if),
                width,
                initial_indent="    ",
                subsequent_indent="    ",
            )
        lines.append("    " + _("Source: {url}").format(url=item.source))
    for reach in obligations.reach:
        lines += textwrap.wrap(
            f"{reach.sentence}.", width, initial_indent="  ", subsequent_indent="  "
        )
    if obligations.last_verified:
        lines.append("  " + _(LAST_VERIFIED).format(day=day_words(obligations.last_verified)))
    lines += textwrap.wrap(
        obligations.disclaimer, width, initial_indent="  ", subsequent_indent="  "
    )
    return lines
