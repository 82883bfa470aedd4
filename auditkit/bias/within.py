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


def _complements(tables: list[tuple[float, float, float, float]]):
    """The same strata counted the other way round: those without the event."""
    return [(n1 - a, n1, n0 - c, n0) for a, n1, c, n0 in tables]


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
        complement = stratified(_complements(_two_by_two(tables)), z)
        cmh = tests.get((index, key, "cmh"))
        heterogeneity = tests.get((index, key, "heterogeneity"))
        per_stratum = tuple(
            _stratum_ratio(metric, value, g, r, thresholds, z, floor) for value, g, r in tables
        )
        effect = _effect(crude, pooled, complement, cmh, heterogeneity, low, high, alpha)
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
    ratio times the reference's rate would give the cell back).

    The word is read off the interval of the ratio *and* of the ratio of complements, as the
    crude verdict is (``verdicts._bands``): beyond the band on either scale is a gap, inside
    on both is within tolerance. So a rate and its complement (the true-positive and the
    false-negative rate) read the same in every stratum, as they do overall: 0.85× on one
    scale can be 1.3× on the other. A reference rate of 0 or 1 leaves one scale."""
    if group is None or reference is None or not group.denominator or not reference.denominator:
        return StratumRatio(value, None, None, "insufficient data")
    if group.denominator < floor or reference.denominator < floor:
        return StratumRatio(value, None, None, "insufficient data")
    x1, n1, x0, n0 = group.successes, group.denominator, reference.successes, reference.denominator
    ratio = (group.value or 0.0) / reference.value if reference.value else None
    interval = ratio_interval(x1, n1, x0, n0, z) if reference.value else None
    complement = ratio_interval(n1 - x1, n1, n0 - x0, n0, z) if reference.value < 1 else None
    scales = [scale for scale in (interval, complement) if scale is not None]
    small = min(n1, n0) < thresholds.min_group_size
    if small or not scales:
        return StratumRatio(value, ratio, interval, "insufficient data")
    low, high = thresholds.tolerance_low, thresholds.tolerance_high
    if any(upper < low - EDGE or lower > high + EDGE for lower, upper in scales):
        side = side_of(metric.direction, (group.value or 0.0) - reference.value)
        word = {"disadvantaged": "disadvantaged", "advantaged": "advantaged"}.get(side, "differs")
    elif all(inside(lower, low, high) and inside(upper, low, high) for lower, upper in scales):
        word = "within tolerance"
    else:
        word = "inconclusive"
    return StratumRatio(value, ratio, interval, word)


def _effect(crude, pooled, complement, cmh, heterogeneity, low, high, alpha) -> str:
    """What became of the crude gap inside the strata, claimed only where a test says so:
    it ``holds`` or ``reverses`` when the stratified test is significant and the pooled ratio
    beyond the band; it ``disappears`` when the pooled interval rules out a gap on the crude
    gap's side; ``unclear`` when neither can be said.

    Like the crude verdict, the pooled ratio is read on both scales: ``complement`` is the
    pooling of the complements (those not selected), so a gap beyond the band on either
    scale counts, and a gap is ruled out only when it is on both."""
    if heterogeneity is not None and heterogeneity[1] <= alpha:
        return "differs by stratum"
    crude_gap = crude.verdict not in ("within tolerance", "inconclusive") and bool(crude.side)
    ratio, interval = pooled.pooled_ratio, pooled.pooled_ci
    outside = [
        not inside(scale.pooled_ratio, low, high)
        for scale in (pooled, complement)
        if scale.pooled_ratio is not None
    ]
    pooled_gap = ratio is not None and cmh is not None and cmh[1] <= alpha and any(outside)
    if crude_gap and pooled_gap:
        return "holds" if (crude.ratio < 1) == (ratio < 1) else "reverses"
    if pooled_gap:
        return "appears"
    if crude_gap:
        below = crude.ratio < 1
        ruled_out = interval is not None and (
            interval[0] >= low - EDGE if below else interval[1] <= high + EDGE
        )
        other = complement.pooled_ci
        if other is not None:  # the complement's gap lies on the other side of 1
            ruled_out = ruled_out and (other[1] <= high + EDGE if below else other[0] >= low - EDGE)
        return "disappears" if ruled_out else "unclear"
    return "none"
