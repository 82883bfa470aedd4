"""Who a group is compared with, and the small rules every comparison shares.

The reference group (``--reference``: the largest, the best-off, every other row, or one named
group), the pooled "all others" under ``rest``, the ``(missing)`` group, and the reading of an
estimate against the tolerance band and the metric's better side. Both the crude verdicts
(``verdicts.py``) and the stratified ones (``within.py``) read them, so they live apart from both.
"""

from __future__ import annotations

from auditkit.bias.metrics import GroupKey, GroupNumbers, MetricNumbers, auc, merge_scores
from auditkit.bias.model import Side
from auditkit.bias.spec import Thresholds
from auditkit.errors import InputError, fill, quoted_list
from auditkit.i18n import _

SEPARATOR = " × "
EDGE = 1e-9  # band edges are compared without float artefacts: 0.8 exactly is inside


def label(key: GroupKey) -> str:
    return SEPARATOR.join(key)


REFERENCE_MODES = ("largest", "best", "rest")
# The reference under ``--reference rest``: for each group, every other row of the check
# (groups too small to be shown left out, so their numbers cannot be subtracted back out).
REST: GroupKey = ("all others",)
MISSING = "(missing)"  # the group value of rows whose group column is empty


def is_missing(key: GroupKey) -> bool:
    """A group made of rows with no value in some group column: reported, but only judged
    with ``--judge-missing`` (it is not a group of people, and a gap there is a data gap)."""
    return MISSING in key


def choose_reference(
    numbers: MetricNumbers,
    thresholds: Thresholds,
    wanted: str | None,
    hidden: frozenset[GroupKey] = frozenset(),
) -> GroupKey:
    """The reference group of a metric, as ``--reference`` asks.

    * ``largest`` (the default): the largest group with a value, whose numbers are the most
      precise. When it is itself the worst off, it is named disadvantaged against each
      group established better off (``_reference_finding``).
    * ``best``: the group with the most favourable value (aequitas' "min metric"): every
      gap is then a shortfall against the best-treated group. The data chose it, so the
      family counts every pair of groups (``_family_size``).
    * ``rest``: each group against every other row pooled (``REST``), no group singled out.
    * a group's name (values of several group columns joined with ','), which wins over a
      mode of the same name.

    Only groups that can be judged are candidates: large enough, shown, not ``(missing)``.
    """
    if (wanted is not None and wanted not in REFERENCE_MODES) or named(numbers, wanted):
        for key in numbers.groups:
            if wanted in (label(key), ",".join(key)):
                return key
        raise InputError.single(
            "--reference",
            fill(_("no group {group}"), group=repr(wanted)),
            expected=fill(
                _("largest, best, rest or one of {choices}"),
                choices=quoted_list(label(k) for k in numbers.groups),
            ),
            fix=_("for several group columns, join the values with ',' (e.g. pl,65+)"),
        )
    if wanted == "rest":
        return REST
    usable = [
        k
        for k, g in numbers.groups.items()
        if g.value is not None
        and g.denominator >= thresholds.min_group_size
        and k not in hidden
        and (thresholds.judge_missing or not is_missing(k))
    ]
    pool = usable or list(numbers.groups)
    largest = min(pool, key=lambda k: (-numbers.groups[k].rows, label(k)))  # ties: by name
    if wanted != "best" or numbers.direction == "none" or not usable:
        return largest
    sign = 1 if numbers.direction == "higher" else -1
    return min(usable, key=lambda k: (-sign * numbers.groups[k].value, label(k)))


def named(numbers: MetricNumbers, wanted: str | None) -> bool:
    return wanted is not None and any(
        wanted in (label(key), ",".join(key)) for key in numbers.groups
    )


def reference_numbers(
    metric: MetricNumbers, key: GroupKey, reference_key: GroupKey, hidden: frozenset[GroupKey]
) -> GroupNumbers:
    """What ``key`` is compared with: the reference group, or under ``rest`` every other
    shown group pooled (sums add up: events, rows, Σx and Σx²)."""
    if reference_key != REST:
        return metric.groups[reference_key]
    others = [g for k, g in metric.groups.items() if k != key and k not in hidden]
    pooled = GroupNumbers(
        rows=sum(g.rows for g in others),
        denominator=sum(g.denominator for g in others),
        successes=sum(g.successes for g in others),
        total=sum(g.total for g in others),
        total_squares=sum(g.total_squares for g in others),
        scores=merge_scores([g.scores for g in others]) if scored(metric) else (),
    )
    if metric.spec.kind == "auc":
        pooled.value = auc(pooled.scores)
    elif pooled.denominator > 0:
        top = pooled.successes if is_rate(metric) or scored(metric) else pooled.total
        pooled.value = top / pooled.denominator
    return pooled


def is_rate(metric: MetricNumbers) -> bool:
    return metric.spec.kind in ("rate", "conditional", "segment")


def scored(metric: MetricNumbers) -> bool:
    """A metric of the score against the truth (``--score`` with ``--truth``)."""
    return metric.spec.kind in ("auc", "calibration")


def inside(value: float, low: float, high: float) -> bool:
    """Inside the band, its edges included (``EDGE`` absorbs float artefacts)."""
    return low - EDGE <= value <= high + EDGE


def side_of(direction: str, difference: float) -> Side:
    """Who is worse off for a difference (group − reference) on a metric whose better side is
    ``direction``; "neither" when the metric has no better side or there is no difference."""
    if direction == "none" or difference == 0:
        return "neither"
    worse = difference < 0 if direction == "higher" else difference > 0
    return "disadvantaged" if worse else "advantaged"


def verdict_words(
    side: Side,
    *,
    significant: bool,
    beyond: bool,
    point_out: bool,
    all_inside: bool,
    percent: str,
    significance: str,
) -> tuple[str, str]:
    """The verdict and its reason, one rule for log checks and test contacts alike.

    ``significance`` says how the test was corrected ("significant after holm correction");
    ``percent`` is the interval's level as shown ("95 %"). Significant with the whole interval
    outside the band is the side's word; significant with the point outside but the interval
    reaching into the band is "(size uncertain)"; an interval wholly inside the band is
    "within tolerance"; anything else is "inconclusive", never fair.
    """
    word = {"disadvantaged": "disadvantaged", "advantaged": "advantaged", "neither": "differs"}[
        side
    ]
    if significant and beyond:
        return word, (
            f"{significance}, and the whole {percent} interval lies outside the tolerance band"
        )
    if significant and point_out:
        return (
            f"{word} (size uncertain)",
            f"{significance}, but the {percent} interval reaches into the tolerance band",
        )
    if all_inside:
        return "within tolerance", f"the whole {percent} interval lies inside the tolerance band"
    return "inconclusive", (
        "outside the tolerance band, but not significant after correction"
        if point_out
        else f"the {percent} interval reaches outside the tolerance band"
    )
