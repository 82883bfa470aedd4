"""Intervals, tests and corrections computed from counts, not rows.

Every function takes aggregate numbers (successes and totals, n/Σx/Σx², a contingency table), so
the same code serves a 100-row log and a warehouse's counts. Edge cases are part of each
contract and stated in the docstrings, fairlearn-style. References:

* Wilson (1927) score interval for one proportion.
* Miettinen & Nurminen (1985) score interval for a ratio of two proportions, and the matching
  score test at ratio 1 — the interval excludes 1 exactly when the test rejects, and zero cells
  need no correction (0 of 200 against 60 of 2,000 gives a finite upper bound below 1).
  Equal to ``statsmodels.stats.proportion.confint_proportions_2indep(method="score",
  compare="ratio")`` (tested).
* Newcombe (1998), method 10: the hybrid score interval for a difference of proportions.
* Fisher's exact test when any expected cell is under 5 (the score test's χ² approximation
  fails there).
* Welch's t for means on a scale without a true zero (satisfaction), for the difference.
* Positive, skewed quantities with a true zero (waiting time): the gamma approximation, with
  the shape estimated from the moments and capped at 1 — waits are taken to be at least as
  variable as an exponential, as queue waits are. 2n·k·x̄/μ ~ χ²(2nk) gives the interval of a
  mean, and the ratio of two means ~ F(2n₁k₁, 2n₂k₂) its interval and test. On exponential
  waits at 30 rows a group this keeps 95 % coverage (Student t gives 0.92); on less variable
  data it is conservative (``benchmarks/validity.py``).
* Holm (1979) step-down and Benjamini–Hochberg (1995) step-up adjusted p-values; equal to
  ``statsmodels.stats.multitest.multipletests`` (tested).
* Bergsma (2013) bias-corrected Cramér's V.

Distribution functions come from ``scipy.special`` (the functions ``scipy.stats`` itself
calls): importing ``scipy.stats`` costs about a second, ``scipy.special`` a third of that.
Fisher's exact test sums hypergeometric probabilities here, as ``scipy.stats.fisher_exact``
does (equal to it in tests).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

Z95 = 1.959963984540054  # two-sided 95 %
POWER_Z = 0.8416212335729143  # one-sided z for 80 % power
FISHER_BELOW = 5.0  # expected cell count under which the exact test replaces the score test


def z_for(level: float) -> float:
    """Two-sided normal quantile for a confidence ``level`` (0.95 → 1.96)."""
    from scipy.special import ndtri

    return float(ndtri(0.5 + level / 2))


def fisher_exact_p_value(x1: int, n1: int, x2: int, n2: int) -> float:
    """Two-sided Fisher exact p-value of x1 of n1 against x2 of n2: the probability, with
    the margins fixed, of every table no more likely than the one observed (a relative
    tolerance of 1e-14, as ``scipy.stats.fisher_exact``). 1 when a margin is empty.

    The hypergeometric probabilities are built relative to the most likely table by the
    ratio of neighbours, p(x+1)/p(x) = (n1−x)(s−x) / ((x+1)(n2−s+x+1)), and normalised by
    their sum: no factorial of a large count is formed, so the p-value keeps its precision
    at a million rows (log-gamma differences would lose nine digits there). The sum runs
    over at most min(n1, n2, successes, failures) + 1 tables: the exact test is only asked
    for when an expected cell is under 5, where that stays small.
    """
    successes, total = x1 + x2, n1 + n2
    if 0 in (n1, n2, successes, total - successes):
        return 1.0
    low, high = max(0, successes - n2), min(n1, successes)
    mode = min(high, max(low, (successes + 1) * (n1 + 1) // (total + 2)))
    relative = {mode: 1.0}
    for x in range(mode, high):  # upwards from the mode
        step = (n1 - x) * (successes - x) / ((x + 1) * (n2 - successes + x + 1))
        relative[x + 1] = relative[x] * step
    for x in range(mode, low, -1):  # downwards
        step = x * (n2 - successes + x) / ((n1 - x + 1) * (successes - x + 1))
        relative[x - 1] = relative[x] * step
    observed = relative[x1] * (1 + 1e-14)
    extreme = math.fsum(r for r in relative.values() if r <= observed)
    return min(1.0, extreme / math.fsum(relative.values()))


def wilson_interval(successes: float, total: float, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval for a proportion; inside [0, 1] even at 0 % and 100 %.

    Returns None when ``total`` is 0 (the rate itself is undefined).
    """
    if total <= 0:
        return None
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(max(0.0, p * (1 - p) / total + z * z / (4 * total * total))) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def restricted_rates(
    x1: float, n1: float, x2: float, n2: float, ratio: float
) -> tuple[float, float]:
    """The maximum-likelihood rates (p1, p2) of x1 of n1 and x2 of n2 under p1 = ratio × p2
    (Miettinen & Nurminen 1985, the root of their quadratic), clipped to [0, 1]."""
    total = n1 + n2
    a = total * ratio
    b = -(n1 * ratio + x1 + n2 + x2 * ratio)
    c = x1 + x2
    root = math.sqrt(max(0.0, b * b - 4 * a * c))
    q2 = (-b - root) / (2 * a)
    q2 = min(max(q2, 0.0), 1.0)
    return min(ratio * q2, 1.0), q2


def _mn_statistic(x1: float, n1: float, x2: float, n2: float, ratio: float) -> float:
    """Miettinen–Nurminen score statistic (z²) for H0: p1 = ratio × p2."""
    total = n1 + n2
    p1, p2 = x1 / n1, x2 / n2
    q1, q2 = restricted_rates(x1, n1, x2, n2, ratio)
    variance = (q1 * (1 - q1) / n1 + ratio * ratio * q2 * (1 - q2) / n2) * total / (total - 1)
    difference = p1 - ratio * p2
    if variance <= 0:
        return 0.0 if abs(difference) < 1e-15 else math.inf
    return difference * difference / variance


def ratio_interval(
    x1: float, n1: float, x2: float, n2: float, z: float = Z95
) -> tuple[float, float] | None:
    """Miettinen–Nurminen score interval for (x1/n1) / (x2/n2).

    Lower bound 0 when x1 = 0; upper bound ``inf`` when x2 = 0. None when either total is 0,
    or both counts are 0 (no ratio to speak of). Found by bisection on the log ratio: the
    statistic grows monotonically away from the estimate.
    """
    if n1 <= 0 or n2 <= 0 or n1 + n2 < 2 or (x1 == 0 and x2 == 0):
        return None
    critical = z * z

    def outside(log_ratio: float) -> bool:
        return _mn_statistic(x1, n1, x2, n2, math.exp(log_ratio)) > critical

    def bound(start: float, step: float) -> float:
        inner, outer = start, start + step
        while not outside(outer):
            inner, outer = outer, outer + step
            step *= 2
            if abs(outer) > 60:
                return math.copysign(math.inf, step)
        for _ in range(80):
            middle = (inner + outer) / 2
            if outside(middle):
                outer = middle
            else:
                inner = middle
        return (inner + outer) / 2

    if x1 == 0:
        lower, centre = -math.inf, math.log((0.5 / n1) / (x2 / n2))
    elif x2 == 0:
        centre = math.log((x1 / n1) / (0.5 / n2))
        lower = bound(centre, -0.5)
    else:
        centre = math.log((x1 / n1) / (x2 / n2))
        lower = bound(centre, -0.5)
    upper = math.inf if x2 == 0 else bound(centre, 0.5)
    return (0.0 if lower == -math.inf else math.exp(lower), math.exp(upper))


def difference_interval(
    x1: float, n1: float, x2: float, n2: float, z: float = Z95
) -> tuple[float, float] | None:
    """Newcombe's hybrid score interval for x1/n1 − x2/n2. None when a total is 0."""
    first, second = wilson_interval(x1, n1, z), wilson_interval(x2, n2, z)
    if first is None or second is None:
        return None
    p1, p2 = x1 / n1, x2 / n2
    (l1, u1), (l2, u2) = first, second
    d = p1 - p2
    lower = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return max(-1.0, lower), min(1.0, upper)


def proportions_test(x1: float, n1: float, x2: float, n2: float) -> str:
    """Which test ``proportions_p_value`` uses on these counts: "fisher exact" when an
    expected cell is under 5, else "score"."""
    total, successes = n1 + n2, x1 + x2
    if total <= 0 or successes in (0, total):
        return "score"
    expected = min(n1, n2) * min(successes, total - successes) / total
    return "fisher exact" if expected < FISHER_BELOW else "score"


def proportions_p_value(x1: float, n1: float, x2: float, n2: float) -> float | None:
    """Two-sided p-value for equal proportions: the score test (the Miettinen–Nurminen
    statistic at ratio 1, i.e. Pearson's χ² × (N−1)/N), or Fisher's exact test when any
    expected cell is under 5. None when a total is 0."""
    if n1 <= 0 or n2 <= 0:
        return None
    total = n1 + n2
    successes = x1 + x2
    if successes == 0 or successes == total:
        return 1.0
    expected = min(n1, n2) * min(successes, total - successes) / total
    if expected < FISHER_BELOW:
        return fisher_exact_p_value(round(x1), round(n1), round(x2), round(n2))
    pooled = successes / total
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2) * total / (total - 1)
    statistic = (x1 / n1 - x2 / n2) ** 2 / variance
    return math.erfc(math.sqrt(statistic / 2))


def mean_and_variance(n: float, sum_: float, sum_squares: float) -> tuple[float, float] | None:
    """Mean and sample variance from n, Σx, Σx²; None when n < 2."""
    if n < 2:
        return None
    mean = sum_ / n
    return mean, max(0.0, (sum_squares - n * mean * mean) / (n - 1))


def t_quantile(level: float, df: float) -> float:
    """Two-sided Student t quantile for a confidence ``level`` at ``df`` degrees of freedom."""
    from scipy.special import stdtrit

    return float(stdtrit(df, 0.5 + level / 2))


def mean_interval(
    n: float, sum_: float, sum_squares: float, level: float = 0.95
) -> tuple[float, float] | None:
    """Student t interval for a mean from n, Σx, Σx². None when n < 2."""
    moments = mean_and_variance(n, sum_, sum_squares)
    if moments is None:
        return None
    mean, variance = moments
    half = t_quantile(level, n - 1) * math.sqrt(variance / n)
    return mean - half, mean + half


def _gamma_shape(n: float, sum_: float, sum_squares: float) -> tuple[float, float] | None:
    """(mean, shape) of a positive quantity, the shape capped at 1; None when n < 2, the mean
    is not positive, or the values do not vary."""
    moments = mean_and_variance(n, sum_, sum_squares)
    if moments is None or moments[0] <= 0 or moments[1] <= 0:
        return None
    mean, variance = moments
    return mean, min(1.0, mean * mean / variance)


def positive_mean_interval(
    n: float, sum_: float, sum_squares: float, level: float = 0.95
) -> tuple[float, float] | None:
    """Interval for the mean of a positive, skewed quantity (gamma approximation, shape ≤ 1).
    Falls back to Student t when the gamma model does not apply (constant or non-positive)."""
    from scipy.special import chdtri  # the inverse of χ²'s upper tail

    fitted = _gamma_shape(n, sum_, sum_squares)
    if fitted is None:
        return mean_interval(n, sum_, sum_squares, level)
    mean, shape = fitted
    df = 2 * n * shape
    tail = (1 - level) / 2
    return df * mean / float(chdtri(df, tail)), df * mean / float(chdtri(df, 1 - tail))


def positive_ratio(
    group: tuple[float, float, float], reference: tuple[float, float, float], level: float
) -> tuple[float, tuple[float, float]] | None:
    """Two-sided p-value against equal means, and the interval of the ratio of means, for
    positive skewed quantities: the ratio of means is F(2n₁k₁, 2n₂k₂) under equal means. The
    interval excludes 1 exactly when p < 1 − level. None when either side does not fit."""
    from scipy.special import fdtr, fdtrc, fdtri

    first, second = _gamma_shape(*group), _gamma_shape(*reference)
    if first is None or second is None:
        return None
    d1, d2 = 2 * group[0] * first[1], 2 * reference[0] * second[1]
    ratio = first[0] / second[0]
    p_value = min(1.0, 2 * min(float(fdtr(d1, d2, ratio)), float(fdtrc(d1, d2, ratio))))
    interval = (
        ratio / float(fdtri(d1, d2, 0.5 + level / 2)),
        ratio / float(fdtri(d1, d2, 0.5 - level / 2)),
    )
    return p_value, interval


def welch(
    group: tuple[float, float, float], reference: tuple[float, float, float]
) -> tuple[float, float, float] | None:
    """(difference, standard error, Welch–Satterthwaite df) of two means given as (n, Σx, Σx²).

    None when either side has fewer than 2 values. A zero standard error (constant values on
    both sides) gives df = inf.
    """
    first, second = mean_and_variance(*group), mean_and_variance(*reference)
    if first is None or second is None:
        return None
    (m1, v1), (m2, v2) = first, second
    n1, n2 = group[0], reference[0]
    a, b = v1 / n1, v2 / n2
    se = math.sqrt(a + b)
    df = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1)) if a + b > 0 else math.inf
    return m1 - m2, se, df


def welch_p_value(
    group: tuple[float, float, float], reference: tuple[float, float, float]
) -> float | None:
    from scipy.special import stdtr

    result = welch(group, reference)
    if result is None:
        return None
    difference, se, df = result
    if se == 0:
        return 1.0 if difference == 0 else 0.0
    return float(2 * stdtr(df, -abs(difference) / se))


def mean_difference_interval(
    group: tuple[float, float, float], reference: tuple[float, float, float], level: float
) -> tuple[float, float] | None:
    result = welch(group, reference)
    if result is None:
        return None
    difference, se, df = result
    half = (t_quantile(level, df) if math.isfinite(df) else z_for(level)) * se
    return difference - half, difference + half


def mean_ratio_interval(
    group: tuple[float, float, float], reference: tuple[float, float, float], level: float
) -> tuple[float, float] | None:
    """Interval for the ratio of two positive means (``positive_ratio``). None when a ratio of
    means makes no sense: a mean that is not positive, or fewer than 2 values on a side."""
    result = positive_ratio(group, reference, level)
    return None if result is None else result[1]


def adjust(p_values: Sequence[float], method: str, family: int | None = None) -> list[float]:
    """Adjusted p-values for one family of comparisons.

    ``holm``: step-down, controls the family-wise error rate (the chance of any false
    alarm). ``bh``: Benjamini–Hochberg step-up, controls the false-discovery rate. ``none``:
    unchanged. Equal to ``statsmodels.stats.multitest.multipletests`` with ``holm`` and
    ``fdr_bh``. ``family``, when larger than the p-values given, is the size of the family
    they were chosen from (every pair of groups, when the reference is the best-off group
    the data picked): the multipliers count it, so the choice cannot cause false alarms.
    """
    m = max(len(p_values), family or 0)
    if method == "none" or not p_values:
        return list(p_values)
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted = [0.0] * len(p_values)
    if method == "holm":
        running = 0.0
        for rank, index in enumerate(order):
            running = max(running, min(1.0, (m - rank) * p_values[index]))
            adjusted[index] = running
        return adjusted
    if method == "bh":
        running = 1.0
        for rank in range(len(p_values) - 1, -1, -1):
            index = order[rank]
            running = min(running, m * p_values[index] / (rank + 1))
            adjusted[index] = min(1.0, running)
        return adjusted
    raise ValueError(f"unknown correction {method!r}")


def detectable_ratio(
    reference_rate: float,
    n: float,
    reference_n: float,
    alpha: float,
    harmful_below: bool,
    band_edge: float | None = None,
) -> float | None:
    """The ratio to the reference rate that a two-proportion test at two-sided ``alpha``
    would detect with 80 % power at these sizes (normal approximation), on the harmful side:
    below 1 when ``harmful_below``, above 1 otherwise. With ``band_edge`` (the tolerance
    band's edge on that side) the estimate must also land beyond the edge with 80 % power:
    what the default gate needs to fire, so the figure is the gap that gate catches. None
    when no ratio in (0, 1/p0] could be detected, or the reference rate is 0.
    """
    if reference_rate <= 0 or n <= 0 or reference_n <= 0:
        return None
    from scipy.special import ndtri

    z_alpha = -float(ndtri(alpha / 2))

    def power_gap(ratio: float) -> float:
        p1 = ratio * reference_rate
        pooled = (p1 * n + reference_rate * reference_n) / (n + reference_n)
        needed = z_alpha * math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / reference_n))
        needed += POWER_Z * math.sqrt(
            p1 * (1 - p1) / n + reference_rate * (1 - reference_rate) / reference_n
        )
        tested = abs(p1 - reference_rate) - needed  # ≥ 0: detectable by the test
        if band_edge is None or tested < 0:
            return tested
        if p1 <= 0 or p1 >= 1:
            return tested
        log_se = math.sqrt(
            (1 - p1) / (n * p1) + (1 - reference_rate) / (reference_n * reference_rate)
        )
        beyond = math.log(band_edge / ratio) if harmful_below else math.log(ratio / band_edge)
        return beyond - POWER_Z * log_se  # ≥ 0: the estimate passes the edge 80 % of the time

    return _closest_detectable(power_gap, 0.0 if harmful_below else 1.0 / reference_rate)


def _closest_detectable(power_gap, far: float) -> float | None:
    """Bisection between 1 (no gap, never detectable) and ``far``: the detectable ratio
    closest to 1. None when even ``far`` is not detectable."""
    if power_gap(far) < 0:
        return None
    near = 1.0
    for _ in range(60):
        middle = (near + far) / 2
        if power_gap(middle) >= 0:
            far = middle
        else:
            near = middle
    return far


def detectable_mean_ratio(
    group: tuple[float, float, float],
    reference: tuple[float, float, float],
    alpha: float,
    harmful_below: bool,
    band_edge: float | None = None,
) -> float | None:
    """Like ``detectable_ratio`` for a ratio of positive means (Welch, normal approximation)."""
    result = welch(group, reference)
    second = mean_and_variance(*reference)
    if result is None or second is None or second[0] <= 0:
        return None
    from scipy.special import ndtri

    spread = result[1] / second[0]  # the standard error of the ratio, near 1
    gap = (-float(ndtri(alpha / 2)) + POWER_Z) * spread
    if harmful_below:
        edge = 1.0 if band_edge is None else band_edge - POWER_Z * spread
        return max(0.0, min(1 - gap, edge))
    edge = 1.0 if band_edge is None else band_edge + POWER_Z * spread
    return max(1 + gap, edge)


def bias_corrected_cramers_v(
    table: Mapping[tuple[str, str], float],
) -> tuple[float, float, int, int] | None:
    """Bergsma's bias-corrected Cramér's V, with the χ² statistic and the table's shape.

    Plain V is biased upward when a column has many values and rows are few (600 rows and
    100 random postcodes give V ≈ 0.4 from noise alone); the correction removes that bias.
    Returns (corrected V, χ², rows of the table, columns of the table), or None when the table
    has fewer than two rows or two columns.
    """
    rows: dict[str, float] = {}
    cols: dict[str, float] = {}
    for (row, col), count in table.items():
        rows[row] = rows.get(row, 0.0) + count
        cols[col] = cols.get(col, 0.0) + count
    total = sum(rows.values())
    r, k = len(rows), len(cols)
    if r < 2 or k < 2 or total <= 1:
        return None
    chi2 = 0.0
    for row, row_total in rows.items():
        for col, col_total in cols.items():
            expected = row_total * col_total / total
            observed = table.get((row, col), 0.0)
            chi2 += (observed - expected) ** 2 / expected
    phi2 = chi2 / total
    phi2_corrected = max(0.0, phi2 - (k - 1) * (r - 1) / (total - 1))
    r_corrected = r - (r - 1) ** 2 / (total - 1)
    k_corrected = k - (k - 1) ** 2 / (total - 1)
    shape = min(k_corrected - 1, r_corrected - 1)
    v = math.sqrt(phi2_corrected / shape) if shape > 0 else 0.0
    return min(1.0, v), chi2, r, k


def auc_standard_error(area: float, positives: float, negatives: float) -> float | None:
    """Hanley and McNeil's (1982) standard error of an AUC from the numbers of positives and
    negatives (their exponential approximation of the two score distributions)."""
    if positives <= 0 or negatives <= 0:
        return None
    q1, q2 = area / (2 - area), 2 * area * area / (1 + area)
    variance = (
        area * (1 - area)
        + (positives - 1) * (q1 - area * area)
        + (negatives - 1) * (q2 - area * area)
    ) / (positives * negatives)
    return math.sqrt(max(variance, 0.0))


def auc_difference(
    first: tuple[float, float, float], second: tuple[float, float, float], z: float
) -> tuple[float, tuple[float, float]] | None:
    """Two-sided p-value and interval for the difference of two independent groups' AUCs,
    each given as (AUC, positives, negatives): a z-test on Hanley–McNeil standard errors."""
    errors = [auc_standard_error(*first), auc_standard_error(*second)]
    if None in errors:
        return None
    spread = math.sqrt(errors[0] ** 2 + errors[1] ** 2)
    difference = first[0] - second[0]
    if spread == 0:
        return (1.0 if difference == 0 else 0.0), (difference, difference)
    p_value = math.erfc(abs(difference) / spread / math.sqrt(2))
    return p_value, (difference - z * spread, difference + z * spread)
