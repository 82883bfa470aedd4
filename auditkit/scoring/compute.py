"""The maturity-phase score: how far a business has automated against how far its safeguards reach.

The model (docs/scoring.md explains it for people):

* **Adoption phase** — a phase's automation is *in use* when its adoption questions add up to
  at least one live system, a pilot counting half (one live system, or two pilots). The
  adoption phase is the highest phase in use; 0 when none is. Open automation questions make
  it a range (counted as "no", then as "live").
* **Safeguard phase** — the rule in ``phases.py``: cumulative coverage *and* the phase's own
  coverage reach the rubric's threshold, no gating safeguard of the phase is missing, and every
  phase below is reached. Not-applicable answers and questions whose ``when:`` does not hold
  never count.
* **Silence is not evidence** — an open (unanswered or skipped) safeguard is unknown, so the
  score is a range: the pessimistic bound counts every open safeguard as missing, the
  optimistic bound as met. The headline and every gate use the pessimistic bound; a complete
  file has equal bounds.
* **Gap** = adoption phase − safeguard phase, verdict in words in ``verdict.py``.
* **Evidence beats self-report** — a safeguard linked (``evidence:``) to a bias-check metric that
  found a disparity scores 0 ("capped"), whatever was answered.

Everything here is pure: no I/O, no clock, so the same inputs give the same result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from auditkit.answers.model import UNKNOWN_LABEL, AnswerSet, applies, count_answers
from auditkit.i18n import _, ngettext
from auditkit.obligations.model import Crosswalk
from auditkit.rubric.model import PHASE_NAMES, Question, Rubric, named_phase
from auditkit.rubric.scales import owner_label
from auditkit.scoring import phases as rule
from auditkit.scoring.evidence import BiasEvidence, caps_for
from auditkit.scoring.legal import legal_first, overdue_safeguards, rules_for, touched
from auditkit.scoring.model import (
    AutomationResult,
    Completeness,
    Move,
    NextPhase,
    PhaseResult,
    PrincipleScore,
    Recommendation,
    SafeguardResult,
    ScoreResult,
    Step,
)
from auditkit.scoring.moves import moves_to_next_phase
from auditkit.scoring.severity import automations as automation_results
from auditkit.scoring.severity import business_severity
from auditkit.scoring.verdict import gap_verdict, verdict
from auditkit.scoring.why import why

PILOT_CREDIT = 0.5  # documented in docs/scoring.md; comes from the adoption scale
MET = 0.75  # credit from which a safeguard counts as met (yes; maturity 3 and 4)
PHASES = rule.PHASES
NEAR = 0.05  # within 5 points of the threshold, either side, the score says so
OPEN = ("unanswered", "unknown")  # not known to be in place: a range, never a flattering number


def score(
    rubric: Rubric,
    answers: AnswerSet,
    evidence: Sequence[BiasEvidence] = (),
    *,
    crosswalk: Crosswalk | None = None,
    as_of: dt.date | None = None,
) -> ScoreResult:
    """Score ``answers`` (already reconciled with ``rubric``) with optional bias ``evidence``;
    with a ``crosswalk`` and the audit's date ``as_of``, name the rules that apply."""
    rules = rules_for(rubric, answers, crosswalk, as_of)
    overdue = overdue_safeguards(rules)
    touches = touched(rules)
    values = answers.values()
    asked = {q.id for q in rubric.questions if applies(q, rubric, values)}
    safeguards = tuple(_safeguard(rubric, q, answers, asked, evidence) for q in rubric.safeguards)
    low_items = _items(rubric, safeguards, open_credit=0.0)
    high_items = _items(rubric, safeguards, open_credit=1.0)
    low_checks = rule.check_phases(low_items, rubric.threshold)
    high_checks = rule.check_phases(high_items, rubric.threshold)
    safeguard_low = rule.reached_phase(low_checks)
    safeguard_high = rule.reached_phase(high_checks)
    levels = _adoption_levels(rubric, answers, asked, open_credit=0.0)
    levels_high = _adoption_levels(rubric, answers, asked, open_credit=1.0)
    adoption_low = _adoption_phase(levels)
    adoption_high = _adoption_phase(levels_high)
    exposure = max((p for p in PHASES if levels[p] > 0), default=0)
    exposure_high = max((p for p in PHASES if levels_high[p] > 0), default=0)
    pessimistic = gap_verdict(adoption_high, safeguard_low, exposure_high)
    optimistic = gap_verdict(adoption_low, safeguard_high, exposure)
    completeness = _completeness(rubric, answers, asked)
    phases = tuple(
        _phase_result(p, levels[p], low, high, safeguards)
        for p, low, high in zip(PHASES, low_checks, high_checks, strict=True)
    )
    automations = automation_results(rubric, answers, asked, safeguards)
    harm = _harm_first(automations, overdue)
    recommendations = _recommendations(rubric, safeguards, adoption_low)
    order = [r.question_id for r in recommendations] + [s.question_id for s in safeguards]
    moves = moves_to_next_phase(low_items, rubric.threshold, order)
    # One "what to do first", everywhere: the critical protections of the automations that run
    # ahead of them (worst first), then what lifts the safeguard phase, then the rest.
    moving = set(moves or ())
    # Within each of the three, a safeguard that answers a rule already overdue comes first.
    by_id = {r.question_id: r for r in recommendations}
    order = [r.question_id for r in recommendations]
    protective = [q for q in harm if q in by_id]
    lifting = legal_first([q for q in order if q in moving and q not in harm], overdue)
    others = legal_first([q for q in order if q not in moving | set(harm)], overdue)
    recommendations = tuple(
        replace(
            by_id[q],
            rank=rank,
            moves_phase=q in moving,
            obligations=touches.get(q, ()),
        )
        for rank, q in enumerate([*protective, *lifting, *others], start=1)
    )
    severity = business_severity(automations)
    severity_optimistic = min(severity, business_severity(automations, optimistic=True))
    principles = tuple(_principle_score(rubric, p.id, safeguards) for p in rubric.principles)
    return ScoreResult(
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        rubric_sha256=rubric.sha256,
        sector=rubric.sector,
        business=dict(answers.business),
        threshold=rubric.threshold,
        verdict=verdict(
            pessimistic, optimistic, completeness, severity, severity_optimistic, automations
        ),
        adoption_phase=adoption_low,
        adoption_phase_high=adoption_high,
        exposure_phase=exposure,
        safeguard_phase=safeguard_low,
        safeguard_phase_high=safeguard_high,
        gap=pessimistic,
        gap_optimistic=optimistic,
        phases=phases,
        principles=principles,
        overall_percent=_overall(principles, high=False),
        overall_percent_high=_overall(principles, high=True),
        safeguards=safeguards,
        recommendations=recommendations,
        next_phase=_next_phase(rubric, safeguard_low, moves, safeguards),
        completeness=completeness,
        evidence_files=tuple(sorted({e.source for e in evidence})),
        warnings=tuple(_warnings(rubric, phases, safeguard_low, exposure, adoption_low)),
        why=why(rubric, answers, asked, adoption_low, safeguard_low, phases, safeguards),
        first_steps=_first_steps(
            rubric,
            harm,
            legal_first(moves or (), overdue),
            recommendations,
            safeguards,
            automations,
            touches,
        ),
        automations=automations,
        obligations=rules,
    )


FIRST_STEPS = 5  # at least this many items in "what to do first"
# After the protections of the automations customers meet, this many of the safeguards that
# lift the safeguard phase (the cheapest lift); without such protections, every lifting one.
LIFTS_AFTER_HARM = 2


def _harm_first(
    automations: Sequence[AutomationResult], overdue: frozenset[str] = frozenset()
) -> list[str]:
    """The critical safeguards not in place of the customer-facing automations that run ahead
    of them, worst automation first: what to do first prevents the most harm. When some
    automation is over-automated (3 or 4), only those automations' protections lead; otherwise
    those of the automations ahead of their safeguards (2)."""
    worst = max((a.severity for a in automations), default=0)
    floor = 3 if worst >= 3 else 2
    ids: list[str] = []
    for automation in automations:
        if automation.severity < floor:
            continue
        own = []
        for safeguard in automation.safeguards:
            lacking = safeguard.status in ("missing", "weak", "capped", *OPEN)
            if safeguard.critical and lacking and safeguard.question_id not in ids:
                own.append(safeguard.question_id)
        # Among one automation's protections, those a rule already asks for come first.
        ids += legal_first(own, overdue)
    return ids


def _first_steps(
    rubric: Rubric,
    harm: Sequence[str],
    moves: Sequence[str],
    recommendations: tuple[Recommendation, ...],
    safeguards: tuple[SafeguardResult, ...],
    automations: Sequence[AutomationResult],
    touches: dict[str, tuple[str, ...]] | None = None,
) -> tuple[Step, ...]:
    """The critical protections missing where customers meet automation (``_harm_first``), then
    the safeguards that lift the safeguard phase (an open one among them: answer it), then the
    other recommendations by priority, until there are ``FIRST_STEPS``. Each step names the
    automation it protects first, so outputs can group them ("Your chatbot: …")."""
    by_id = {s.question_id: s for s in safeguards}
    chosen = list(harm)
    lifting = [m for m in moves if m not in chosen]
    chosen += lifting
    must = len(harm) + min(LIFTS_AFTER_HARM, len(lifting)) if harm else len(chosen)
    chosen += [r.question_id for r in recommendations if r.question_id not in chosen]
    protects = {}
    for automation in automations:
        if automation.severity < 1:
            continue
        for safeguard in automation.safeguards:
            known = protects.get(safeguard.question_id)
            if known is None or (safeguard.critical and not known[1]):
                protects[safeguard.question_id] = (automation.name, safeguard.critical)
    steps = []
    for question_id in chosen[: max(FIRST_STEPS, must)]:
        question, result = rubric.question(question_id), by_id[question_id]
        automation, critical = protects.get(question_id, ("", False))
        steps.append(
            Step(
                question_id=question_id,
                action=question.name,
                recommendation=question.recommendation,
                principle_title=rubric.principle(question.principle).title,
                state=_state_words(result),
                lifts_phase=question_id in moves,
                automation=automation,
                critical=critical and question_id in harm,
                obligations=(touches or {}).get(question_id, ()),
            )
        )
    return tuple(steps)


def _state_words(result: SafeguardResult) -> str:
    return {
        "unanswered": _("not answered"),
        "unknown": _("don't know"),
        "capped": _("evidence shows it is not in place"),
    }.get(result.status, owner_label(result.answer or result.status).lower())


def _items(
    rubric: Rubric, safeguards: tuple[SafeguardResult, ...], *, open_credit: float
) -> tuple[rule.Item, ...]:
    """The safeguards that count, an open one at ``open_credit`` (0 pessimistic, 1 optimistic)."""
    return tuple(
        rule.Item(
            question_id=s.question_id,
            phase=s.phase,
            weight=s.weight,
            credit=open_credit if s.status in OPEN else s.credit,
            gating=rubric.question(s.question_id).gating,
        )
        for s in safeguards
        if s.credit is not None or s.status in OPEN
    )


def _safeguard(
    rubric: Rubric,
    question: Question,
    answers: AnswerSet,
    asked: set[str],
    evidence: Sequence[BiasEvidence],
) -> SafeguardResult:
    answer = answers.answers.get(question.id)
    impact = question.weight * rubric.principle(question.principle).weight
    base = {
        "question_id": question.id,
        "principle": question.principle,
        "phase": question.phase,
        "weight": question.weight,
        "impact": impact,
        "note": answer.note if answer else "",
    }
    label = None
    if answer is not None and answer.is_given:
        label = question.scale.level(answer.value).label
    elif answer is not None and answer.is_na:
        label = _("Not applicable")
    if question.id not in asked:
        return SafeguardResult(**base, status="not-asked", answer=label, credit=None)
    caps = caps_for(question, evidence)
    if caps:
        # Evidence beats self-report: a measured disparity means the safeguard is not met,
        # whatever the owner answered (or did not answer).
        return SafeguardResult(**base, status="capped", answer=label, credit=0.0, caps=caps)
    if answer is None or answer.value is None:
        return SafeguardResult(**base, status="unanswered", answer=None, credit=None)
    if answer.is_unknown:
        return SafeguardResult(**base, status="unknown", answer=_(UNKNOWN_LABEL), credit=None)
    if answer.is_na:
        return SafeguardResult(**base, status="not-applicable", answer=label, credit=None)
    credit = question.scale.level(answer.value).credit
    status = "met" if credit >= MET else ("weak" if credit > 0 else "missing")
    return SafeguardResult(**base, status=status, answer=label, credit=credit)


def _adoption_levels(
    rubric: Rubric, answers: AnswerSet, asked: set[str], *, open_credit: float
) -> dict[int, float]:
    """Each phase's adoption level; an open automation question counts ``open_credit``."""
    levels = dict.fromkeys(PHASES, 0.0)
    for question in rubric.adoption_questions:
        if question.id not in asked:
            continue
        answer = answers.answers.get(question.id)
        if answer is not None and answer.is_given:
            levels[question.phase] += question.scale.level(answer.value).credit
        elif answer is None or answer.value is None:
            levels[question.phase] += open_credit
    return levels


def _adoption_phase(levels: dict[int, float]) -> int:
    return max((p for p in PHASES if levels[p] >= 1.0), default=0)


def _phase_result(
    phase: int,
    level: float,
    low: rule.PhaseCheck,
    high: rule.PhaseCheck,
    safeguards: tuple[SafeguardResult, ...],
) -> PhaseResult:
    in_scope = [s for s in safeguards if s.phase <= phase]
    return PhaseResult(
        phase=phase,
        name=PHASE_NAMES[phase],
        adoption_level=level,
        adopted=level >= 1.0,
        exposed=level > 0,
        coverage=low.coverage,
        coverage_high=high.coverage,
        own_coverage=low.own_coverage,
        own_coverage_high=high.own_coverage,
        coverage_met=low.passes,
        could_be_met=high.passes,
        gating_missing=low.gating_missing,
        safeguards_counted=sum(1 for s in in_scope if s.credit is not None),
        safeguards_unanswered=sum(1 for s in in_scope if s.status in OPEN),
    )


def _principle_score(
    rubric: Rubric, principle_id: str, safeguards: tuple[SafeguardResult, ...]
) -> PrincipleScore:
    """Points over the principle's counted safeguards; open ones add to the maximum only (the
    pessimistic bound) or to both (the optimistic one)."""
    own = [s for s in safeguards if s.principle == principle_id]
    counted = [s for s in own if s.credit is not None]
    open_weight = sum(s.weight for s in own if s.status in OPEN)
    maximum = sum(s.weight for s in counted) + open_weight
    points = sum(s.weight * s.credit for s in counted)
    principle = rubric.principle(principle_id)
    return PrincipleScore(
        id=principle_id,
        title=principle.title,
        weight=principle.weight,
        points=points,
        maximum=maximum,
        percent=100 * points / maximum if maximum else None,
        percent_high=100 * (points + open_weight) / maximum if maximum else None,
        answered=len(counted),
        unanswered=sum(1 for s in own if s.status in OPEN),
        not_applicable=sum(1 for s in own if s.status in ("not-applicable", "not-asked")),
    )


def _overall(principles: tuple[PrincipleScore, ...], *, high: bool) -> float | None:
    scored = [p for p in principles if p.percent is not None]
    total = sum(p.weight for p in scored)
    if not total:
        return None
    return sum(p.weight * (p.percent_high if high else p.percent) for p in scored) / total


def _recommendations(
    rubric: Rubric, safeguards: tuple[SafeguardResult, ...], adoption_phase: int
) -> tuple[Recommendation, ...]:
    """Missing, weak or capped safeguards: those required at the adoption phase first, then by
    impact (weight × principle weight), then the weakest first, then in rubric order."""
    order = {s.question_id: index for index, s in enumerate(safeguards)}
    candidates = [s for s in safeguards if s.status in ("missing", "weak", "capped")]
    candidates.sort(
        key=lambda s: (s.phase > adoption_phase, -s.impact, s.credit, order[s.question_id])
    )
    recommendations = []
    for rank, result in enumerate(candidates, start=1):
        question = rubric.question(result.question_id)
        recommendations.append(
            Recommendation(
                rank=rank,
                question_id=question.id,
                question=question.text,
                principle=question.principle,
                principle_title=rubric.principle(question.principle).title,
                phase=question.phase,
                status=result.status,
                answer=result.answer,
                within_adoption=question.phase <= adoption_phase,
                text=question.recommendation,
                because=" ".join(cap.detail for cap in result.caps),
            )
        )
    return tuple(recommendations)


def _completeness(rubric: Rubric, answers: AnswerSet, asked: set[str]) -> Completeness:
    def counts(questions: Sequence[Question]):
        return count_answers((q for q in questions if q.id in asked), answers)

    everything = counts(rubric.questions)
    adoption = counts(rubric.adoption_questions)
    safeguards = counts(rubric.safeguards)
    return Completeness(
        answered=everything.given,
        asked=everything.asked,
        not_applicable=everything.not_applicable,
        skipped=everything.skipped,
        adoption_asked=adoption.asked,
        adoption_open=adoption.asked - adoption.given,
        safeguards_asked=safeguards.asked,
        safeguards_answered=safeguards.given,
        safeguards_unknown=safeguards.unknown,
    )


def _next_phase(
    rubric: Rubric,
    safeguard_phase: int,
    moves: tuple[str, ...] | None,
    safeguards: tuple[SafeguardResult, ...],
) -> NextPhase | None:
    if not moves:
        return None
    target = safeguard_phase + 1
    by_id = {s.question_id: s for s in safeguards}
    steps = []
    for question_id in moves:
        result, question = by_id[question_id], rubric.question(question_id)
        state = _state_words(result)
        principle = rubric.principle(question.principle).title
        steps.append(Move(question_id, principle, question.text, state))
    count = len(moves)
    lead = ngettext(
        "{count} safeguard stands between you and safeguard phase {phase} ({name})",
        "{count} safeguards stand between you and safeguard phase {phase} ({name})",
        count,
    ).format(count=count, phase=target, name=_(PHASE_NAMES[target]))
    return NextPhase(target, lead, tuple(steps))


def _warnings(
    rubric: Rubric,
    phases: tuple[PhaseResult, ...],
    safeguard_phase: int,
    exposure_phase: int,
    adoption_phase: int,
) -> list[str]:
    """What a reader should not be surprised by: a gating safeguard holding a phase, a phase
    close to the threshold (one answer could flip it), a pilot running ahead of safeguards."""
    warnings = []
    threshold = rubric.threshold
    for phase in phases:
        if phase.phase > safeguard_phase + 1:
            break
        for question_id in phase.gating_missing:
            warnings.append(
                _(
                    "Phase {phase} is held by a gating safeguard that is missing or open: {question}"
                ).format(phase=phase.phase, question=rubric.question(question_id).text)
            )
        measures = [(False, phase.coverage)]
        if phase.phase > 1:  # phase 1's own safeguards are all its cumulative ones: say it once
            measures.append((True, phase.own_coverage))
        for own, coverage in measures:
            if coverage is None or abs(coverage - threshold) > NEAR + rule.EPSILON:
                continue
            # In words, not a second percentage beside "Safeguards in place".
            named = named_phase(phase.phase)
            named = named[:1].upper() + named[1:]
            if coverage < threshold - rule.EPSILON:
                text = (
                    _(
                        "{phase} is nearly reached on its own safeguards: a little more in place "
                        "could reach it."
                    )
                    if own
                    else _("{phase} is nearly reached: a little more in place could reach it.")
                )
            else:
                text = (
                    _(
                        "{phase} is only just reached on its own safeguards: one weaker answer "
                        "could lose it."
                    )
                    if own
                    else _("{phase} is only just reached: one weaker answer could lose it.")
                )
            warnings.append(text.format(phase=named))
    if exposure_phase > max(safeguard_phase, adoption_phase):
        warnings.append(
            _(
                "Automation of {exposure} is in pilot while safeguards reach {safeguard}: "
                "customers in the pilot meet it without its safeguards."
            ).format(exposure=named_phase(exposure_phase), safeguard=named_phase(safeguard_phase))
        )
    return warnings
