"""A bias check's result: aggregates and verdicts only, never a row of the log."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from auditkit.bias.gates import GATES  # noqa: F401  (the rules breaches() knows)
from auditkit.i18n import N_

Verdict = Literal[
    "reference",
    "within tolerance",
    "disadvantaged",
    "advantaged",
    "differs",
    "disadvantaged (size uncertain)",
    "advantaged (size uncertain)",
    "differs (size uncertain)",
    "inconclusive",
    "insufficient data",
    "not judged",
]
Side = Literal["disadvantaged", "advantaged", "neither"]
VERDICTS: tuple[str, ...] = Verdict.__args__  # type: ignore[attr-defined]
# Verdicts that are not a judgement of a comparison: nothing was compared.
UNJUDGED = ("reference", "insufficient data", "not judged")


@dataclass(frozen=True)
class GroupResult:
    group: str  # label, e.g. "pl" or "pl × 65+"
    values: tuple[str, ...]  # one value per group column
    n: int | None  # rows in the group; None when suppressed (shown as "<10")
    n_display: str
    denominator: int | None  # rows that count for this metric (those who asked, for a TPR)
    value: float | None  # rate or mean; None when suppressed or undefined
    ci: tuple[float, float] | None  # 95 % interval of the value
    ratio: float | None  # value / reference value (None when undefined or refused)
    ratio_ci: tuple[float, float] | None  # at the check's interval level
    complement_ratio: float | None  # (1 − value) / (1 − reference value), rates only
    complement_ratio_ci: tuple[float, float] | None
    difference: float | None  # value − reference value
    difference_ci: tuple[float, float] | None
    p_value: float | None  # two-sided, against "no difference"
    p_adjusted: float | None  # after the check's correction
    side: Side | None  # who the point estimate favours, when outside the band
    detectable: (
        float | None
    )  # smallest gap (a ratio; a difference for satisfaction) with 80 % power
    verdict: Verdict
    reason: str
    # Rates: the events behind the value (value × denominator); None for means and when
    # suppressed. With the denominators, a reader can recompute every test from the JSON.
    events: float | None = None
    test: str | None = None  # the test behind p_value: score | fisher exact | gamma F | welch t

    @property
    def established(self) -> bool:
        return self.verdict in ("disadvantaged", "advantaged", "differs")


@dataclass(frozen=True)
class StratumRatio:
    """A group's ratio to the reference inside one stratum of ``--within``."""

    value: str  # the stratum's value
    ratio: float | None  # None when a side is empty there, or the group is under the floor
    ci: tuple[float, float] | None  # at the check's interval level
    verdict: str  # read off the intervals of the ratio and of the complements' ratio:
    # disadvantaged | advantaged | differs |
    # within tolerance | inconclusive | insufficient data


WithinEffect = Literal[
    "holds", "disappears", "reverses", "appears", "differs by stratum", "unclear", "none"
]


@dataclass(frozen=True)
class StratumEffect:
    """``--within``: a group's comparison inside the strata of a confounder, with inference.

    The pooled ratio is Mantel–Haenszel's, its interval Greenland–Robins' at the check's
    level; ``p_value`` is the Cochran–Mantel–Haenszel test and ``heterogeneity_p`` the
    likelihood-ratio test that the strata share one risk ratio (``pooling.py``), both adjusted inside the check's
    family. ``effect`` compares the crude verdict with the pooled one: the gap ``holds``,
    ``reverses`` (Simpson's paradox), ``disappears`` (the pooled interval inside the band),
    ``appears``, is ``unclear`` (a crude gap whose pooled size the data cannot settle), or
    ``differs by stratum`` (the strata disagree: read ``strata``, not one pooled word)."""

    group: str
    crude_ratio: float | None
    pooled_ratio: float | None
    effect: WithinEffect
    strata: tuple[StratumRatio, ...]
    pooled_ci: tuple[float, float] | None = None
    p_value: float | None = None
    p_adjusted: float | None = None
    heterogeneity_p: float | None = None
    heterogeneity_p_adjusted: float | None = None
    strata_used: int = 0


@dataclass(frozen=True)
class MetricResult:
    id: str
    label: str
    kind: str  # rate | conditional | mean | segment | summary
    direction: str  # higher | lower | none: which way is better for a group
    denominator_label: str  # who the metric counts: "who asked for a person"
    outcome: str
    truth: str | None
    reference_group: str
    overall: float | None
    overall_n: int | None  # None with the overall value withheld (complementary suppression)
    missing: int  # rows left out because the outcome was missing
    judged_on: str  # ratio | ratio and complement | difference
    groups: tuple[GroupResult, ...]
    within: tuple[StratumEffect, ...] = ()
    reference_worst_off: bool = False  # every other judged group is established as advantaged
    complement_label: str = ""  # what 1 − rate is called: "not resolved"
    # The metric this one is 1 − of, on the same rows (the false-negative rate of the
    # true-positive rate): one fact, tested once, its finding given once under that metric.
    complement_of: str | None = None
    # Judged on the difference: the band is ± STANDARDISED_BAND of this (the overall standard
    # deviation); None when the overall figures are withheld.
    band_unit: float | None = None
    # Calibration: each score band (above, up to) with each shown group's rows, rate of the
    # truth and its 95 % interval there; groups under the floor are left out of every band.
    bands: tuple[dict, ...] = ()

    @property
    def disadvantaged(self) -> tuple[GroupResult, ...]:
        return tuple(g for g in self.groups if g.verdict == "disadvantaged")


@dataclass(frozen=True)
class Finding:
    """One thing the summary says, in its order: disadvantages first."""

    metric: str
    metric_label: str
    group: str
    side: Side
    established: bool
    ratio: float | None
    reference: str
    sentence: str


@dataclass(frozen=True)
class ProxyResult:
    column: str
    protected: str
    cramers_v: float | None  # bias-corrected (Bergsma)
    v_ci: tuple[float, float] | None
    values: int  # distinct values of the candidate column
    rows: int
    p_value: float | None
    p_adjusted: float | None
    test: str  # chi-square | permutation | none
    verdict: Literal["proxy", "no proxy shown", "cannot tell"]


# What every output says where a metric's overall figure is withheld (complementary
# suppression: it would give a suppressed group's numbers back by subtraction).
OVERALL_WITHHELD = N_("not shown (it would reveal the suppressed groups)")


@dataclass(frozen=True)
class BiasResult:
    check: str
    source: str  # what was counted, as shown: the log, the counts file, or a table on an engine
    # The JSON provenance: file, kind (log | counts), format and sha256 for a file; kind
    # (table | query), engine, location (no password) and table or query_sha256 for an engine.
    source_info: dict
    rows: int
    groups: tuple[str, ...]
    tolerance: tuple[float, float]
    min_group_size: int
    suppress_below: int
    correction: str
    alpha: float
    ci_level: float  # the level of the ratio intervals the verdicts read
    comparisons: int  # the family's size
    metrics: tuple[MetricResult, ...]
    findings: tuple[Finding, ...] = ()
    proxies: tuple[ProxyResult, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    within: str | None = None
    notes: tuple[str, ...] = field(default=())
    min_expected: float = 5.0
    reference_asked: str = "largest"  # --reference: largest | best | rest | a group's name
    judge_missing: bool = False
    # Yes/no columns: (column, the value meaning yes, the --threshold for a cut score).
    positives: tuple[tuple[str, str | None, float | None], ...] = ()
    positive_is_adverse: bool = False
    auc_band: float = 0.05
    # Words for readers (--labels, a mapping's labels: and units:); never used in counting.
    labels: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    # Codes whose words in ``labels`` are auditkit's reading of a common code (bias/codes.py),
    # not the user's: every interface asks the reader to name these groups.
    labels_guessed: tuple[str, ...] = ()
    # Test contacts only (``auditkit contacts check``): what was tested, by whom (a role), when,
    # the pairs, the contacts left out and why, and each outcome's failures: the JSON's
    # ``contacts`` block. None for a log check.
    contacts: dict | None = None

    @property
    def disadvantages(self) -> tuple[Finding, ...]:
        """Established disadvantages: the whole interval beyond the band."""
        return tuple(f for f in self.findings if f.side == "disadvantaged" and f.established)

    def breaches(self, fail_on: str | None) -> tuple[Finding, ...]:
        """The findings ``--fail-on`` counts (none without a gate). ``disparity`` (and its old
        name ``significant``) counts every disadvantage that is significant after correction
        with its estimate beyond the band, "size uncertain" included: the rule whose power
        the "could see" figure states, and which fires on at most 5 % of fair logs
        (benchmarks/validity.py). ``established`` counts only those whose whole interval is
        beyond the band: fewer false alarms on a small gap, more gaps waved through."""
        if fail_on is None:
            return ()
        return tuple(
            f
            for f in self.findings
            if f.side == "disadvantaged" and (f.established or fail_on != "established")
        )

    @property
    def disparity_count(self) -> int:
        """Established disadvantages: what scoring acts on (a log overrides an owner's "yes"
        only when the gap's size is pinned down)."""
        return len(self.disadvantages)

    @property
    def judged(self) -> int:
        return count_judged((m.kind, g.verdict) for m in self.metrics for g in m.groups)

    def summary(self) -> str:
        """One line for people: what was found, disadvantages first; never 'fair' on thin data."""
        return summary_text(
            self.judged,
            self.min_group_size,
            self.findings,
            self.comparisons,
            self.correction,
            self.thin_reference,
            self.not_judged,
        )

    @property
    def not_judged(self) -> dict[str, int]:
        """Comparisons that got no verdict, by why (``count_not_judged``)."""
        return count_not_judged(
            (m.kind, m.complement_of, g.verdict, g.reason) for m in self.metrics for g in m.groups
        )

    @property
    def thin_reference(self) -> str | None:
        """The reference group when it is what stops every verdict: too small in every metric
        while some other group is large enough (a small ``--reference``)."""
        metrics = [m for m in self.metrics if m.kind != "summary"]
        references = [g for m in metrics for g in m.groups if g.verdict == "reference"]
        others = [g for m in metrics for g in m.groups if g.verdict != "reference"]
        if not references or any((g.denominator or 0) >= self.min_group_size for g in references):
            return None
        if not any((g.denominator or 0) >= self.min_group_size for g in others):
            return None
        return references[0].group


def count_judged(kinds_and_verdicts: Iterable[tuple[str, str]]) -> int:
    """Comparisons that got a verdict, from (metric kind, group verdict) pairs: the summary
    metric (equalized odds) repeats others, the reference and thin groups are not judged."""
    return sum(
        1 for kind, verdict in kinds_and_verdicts if kind != "summary" and verdict not in UNJUDGED
    )


# Why a comparison was not judged, from its reason (``verdicts._group``), in the headline's words.
NOT_JUDGED = {
    "too_few_rows": "with too few rows or events to judge",
    "suppressed": "suppressed (too few people to show)",
    "undefined": "with no value to compare",
    "missing_group": "of rows with no group value (--judge-missing judges them)",
}


def count_not_judged(rows: Iterable[tuple[str, str | None, str, str]]) -> dict[str, int]:
    """Comparisons that got no verdict, by why, from (metric kind, complement_of, verdict,
    reason) per group: the units of the family's "comparisons". The reference, the summary
    metric (equalized odds) and a complement (the same comparison as its partner's) are not
    comparisons of their own. Every key of ``NOT_JUDGED`` is present, with 0 when none."""
    counts = dict.fromkeys(NOT_JUDGED, 0)
    for kind, complement_of, verdict, reason in rows:
        if kind == "summary" or complement_of or verdict not in UNJUDGED or verdict == "reference":
            continue
        if verdict == "not judged":
            counts["missing_group"] += 1
        elif reason.startswith("suppressed") or "figures are suppressed" in reason:
            counts["suppressed"] += 1
        elif reason.startswith("undefined") or "has no value" in reason:
            counts["undefined"] += 1
        else:
            counts["too_few_rows"] += 1
    return counts


def not_judged_text(counts: Mapping[str, int]) -> str:
    """ "5 not judged: 3 with too few rows or events to judge, 2 suppressed (…)"; "" for none.
    In the run's language (each part a plural of its own)."""
    from auditkit.i18n import _, ngettext

    total = sum(counts.values())
    if not total:
        return ""
    parts = [_not_judged_part(key, counts[key]) for key in NOT_JUDGED if counts.get(key)]
    return _("{not_judged}: {parts}").format(
        not_judged=ngettext("{count} not judged", "{count} not judged", total).format(count=total),
        parts=", ".join(parts),
    )


def _not_judged_part(key: str, count: int) -> str:
    """One reason's count in words ("3 with too few rows or events to judge")."""
    from auditkit.i18n import ngettext

    if key == "too_few_rows":
        text = ngettext(
            "{count} with too few rows or events to judge",
            "{count} with too few rows or events to judge",
            count,
        )
    elif key == "suppressed":
        text = ngettext(
            "{count} suppressed (too few people to show)",
            "{count} suppressed (too few people to show)",
            count,
        )
    elif key == "undefined":
        text = ngettext(
            "{count} with no value to compare", "{count} with no value to compare", count
        )
    else:
        text = ngettext(
            "{count} of rows with no group value (--judge-missing judges them)",
            "{count} of rows with no group value (--judge-missing judges them)",
            count,
        )
    return text.format(count=count)


def summary_text(
    judged: int,
    min_group_size: int,
    findings: Sequence,
    comparisons: int,
    correction: str,
    thin_reference: str | None = None,
    not_judged: Mapping[str, int] | None = None,
) -> str:
    """The summary line of a check from its findings (objects with ``side``, ``established``
    and ``sentence``: the model's findings or their JSON, read back by the report).

    Beside what was judged it says what was not, and why (``count_not_judged``): "No disparity
    shown in 6 comparisons" over 11 intersectional cells would otherwise read as all 11.
    Written in the run's language (``auditkit.i18n.use``); English when none is active."""
    from auditkit.i18n import _, ngettext

    unjudged = not_judged_text(not_judged or {})
    if not judged:
        if thin_reference is not None:
            text = _(
                "No verdict possible: the reference group {group} has fewer than {count} rows "
                "in each metric's denominator, so nothing can be compared with it. Choose a "
                "larger group with --reference."
            ).format(group=thin_reference, count=min_group_size)
        else:
            text = _(
                "No verdict possible: no group has enough data (each needs {count} rows, and "
                "enough events, in each metric's denominator)."
            ).format(count=min_group_size)
        return text + (" " + _("({not_judged}.)").format(not_judged=unjudged) if unjudged else "")
    parts = []
    disadvantaged = [f for f in findings if f.side == "disadvantaged"]
    advantaged = [f for f in findings if f.side == "advantaged"]
    differs = [f for f in findings if f.side == "neither"]
    if disadvantaged:
        parts.append(_("Disadvantaged: {findings}.").format(findings=_list(disadvantaged)))
    if advantaged:
        parts.append(_("Advantaged: {findings}.").format(findings=_list(advantaged)))
    if differs:
        parts.append(
            _("Different, without a better side: {findings}.").format(findings=_list(differs))
        )
    if not parts:
        if unjudged:
            return ngettext(
                "No disparity shown in {count} comparison ({correction}); {not_judged}. See "
                "each one's detectable gap before reading this as fair.",
                "No disparity shown in {count} comparisons ({correction}); {not_judged}. See "
                "each one's detectable gap before reading this as fair.",
                comparisons,
            ).format(count=comparisons, correction=correction, not_judged=unjudged)
        return ngettext(
            "No disparity shown in {count} comparison ({correction}). See each one's "
            "detectable gap before reading this as fair.",
            "No disparity shown in {count} comparisons ({correction}). See each one's "
            "detectable gap before reading this as fair.",
            comparisons,
        ).format(count=comparisons, correction=correction)
    if unjudged:
        parts.append(_("Also {not_judged}.").format(not_judged=unjudged))
    return " ".join(parts)


def _list(findings: list) -> str:
    """At most four findings, "; "-separated, the rest counted."""
    from auditkit.i18n import _, ngettext

    shown = [
        f.sentence if f.established else _("{finding} (size uncertain)").format(finding=f.sentence)
        for f in findings[:4]
    ]
    listed = "; ".join(shown)
    more = len(findings) - 4
    if more > 0:
        return ngettext("{listed}; and {count} more", "{listed}; and {count} more", more).format(
            listed=listed, count=more
        )
    return listed
