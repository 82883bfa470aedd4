"""The safeguard-phase rule on its own: which phase a set of safeguard credits reaches.

Kept apart from ``compute.py`` because three callers need exactly the same rule: the
pessimistic bound (every open safeguard counted as missing), the optimistic bound (every open
safeguard counted as met), and the search for the safeguards that would move the verdict
(``moves.py``), which tries improvements and must never disagree with the score.

Phase p is reached when, and only when,

* the **cumulative coverage** (weighted mean credit of the safeguards required at phases ≤ p)
  reaches the threshold,
* the **coverage of phase p's own safeguards** (required from exactly p) reaches it too, so
  strong phase-1 answers cannot carry a phase 3 whose own safeguards are missing,
* no **gating** safeguard required from phase p is missing (credit 0), and
* phase p − 1 is reached.

A phase with no safeguard that counts (all not applicable or not asked) has no coverage and
does not hold the climb. Items with credit in [0, 1] only: the caller decides what an open
safeguard is worth.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PHASES = (1, 2, 3)
EPSILON = 1e-9  # coverage is a float mean: 0.7 must reach a 0.7 threshold


@dataclass(frozen=True)
class Item:
    """One applicable, countable safeguard as the phase rule sees it."""

    question_id: str
    phase: int
    weight: float
    credit: float
    gating: bool = False


@dataclass(frozen=True)
class PhaseCheck:
    phase: int
    coverage: float | None  # cumulative, phases ≤ p
    own_coverage: float | None  # safeguards required from exactly p
    gating_missing: tuple[str, ...]  # gating safeguards of phase p at credit 0
    passes: bool  # this phase's own tests, ignoring the phases below

    @property
    def fails(self) -> bool:
        return not self.passes


def mean_credit(items: Iterable[Item]) -> float | None:
    """Weighted mean credit; None when nothing counts (no weight)."""
    weight = points = 0.0
    for item in items:
        weight += item.weight
        points += item.weight * item.credit
    return points / weight if weight else None


def reaches(coverage: float | None, threshold: float) -> bool:
    return coverage is None or coverage >= threshold - EPSILON


def check_phases(items: Sequence[Item], threshold: float) -> tuple[PhaseCheck, ...]:
    """Each phase's tests, independently of the others."""
    checks = []
    for phase in PHASES:
        coverage = mean_credit(i for i in items if i.phase <= phase)
        own = mean_credit(i for i in items if i.phase == phase)
        gating = tuple(
            i.question_id for i in items if i.phase == phase and i.gating and i.credit <= 0
        )
        passes = reaches(coverage, threshold) and reaches(own, threshold) and not gating
        checks.append(PhaseCheck(phase, coverage, own, gating, passes))
    return tuple(checks)


def reached_phase(checks: Sequence[PhaseCheck]) -> int:
    """The highest phase whose tests, and those of every phase below, pass."""
    reached = 0
    for check in checks:
        if check.fails:
            break
        reached = check.phase
    return reached


def safeguard_phase(items: Sequence[Item], threshold: float) -> int:
    return reached_phase(check_phases(items, threshold))
