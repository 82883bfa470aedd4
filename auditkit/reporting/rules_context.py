"""The report's "Rules that apply to you": the score's rules, in words an owner reads, each
with its source, whether its text was checked, and the disclaimer with the day the entries were
last verified. Words live here or in the template as whole sentences (to be translated)."""

from __future__ import annotations

from typing import Any

from auditkit.i18n import N_, _, ngettext
from auditkit.obligations.profile import NOT_GIVEN, SIZE_SHORT
from auditkit.scoring.formats.rules import NONE_APPLY, day_words, places_words
from auditkit.scoring.model import ScoreResult

INTRO = N_("For {places}{size}, on {day}, with the automation you use.")
CONDITIONAL_WORDS = N_("This applies only if {only_if}.")
SHORT_LAW = "{article}, {instrument}"
SHORT_DISCLAIMER = N_(
    "Guidance, not legal advice; rules last checked on {day} (more under “Rules in detail”)."
)
UNCHECKED = N_(
    "“Not yet checked” means the rule's article or date could not be read in the official "
    "text; each says what was found instead."
)
LAST_VERIFIED_WORDS = N_("The rules listed here were last checked on {day}.")


def count_sentence(result: ScoreResult) -> str:
    """'2 rules are overdue · 1 rule starts soon', or '' when none is."""
    obligations = result.obligations
    if obligations is None:
        return ""
    parts = []
    if obligations.overdue:
        parts.append(
            ngettext(
                "%(count)s rule is overdue", "%(count)s rules are overdue", obligations.overdue
            )
            % {"count": obligations.overdue}
        )
    if obligations.due:
        parts.append(
            ngettext("%(count)s rule starts later", "%(count)s rules start later", obligations.due)
            % {"count": obligations.due}
        )
    return " · ".join(parts)


def rules_context(result: ScoreResult) -> dict[str, Any] | None:
    obligations = result.obligations
    if obligations is None:
        return None
    if obligations.markets is None:
        return {
            "not_given": _(NOT_GIVEN),
            "items": [],
            "disclaimer": obligations.disclaimer,
            "short_disclaimer": obligations.disclaimer,
        }
    size = f", {_(SIZE_SHORT[obligations.size])}" if obligations.size else ""
    return {
        "not_given": "",
        "intro": _(INTRO).format(
            places=places_words(obligations), size=size, day=day_words(obligations.as_of)
        ),
        "count": count_sentence(result),
        "none": _(NONE_APPLY) if not obligations.items else "",
        "items": [
            {
                "id": item.id,
                "title": item.title,
                "when": item.when,
                "status": item.status,
                "owner_text": item.owner_text,
                "law": f"{item.instrument}, {item.article}",
                "short_law": SHORT_LAW.format(
                    article=item.article, instrument=item.instrument.split(" (")[0]
                ),
                "note": item.note,
                "only_if": _(CONDITIONAL_WORDS).format(only_if=item.only_if)
                if item.only_if
                else "",
                "source": item.source,
                "verified": item.verified,
            }
            for item in obligations.items
        ],
        "reach": [reach.sentence + "." for reach in obligations.reach],
        "last_verified": _(LAST_VERIFIED_WORDS).format(day=day_words(obligations.last_verified))
        if obligations.last_verified
        else "",
        "disclaimer": obligations.disclaimer,
        "short_disclaimer": _(SHORT_DISCLAIMER).format(day=day_words(obligations.last_verified))
        if obligations.last_verified
        else obligations.disclaimer,
        "unchecked": _(UNCHECKED),
    }
