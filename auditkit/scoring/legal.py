"""The rules a score names, and the one ranking rule they add to "what to do first".

``rules_for`` turns the crosswalk's applicability (``obligations.applies``) for one business on
the audit date into the score's plain objects; ``legal_first`` is the ranking: among steps of
equal standing (the same tier of "what to do first"), a safeguard that answers a rule already
overdue comes before one that does not. It never lifts a step over a higher tier: a missing
protection of an over-automated chatbot still comes before an overdue duty elsewhere.

Edge cases: a rubric other than the crosswalk's names no rules (its question ids mean something
else); a business that did not say where it serves customers names none (``markets`` None);
the safeguards a finding "touches" are those that meet a rule wholly or partly (``related``
links are listed by ``auditkit rules`` but never decide, so they are not claimed here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence

from auditkit.answers.model import AnswerSet, applies
from auditkit.i18n import ngettext
from auditkit.obligations.applies import (
    Applicability,
    Business,
    answers_from_file,
    applicable,
    automations_in_use,
)
from auditkit.obligations.model import Crosswalk
from auditkit.obligations.profile import markets_of, size_of
from auditkit.rubric.model import Rubric
from auditkit.scoring.model import ObligationResult, Obligations, SafeguardReach


def rules_for(
    rubric: Rubric, answers: AnswerSet, crosswalk: Crosswalk | None, as_of: dt.date | None
) -> Obligations | None:
    """The rules that can apply to the business of ``answers`` on ``as_of``; None when there is
    no crosswalk for this rubric."""
    if crosswalk is None or as_of is None or crosswalk.rubric != rubric.id:
        return None
    markets = markets_of(answers.answers)
    size = size_of(answers.answers)
    # Only the questions asked count, as in the score: an answer kept for a question whose
    # condition no longer holds is not evidence of anything.
    values = answers.values()
    asked = {q.id for q in rubric.questions if applies(q, rubric, values)}
    credits = {k: v for k, v in answers_from_file(rubric, answers.answers).items() if k in asked}
    business = Business(markets or (), size, automations_in_use(credits))
    found = applicable(crosswalk, business, credits, as_of)
    items = tuple(_item(status) for status in found.statuses)
    last = crosswalk.last_verified
    return Obligations(
        as_of=as_of.isoformat(),
        markets=markets,
        size=size,
        crosswalk_version=crosswalk.version,
        last_verified=last.isoformat() if last else "",
        disclaimer=crosswalk.disclaimer,
        items=items,
        reach=_reach(rubric, found),
        overdue=found.count("overdue"),
        due=found.count("due"),
    )


def _item(status) -> ObligationResult:
    o = status.obligation
    return ObligationResult(
        id=o.id,
        title=o.title,
        jurisdictions=o.jurisdictions,
        instrument=o.instrument,
        article=o.article,
        applies_from=o.applies_from.isoformat(),
        status=status.status,
        compliance=status.compliance,
        when=status.sentence(),
        days=status.days,
        conditional=status.conditional,
        only_if=o.only_if,
        owner_text=o.owner_text,
        source=o.source,
        verified=o.verified,
        last_verified=o.last_verified.isoformat(),
        note=o.note,
        safeguards=tuple(
            link.question for link in o.safeguards if link.relation in ("meets", "partly")
        ),
    )


def _reach(rubric: Rubric, found: Applicability) -> tuple[SafeguardReach, ...]:
    """Safeguards that answer two or more of the rules named, most rules first."""
    reach = [
        (question_id, ids)
        for question_id, ids in found.safeguard_reach().items()
        if len(ids) >= 2 and question_id in {q.id for q in rubric.questions}
    ]
    reach.sort(key=lambda item: (-len(item[1]), item[0]))
    return tuple(
        SafeguardReach(
            question_id=question_id,
            action=rubric.question(question_id).name,
            obligations=ids,
            sentence=ngettext(
                "“%(action)s” answers %(count)s rule that applies to you",
                "“%(action)s” answers %(count)s rules that apply to you",
                len(ids),
            )
            % {"action": rubric.question(question_id).name, "count": len(ids)},
        )
        for question_id, ids in reach
    )


def touched(obligations: Obligations | None) -> dict[str, tuple[str, ...]]:
    """Question id → the rules it answers (wholly or partly), worst-standing rule first."""
    found: dict[str, list[str]] = {}
    for item in obligations.items if obligations else ():
        for question_id in item.safeguards:
            found.setdefault(question_id, []).append(item.id)
    return {k: tuple(v) for k, v in found.items()}


def overdue_safeguards(obligations: Obligations | None) -> frozenset[str]:
    """The safeguards that answer a rule already overdue on the audit date."""
    return frozenset(
        question_id
        for item in (obligations.items if obligations else ())
        if item.status == "overdue"
        for question_id in item.safeguards
    )


def legal_first(question_ids: Sequence[str], overdue: Collection[str]) -> list[str]:
    """``question_ids`` with those that answer an overdue rule first, each group in its own
    order (a stable partition: equals stay equals, nothing else moves)."""
    return [q for q in question_ids if q in overdue] + [q for q in question_ids if q not in overdue]


def status_counts(obligations: Obligations | None) -> Mapping[str, int]:
    """How many rules stand where, for a one-line summary ("2 obligations overdue")."""
    counts: dict[str, int] = {}
    for item in obligations.items if obligations else ():
        counts[item.status] = counts.get(item.status, 0) + 1
    return counts
