"""The maturity-phase score: how far a business has automated against how far its safeguards reach.

The model (docs/scoring.md explains it for people):

* **Adoption phase** — a phase's automation is *in use* when its adoption questions add up to
  at least one live system, a pilot counting half (one live system, or two pilots). The
  adoption phase is the highest phase in use; 0 when none is.
* **Coverage of phase p** — the weighted mean credit of the safeguards required at phases ≤ p
  that apply and were answered. Not-applicable answers and questions whose ``when:`` does not
  hold leave the denominator; unanswered ones are left out too, but are counted and reported.
* **Safeguard phase** — the highest p whose coverage, and that of every phase below it,
  reaches the rubric's threshold. A phase with nothing answered is not reached, unless nothing
  in it applies at all.
* **Gap** = adoption phase − safeguard phase: ≥ 2 over-automated (high), 1 over-automated
  (elevated), 0 balanced, < 0 headroom.
* **Evidence beats self-report** — a safeguard linked (``evidence:``) to a bias-check metric that
  found a disparity scores 0 ("capped"), whatever was answered.

Everything here is pure: no I/O, no clock, so the same inputs give the same result.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditkit.answers.model import AnswerSet, applies, count_answers
from auditkit.rubric.model import PHASE_NAMES, Question, Rubric
from auditkit.scoring.evidence import BiasEvidence, caps_for
from auditkit.scoring.model import (
    Completeness,
    Gap,
    PhaseResult,
    PrincipleScore,
    Recommendation,
    SafeguardResult,
    ScoreResult,
)

PILOT_CREDIT = 0.5  # documented in docs/scoring.md; comes from the adoption scale
MET = 0.75  # credit from which a safeguard counts as met (yes; maturity 3 and 4)
PHASES = (1, 2, 3)


def score(rubric: Rubric, answers: AnswerSet, evidence: Sequence[BiasEvidence] = ()) -> ScoreResult:
    """Score ``answers`` (already reconciled with ``rubric``) with optional bias ``evidence``."""
    values = answers.values()
    asked = {q.id for q in rubric.questions if applies(q, rubric, values)}
    safeguards = tuple(_safeguard(rubric, q, answers, asked, evidence) for q in rubric.safeguards)
    phases, adoption_phase, safeguard_phase = _phases(rubric, answers, asked, safeguards)
    principles = tuple(_principle_score(rubric, p.id, safeguards) for p in rubric.principles)
    return ScoreResult(
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        rubric_sha256=rubric.sha256,
        sector=rubric.sector,
        business=dict(answers.business),
        threshold=rubric.threshold,
        adoption_phase=adoption_phase,
        safeguard_phase=safeguard_phase,
        gap=gap_verdict(adoption_phase, safeguard_phase),
        phases=phases,
        principles=principles,
        overall_percent=_overall(rubric, principles),
        safeguards=safeguards,
        recommendations=_recommendations(rubric, safeguards, adoption_phase),
        completeness=_completeness(rubric, answers, asked),
        evidence_files=tuple(sorted({e.source for e in evidence})),
        warnings=tuple(_phase_warnings(phases, safeguard_phase)),
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
        label = "Not applicable"
    if question.id not in asked:
        return SafeguardResult(**base, status="not-asked", answer=label, credit=None)
    caps = caps_for(question, evidence)
    if caps:
        # Evidence beats self-report: a measured disparity means the safeguard is not met,
        # whatever the owner answered (or did not answer).
        return SafeguardResult(**base, status="capped", answer=label, credit=0.0, caps=caps)
    if answer is None or answer.value is None:
        return SafeguardResult(**base, status="unanswered", answer=None, credit=None)
    if answer.is_na:
        return SafeguardResult(**base, status="not-applicable", answer=label, credit=None)
    credit = question.scale.level(answer.value).credit
    status = "met" if credit >= MET else ("weak" if credit > 0 else "missing")
    return SafeguardResult(**base, status=status, answer=label, credit=credit)


def _phases(
    rubric: Rubric, answers: AnswerSet, asked: set[str], safeguards: tuple[SafeguardResult, ...]
) -> tuple[tuple[PhaseResult, ...], int, int]:
    results = []
    adoption_phase = 0
    safeguard_phase = 0
    still_climbing = True
    for phase in PHASES:
        level = 0.0
        for question in rubric.adoption_questions:
            answer = answers.answers.get(question.id)
            if question.phase == phase and question.id in asked and answer and answer.is_given:
                level += question.scale.level(answer.value).credit
        adopted = level >= 1.0
        if adopted:
            adoption_phase = phase
        in_scope = [s for s in safeguards if s.phase <= phase]
        counted = [s for s in in_scope if s.credit is not None]
        unanswered = sum(1 for s in in_scope if s.status == "unanswered")
        total_weight = sum(s.weight for s in counted)
        coverage = (
            sum(s.weight * s.credit for s in counted) / total_weight if total_weight else None
        )
        # With nothing answered, the phase is met only if nothing applies at all.
        met = unanswered == 0 if coverage is None else coverage >= rubric.threshold - 1e-12
        if met and still_climbing:
            safeguard_phase = phase
        else:
            still_climbing = False
        results.append(
            PhaseResult(
                phase=phase,
                name=PHASE_NAMES[phase],
                adoption_level=level,
                adopted=adopted,
                coverage=coverage,
                coverage_met=met,
                safeguards_counted=len(counted),
                safeguards_unanswered=unanswered,
            )
        )
    return tuple(results), adoption_phase, safeguard_phase


def gap_verdict(adoption_phase: int, safeguard_phase: int) -> Gap:
    """The over-automation gap and its verdict in words."""
    value = adoption_phase - safeguard_phase
    if value >= 2:
        return Gap(
            value,
            "high",
            "Over-automated (high)",
            f"Automation is in phase {adoption_phase} but safeguards only reach phase "
            f"{safeguard_phase}: customers meet automation without the protections it needs.",
        )
    if value == 1:
        return Gap(
            value,
            "elevated",
            "Over-automated (elevated)",
            f"Automation is one phase ahead of its safeguards (phase {adoption_phase} against "
            f"{safeguard_phase}). Close the gap before automating further.",
        )
    if value == 0:
        return Gap(
            value,
            "balanced",
            "Balanced",
            f"Safeguards keep pace with automation (both at phase {adoption_phase}).",
        )
    return Gap(
        value,
        "headroom",
        "Headroom",
        f"Safeguards reach phase {safeguard_phase}, ahead of automation in phase "
        f"{adoption_phase}: there is room to automate further with confidence.",
    )


def _principle_score(
    rubric: Rubric, principle_id: str, safeguards: tuple[SafeguardResult, ...]
) -> PrincipleScore:
    own = [s for s in safeguards if s.principle == principle_id]
    counted = [s for s in own if s.credit is not None]
    maximum = sum(s.weight for s in counted)
    points = sum(s.weight * s.credit for s in counted)
    principle = rubric.principle(principle_id)
    return PrincipleScore(
        id=principle_id,
        title=principle.title,
        weight=principle.weight,
        points=points,
        maximum=maximum,
        percent=100 * points / maximum if maximum else None,
        answered=len(counted),
        unanswered=sum(1 for s in own if s.status == "unanswered"),
        not_applicable=sum(1 for s in own if s.status in ("not-applicable", "not-asked")),
    )


def _overall(rubric: Rubric, principles: tuple[PrincipleScore, ...]) -> float | None:
    scored = [p for p in principles if p.percent is not None]
    total = sum(p.weight for p in scored)
    return sum(p.weight * p.percent for p in scored) / total if total else None


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
    counts = count_answers((q for q in rubric.questions if q.id in asked), answers)
    return Completeness(
        answered=counts.given,
        asked=counts.asked,
        not_applicable=counts.not_applicable,
        skipped=counts.skipped,
    )


def _phase_warnings(phases: tuple[PhaseResult, ...], safeguard_phase: int) -> list[str]:
    warnings = []
    for phase in phases:
        if phase.safeguards_unanswered and phase.phase <= safeguard_phase + 1:
            verb = "rests on" if phase.phase <= safeguard_phase else "could change with"
            warnings.append(
                f"Phase {phase.phase} {verb} {phase.safeguards_unanswered} unanswered "
                f"safeguard{'s' if phase.safeguards_unanswered != 1 else ''}."
            )
    return warnings
