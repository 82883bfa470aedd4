"""``--within``: a group's gap inside the strata of a confounder.

For each group whose crude comparison was judged: its ratio in every stratum (with an interval
and the word it reads as), the Mantel–Haenszel pooled ratio with its interval and the
Cochran–Mantel–Haenszel test, the test that the strata agree, and what became of the crude
gap (``holds``, ``disappears``, ``reverses``, ``appears``, ``differs by stratum``,
``unclear``). The tests join the check's family in ``verdicts.judge_check``; the statistics
themselves are in ``stats.py``. Rates only: means are not pooled.
"""

from __future__ import annotations

from auditkit.bias.metrics import GroupKey, GroupNumbers, MetricNumbers
from auditkit.bias.model import UNJUDGED, GroupResult, StratumEffect, StratumRatio
from auditkit.bias.pooling import stratified
from auditkit.bias.reference import (
    EDGE,
    REST,
    inside,
    is_rate,
    label,
    reference_numbers,
    side_of,
)
from auditkit.bias.spec import Thresholds
from auditkit.bias.stats import ratio_interval, z_for


def _stratum_tables(
    key: GroupKey,
    reference_key: GroupKey,
    strata: dict[str, list[MetricNumbers]],
    index: int,
    hidden: frozenset[GroupKey],
) -> list[tuple[str, GroupNumbers | None, GroupNumbers | None]]:
    """(stratum value, the group's numbers there, the reference's) in stratum order."""
    tables = []
    for value, stratum_metrics in sorted(strata.items()):
        numbers = stratum_metrics[index]
        group = numbers.groups.get(key)
        reference = (
            reference_numbers(numbers, key, reference_key, hidden)
            if reference_key == REST or reference_key in numbers.groups
            else None
        )
        tables.append((value, group, reference))
    return tables


def _two_by_two(tables) -> list[tuple[float, float, float, float]]:
    return [
        (g.successes, g.denominator, r.successes, r.denominator)
        for _, g, r in tables
        if g is not None and r is not None and g.denominator and r.denominator
    ]


def stratified_tests(
    index: int,
    key: GroupKey,
    reference_key: GroupKey,
    strata: dict[str, list[MetricNumbers]],
    hidden: frozenset[GroupKey],
) -> list[tuple[str, float]]:
    """The stratified test and the test that strata agree, as (test, p-value) for the
    family; a test that cannot be computed (one stratum, no events) is not a comparison."""
    result = stratified(_two_by_two(_stratum_tables(key, reference_key, strata, index, hidden)), 1)
    tests = []
    if result.p_value is not None:
        tests.append(("cmh", result.p_value))
    if result.heterogeneity_p is not None:
        tests.append(("heterogeneity", result.heterogeneity_p))
    return tests


def within_effects(
    metric: MetricNumbers,
    reference_key: GroupKey,
    strata: dict[str, list[MetricNumbers]],
    index: int,
    thresholds: Thresholds,
    hidden: frozenset[GroupKey],
    groups: tuple[GroupResult, ...],
    tests: dict,
    level: float,
) -> tuple[StratumEffect, ...]:
    """``--within``: for each group whose crude comparison was judged, its ratio inside every
    stratum (with an interval and the word it reads as), the Mantel–Haenszel pooled ratio
    with its interval and test, the test that strata agree, and what became of the crude gap.
    Rates only: means are not pooled."""
    if not is_rate(metric):
        return ()
    low, high = thresholds.tolerance_low, thresholds.tolerance_high
    alpha, z = thresholds.alpha, z_for(level)
    floor = thresholds.suppress_below
    by_label = {g.group: g for g in groups}
    effects = []
    for key in metric.groups:
        crude = by_label[label(key)]
        if crude.verdict in UNJUDGED or not crude.ratio:
            continue  # no judgeable crude comparison, nothing to hold or disappear
        tables = _stratum_tables(key, reference_key, strata, index, hidden)
        pooled = stratified(_two_by_two(tables), z)
        cmh = tests.get((index, key, "cmh"))
        heterogeneity = tests.get((index, key, "heterogeneity"))
        per_stratum = tuple(
            _stratum_ratio(metric, value, g, r, thresholds, z, floor) for value, g, r in tables
        )
        effect = _effect(crude, pooled, cmh, heterogeneity, low, high, alpha)
        effects.append(
            StratumEffect(
                group=label(key),
                crude_ratio=crude.ratio,
                pooled_ratio=pooled.pooled_ratio,
                effect=effect,
                strata=per_stratum,
                pooled_ci=pooled.pooled_ci,
                p_value=cmh[0] if cmh else None,
                p_adjusted=cmh[1] if cmh else None,
                heterogeneity_p=heterogeneity[0] if heterogeneity else None,
                heterogeneity_p_adjusted=heterogeneity[1] if heterogeneity else None,
                strata_used=pooled.strata_used,
            )
        )
    return tuple(effects)


def _stratum_ratio(
    metric: MetricNumbers,
    value: str,
    group: GroupNumbers | None,
    reference: GroupNumbers | None,
    thresholds: Thresholds,
    z: float,
    floor: int,
) -> StratumRatio:
    """A group's ratio inside one stratum; nothing under the suppression floor is shown (its
    ratio times the reference's rate would give the cell back)."""
    if group is None or reference is None or not group.denominator or not reference.denominator:
        return StratumRatio(value, None, None, "insufficient data")
    if group.denominator < floor or reference.denominator < floor or not reference.value:
        return StratumRatio(value, None, None, "insufficient data")
    ratio = (group.value or 0.0) / reference.value
    interval = ratio_interval(
        group.successes, group.denominator, reference.successes, reference.denominator, z
    )
    small = min(group.denominator, reference.denominator) < thresholds.min_group_size
    if small or interval is None:
        return StratumRatio(value, ratio, interval, "insufficient data")
    low, high = thresholds.tolerance_low, thresholds.tolerance_high
    if interval[1] < low - EDGE or interval[0] > high + EDGE:
        side = side_of(metric.direction, (group.value or 0.0) - reference.value)
        word = {"disadvantaged": "disadvantaged", "advantaged": "advantaged"}.get(side, "differs")
    elif inside(interval[0], low, high) and inside(interval[1], low, high):
        word = "within tolerance"
    else:
        word = "inconclusive"
    return StratumRatio(value, ratio, interval, word)


def _effect(crude, pooled, cmh, heterogeneity, low, high, alpha) -> str:
    """What became of the crude gap inside the strata, claimed only where a test says so:
    it ``holds`` or ``reverses`` when the stratified test is significant and the pooled ratio
    beyond the band; it ``disappears`` when the pooled interval rules out a gap on the crude
    gap's side; ``unclear`` when neither can be said."""
    if heterogeneity is not None and heterogeneity[1] <= alpha:
        return "differs by stratum"
    crude_gap = crude.verdict not in ("within tolerance", "inconclusive") and bool(crude.side)
    ratio, interval = pooled.pooled_ratio, pooled.pooled_ci
    pooled_gap = (
        ratio is not None and cmh is not None and cmh[1] <= alpha and not inside(ratio, low, high)
    )
    if crude_gap and pooled_gap:
        return "holds" if (crude.ratio < 1) == (ratio < 1) else "reverses"
    if pooled_gap:
        return "appears"
    if crude_gap:
        below = crude.ratio < 1
        ruled_out = interval is not None and (
            interval[0] >= low - EDGE if below else interval[1] <= high + EDGE
        )
        return "disappears" if ruled_out else "unclear"
    return "none"
