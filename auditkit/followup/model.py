"""What a follow-up audit says, as plain objects: two audits compared, and an action plan.

Phased adoption means checking after each step before the next. ``compare`` answers "are we
better now?"; ``plan`` turns recommendations into actions with an owner, a date and a status,
which come back into the answers file (``actions:``) and are counted at the next audit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from auditkit.scoring.model import Recommendation, ScoreResult

ChangeKind = Literal[
    "improved",
    "regressed",
    "changed",  # automation questions: more or less automation is neither better nor worse
    "became not applicable",
    "no longer not applicable",
    "newly answered",
    "no longer answered",
    "new question",
    "removed question",
]


@dataclass(frozen=True)
class AnswerChange:
    question_id: str
    question: str
    principle: str
    kind: str  # adoption | safeguard
    change: ChangeKind
    before: str  # the answer's label, or "—"
    after: str
    note_before: str = ""
    note_after: str = ""


@dataclass(frozen=True)
class PhaseChange:
    phase: int
    name: str
    coverage_before: float | None
    coverage_after: float | None
    reached_before: bool
    reached_after: bool


@dataclass(frozen=True)
class PrincipleChange:
    id: str
    title: str
    before: float | None  # percent, the pessimistic bound
    after: float | None

    @property
    def delta(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class BiasChange:
    metric: str
    label: str
    group: str
    ratio_before: float | None
    ratio_after: float | None
    verdict_before: str
    verdict_after: str


@dataclass(frozen=True)
class OverdueAction:
    """A planned action past its due date and neither done nor dropped."""

    question_id: str
    action: str  # what was to be done: the recommendation, else the question
    owner: str
    due: str  # ISO date


@dataclass(frozen=True)
class ActionProgress:
    planned: int
    done: int
    overdue: tuple[OverdueAction, ...]
    dropped: int

    def sentence(self) -> str:
        from auditkit.i18n import _

        if not self.planned:
            return _("No actions were planned.")
        text = _("{done} of {planned} planned actions done").format(
            done=self.done, planned=self.planned
        )
        if self.overdue:
            text += "; " + _("{count} overdue").format(count=len(self.overdue))
        if self.dropped:
            text += "; " + _("{count} dropped").format(count=self.dropped)
        return text + "."


@dataclass(frozen=True)
class ViewsChange:
    """Whether the owner's and the staff's views came closer since the last audit."""

    before_distance: float | None  # mean |owner − staff| credit; None: staff not counted then
    before_differing: int  # safeguards whose views differed by a quarter of the scale or more
    after_distance: float | None
    after_differing: int

    def sentence(self) -> str:
        """ "Owner's and staff's views: 5 safeguards differed, now 2; the gap between the views
        narrowed from 31 % to 12 % of the scale." """
        from auditkit.i18n import _, ngettext
        from auditkit.i18n.formatting import format_percent

        if self.before_distance is None and self.after_distance is None:
            return ""
        if self.before_distance is None:
            return ngettext(
                "Owner's and staff's views compared for the first time: {count} safeguard differs.",
                "Owner's and staff's views compared for the first time: {count} safeguards differ.",
                self.after_differing,
            ).format(count=self.after_differing)
        if self.after_distance is None:
            return _("The staff's views were compared last time, not this time.")
        before, after = self.before_distance * 100, self.after_distance * 100
        differed = ngettext(
            "Owner's and staff's views: {before} safeguard differed, now {after};",
            "Owner's and staff's views: {before} safeguards differed, now {after};",
            self.before_differing,
        ).format(before=self.before_differing, after=self.after_differing)
        if after < before - 0.5:
            gap = _("the gap between the views narrowed from {before} to {after} of the scale.")
        elif after > before + 0.5:
            gap = _("the gap between the views widened from {before} to {after} of the scale.")
        else:
            gap = _("the gap between the views held at {after} of the scale.")
        return (
            differed
            + " "
            + gap.format(before=format_percent(before / 100), after=format_percent(after / 100))
        )


@dataclass(frozen=True)
class Comparison:
    business: str
    rubric: str  # "id version" of the rubric both audits are read with
    before_date: str  # ISO date of each audit
    after_date: str
    before: ScoreResult
    after: ScoreResult
    phases: tuple[PhaseChange, ...]
    principles: tuple[PrincipleChange, ...]
    changes: tuple[AnswerChange, ...]
    closed: tuple[Recommendation, ...]  # recommended before, not any more
    opened: tuple[Recommendation, ...]  # new since the last audit
    bias: tuple[BiasChange, ...]
    actions: ActionProgress
    notes: tuple[str, ...] = ()  # rubric migrations, a forced comparison
    views: ViewsChange | None = None  # several voices, in either audit

    def verdict_sentence(self) -> str:
        """ "Over-automated (severe) → minor gaps: severity 4 → 1, safeguard phase 0 → 1"."""
        from auditkit.i18n import ENGLISH, _, current

        before, after = self.before, self.after
        later = after.verdict.headline
        return _(
            "{before} → {after}: severity {severity_before} → {severity_after}, safeguard phase "
            "{phase_before} → {phase_after}"
        ).format(
            before=before.verdict.headline,
            after=later.lower() if current() == ENGLISH else later,
            severity_before=before.verdict.severity,
            severity_after=after.verdict.severity,
            phase_before=before.safeguard_phase,
            phase_after=after.safeguard_phase,
        )

    def owner_sentence(self) -> str:
        """The same for the owner: each phase with its name ("safeguard phase 0 (Manual) → 1
        (Foundational automation)"), never a bare number."""
        from auditkit.rubric.model import PHASE_NAMES

        before, after = self.before, self.after
        return (
            f"{before.verdict.headline} → {after.verdict.headline.lower()}: severity "
            f"{before.verdict.severity} → {after.verdict.severity} of 4, safeguard phase "
            f"{before.safeguard_phase} ({PHASE_NAMES[before.safeguard_phase]}) → "
            f"{after.safeguard_phase} ({PHASE_NAMES[after.safeguard_phase]})"
        )


@dataclass(frozen=True)
class PlanRow:
    priority: int
    question_id: str
    action: str  # the recommendation
    principle: str
    question: str
    answer: str  # the current answer in words
    evidence: str  # a bias finding that capped it, if any
    phase: int  # the phase it protects
    lifts_phase: bool  # one of the fewest safeguards that lift the safeguard phase
    owner: str = ""
    rules: str = ""  # the rules that apply which it answers, with where each stands
    obligations: tuple[str, ...] = ()  # their ids
    due: str = ""
    status: str = ""
    note: str = ""


@dataclass(frozen=True)
class Plan:
    business: str
    audit_date: str
    rows: tuple[PlanRow, ...]
