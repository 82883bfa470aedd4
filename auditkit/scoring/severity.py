"""The verdict's severity: which automations run ahead of their safeguards, and how badly.

The rubric's inventory says, for each automation, how customers meet it (``customers:``), the
safeguards nothing makes up for (``critical:``) and the others it calls for (``safeguards:``).
This module reads only that data — it never names an automation — and grades each automation
in use, then the business (docs/scoring.md, section 5):

* an automation **keeps pace** (0) when every critical safeguard is met and the safeguards it
  calls for reach the rubric's threshold together;
* otherwise it **runs ahead** of them, and how much that matters depends on what customers meet:

  ========================  =====================  ===============================
  customers                 critical one missing   only partly in place / coverage
  ========================  =====================  ===============================
  none (back office)        1                      1
  receive, beside           2                      1
  instead, decides          3, or 4 when most of   2
                            the critical
                            protection is absent
  ========================  =====================  ===============================

  "Most absent" means at least one critical safeguard missing and the critical shortfall
  (Σ 1 − credit) reaching half of the critical safeguards, and at least 1.5.
* a ``beside`` channel whose staffed alternative (``staffed_alternative:``) is not met stands in
  place of staff: it is judged as ``instead``.

The business's severity is the highest of its automations' (0 when none is in use). Computed
at both ends of a partial file: the pessimistic end counts open and "don't know" safeguards as
missing and open automation questions as in use; the optimistic end the reverse. Improving a
safeguard can only lower a severity, adding an automation can only raise it, and "not
applicable" takes a safeguard out of the automation's lists (never worse than "no").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from auditkit.answers.model import AnswerSet
from auditkit.i18n import N_
from auditkit.rubric.model import Question, Rubric
from auditkit.scoring.model import AutomationResult, AutomationSafeguard, SafeguardResult

MET = 0.75
EPSILON = 1e-9
OPEN = ("unanswered", "unknown")
LABELS = {
    0: N_("Safeguards keep pace"),
    1: N_("Minor gaps"),
    2: N_("Ahead of its safeguards"),
    3: N_("Over-automated (high)"),
    4: N_("Over-automated (severe)"),
}
MEANINGS = {
    0: N_("Every automation your customers meet has the protections it calls for."),
    1: N_(
        "Some safeguards are missing or only partly in place, but nothing customers meet runs "
        "without a protection it cannot do without."
    ),
    2: N_("Customers meet automation that runs ahead of its safeguards."),
    3: N_(
        "Customers meet automation in place of a person, or deciding about them, without "
        "protections nothing makes up for fully in place."
    ),
    4: N_(
        "Customers meet automation in place of a person, or deciding about them, without most "
        "of the protections it needs."
    ),
}
EXPOSED = ("instead", "decides")
# One automation's state in a few words, by its severity.
AUTOMATION_WORDS = {
    0: N_("keeps pace with its safeguards"),
    1: N_("small gaps"),
    2: N_("runs ahead of its safeguards"),
    3: N_("runs ahead: a protection it cannot do without is missing or only partly there"),
    4: N_("runs ahead: most of the protections it cannot do without are missing"),
}


def _credit(result: SafeguardResult, open_credit: float) -> float | None:
    if result.status in OPEN:
        return open_credit
    return result.credit


def _in_use(question: Question, answers: AnswerSet, asked: set[str]) -> str:
    """ "live", "pilot", "open" (not answered yet) or "" (not in use)."""
    if question.id not in asked:
        return ""
    answer = answers.answers.get(question.id)
    if answer is None or answer.value is None:
        return "open"
    if answer.is_given and question.scale.level(answer.value).credit > 0:
        return answer.value
    return ""


def grade(
    contact: str,
    critical: Sequence[float],
    coverage: float | None,
    threshold: float,
) -> int:
    """One automation's severity from its critical credits and the coverage of all it calls for."""
    weak = [c for c in critical if c < MET]
    behind = bool(weak) or (coverage is not None and coverage < threshold - EPSILON)
    if not behind:
        return 0
    missing = sum(1 for c in critical if c <= 0)
    if contact == "none":
        return 1
    if contact not in EXPOSED:
        return 2 if missing else 1
    shortfall = sum(1 - c for c in critical)
    if missing and shortfall >= max(1.5, len(critical) / 2) - EPSILON:
        return 4
    if missing or shortfall >= 1 - EPSILON:
        return 3
    return 2


def _judged_as(question: Question, credits: Mapping[str, float | None]) -> str:
    """``beside`` becomes ``instead`` when the staffed alternative is not met."""
    if question.customers == "beside" and question.staffed_alternative:
        credit = credits.get(question.staffed_alternative)
        if credit is not None and credit < MET:
            return "instead"
    return question.customers


def _bound(
    question: Question,
    by_id: Mapping[str, SafeguardResult],
    weights: Mapping[str, float],
    threshold: float,
    open_credit: float,
) -> tuple[int, str, float | None, tuple[str, ...]]:
    """(severity, judged contact, coverage, critical ids missing) at one end of the range."""
    credits = {sid: _credit(by_id[sid], open_credit) for sid in question.calls_for if sid in by_id}
    counted = {sid: c for sid, c in credits.items() if c is not None}
    weight = sum(weights[sid] for sid in counted)
    coverage = sum(weights[sid] * c for sid, c in counted.items()) / weight if weight else None
    critical = [counted[sid] for sid in question.critical if sid in counted]
    missing = tuple(sid for sid in question.critical if sid in counted and counted[sid] <= 0)
    contact = _judged_as(question, credits)
    return grade(contact, critical, coverage, threshold), contact, coverage, missing


def automations(
    rubric: Rubric,
    answers: AnswerSet,
    asked: set[str],
    safeguards: Sequence[SafeguardResult],
) -> tuple[AutomationResult, ...]:
    """Every automation in use (or not answered yet), worst first, then in rubric order."""
    by_id = {s.question_id: s for s in safeguards}
    weights = {s.question_id: s.weight for s in safeguards}
    results = []
    for order, question in enumerate(rubric.adoption_questions):
        in_use = _in_use(question, answers, asked)
        if not in_use:
            continue
        low = _bound(question, by_id, weights, rubric.threshold, 0.0)
        high = _bound(question, by_id, weights, rubric.threshold, 1.0)
        listed = tuple(
            AutomationSafeguard(
                question_id=sid,
                name=rubric.question(sid).name,
                critical=sid in question.critical,
                status=by_id[sid].status,
                answer=by_id[sid].answer,
            )
            for sid in question.calls_for
            if sid in by_id and by_id[sid].status not in ("not-applicable", "not-asked")
        )
        results.append(
            (
                -low[0],
                order,
                AutomationResult(
                    question_id=question.id,
                    name=question.name,
                    phase=question.phase,
                    in_use=in_use,
                    customers=question.customers,
                    judged_as=low[1],
                    safeguards=listed,
                    coverage=low[2],
                    coverage_high=high[2],
                    critical_missing=low[3],
                    severity=low[0],
                    severity_optimistic=0 if in_use == "open" else high[0],
                ),
            )
        )
    return tuple(result for *_, result in sorted(results, key=lambda r: r[:2]))


def business_severity(results: Sequence[AutomationResult], *, optimistic: bool = False) -> int:
    """The highest severity among the automations in use; 0 when none is."""
    values = [r.severity_optimistic if optimistic else r.severity for r in results]
    return max(values, default=0)
