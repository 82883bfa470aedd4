"""What a score says, as plain objects that every output format reads.

Scoring is a pure function of (rubric, answers, bias evidence) to a ScoreResult. Formats
(table, JSON, JUnit) and the report only present it; none of them computes anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SafeguardStatus = Literal[
    "met", "weak", "missing", "capped", "not-applicable", "unanswered", "unknown", "not-asked"
]
GapLevel = Literal["high", "elevated", "balanced", "headroom"]


@dataclass(frozen=True)
class EvidenceCap:
    """A bias check that found a disparity on a metric linked to a safeguard."""

    check: str
    metric: str
    source: str  # the bias JSON file
    groups: tuple[str, ...]  # the groups with a disparity
    detail: str  # one sentence for people


@dataclass(frozen=True)
class SafeguardResult:
    question_id: str
    principle: str
    phase: int
    weight: float
    impact: float  # weight × principle weight: how much fixing it matters
    status: SafeguardStatus
    answer: str | None  # the answer's label as the owner gave it
    credit: float | None  # 0–1, None when not counted
    note: str = ""
    caps: tuple[EvidenceCap, ...] = ()


@dataclass(frozen=True)
class AutomationSafeguard:
    """One safeguard an automation calls for, as it stands."""

    question_id: str
    name: str  # the safeguard's short name: the action
    critical: bool  # nothing makes up for it (``critical:`` in the rubric)
    status: SafeguardStatus
    answer: str | None


@dataclass(frozen=True)
class AutomationResult:
    """One automation in use (or not answered yet) and whether it runs ahead of its safeguards
    (``severity.py``). Coverage and severity come in pairs: the pessimistic value (open and
    "don't know" safeguards missing) and the optimistic one."""

    question_id: str
    name: str  # "your chatbot"
    phase: int
    in_use: str  # "live", "pilot", or "open" (not answered: in use at the pessimistic end)
    customers: str  # how the rubric says customers meet it
    judged_as: (
        str  # how it is judged: a "beside" channel without its staffed alternative is "instead"
    )
    safeguards: tuple[AutomationSafeguard, ...]
    coverage: float | None  # weighted share in place of what it calls for; None: nothing counts
    coverage_high: float | None
    critical_missing: tuple[str, ...]
    severity: int  # 0 keeps pace … 4
    severity_optimistic: int

    @property
    def ahead(self) -> bool:
        """Whether it runs ahead of its safeguards (pessimistic)."""
        return self.severity > 0


@dataclass(frozen=True)
class PhaseResult:
    """One rung of the ladder. Coverages come in pairs: the pessimistic value (every open
    safeguard counted as missing) and ``…_high``, the optimistic one (counted as met); they are
    equal for a complete file. None means nothing of that phase counts (all not applicable)."""

    phase: int
    name: str
    adoption_level: float  # live systems count 1, pilots 0.5
    adopted: bool  # this phase's automation is in use (level ≥ 1)
    exposed: bool  # any of this phase's automation is live or in pilot
    coverage: float | None  # cumulative: safeguards required at phases ≤ this one
    coverage_high: float | None
    own_coverage: float | None  # safeguards required from exactly this phase
    own_coverage_high: float | None
    coverage_met: bool  # pessimistic: this phase's tests pass (ignoring the phases below)
    could_be_met: bool  # optimistic
    gating_missing: tuple[str, ...]  # gating safeguards of this phase missing or open
    safeguards_counted: int  # answered on the scale (or capped by evidence), phases ≤ this one
    safeguards_unanswered: int  # applicable safeguards ≤ this phase not answered yet


@dataclass(frozen=True)
class PrincipleScore:
    """Points and maximum are the pessimistic bound's (open safeguards count in the maximum,
    with no points); ``percent_high`` counts them as met."""

    id: str
    title: str
    weight: float
    points: float
    maximum: float
    percent: float | None  # None when no safeguard of the principle counts
    percent_high: float | None
    answered: int
    unanswered: int
    not_applicable: int


@dataclass(frozen=True)
class Recommendation:
    rank: int
    question_id: str
    question: str
    principle: str
    principle_title: str
    phase: int
    status: SafeguardStatus
    answer: str | None
    within_adoption: bool  # required at or below the adoption phase
    text: str
    because: str = ""  # evidence that capped the safeguard, if any
    moves_phase: bool = False  # one of the safeguards that would lift the safeguard phase
    obligations: tuple[str, ...] = ()  # ids of the rules that apply and that it answers


@dataclass(frozen=True)
class Completeness:
    answered: int  # answered on the scale or N/A, among the questions asked
    asked: int
    not_applicable: int
    skipped: int
    adoption_asked: int = 0
    adoption_open: int = 0  # automation questions not answered yet: the adoption phase is a range
    safeguards_asked: int = 0
    safeguards_answered: int = 0  # on the scale, N/A or "don't know"
    safeguards_unknown: int = 0  # answered "don't know": open for scoring

    @property
    def complete(self) -> bool:
        return self.answered == self.asked

    @property
    def safeguards_open(self) -> int:
        """Safeguards not known to be in place or not: unanswered or "don't know"."""
        return self.safeguards_asked - self.safeguards_answered + self.safeguards_unknown

    def sentence(self) -> str:
        from auditkit.i18n import _

        return _("{answered} of {asked} questions answered").format(
            answered=self.answered, asked=self.asked
        )


@dataclass(frozen=True)
class Gap:
    value: int
    level: GapLevel
    headline: str
    explanation: str


@dataclass(frozen=True)
class Verdict:
    """The headline every output shows first. ``available`` is False below the minimum number
    of answers (see ``verdict.MINIMUM``): then there is no verdict, only a range."""

    available: bool
    headline: str
    explanation: str
    # The graded verdict (``severity.py``): 0 safeguards keep pace … 4 over-automated
    # (severe), at the pessimistic end; the optimistic end says what open answers could make it.
    severity: int = 0
    severity_optimistic: int = 0
    label: str = ""


@dataclass(frozen=True)
class Move:
    """One safeguard that stands between the business and the next safeguard phase."""

    question_id: str
    principle_title: str
    question: str
    state: str  # its answer now in words: "no", "partly", "not answered", "evidence shows it is not in place"


@dataclass(frozen=True)
class NextPhase:
    """The fewest safeguards whose improvement would lift the (pessimistic) safeguard phase."""

    target: int
    lead: str  # "3 safeguards stand between you and safeguard phase 1 (…)"
    moves: tuple[Move, ...]

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(move.question_id for move in self.moves)

    def sentence(self) -> str:
        return f"{self.lead}: " + " · ".join(f"{m.question} ({m.state})" for m in self.moves)


@dataclass(frozen=True)
class Why:
    """Why the business stands where it does: one sentence per phase (``scoring/why.py``)."""

    adoption: str
    safeguard: str


@dataclass(frozen=True)
class Step:
    """One item of "what to do first": the same items, in the same order, in every output."""

    question_id: str
    action: str  # the safeguard's short name: what to put in place
    recommendation: str  # the rubric's advice in full
    principle_title: str
    state: str  # its answer now in words
    lifts_phase: bool  # one of the safeguards that lift the safeguard phase
    automation: str = ""  # the automation it protects first ("your chatbot"), if any
    critical: bool = False  # a protection that automation cannot do without
    obligations: tuple[str, ...] = ()  # ids of the rules that apply and that it answers


@dataclass(frozen=True)
class ObligationResult:
    """One rule that can apply to the business, where it stands on the audit date
    (``obligations.applies``), with what an owner needs to read it: the sentence, the source,
    and whether the entry was checked against the official text."""

    id: str
    title: str
    jurisdictions: tuple[str, ...]
    instrument: str
    article: str
    applies_from: str  # ISO date
    status: str  # overdue, partly, unknown, due, met
    compliance: str  # met, partly, started, not met, unknown
    when: str  # "overdue since 2 August 2026", "due in 26 days (1 January 2027)"
    days: int  # from the audit date to applies_from: > 0 upcoming, ≤ 0 in force
    conditional: bool  # it applies only if something the audit cannot see holds
    only_if: str
    owner_text: str
    source: str
    verified: bool
    last_verified: str  # ISO date
    note: str  # what was found instead, where unverified
    safeguards: tuple[str, ...]  # question ids that meet it wholly or in part


@dataclass(frozen=True)
class SafeguardReach:
    """A safeguard that answers several rules at once: worth saying so."""

    question_id: str
    action: str
    obligations: tuple[str, ...]
    sentence: str  # "“Tell customers they are talking to a bot” answers 2 rules that apply to you"


@dataclass(frozen=True)
class Obligations:
    """The rules the audit names, against ``as_of`` (the audit's date)."""

    as_of: str  # ISO date
    markets: tuple[str, ...] | None  # None: where the business serves customers was not given
    size: str | None
    crosswalk_version: str
    last_verified: str  # the oldest entry's day: what the list as a whole can claim
    disclaimer: str
    items: tuple[ObligationResult, ...]
    reach: tuple[SafeguardReach, ...]
    overdue: int
    due: int


@dataclass(frozen=True)
class ScoreResult:
    rubric_id: str
    rubric_version: str
    rubric_sha256: str
    sector: str | None
    business: dict[str, str]
    threshold: float
    verdict: Verdict
    adoption_phase: int  # open automation questions counted as "no"
    adoption_phase_high: int  # … counted as "live"
    exposure_phase: int  # highest phase with automation live or in pilot
    safeguard_phase: int  # pessimistic: open safeguards counted as missing
    safeguard_phase_high: int  # optimistic: open safeguards counted as met
    gap: Gap  # pessimistic: what the headline and every CI gate use
    gap_optimistic: Gap
    phases: tuple[PhaseResult, ...]
    principles: tuple[PrincipleScore, ...]
    overall_percent: float | None
    overall_percent_high: float | None
    safeguards: tuple[SafeguardResult, ...]
    recommendations: tuple[Recommendation, ...]
    next_phase: NextPhase | None
    completeness: Completeness
    evidence_files: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    why: Why = Why("", "")
    # What to do first: the safeguards that lift the safeguard phase, then the other
    # recommendations by priority, up to ``FIRST_STEPS`` items (all of the lifting ones).
    first_steps: tuple[Step, ...] = ()
    # Every automation in use, worst first, with the safeguards it calls for.
    automations: tuple[AutomationResult, ...] = ()
    # The rules that can apply (None when the rubric has no crosswalk or none was given).
    obligations: Obligations | None = None

    @property
    def is_range(self) -> bool:
        """Whether open questions leave the score a range rather than one value."""
        return (
            self.safeguard_phase != self.safeguard_phase_high
            or self.adoption_phase != self.adoption_phase_high
            or self.gap.value != self.gap_optimistic.value
            or self.verdict.severity != self.verdict.severity_optimistic
        )
