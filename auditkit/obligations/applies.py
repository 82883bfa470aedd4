"""Which obligations can apply to one business on one date, and where each stands: a pure
function of the crosswalk, the business (where it serves customers, its size band, the
automations it uses) and its safeguard answers.

Edge cases, each decided here once:

- **Where**: an obligation applies where the business serves customers. A member state's code
  (``FR``) is inside ``EU``; a subdivision is inside its parent both ways round: serving
  ``US-NY`` (the whole state) may include New York City, and serving ``US-NY-NYC`` is serving
  New York. A business that names no jurisdiction is concerned by none.
- **Size**: an obligation limited to some size bands (the EAA exempts micro-enterprises' services)
  is left out for a business in another band; with the band unknown it stays, *conditional*.
- **Automations**: an obligation that lists inventory ids applies when any of them is in use
  (live or pilot); one that lists none concerns any business, always conditional on its
  ``only_if`` (e.g. "if you use software to screen job candidates").
- **Dates**: before ``applies_from`` the obligation is *due in N days*; from that day on it is in
  force; after ``applies_until`` (a sunset) it is left out. On ``applies_from`` itself it is in
  force (0 days).
- **Safeguards**: a ``meets`` safeguard answered in place (credit ≥ 0.75: "yes", or maturity 3
  or more) makes the obligation *met*; every answered ``partly`` safeguard in place but none that
  meets it makes it *partly* met (the audit sees only part of the duty); some in place, or in
  part, makes it *started*; every answered one at zero makes it *not met*. Unanswered or
  "don't know" is unknown, never met (silence is not evidence); "not applicable" is skipped.
  ``related`` safeguards are listed but never decide.
- **Status**: met → ``met``; in force and not met or only started → ``overdue`` since
  ``applies_from`` (a duty half done is not done); in force and partly → ``partly``; in force and
  unknown → ``unknown``; not yet in force and not met → ``due``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from auditkit.obligations.model import Crosswalk, Obligation, SafeguardLink
from auditkit.rubric.model import Rubric

# Member states of the European Union (ISO 3166-1 alpha-2; Greece is EL in EU usage, GR in ISO).
EU_MEMBERS = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "EL",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
MET_CREDIT = 0.75  # "yes" (1.0) or maturity 3 "routine" (0.75) and up

Compliance = Literal["met", "partly", "started", "not met", "unknown"]
Status = Literal["overdue", "partly", "unknown", "due", "met"]
Answer = float | str | None  # a credit 0–1; "na" for not applicable; None or "unknown" unknown
_IN_FORCE: dict[str, Status] = {
    "started": "overdue",
    "not met": "overdue",
    "partly": "partly",
    "unknown": "unknown",
}
_ORDER = {"overdue": 0, "partly": 1, "unknown": 2, "due": 3, "met": 4}


@dataclass(frozen=True)
class Business:
    """What the audit knows about the business: where it serves customers (``EU``, ``FR``,
    ``US-CA``…), its size band (``micro``, ``small``, ``medium``, ``large``; None when not asked)
    and the inventory ids of the automations it uses (live or pilot)."""

    jurisdictions: tuple[str, ...]
    size: str | None = None
    automations: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ObligationStatus:
    obligation: Obligation
    status: Status
    compliance: Compliance
    days: int  # days from the as-of date to applies_from: > 0 upcoming, ≤ 0 in force
    conditional: bool  # true when it applies only if something the audit cannot see holds
    safeguards: tuple[tuple[SafeguardLink, str], ...]  # each link with its state

    @property
    def in_force(self) -> bool:
        return self.days <= 0

    def sentence(self) -> str:
        """The status in words, against the as-of date: 'overdue since 2 August 2026',
        'due in 26 days (1 January 2027)', 'met'."""
        from auditkit.i18n import _, ngettext

        when = format_date(self.obligation.applies_from)
        if self.status == "met":
            return _("met") if self.in_force else _("met (applies from %(day)s)") % {"day": when}
        if self.status == "due":
            return ngettext(
                "due in %(count)s day (%(day)s)", "due in %(count)s days (%(day)s)", self.days
            ) % {"count": self.days, "day": when}
        if self.status == "overdue":
            if self.compliance == "started":
                return _("overdue since %(day)s (partly in place)") % {"day": when}
            return _("overdue since %(day)s") % {"day": when}
        if self.status == "partly":
            return _("partly met; in force since %(day)s") % {"day": when}
        return _("not answered; in force since %(day)s") % {"day": when}


@dataclass(frozen=True)
class Applicability:
    as_of: dt.date
    statuses: tuple[ObligationStatus, ...]

    def safeguard_reach(self) -> dict[str, tuple[str, ...]]:
        """Safeguard id → the obligations it discharges wholly or partly (``meets`` or
        ``partly``), for "telling customers they talk to a bot answers 2 rules". Only
        safeguards that answer two or more are worth saying, but all are returned."""
        reach: dict[str, list[str]] = {}
        for status in self.statuses:
            for link, _state in status.safeguards:
                if link.relation in ("meets", "partly"):
                    reach.setdefault(link.question, []).append(status.obligation.id)
        return {k: tuple(v) for k, v in sorted(reach.items())}

    def count(self, status: Status) -> int:
        return sum(1 for s in self.statuses if s.status == status)


def format_date(day: dt.date) -> str:
    """A day in words in the current language ("2 August 2026", "2. August 2026")."""
    from auditkit.i18n.formatting import format_date as localized

    return localized(day)


def serves(business_codes: Iterable[str], obligation_codes: Iterable[str]) -> bool:
    """Whether a business serving ``business_codes`` serves anyone an obligation for
    ``obligation_codes`` protects (see the module's edge cases)."""
    for served in business_codes:
        for code in obligation_codes:
            if served == code or served.startswith(code + "-") or code.startswith(served + "-"):
                return True
            if code == "EU" and served in EU_MEMBERS:
                return True
    return False


def safeguard_state(answer: Answer) -> str:
    """'met', 'partly', 'not met', 'unknown' or 'n/a' for one answer's credit."""
    if answer is None or answer == "unknown":
        return "unknown"
    if isinstance(answer, str):
        return "n/a" if answer in ("na", "n/a") else "unknown"
    if answer >= MET_CREDIT:
        return "met"
    return "partly" if answer > 0 else "not met"


def _compliance(states: list[tuple[SafeguardLink, str]]) -> Compliance:
    """From the deciding (``meets``/``partly``) links: ``met`` when a ``meets`` safeguard is in
    place; ``partly`` when every answered one is in place but none of them meets the duty by
    itself (the rubric sees only part of it); ``started`` when some are in place, or in part;
    ``not met`` when every answered one is at zero; ``unknown`` when none is answered."""
    answered = [
        (link, state)
        for link, state in states
        if link.relation != "related" and state not in ("unknown", "n/a")
    ]
    if not answered:
        return "unknown"
    if any(link.relation == "meets" and state == "met" for link, state in answered):
        return "met"
    if all(state == "met" for _link, state in answered):
        return "partly"
    if any(state in ("met", "partly") for _link, state in answered):
        return "started"
    return "not met"


def applicable(
    crosswalk: Crosswalk,
    business: Business,
    answers: Mapping[str, Answer],
    as_of: dt.date,
    *,
    include_unlinked: bool = False,
) -> Applicability:
    """Every obligation of ``crosswalk`` that can apply to ``business`` on ``as_of``, with its
    status, ordered overdue first, then partly, unknown, due (soonest first) and met.

    Obligations that list no automation hinge on a use the inventory does not record (software
    that screens job candidates): they are left out unless ``include_unlinked``, so an audit
    never names a hiring law to a bakery that hires by hand; ``auditkit rules`` lists them."""
    statuses = []
    for obligation in crosswalk.obligations:
        if obligation.applies_until is not None and as_of >= obligation.applies_until:
            continue
        if not serves(business.jurisdictions, obligation.jurisdictions):
            continue
        if business.size is not None and business.size not in obligation.sizes:
            continue
        if not obligation.automations and not include_unlinked:
            continue
        if obligation.automations and not business.automations & set(obligation.automations):
            continue
        states = [
            (link, safeguard_state(answers.get(link.question))) for link in obligation.safeguards
        ]
        compliance = _compliance(states)
        days = (obligation.applies_from - as_of).days
        if compliance == "met":
            status: Status = "met"
        elif days > 0:
            status = "due"
        else:
            status = _IN_FORCE[compliance]
        size_unknown = business.size is None and len(obligation.sizes) < 4
        statuses.append(
            ObligationStatus(
                obligation=obligation,
                status=status,
                compliance=compliance,
                days=days,
                conditional=bool(obligation.only_if) or size_unknown,
                safeguards=tuple(states),
            )
        )
    statuses.sort(key=lambda s: (_ORDER[s.status], s.days, s.obligation.id))
    return Applicability(as_of=as_of, statuses=tuple(statuses))


def answers_from_file(rubric: Rubric, answers: Mapping[str, object]) -> dict[str, Answer]:
    """Each answered question's credit on ``rubric``'s scales (``AnswerSet.answers``, or plain
    values): "n/a" kept as "na", "unknown" or a value off the scale as None (unknown), a
    skipped question left out. ``automations_in_use`` reads the inventory from the result."""
    credits: dict[str, Answer] = {}
    for question in rubric.questions:
        answer = answers.get(question.id)
        value = getattr(answer, "value", answer)
        if value is None:
            continue
        value = str(value)
        if value in ("na", "n/a"):
            credits[question.id] = "na"
            continue
        level = next((lv for lv in question.scale.levels if lv.value == value), None)
        credits[question.id] = level.credit if level is not None else None
    return credits


def automations_in_use(answers: Mapping[str, Answer]) -> frozenset[str]:
    """Inventory ids answered live (credit 1) or pilot (0.5), from ``answers_from_file``."""
    return frozenset(
        qid
        for qid, credit in answers.items()
        if qid.startswith("adopt.") and isinstance(credit, float) and credit > 0
    )
