"""What would move the verdict: the fewest safeguards that lift the safeguard phase by one.

For an owner this is the first thing to act on, so it must be right, not roughly right. The
phase rule (``phases.py``) has three kinds of test, each a covering constraint on credits:

1. a missing gating safeguard of a phase ≤ target must be put in place — there is no way round it;
2. each phase's own coverage needs enough credit from safeguards of exactly that phase;
3. each cumulative coverage needs enough credit from safeguards of that phase or below.

Improving a safeguard means bringing it to full credit ("yes", maturity 4): its gain is
weight × (1 − credit). Denominators do not change, so every test is "gains ≥ deficit". Taking
the forced gating items, then for each phase's own test the largest gains of that phase, then
for each cumulative test in increasing phase the largest gains among phases ≤ p, gives a set of
the smallest size: within one test the largest gains are the fewest items, and an item that
helps a lower cumulative test helps every higher one by the same amount. Ties follow the
scoring order (the recommendations' order), so the set names the safeguards an owner already
sees first. The tests in ``tests/test_scoring_bounds.py`` check the result against brute force.

Open (unanswered) safeguards count as missing here, as in the pessimistic bound: answering
"yes" to them is one way to move the verdict, if it is true.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from auditkit.scoring.phases import EPSILON, PHASES, Item, check_phases, reached_phase


def moves_to_next_phase(
    items: Sequence[Item], threshold: float, order: Sequence[str]
) -> tuple[str, ...] | None:
    """Question ids, in scoring order, whose improvement lifts the phase by one; None at 3.

    ``items`` are the pessimistic credits; ``order`` ranks question ids for ties.
    """
    current = reached_phase(check_phases(items, threshold))
    if current >= PHASES[-1]:
        return None
    target = current + 1
    rank = {question_id: index for index, question_id in enumerate(order)}
    chosen: set[str] = {
        i.question_id for i in items if i.gating and i.credit <= 0 and i.phase <= target
    }

    def gain(item: Item) -> float:
        return item.weight * (1.0 - item.credit)

    def satisfy(pool: list[Item]) -> None:
        """Add the largest gains of ``pool`` until the pool's test reaches the threshold."""
        weight = sum(i.weight for i in pool)
        if not weight:
            return
        points = sum(i.weight * (1.0 if i.question_id in chosen else i.credit) for i in pool)
        candidates = sorted(
            (i for i in pool if i.question_id not in chosen and gain(i) > 0),
            key=lambda i: (-gain(i), rank.get(i.question_id, len(rank))),
        )
        for item in candidates:
            if points >= threshold * weight - EPSILON * weight:
                return
            chosen.add(item.question_id)
            points += gain(item)

    for phase in range(1, target + 1):
        satisfy([i for i in items if i.phase == phase])
    for phase in range(1, target + 1):
        satisfy([i for i in items if i.phase <= phase])

    improved = [replace(i, credit=1.0) if i.question_id in chosen else i for i in items]
    if reached_phase(check_phases(improved, threshold)) < target:
        return None  # cannot happen with a threshold ≤ 1; never claim a move that fails
    return tuple(sorted(chosen, key=lambda q: rank.get(q, len(rank))))
