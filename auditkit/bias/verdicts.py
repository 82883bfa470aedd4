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

from auditkit.bias.metrics import GroupKey, GroupNumbers, MetricNumbers
from auditkit.bias.model import Finding, GroupResult, MetricResult, Side, StratumEffect
from auditkit.bias.spec import CheckSpec, Thresholds
from auditkit.bias.stats import (
    Z95,
    adjust,
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
    ratio_interval,
    welch_p_value,
    wilson_interval,
    z_for,
)
from auditkit.errors import InputError, quoted_list

SEPARATOR = " × "
EDGE = 1e-9  # band edges are compared without float artefacts: 0.8 exactly is inside
STANDARDISED_BAND = 0.2  # ± pooled SDs for means without a true zero


def label(key: GroupKey) -> str:
    return SEPARATOR.join(key)


def choose_reference(
    numbers: MetricNumbers, thresholds: Thresholds, wanted: str | None
) -> GroupKey:
    """The reference group: the one the user named, else the largest group with a value.

    The largest group gives the narrowest intervals; when it is itself the worst off, the
    summary names it as disadvantaged rather than listing every other group as advantaged.
    """
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
    """A judgeable comparison waiting for the family's correction."""

    metric: int
    key: GroupKey
    p_value: float


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
    references = [choose_reference(m, thresholds, spec.reference) for m in numbers]
    hidden = hidden_groups(numbers, thresholds)
    complements = complement_pairs(numbers)
    pending: list[_Pending] = []
    for index, (metric, reference_key) in enumerate(zip(numbers, references, strict=True)):
        if index in complements:
            continue  # the same test as its partner's: one comparison in the family
        reference = metric.groups[reference_key]
        for key, group in metric.groups.items():
            if key == reference_key or key in hidden or reference_key in hidden:
                continue
            if _thin(metric, group, reference, thresholds):
                continue
            p = _p_value(metric, group, reference)
            if p is not None:
                pending.append(_Pending(index, key, p))
    adjusted = adjust([c.p_value for c in pending], thresholds.correction)
    family = len(pending)
    discoveries = sum(1 for p in adjusted if p <= thresholds.alpha)
    level = _interval_level(thresholds, family, discoveries)
    tests = {(c.metric, c.key): (c.p_value, a) for c, a in zip(pending, adjusted, strict=True)}
    for index, primary in complements.items():
        for key in numbers[index].groups:
            if (primary, key) in tests and references[index] == references[primary]:
                tests[(index, key)] = tests[(primary, key)]
    results = []
    for index, (metric, reference_key) in enumerate(zip(numbers, references, strict=True)):
        groups = tuple(
            _group(metric, key, reference_key, thresholds, level, tests.get((index, key)), hidden)
            for key in metric.groups
        )
        within = _within(metric, reference_key, strata, index, thresholds, hidden) if strata else ()
        result = _metric_result(metric, reference_key, groups, within)
        if index in complements:
            result = replace(result, complement_of=numbers[complements[index]].id)
        results.append(result)
    results = _with_equalized_odds(results, spec)
    return tuple(results), tuple(_findings(results)), family, level


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


def _is_rate(metric: MetricNumbers) -> bool:
    return metric.spec.kind in ("rate", "conditional", "segment")


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
    if _is_rate(metric):
        overall = metric.overall.value or 0.0
        expected = min(overall, 1 - overall) * min(group.denominator, reference.denominator)
        if expected < thresholds.min_expected:
            return "few events"
    return None


def _triple(group: GroupNumbers) -> tuple[float, float, float]:
    return group.denominator, group.total, group.total_squares


def _p_value(metric: MetricNumbers, group: GroupNumbers, reference: GroupNumbers) -> float | None:
    if _is_rate(metric):
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
    group, reference = metric.groups[key], metric.groups[reference_key]
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
    if _is_rate(metric):
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
    if _is_rate(metric):
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


def _inside(value: float, low: float, high: float) -> bool:
    return low - EDGE <= value <= high + EDGE


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
    side = _side(metric.direction, numbers["difference"])
    point_out = any(not _inside(estimate, lo, hi) for estimate, _, lo, hi in scales)
    beyond = any((ci[1] < lo - EDGE) or (ci[0] > hi + EDGE) for _, ci, lo, hi in scales)
    inside = bool(scales) and all(
        _inside(ci[0], lo, hi) and _inside(ci[1], lo, hi) for _, ci, lo, hi in scales
    )
    numbers["side"] = side if point_out or significant else None
    word = {"disadvantaged": "disadvantaged", "advantaged": "advantaged", "neither": "differs"}[
        side
    ]
    percent = f"{level * 100:.4g} %"
    if significant and beyond:
        verdict, reason = (
            word,
            f"significant after {thresholds.correction} correction, and the whole {percent} interval lies outside the tolerance band",
        )
    elif significant and point_out:
        verdict = f"{word} (size uncertain)"
        reason = f"significant after {thresholds.correction} correction, but the {percent} interval reaches into the tolerance band"
    elif inside:
        verdict, reason = (
            "within tolerance",
            f"the whole {percent} interval lies inside the tolerance band",
        )
    else:
        verdict = "inconclusive"
        reason = (
            "outside the tolerance band, but not significant after correction"
            if point_out
            else f"the {percent} interval reaches outside the tolerance band"
        )
    if verdict in ("within tolerance", "inconclusive"):
        numbers["detectable"] = _detectable(metric, group, reference, level)
    return GroupResult(**known, **numbers, verdict=verdict, reason=reason)  # type: ignore[arg-type]


def _side(direction: str, difference: float) -> Side:
    if direction == "none" or difference == 0:
        return "neither"
    worse = difference < 0 if direction == "higher" else difference > 0
    return "disadvantaged" if worse else "advantaged"


def _detectable(
    metric: MetricNumbers, group: GroupNumbers, reference: GroupNumbers, level: float
) -> float | None:
    """The smallest gap on the harmful side (a ratio below 1 unless lower is better) that the
    data could have shown with 80 % power, at the interval's level. None for a scale without
    a true zero, where no ratio is reported."""
    below = metric.direction != "lower"
    alpha = 1 - level
    if _is_rate(metric):
        if not reference.value:
            return None
        return detectable_ratio(
            reference.value, group.denominator, reference.denominator, alpha, below
        )
    if metric.spec.definition.ratio_allowed:
        return detectable_mean_ratio(_triple(group), _triple(reference), alpha, below)
    return None


def _metric_result(
    metric: MetricNumbers, reference_key: GroupKey, groups: tuple[GroupResult, ...], within: tuple
) -> MetricResult:
    spec = metric.spec
    withheld = any(_suppressed(g) for g in groups)
    judged = [g for g in groups if g.verdict not in ("reference", "insufficient data")]
    worst_off = bool(judged) and all(g.verdict == "advantaged" for g in judged)
    if _is_rate(metric):
        judged_on = "ratio and complement"
    elif spec.definition.ratio_allowed:
        judged_on = "ratio"
    else:
        judged_on = "difference"
    return MetricResult(
        id=metric.id,
        label=metric.label,
        kind=spec.kind,
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
        or (f"not {metric.label.split(': ', 1)[-1]}" if spec.kind == "segment" else ""),
    )


def _suppressed(group: GroupResult) -> bool:
    return group.reason.startswith("suppressed")


def _with_equalized_odds(results: list[MetricResult], spec: CheckSpec) -> list[MetricResult]:
    """Equalized odds per group: the worse (farther from 1) of its TPR and FPR comparisons.
    A summary of two tested comparisons, not a third test: it is not in the family."""
    summary = next((m for m in spec.metrics if m.kind == "summary"), None)
    by_id = {m.id: m for m in results}
    tpr, fpr = by_id.get("true_positive_rate"), by_id.get("false_positive_rate")
    if summary is None or tpr is None or fpr is None:
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
                "reference",
                "insufficient data",
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
            if others:
                findings.append(_reference_finding(metric, others, established))
    order = {"disadvantaged": 0, "advantaged": 1, "neither": 2}
    return sorted(findings, key=lambda f: (order[f.side], not f.established))


def _reference_finding(
    metric: MetricResult, better_off: list[GroupResult], established: bool
) -> Finding:
    """The reference is worse off than each group that is better off than it: "African-American
    on “Flagged high-risk” (1.69× Caucasian; 2.80× Other)", its rate against theirs."""
    reference = metric.reference_group
    ordered = sorted(better_off, key=lambda g: -_log_size(g.ratio))
    if metric.judged_on == "difference":
        sizes = [
            f"{-g.difference:+.2f} against {g.group}" if g.difference is not None else g.group
            for g in ordered
        ]
    else:
        sizes = [f"{1 / g.ratio:.2f}× {g.group}" if g.ratio else g.group for g in ordered]
    every = all(
        g.side == "advantaged"
        for g in metric.groups
        if g.verdict not in ("reference", "insufficient data")
    )
    lead = "every other group judged is better off: " if every and established else ""
    shown = sizes[:4] + ([f"and {len(sizes) - 4} more"] if len(sizes) > 4 else [])
    return Finding(
        metric.id,
        metric.label,
        reference,
        "disadvantaged",
        established,
        None,
        reference,
        f"{reference} on “{metric.label}” ({lead}{'; '.join(shown)})",
    )


def _log_size(ratio: float | None) -> float:
    return abs(math.log(ratio)) if ratio else 0.0


def _sentence(metric: MetricResult, group: GroupResult) -> str:
    """ "pl on “Reached a person” (0.56× en)"; the complement when it shows the larger gap."""
    if group.ratio is not None and metric.judged_on != "difference":
        size = f"{group.ratio:.2f}× {metric.reference_group}"
        if metric.complement_label and _log_size(group.complement_ratio) > _log_size(group.ratio):
            size += f"; {metric.complement_label} {group.complement_ratio:.2f}×"
    elif group.difference is not None:
        size = f"{group.difference:+.2f} against {metric.reference_group}"
    else:
        size = f"against {metric.reference_group}"
    return f"{group.group} on “{metric.label}” ({size})"


def _within(
    metric: MetricNumbers,
    reference_key: GroupKey,
    strata: dict[str, list[MetricNumbers]],
    index: int,
    thresholds: Thresholds,
    hidden: frozenset[GroupKey] = frozenset(),
) -> tuple[StratumEffect, ...]:
    """``--within``: each group's ratio inside every stratum, the Mantel–Haenszel pooled ratio
    across strata, and whether the crude gap holds, disappears or reverses (Simpson's paradox).
    Rates only: means are compared per stratum in the JSON but not pooled."""
    if not _is_rate(metric):
        return ()
    low, high = thresholds.tolerance_low, thresholds.tolerance_high
    effects = []
    reference = metric.groups[reference_key]
    floor = thresholds.suppress_below
    for key, group in metric.groups.items():
        if key == reference_key or group.value is None or not reference.value:
            continue
        if group.rows < floor or group.denominator < floor or key in hidden:
            continue  # suppressed: its ratio times the reference's rate would give it away
        if reference_key in hidden:
            continue
        crude = group.value / reference.value
        numerator = denominator = 0.0
        per_stratum = []
        for value, stratum_metrics in sorted(strata.items()):
            numbers = stratum_metrics[index]
            g, r = numbers.groups.get(key), numbers.groups.get(reference_key)
            if not g or not r or not g.denominator or not r.denominator:
                per_stratum.append((value, None))
                continue
            total = g.denominator + r.denominator
            numerator += g.successes * r.denominator / total
            denominator += r.successes * g.denominator / total
            small = g.denominator < floor  # counted in the pooled ratio, never shown alone
            per_stratum.append((value, g.value / r.value if r.value and not small else None))
        pooled = numerator / denominator if denominator else None
        effect = "none"
        if pooled is not None:
            crude_out, pooled_out = not _inside(crude, low, high), not _inside(pooled, low, high)
            if crude_out and pooled_out and (crude < 1) != (pooled < 1):
                effect = "reverses"
            elif crude_out and not pooled_out:
                effect = "disappears"
            elif crude_out and pooled_out:
                effect = "holds"
            elif pooled_out:
                effect = "appears"
        effects.append(StratumEffect(label(key), crude, pooled, effect, tuple(per_stratum)))
    return tuple(effects)
