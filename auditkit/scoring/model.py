"""What a score says, as plain objects that every output format reads.

Scoring is a pure function of (rubric, answers, bias evidence) to a ScoreResult. Formats
(table, JSON, JUnit) and the report only present it; none of them computes anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SafeguardStatus = Literal[
    "met", "weak", "missing", "capped", "not-applicable", "unanswered", "not-asked"
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
class PhaseResult:
    phase: int
    name: str
    adoption_level: float  # live systems count 1, pilots 0.5
    adopted: bool  # this phase's automation is in use (level ≥ 1)
    coverage: (
        float | None
    )  # weighted safeguard score of phases ≤ this one; None if nothing answered
    coverage_met: bool  # coverage reaches the threshold (or nothing applies)
    safeguards_counted: int
    safeguards_unanswered: int  # applicable safeguards ≤ this phase not answered yet


@dataclass(frozen=True)
class PrincipleScore:
    id: str
    title: str
    weight: float
    points: float
    maximum: float
    percent: float | None  # None when no safeguard of the principle was answered
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


@dataclass(frozen=True)
class Completeness:
    answered: int  # answered on the scale or N/A, among the questions asked
    asked: int
    not_applicable: int
    skipped: int

    @property
    def complete(self) -> bool:
        return self.answered == self.asked

    def sentence(self) -> str:
        return f"{self.answered} of {self.asked} questions answered"


@dataclass(frozen=True)
class Gap:
    value: int
    level: GapLevel
    headline: str
    explanation: str


@dataclass(frozen=True)
class ScoreResult:
    rubric_id: str
    rubric_version: str
    rubric_sha256: str
    sector: str | None
    business: dict[str, str]
    threshold: float
    adoption_phase: int
    safeguard_phase: int
    gap: Gap
    phases: tuple[PhaseResult, ...]
    principles: tuple[PrincipleScore, ...]
    overall_percent: float | None
    safeguards: tuple[SafeguardResult, ...]
    recommendations: tuple[Recommendation, ...]
    completeness: Completeness
    evidence_files: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())
