"""From per-group numbers to verdicts that mean what they say.

All comparisons of one check (every group against the reference, on every metric) form one
family. Each gets a two-sided p-value against "no difference" (``stats.py``), and the family
is corrected together: Holm by default, so the chance of *any* false alarm on a fair log stays
at or under 5 %; Benjamini–Hochberg (``--correction bh``) controls the false-discovery rate
instead. The intervals the verdicts read are simultaneous to match: 1 − α/m under Holm (a
Bonferroni interval), 1 − R·α/m under BH (false-coverage control, R = the discoveries), 1 − α
without correction.

Verdicts, for a group against the reference (the band is the tolerance band on the ratio,
default 0.8–1.25; band edges count as inside):

* **disadvantaged / advantaged / differs** — significant after correction, and the whole interval
  lies beyond the band on one side. Which word depends on the metric's direction: a lower
  rate of reaching a person is a disadvantage, a shorter wait an advantage, and a metric with
  no better side (a neutral segment) "differs".
* **… (size uncertain)** — significant after correction, the estimate is outside the band, but
  the interval reaches into it: a real difference whose size the data cannot pin down.
* **within tolerance** — the whole interval lies inside the band (an equivalence test), whatever
  the p-value says.
* **inconclusive** — anything else: the data can neither show a gap nor rule one out. The
  ``detectable`` gap says how large a gap the data could have shown (80 % power).
* **insufficient data** — fewer than ``min_group_size`` rows in the metric's own denominator (or
  the reference's), or fewer than ``min_expected`` events expected at the overall rate; a small
  group is never called fair. Groups under the suppression floor show "<10" and no numbers.

Rates are judged on their ratio *and* on the ratio of their complements (approved 0.80× is
denied 2.8×: one verdict, whichever coding the log uses), so a reference rate of 0 or 1 never
hides a gap. Means with a true zero (waiting time) are judged on their ratio; scales without
one (satisfaction) on the difference of means, against a band of ±0.2 pooled standard
deviations (Cohen's "small" effect), never on a ratio.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from auditkit.bias.metrics import (
    GroupKey,
    GroupNumbers,
    MetricNumbers,
    banded,
)
from auditkit.bias.model import (
    UNJUDGED,
    Finding,
    GroupResult,
    MetricResult,
    StratumEffect,
)
from auditkit.bias.pooling import stratified
from auditkit.bias.reference import (
    EDGE,
    REST,
    choose_reference,
    inside,
    is_missing,
    is_rate,
    label,
    named,
    reference_numbers,
    scored,
    side_of,
    verdict_words,
)
from auditkit.bias.spec import CheckSpec, Thresholds
from auditkit.bias.stats import (
    Z95,
    adjust,
    auc_difference,
    auc_standard_error,
    detectable_mean_ratio,
    detectable_ratio,
    difference_interval,
    mean_and_variance,
    mean_difference_interval,
    mean_interval,
    mean_ratio_interval,
    positive_mean_interval,
    positive_ratio,
    proportions_p_value,
    proportions_test,
    ratio_interval,
    welch_p_value,
    wilson_interval,
    z_for,
)
from auditkit.bias.within import stratified_tests, within_effects
from auditkit.i18n import _

STANDARDISED_BAND = 0.2  # ± pooled SDs for means without a true zero


def complement_pairs(numbers: list[MetricNumbers]) -> dict[int, int]:
    """Metrics that are 1 − an earlier one on the same rows, by index, with that one's index.

    The false-negative rate is 1 − the true-positive rate among the same people, the
    true-negative rate 1 − the false-positive rate, the false-discovery rate 1 − precision,
    and a segment column with two values splits the same rows twice. A test of one is the
    test of the other (the same p-value, the sides swapped with the direction), so only the
    first is in the family and only it gives a finding.
    """
    firsts: dict[tuple, int] = {}
    pairs: dict[int, int] = {}
    segments: dict[str, list[int]] = {}
    for index, metric in enumerate(numbers):
        spec = metric.spec
        if spec.kind == "conditional":
            definition = spec.definition
            key = (spec.truth, spec.prediction, definition.condition_on, definition.given_value)
            if key in firsts:
                pairs[index] = firsts[key]
            else:
                firsts[key] = index
        elif spec.kind == "segment":
            segments.setdefault(spec.outcome, []).append(index)
    for indexes in segments.values():
        if len(indexes) == 2:
            pairs[indexes[1]] = indexes[0]
    return pairs


@dataclass
class _Pending:
    """A judgeable comparison waiting for the family's correction: the crude comparison, or
    under ``--within`` its stratified test (``cmh``) and the test that strata agree."""

    metric: int
    key: GroupKey
    p_value: float
    test: str = "crude"  # crude | cmh | heterogeneity


def judge_check(
    numbers: list[MetricNumbers],
    spec: CheckSpec,
    strata: dict[str, list[MetricNumbers]] | None = None,
) -> tuple[tuple[MetricResult, ...], tuple[Finding, ...], int, float]:
    """Verdicts for every metric of a check, corrected as one family.

    Returns the metric results, the findings in summary order, the family's size and the
    level of the intervals the verdicts read.
    """
    thresholds = spec.thresholds
    hidden = hidden_groups(numbers, thresholds)
    references = [choose_reference(m, thresholds, spec.reference, hidden) for m in numbers]
    complements = complement_pairs(numbers)
    pending: list[_Pending] = []
    for index, (metric, reference_key) in enumerate(zip(numbers, references, strict=True)):
        if index in complements:
            continue  # the same test as its partner's: one comparison in the family
        for key, group in metric.groups.items():
            if key == reference_key or key in hidden or reference_key in hidden:
                continue
            if is_missing(key) and not thresholds.judge_missing:
                continue
            reference = reference_numbers(metric, key, reference_key, hidden)
            if _thin(metric, group, reference, thresholds):
                continue
            p = _p_value(metric, group, reference)
            if p is not None:
                pending.append(_Pending(index, key, p))
                if strata and is_rate(metric):
                    pending += [
                        _Pending(index, key, p, test)
                        for test, p in stratified_tests(index, key, reference_key, strata, hidden)
                    ]
    family_size = _family_size(numbers, references, pending, spec.reference)
    adjusted = adjust([c.p_value for c in pending], thresholds.correction, family_size)
    family = max(len(pending), family_size)
    discoveries = sum(1 for p in adjusted if p <= thresholds.alpha)
    level = _interval_level(thresholds, family, discoveries)
    tests = {
        (c.metric, c.key, c.test): (c.p_value, a) for c, a in zip(pending, adjusted, strict=True)
    }
    for index, primary in complements.items():
        for key in numbers[index].groups:
            for test in ("crude", "cmh", "heterogeneity"):
                if (primary, key, test) in tests and references[index] == references[primary]:
                    tests[(index, key, test)] = tests[(primary, key, test)]
    results = []
    for index, (metric, reference_key) in enumerate(zip(numbers, references, strict=True)):
        groups = tuple(
            _group(
                metric,
                key,
                reference_key,
                thresholds,
                level,
                tests.get((index, key, "crude")),
                hidden,
            )
            for key in metric.groups
        )
        within = (
            within_effects(
                metric, reference_key, strata, index, thresholds, hidden, groups, tests, level
            )
            if strata
            else ()
        )
        result = _metric_result(metric, reference_key, groups, within, thresholds.suppress_below)
        if index in complements:
            primary = results[complements[index]]
            result = replace(
                result,
                complement_of=primary.id,
                within=_same_effects(result.within, primary.within)
                if references[index] == references[complements[index]]
                else result.within,
            )
        results.append(result)
    results = _with_equalized_odds(results, spec)
    return tuple(results), tuple(_findings(results)), family, level


def _same_effects(
    mine: tuple[StratumEffect, ...], partner: tuple[StratumEffect, ...]
) -> tuple[StratumEffect, ...]:
    """A complement's effects with its partner's words: the false-negative rate's gap holds
    exactly when the true-positive rate's does (one fact; its pooled ratio is its own)."""
    words = {effect.group: effect.effect for effect in partner}
    return tuple(replace(e, effect=words.get(e.group, e.effect)) for e in mine)


def _family_size(
    numbers: list[MetricNumbers],
    references: list[GroupKey],
    pending: list[_Pending],
    wanted: str | None,
) -> int:
    """How many comparisons the family counts. Under ``--reference best`` the data picked the
    reference, so a metric whose c groups were compared counts all c(c − 1)/2 pairs: the
    comparisons made are some of those pairs, and correcting for all of them holds the
    false-alarm rate whichever group came out best. Otherwise, the comparisons made."""
    if wanted != "best" or any(named(m, wanted) for m in numbers):
        return len(pending)
    per_metric: dict[int, int] = {}
    for comparison in pending:
        per_metric[comparison.metric] = per_metric.get(comparison.metric, 0) + 1
    return sum((c + 1) * c // 2 for c in per_metric.values())


def hidden_groups(numbers: list[MetricNumbers], thresholds: Thresholds) -> frozenset[GroupKey]:
    """The groups none of whose figures may be shown in this check.

    A group under the floor in *any* metric is hidden in *every* metric of the check. Its
    figures all come from one table of counts (outcome × truth, or outcome × request …), and
    the figures still shown would rebuild the hidden ones: a selection rate of 8 of 32 and a
    false-positive rate of 2 of 23 give the true positives (6) and the positives (9), and so
    the hidden true-positive rate (6 of 9) and precision (6 of 8). Only the group's size
    stays, where it is at or above the floor; the overall figures go too (``_metric_result``)."""
    floor = thresholds.suppress_below
    return frozenset(
        key
        for metric in numbers
        for key, group in metric.groups.items()
        if group.rows < floor or 0 < group.denominator < floor
    )


def _interval_level(thresholds: Thresholds, family: int, discoveries: int) -> float:
    alpha = thresholds.alpha
    if thresholds.correction == "none" or family == 0:
        return 1 - alpha
    if thresholds.correction == "bh":
        return 1 - alpha * max(1, discoveries) / family
    return 1 - alpha / family


def _auc_triple(group: GroupNumbers) -> tuple[float, float, float]:
    return group.value or 0.0, group.successes, group.denominator - group.successes


def _calibration_tables(
    metric: MetricNumbers, group: GroupNumbers, reference: GroupNumbers
) -> list[tuple[float, float, float, float]]:
    """The truth-yes count and rows of the group and the reference in each score band."""
    mine, theirs = banded(group.scores, metric.bands), banded(reference.scores, metric.bands)
    return [(a, n1, c, n0) for (a, n1), (c, n0) in zip(mine, theirs, strict=True)]


def _thin(
    metric: MetricNumbers, group: GroupNumbers, reference: GroupNumbers, thresholds: Thresholds
) -> str | None:
    """Why a comparison cannot be judged, or None when it can."""
    floor, minimum = thresholds.suppress_below, thresholds.min_group_size
    if group.rows < floor or 0 < group.denominator < floor:
        return "suppressed"
    if group.value is None:
        return "undefined"
    if reference.value is None:
        return "reference undefined"
    if group.denominator < minimum or reference.denominator < minimum:
        return "small"
    if metric.spec.kind == "auc":
        sides = [*_auc_triple(group)[1:], *_auc_triple(reference)[1:]]
        return "few events" if min(sides) < thresholds.min_expected else None
    if is_rate(metric) or metric.spec.kind == "calibration":
        overall = metric.overall.value or 0.0
        expected = min(overall, 1 - overall) * min(group.denominator, reference.denominator)
        if expected < thresholds.min_expected:
            return "few events"
    return None


def _triple(group: GroupNumbers) -> tuple[float, float, float]:
    return group.denominator, group.total, group.total_squares


def _test_name(metric: MetricNumbers, group: GroupNumbers, reference: GroupNumbers) -> str:
    if metric.spec.kind == "auc":
        return "hanley-mcneil z"
    if metric.spec.kind == "calibration":
        return "cochran-mantel-haenszel"
    if is_rate(metric):
        return proportions_test(
            group.successes, group.denominator, reference.successes, reference.denominator
        )
    if metric.spec.definition.ratio_allowed and positive_ratio(
        _triple(group), _triple(reference), 0.95
    ):
        return "gamma F"
    return "welch t"


def _p_value(metric: MetricNumbers, group: GroupNumbers, reference: GroupNumbers) -> float | None:
    if metric.spec.kind == "auc":
        tested = auc_difference(_auc_triple(group), _auc_triple(reference), Z95)
        return None if tested is None else tested[0]
    if metric.spec.kind == "calibration":
        return stratified(_calibration_tables(metric, group, reference), Z95).p_value
    if is_rate(metric):
        return proportions_p_value(
            group.successes, group.denominator, reference.successes, reference.denominator
        )
    if metric.spec.definition.ratio_allowed:
        fitted = positive_ratio(_triple(group), _triple(reference), 0.95)
        if fitted is not None:
            return fitted[0]
    return welch_p_value(_triple(group), _triple(reference))


def _group(
    metric: MetricNumbers,
    key: GroupKey,
    reference_key: GroupKey,
    thresholds: Thresholds,
    level: float,
    test: tuple[float, float] | None,
    hidden: frozenset[GroupKey] = frozenset(),
) -> GroupResult:
    group = metric.groups[key]
    reference = reference_numbers(metric, key, reference_key, hidden)
    floor = thresholds.suppress_below
    base = {"group": label(key), "values": key}
    empty = {
        "ratio": None,
        "ratio_ci": None,
        "complement_ratio": None,
        "complement_ratio_ci": None,
        "difference": None,
        "difference_ci": None,
        "p_value": None,
        "p_adjusted": None,
        "side": None,
        "detectable": None,
    }
    if group.rows < floor or 0 < group.denominator < floor or key in hidden:
        # Too few people to publish anything about them without risking re-identification;
        # and a group hidden in one metric is hidden in all (``hidden_groups``).
        if group.rows < floor or 0 < group.denominator < floor:
            small = "group" if group.rows < floor else "denominator"
            why = f"suppressed: {small} smaller than {floor}"
        else:
            why = (
                f"suppressed: another figure of this group has fewer than {floor} behind it, "
                "and this one would give it back"
            )
        return GroupResult(
            **base,
            n=None if group.rows < floor else group.rows,
            n_display=f"<{floor}" if group.rows < floor else str(group.rows),
            denominator=None,
            value=None,
            ci=None,
            **empty,
            verdict="insufficient data",
            reason=why,
        )
    known = {
        **base,
        "n": group.rows,
        "n_display": str(group.rows),
        "denominator": int(group.denominator),
        "value": group.value,
        "ci": _value_interval(metric, group),
        "events": group.successes if is_rate(metric) else None,
    }
    if group.value is None:
        return GroupResult(
            **known,
            **empty,
            verdict="insufficient data",
            reason=f"undefined: {metric.spec.definition.empty}",
        )
    if key == reference_key:
        return GroupResult(
            **known,
            **{**empty, "ratio": 1.0, "difference": 0.0},
            verdict="reference",
            reason="the reference group",
        )
    if is_missing(key) and not thresholds.judge_missing:
        return GroupResult(
            **known,
            **empty,
            verdict="not judged",
            reason="rows with no group value: shown, not judged (--judge-missing judges them)",
        )
    if reference_key in hidden:  # a ratio to it would give its hidden value back
        return GroupResult(
            **known,
            **empty,
            verdict="insufficient data",
            reason="the reference group's figures are suppressed: choose another reference",
        )
    numbers = _comparison_numbers(metric, group, reference, level)
    if test is not None:
        numbers["p_value"], numbers["p_adjusted"] = test
        numbers["test"] = _test_name(metric, group, reference)
    why = _thin(metric, group, reference, thresholds)
    if why is not None:
        return GroupResult(
            **known,
            **numbers,
            verdict="insufficient data",
            reason=_thin_reason(metric, why, thresholds),
        )
    return _verdict(metric, group, reference, known, numbers, thresholds, level)


def _thin_reason(metric: MetricNumbers, why: str, thresholds: Thresholds) -> str:
    denominator = metric.spec.definition.denominator
    if why == "reference undefined":
        return "the reference group has no value for this metric"
    if why == "few events":
        return (
            f"fewer than {thresholds.min_expected:g} events expected at the overall rate: "
            "too rare to judge at this size"
        )
    return f"fewer than {thresholds.min_group_size} {denominator} to judge"


def _value_interval(metric: MetricNumbers, group: GroupNumbers) -> tuple[float, float] | None:
    if metric.spec.kind == "auc":
        error = auc_standard_error(*_auc_triple(group))
        if error is None or group.value is None:
            return None
        return max(0.0, group.value - Z95 * error), min(1.0, group.value + Z95 * error)
    if is_rate(metric) or metric.spec.kind == "calibration":
        return wilson_interval(group.successes, group.denominator, Z95)
    if metric.spec.definition.ratio_allowed:
        return positive_mean_interval(*_triple(group), level=0.95)
    return mean_interval(*_triple(group), level=0.95)


def _comparison_numbers(
    metric: MetricNumbers, group: GroupNumbers, reference: GroupNumbers, level: float
) -> dict:
    z = z_for(level)
    result = {
        "ratio": None,
        "ratio_ci": None,
        "complement_ratio": None,
        "complement_ratio_ci": None,
        "difference": group.value - reference.value,
        "difference_ci": None,
        "p_value": None,
        "p_adjusted": None,
        "side": None,
        "detectable": None,
    }
    if metric.spec.kind == "auc":
        tested = auc_difference(_auc_triple(group), _auc_triple(reference), z)
        result["difference_ci"] = None if tested is None else tested[1]
        return result
    if metric.spec.kind == "calibration":
        pooled = stratified(_calibration_tables(metric, group, reference), z)
        result["ratio"], result["ratio_ci"] = pooled.pooled_ratio, pooled.pooled_ci
        return result
    if is_rate(metric):
        x1, n1, x0, n0 = (
            group.successes,
            group.denominator,
            reference.successes,
            reference.denominator,
        )
        result["difference_ci"] = difference_interval(x1, n1, x0, n0, z)
        if reference.value > 0:
            result["ratio"] = group.value / reference.value
            result["ratio_ci"] = ratio_interval(x1, n1, x0, n0, z)
        if reference.value < 1:
            result["complement_ratio"] = (1 - group.value) / (1 - reference.value)
            result["complement_ratio_ci"] = ratio_interval(n1 - x1, n1, n0 - x0, n0, z)
        return result
    result["difference_ci"] = mean_difference_interval(_triple(group), _triple(reference), level)
    if metric.spec.definition.ratio_allowed and group.value > 0 and reference.value > 0:
        result["ratio"] = group.value / reference.value
        result["ratio_ci"] = mean_ratio_interval(_triple(group), _triple(reference), level)
    return result


def _bands(metric: MetricNumbers, numbers: dict, thresholds: Thresholds):
    """(estimate, interval, low, high) on each scale the comparison is judged on."""
    low, high = thresholds.tolerance_low, thresholds.tolerance_high
    scales = []
    if numbers["ratio"] is not None and numbers["ratio_ci"] is not None:
        scales.append((numbers["ratio"], numbers["ratio_ci"], low, high))
    if numbers["complement_ratio"] is not None and numbers["complement_ratio_ci"] is not None:
        scales.append((numbers["complement_ratio"], numbers["complement_ratio_ci"], low, high))
    if metric.spec.kind == "auc" and numbers["difference_ci"] is not None:
        band = thresholds.auc_band
        return [(numbers["difference"], numbers["difference_ci"], -band, band)]
    if not scales and numbers["difference_ci"] is not None:
        sd = _pooled_sd(metric)
        if sd:
            d, (a, b) = numbers["difference"], numbers["difference_ci"]
            scales.append((d / sd, (a / sd, b / sd), -STANDARDISED_BAND, STANDARDISED_BAND))
    return scales


def _pooled_sd(metric: MetricNumbers) -> float | None:
    """The overall standard deviation: the unit of the band for means without a true zero."""
    moments = mean_and_variance(*_triple(metric.overall))
    return math.sqrt(moments[1]) if moments and moments[1] > 0 else None


def _verdict(
    metric: MetricNumbers,
    group: GroupNumbers,
    reference: GroupNumbers,
    known: dict,
    numbers: dict,
    thresholds: Thresholds,
    level: float,
) -> GroupResult:
    scales = _bands(metric, numbers, thresholds)
    significant = numbers["p_adjusted"] is not None and numbers["p_adjusted"] <= thresholds.alpha
    signed = numbers["difference"]
    if metric.spec.kind == "calibration":  # the side the pooled ratio points to
        signed = (numbers["ratio"] or 1.0) - 1.0
    side = side_of(metric.direction, signed)
    point_out = any(not inside(estimate, lo, hi) for estimate, _, lo, hi in scales)
    beyond = any((ci[1] < lo - EDGE) or (ci[0] > hi + EDGE) for _, ci, lo, hi in scales)
    all_inside = bool(scales) and all(
        inside(ci[0], lo, hi) and inside(ci[1], lo, hi) for _, ci, lo, hi in scales
    )
    numbers["side"] = side if point_out or significant else None
    verdict, reason = verdict_words(
        side,
        significant=significant,
        beyond=beyond,
        point_out=point_out,
        all_inside=all_inside,
        percent=f"{level * 100:.4g} %",
        significance=f"significant after {thresholds.correction} correction",
    )
    if verdict in ("within tolerance", "inconclusive"):
        numbers["detectable"] = _detectable(metric, group, reference, level, thresholds)
    return GroupResult(**known, **numbers, verdict=verdict, reason=reason)  # type: ignore[arg-type]


def _detectable(
    metric: MetricNumbers,
    group: GroupNumbers,
    reference: GroupNumbers,
    level: float,
    thresholds: Thresholds,
) -> float | None:
    """The smallest gap on the harmful side (a ratio below 1 unless lower is better) that the
    default gate (significant at the interval's level, the estimate beyond the band) would
    catch with 80 % power. None for a scale without a true zero, where no ratio is reported."""
    if scored(metric):
        return None
    below = metric.direction != "lower"
    alpha = 1 - level
    edge = thresholds.tolerance_low if below else thresholds.tolerance_high
    if is_rate(metric):
        if not reference.value:
            return None
        return detectable_ratio(
            reference.value, group.denominator, reference.denominator, alpha, below, edge
        )
    if metric.spec.definition.ratio_allowed:
        return detectable_mean_ratio(_triple(group), _triple(reference), alpha, below, edge)
    return None


def _metric_result(
    metric: MetricNumbers,
    reference_key: GroupKey,
    groups: tuple[GroupResult, ...],
    within: tuple,
    floor: int = 10,
) -> MetricResult:
    spec = metric.spec
    withheld = any(_suppressed(g) for g in groups)
    judged = [g for g in groups if g.verdict not in UNJUDGED]
    worst_off = bool(judged) and all(g.verdict == "advantaged" for g in judged)
    if is_rate(metric):
        judged_on = "ratio and complement"
    elif spec.kind == "calibration" or (spec.definition.ratio_allowed and spec.kind != "auc"):
        judged_on = "ratio"
    else:
        judged_on = "difference"
    mean = judged_on == "difference" and spec.kind == "mean"
    sd = _pooled_sd(metric) if mean and not withheld else None
    return MetricResult(
        id=metric.id,
        label=metric.label,
        kind=spec.kind,
        band_unit=sd,
        bands=_calibration_bands(metric, groups, floor) if spec.kind == "calibration" else (),
        direction=metric.direction,
        denominator_label=spec.definition.denominator,
        outcome=spec.outcome or spec.prediction,
        truth=spec.truth or None,
        reference_group=label(reference_key),
        # Complementary suppression: with a group's numbers hidden, the overall figure would
        # give them back by subtraction (overall × n minus the groups shown), so it goes too.
        overall=None if withheld else metric.overall.value,
        # The total denominator less the groups shown would give a hidden group's own.
        overall_n=None if withheld else int(metric.overall.denominator),
        missing=metric.missing,
        judged_on=judged_on,
        groups=groups,
        within=within,
        reference_worst_off=worst_off,
        complement_label=spec.definition.complement
        or (
            _("not {segment}").format(segment=metric.label.split(": ", 1)[-1])
            if spec.kind == "segment"
            else ""
        ),
    )


def _calibration_bands(metric: MetricNumbers, groups: tuple[GroupResult, ...], floor: int) -> tuple:
    """The observed rate of the truth in each score band, per shown group: what calibration
    within groups looks like. A group whose figures are suppressed shows nothing, and a cell
    under the floor shows its size as "<N" only."""
    shown = {g.group for g in groups if g.n is not None and not _suppressed(g)}
    cells = {
        label(key): banded(numbers.scores, metric.bands)
        for key, numbers in metric.groups.items()
        if label(key) in shown
    }
    bands = []
    previous = None
    for index, edge in enumerate(metric.bands):
        entries = []
        for name, per_band in cells.items():
            events, rows = per_band[index]
            small = rows < floor
            entries.append(
                {
                    "group": name,
                    "n": f"<{floor}" if small and rows else int(rows),
                    "rate": None if small or not rows else events / rows,
                    "ci": None if small or not rows else wilson_interval(events, rows, Z95),
                }
            )
        bands.append({"above": previous, "up_to": edge, "groups": entries})
        previous = edge
    return tuple(bands)


def _suppressed(group: GroupResult) -> bool:
    return group.reason.startswith("suppressed")


def _with_equalized_odds(results: list[MetricResult], spec: CheckSpec) -> list[MetricResult]:
    """Equalized odds per group: the worse (farther from 1) of its TPR and FPR comparisons,
    once per cut-off when there are several. A summary of two tested comparisons, not a third
    test: it is not in the family."""
    for summary in [m for m in spec.metrics if m.kind == "summary"]:
        results = _equalized_odds(results, summary)
    return results


def _equalized_odds(results: list[MetricResult], summary) -> list[MetricResult]:
    by_id = {m.id: m for m in results}
    tpr = by_id.get("true_positive_rate" + summary.variant)
    fpr = by_id.get("false_positive_rate" + summary.variant)
    if tpr is None or fpr is None:
        return results
    groups = []
    for a, b in zip(tpr.groups, fpr.groups, strict=True):
        candidates = [g for g in (a, b) if g.ratio is not None and g.ratio > 0]
        if a.verdict == "reference":
            groups.append(a)
            continue
        if not candidates:
            groups.append(
                replace(
                    a, reason=f"undefined: {summary.definition.empty}", verdict="insufficient data"
                )
            )
            continue
        worse = max(candidates, key=lambda g: abs(math.log(g.ratio)))
        groups.append(_equalized_odds_group(a, b, worse))
    results.append(
        MetricResult(
            id=summary.id,
            label=summary.label,
            kind="summary",
            direction="none",
            denominator_label=summary.definition.denominator,
            outcome=tpr.outcome,
            truth=tpr.truth,
            reference_group=tpr.reference_group,
            overall=None,
            overall_n=None
            if tpr.overall_n is None or fpr.overall_n is None
            else tpr.overall_n + fpr.overall_n,
            missing=max(tpr.missing, fpr.missing),
            judged_on="ratio",
            groups=tuple(groups),
        )
    )
    return results


EQUALIZED_VERDICT = {
    "disadvantaged": "differs",
    "advantaged": "differs",
    "disadvantaged (size uncertain)": "differs (size uncertain)",
    "advantaged (size uncertain)": "differs (size uncertain)",
}


def _equalized_odds_group(tpr: GroupResult, fpr: GroupResult, worse: GroupResult) -> GroupResult:
    """A summary of two tested comparisons, not a third test: the worse ratio with both
    components named, no p-value, and no side (a higher false-positive rate is worse for
    some and better for others)."""

    def part(name: str, group: GroupResult) -> str:
        return f"{name} {group.ratio:.2f}× ({group.verdict})" if group.ratio else f"{name} –"

    verdict = EQUALIZED_VERDICT.get(worse.verdict, worse.verdict)
    return replace(
        worse,
        value=None,
        ci=None,
        complement_ratio=None,
        complement_ratio_ci=None,
        difference=None,
        difference_ci=None,
        p_value=None,
        p_adjusted=None,
        detectable=None,
        events=None,
        test=None,
        side="neither" if verdict.startswith("differs") else None,
        verdict=verdict,  # type: ignore[arg-type]
        reason=f"the worse of {part('true-positive rate', tpr)} and "
        f"{part('false-positive rate', fpr)}; not a test of its own",
    )


def _findings(results: list[MetricResult]) -> list[Finding]:
    """What the summary says: disadvantaged groups first, then advantages, then differences
    without a better side. A complement metric (the false-negative rate beside the
    true-positive rate) adds no finding: it is the same fact. A group better off than the
    reference is named advantaged, and the reference disadvantaged against it: whoever is
    worse off is named, the majority included, and counts for ``--fail-on``."""
    findings = []
    for metric in results:
        if metric.kind == "summary" or metric.complement_of:
            continue
        better_off = [
            g for g in metric.groups if g.side == "advantaged" and g.verdict != "inconclusive"
        ]
        for group in metric.groups:
            if group.side is None or group.verdict in (
                "within tolerance",
                "inconclusive",
                *UNJUDGED,
            ):
                continue
            findings.append(
                Finding(
                    metric.id,
                    metric.label,
                    group.group,
                    group.side,
                    group.established,
                    group.ratio,
                    metric.reference_group,
                    _sentence(metric, group),
                )
            )
        for established in (True, False):
            others = [g for g in better_off if g.established == established]
            if others and metric.reference_group != label(REST):  # no group to name under rest
                findings.append(_reference_finding(metric, others, established))
    order = {"disadvantaged": 0, "advantaged": 1, "neither": 2}
    return sorted(findings, key=lambda f: (order[f.side], not f.established))


def _reference_finding(
    metric: MetricResult, better_off: list[GroupResult], established: bool
) -> Finding:
    """The reference is worse off than each group that is better off than it: "African-American
    on “Flagged high-risk” (1.69× Caucasian; 2.80× Other)", its rate against theirs."""
    from auditkit.bias.words import ratio_number, signed
    from auditkit.i18n import _, ngettext

    reference = metric.reference_group
    ordered = sorted(better_off, key=lambda g: -_log_size(g.ratio))
    if metric.judged_on == "difference":
        sizes = [
            _("{difference} against {group}").format(
                difference=signed(-g.difference, 2), group=g.group
            )
            if g.difference is not None
            else g.group
            for g in ordered
        ]
    else:
        sizes = [
            _("{ratio}× {group}").format(ratio=ratio_number(1 / g.ratio), group=g.group)
            if g.ratio
            else g.group
            for g in ordered
        ]
    every = all(g.side == "advantaged" for g in metric.groups if g.verdict not in UNJUDGED)
    more = len(sizes) - 4
    shown = sizes[:4] + (
        [ngettext("and {count} more", "and {count} more", more).format(count=more)]
        if more > 0
        else []
    )
    listed = "; ".join(shown)
    if every and established:
        listed = _("every other group judged is better off: {sizes}").format(sizes=listed)
    return Finding(
        metric.id,
        metric.label,
        reference,
        "disadvantaged",
        established,
        None,
        reference,
        _("{group} on “{label}” ({size})").format(
            group=reference, label=_(metric.label), size=listed
        ),
    )


def _log_size(ratio: float | None) -> float:
    return abs(math.log(ratio)) if ratio else 0.0


def _sentence(metric: MetricResult, group: GroupResult) -> str:
    """ "pl on “Reached a person” (0.56× en)"; the complement when it shows the larger gap.
    In the run's language: the JSON's ``sentence`` and the summary line are for people."""
    from auditkit.bias.words import ratio_number, signed
    from auditkit.i18n import _

    reference = metric.reference_group
    if group.ratio is not None and metric.judged_on != "difference":
        size = _("{ratio}× {group}").format(ratio=ratio_number(group.ratio), group=reference)
        if metric.complement_label and _log_size(group.complement_ratio) > _log_size(group.ratio):
            size = _("{size}; {complement} {ratio}×").format(
                size=size,
                complement=_(metric.complement_label),
                ratio=ratio_number(group.complement_ratio),
            )
    elif group.difference is not None:
        size = _("{difference} against {group}").format(
            difference=signed(group.difference, 2), group=reference
        )
    else:
        size = _("against {group}").format(group=reference)
    return _("{group} on “{label}” ({size})").format(
        group=group.group, label=_(metric.label), size=size
    )
