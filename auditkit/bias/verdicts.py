"""From per-group numbers to verdicts that hold up.

A group is a **disparity** only when its ratio to the reference group leaves the tolerance band
(default 0.8–1.25) *and* the 95 % interval of that ratio excludes 1, so chance alone is an
unlikely explanation. Outside the band without that support it is **inconclusive**. A group
below the minimum size (default 30), or whose denominator is that small (few asked for a
person), gets **insufficient data**: a small group is never called fair. Groups below the
suppression floor (default 10) show their size as "<10" and no numbers at all.
"""

from __future__ import annotations

from auditkit.bias.metrics import GroupKey, GroupNumbers, MetricNumbers
from auditkit.bias.model import GroupResult, MetricResult
from auditkit.bias.spec import Thresholds
from auditkit.bias.stats import (
    mean_interval,
    mean_ratio_interval,
    rate_ratio_interval,
    wilson_interval,
)
from auditkit.errors import InputError, quoted_list

SEPARATOR = " × "


def label(key: GroupKey) -> str:
    return SEPARATOR.join(key)


def choose_reference(
    numbers: MetricNumbers, thresholds: Thresholds, wanted: str | None
) -> GroupKey:
    """The reference group: the one the user named, else the largest group with a value."""
    if wanted is not None:
        for key in numbers.groups:
            if wanted in (label(key), ",".join(key)):
                return key
        raise InputError.single(
            "--reference",
            f"no group {wanted!r}",
            expected=f"one of {quoted_list(label(k) for k in numbers.groups)}",
            fix="for several group columns, join the values with ',' (e.g. pl,65+)",
        )
    usable = [
        k
        for k, g in numbers.groups.items()
        if g.value is not None and g.denominator >= thresholds.min_group_size
    ]
    pool = usable or list(numbers.groups)
    return min(pool, key=lambda k: (-numbers.groups[k].rows, label(k)))  # ties: by name


def judge(
    numbers: MetricNumbers, thresholds: Thresholds, wanted_reference: str | None
) -> MetricResult:
    reference_key = choose_reference(numbers, thresholds, wanted_reference)
    reference = numbers.groups[reference_key]
    groups = tuple(
        _group(key, group, key == reference_key, reference, numbers, thresholds)
        for key, group in numbers.groups.items()
    )
    spec = numbers.spec
    return MetricResult(
        id=numbers.id,
        label=numbers.label,
        kind=spec.kind,
        outcome=spec.outcome,
        truth=spec.truth,
        higher_is_better=spec.higher_is_better,
        reference_group=label(reference_key),
        overall=numbers.overall.value,
        overall_n=int(numbers.overall.denominator),
        missing=numbers.missing,
        groups=groups,
    )


def _interval(numbers: MetricNumbers, group: GroupNumbers) -> tuple[float, float] | None:
    if numbers.spec.kind == "mean":
        return mean_interval(group.denominator, group.total, group.total_squares)
    return wilson_interval(group.successes, group.denominator)


def _ratio_interval(
    numbers: MetricNumbers, group: GroupNumbers, reference: GroupNumbers
) -> tuple[float, float] | None:
    if numbers.spec.kind == "mean":
        return mean_ratio_interval(
            (group.denominator, group.total, group.total_squares),
            (reference.denominator, reference.total, reference.total_squares),
        )
    return rate_ratio_interval(
        group.successes, group.denominator, reference.successes, reference.denominator
    )


def _group(
    key: GroupKey,
    group: GroupNumbers,
    is_reference: bool,
    reference: GroupNumbers,
    numbers: MetricNumbers,
    thresholds: Thresholds,
) -> GroupResult:
    floor, minimum = thresholds.suppress_below, thresholds.min_group_size
    base = {"group": label(key), "values": key}
    if group.rows < floor or (0 < group.denominator < floor):
        # Too few people to publish anything about them without risking re-identification.
        small = "group" if group.rows < floor else "denominator"
        return GroupResult(
            **base,
            n=None if group.rows < floor else group.rows,
            n_display=f"<{floor}" if group.rows < floor else str(group.rows),
            denominator=None,
            value=None,
            ci=None,
            ratio=None,
            ratio_ci=None,
            difference=None,
            verdict="insufficient data",
            reason=f"suppressed: {small} smaller than {floor}",
        )
    result = {
        **base,
        "n": group.rows,
        "n_display": str(group.rows),
        "denominator": int(group.denominator),
        "value": group.value,
        "ci": _interval(numbers, group),
    }
    if group.value is None:
        why = (
            "nobody in this group asked for a person"
            if numbers.spec.kind == "tpr"
            else "no known outcome in this group"
        )
        return GroupResult(
            **result,
            ratio=None,
            ratio_ci=None,
            difference=None,
            verdict="insufficient data",
            reason=f"undefined: {why}",
        )
    if is_reference:
        return GroupResult(
            **result,
            ratio=1.0,
            ratio_ci=None,
            difference=0.0,
            verdict="reference",
            reason="the reference group",
        )
    if reference.value is None or reference.value == 0:
        return GroupResult(
            **result,
            ratio=None,
            ratio_ci=None,
            difference=None if reference.value is None else group.value,
            verdict="insufficient data",
            reason="the reference group's value is zero or undefined",
        )
    ratio = group.value / reference.value
    difference = group.value - reference.value
    ratio_ci = _ratio_interval(numbers, group, reference)
    with_numbers = {**result, "ratio": ratio, "ratio_ci": ratio_ci, "difference": difference}
    if group.denominator < minimum or reference.denominator < minimum:
        return GroupResult(
            **with_numbers,
            verdict="insufficient data",
            reason=f"fewer than {minimum} {'people who asked' if numbers.spec.kind == 'tpr' else 'rows'} to judge",
        )
    outside = not thresholds.tolerance_low <= ratio <= thresholds.tolerance_high
    if not outside:
        return GroupResult(
            **with_numbers,
            verdict="within tolerance",
            reason="the ratio is inside the tolerance band",
        )
    supported = ratio_ci is not None and (ratio_ci[1] < 1.0 or ratio_ci[0] > 1.0)
    if supported:
        return GroupResult(
            **with_numbers,
            verdict="disparity",
            reason="outside the tolerance band, and the 95 % interval excludes 1",
        )
    return GroupResult(
        **with_numbers,
        verdict="inconclusive",
        reason="outside the tolerance band, but the 95 % interval includes 1",
    )
