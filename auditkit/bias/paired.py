"""Tests and intervals for paired data: two matched test contacts that differ in one cue.

The statistics module of the test contacts (``auditkit contacts check``), beside ``stats.py``
(independent groups). Pure functions of counts or of paired numbers; no I/O, no numpy. A pair
is (reference persona's outcome, variant persona's outcome); only pairs with both outcomes
recorded enter. References:

* Exact McNemar test: the discordant pairs (b: only the reference had the outcome, c: only the
  variant) split as Binomial(b + c, ½) under "no difference"; the two-sided p-value is
  ``min(1, 2·P(X ≤ min(b, c)))`` — the exact sign test on the discordant pairs (McNemar 1947;
  equal to ``statsmodels.stats.contingency_tables.mcnemar(exact=True)`` and to
  ``scipy.stats.binomtest(min(b, c), b + c)``, tested). No discordant pair: p = 1.
* Bonett & Price (2006), "Confidence intervals for a ratio of binomial proportions based on
  paired data", Statistics in Medicine 25: the adjusted Wald interval of the ratio of the two
  paired rates, log(p̃₂/p̃₁) ± z·√((b + c + 2)/((a + b + 1)(a + c + 1))), finite with zero cells.
* Agresti & Min (2005): the Wald interval of a paired difference with ½ added to each cell.
* Wilcoxon signed-rank test, exact: zero differences dropped (Wilcoxon's own rule, scipy's
  ``zero_method="wilcox"``), ties get mid-ranks, and the null distribution of T⁺ is counted
  exactly over the 2ⁿ sign patterns of those ranks, so ties stay exact (a permutation test on
  the ranks). Equal to ``scipy.stats.wilcoxon(method="exact")`` without ties (tested); with
  ties to a brute-force enumeration. No non-zero difference: p = 1.
* Times (minutes, steps): the ratio of the paired means, its interval by the delta method on
  the log scale with the pairs' covariance and a Student t quantile.
* Power of the exact McNemar test, exactly, with the two outcomes of a pair taken as
  independent given the personas — the least favourable case for positively correlated pairs,
  so the planned number of pairs is enough when real pairs agree more (Connor 1987 for the
  approximate version).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from auditkit.bias.stats import POWER_Z, t_quantile, z_for


@dataclass(frozen=True)
class PairedTable:
    """The 2×2 table of pairs: a both yes, b reference only, c variant only, d both no."""

    a: int
    b: int
    c: int
    d: int

    @property
    def n(self) -> int:
        return self.a + self.b + self.c + self.d

    @property
    def reference_rate(self) -> float | None:
        return (self.a + self.b) / self.n if self.n else None

    @property
    def variant_rate(self) -> float | None:
        return (self.a + self.c) / self.n if self.n else None


def paired_table(pairs: Sequence[tuple[bool, bool]]) -> PairedTable:
    """Count (reference, variant) yes/no pairs into the table."""
    a = sum(1 for r, v in pairs if r and v)
    b = sum(1 for r, v in pairs if r and not v)
    c = sum(1 for r, v in pairs if v and not r)
    return PairedTable(a, b, c, len(pairs) - a - b - c)


def _binomial_half_cdf(k: int, n: int) -> float:
    """P(X ≤ k) for X ~ Binomial(n, ½), exactly (integer arithmetic, then one division)."""
    if k < 0:
        return 0.0
    return sum(math.comb(n, i) for i in range(min(k, n) + 1)) / 2**n


def mcnemar_exact_p_value(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value from the discordant pairs; 1.0 when there are none."""
    n = b + c
    if n == 0:
        return 1.0
    return min(1.0, 2 * _binomial_half_cdf(min(b, c), n))


def paired_ratio_interval(table: PairedTable, z: float) -> tuple[float, float] | None:
    """Bonett–Price interval of variant rate / reference rate; None without pairs."""
    if table.n == 0:
        return None
    a, b, c, n = table.a, table.b, table.c, table.n
    p1 = (a + b + 1) / (n + 2)
    p2 = (a + c + 1) / (n + 2)
    se = math.sqrt((b + c + 2) / ((a + b + 1) * (a + c + 1)))
    centre = math.log(p2 / p1)
    return math.exp(centre - z * se), math.exp(centre + z * se)


def complement_table(table: PairedTable) -> PairedTable:
    """The same pairs with yes and no swapped: the table of "did not …"."""
    return PairedTable(table.d, table.c, table.b, table.a)


def paired_difference_interval(table: PairedTable, z: float) -> tuple[float, float] | None:
    """Agresti–Min interval of variant rate − reference rate; None without pairs."""
    if table.n == 0:
        return None
    b, c, n = table.b + 0.5, table.c + 0.5, table.n + 2
    difference = (c - b) / n
    variance = ((b + c) - (c - b) ** 2 / n) / n**2
    half = z * math.sqrt(max(variance, 0.0))
    return max(-1.0, difference - half), min(1.0, difference + half)


# ------------------------------------------------------------------ signed ranks


def signed_rank_statistic(differences: Sequence[float]) -> tuple[float, list[float]]:
    """T⁺ (sum of the ranks of positive differences) and the mid-ranks of |d|, zeros dropped."""
    nonzero = [d for d in differences if d != 0]
    order = sorted(range(len(nonzero)), key=lambda i: abs(nonzero[i]))
    ranks = [0.0] * len(nonzero)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and abs(nonzero[order[end + 1]]) == abs(nonzero[order[start]]):
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    plus = sum(r for r, d in zip(ranks, nonzero, strict=True) if d > 0)
    return plus, ranks


@lru_cache(maxsize=256)
def _sign_distribution(doubled_ranks: tuple[int, ...]) -> tuple[int, ...]:
    """Counts of each value of 2·T⁺ over the 2ⁿ sign patterns (integer ranks doubled so that
    mid-ranks stay integers)."""
    counts = [1]
    for rank in doubled_ranks:
        grown = [0] * (len(counts) + rank)
        for total, ways in enumerate(counts):
            if ways:
                grown[total] += ways
                grown[total + rank] += ways
        counts = grown
    return tuple(counts)


def wilcoxon_exact_p_value(differences: Sequence[float]) -> float:
    """Two-sided exact Wilcoxon signed-rank p-value of paired differences (variant − reference).

    ``min(1, 2·min(P(T⁺ ≤ t), P(T⁺ ≥ t)))`` over the exact sign-flip distribution of the
    observed mid-ranks. Zero differences are dropped; none left: 1.0.
    """
    plus, ranks = signed_rank_statistic(differences)
    if not ranks:
        return 1.0
    doubled = tuple(sorted(round(2 * r) for r in ranks))
    counts = _sign_distribution(doubled)
    observed = round(2 * plus)
    total = 2 ** len(ranks)
    lower = sum(counts[: observed + 1]) / total
    upper = sum(counts[observed:]) / total
    return min(1.0, 2 * min(lower, upper))


def paired_mean_ratio(
    reference: Sequence[float], variant: Sequence[float], level: float
) -> tuple[float | None, tuple[float, float] | None]:
    """Ratio of the variant's mean to the reference's over the same pairs, and its interval
    (delta method on the log scale, Student t with n − 1 degrees of freedom). (None, None)
    with a zero mean; the interval is None under two pairs."""
    n = len(reference)
    if n == 0:
        return None, None
    mean_r, mean_v = sum(reference) / n, sum(variant) / n
    if mean_r <= 0 or mean_v <= 0:
        return None, None
    ratio = mean_v / mean_r
    if n < 2:
        return ratio, None
    se = _log_ratio_se(reference, variant)
    quantile = t_quantile(level, n - 1)
    return ratio, (ratio * math.exp(-quantile * se), ratio * math.exp(quantile * se))


def _log_ratio_se(reference: Sequence[float], variant: Sequence[float]) -> float:
    n = len(reference)
    mean_r, mean_v = sum(reference) / n, sum(variant) / n
    var_r = sum((x - mean_r) ** 2 for x in reference) / (n - 1)
    var_v = sum((x - mean_v) ** 2 for x in variant) / (n - 1)
    cov = sum((x - mean_r) * (y - mean_v) for x, y in zip(reference, variant, strict=True)) / (
        n - 1
    )
    variance = (var_r / mean_r**2 + var_v / mean_v**2 - 2 * cov / (mean_r * mean_v)) / n
    return math.sqrt(max(variance, 0.0))


def detectable_mean_ratio_paired(
    reference: Sequence[float], variant: Sequence[float], alpha: float, harmful_above: bool
) -> float | None:
    """The smallest ratio of means on the harmful side seen with 80 % power at two-sided
    ``alpha`` (normal approximation on the log scale, the pairs' own spread); None under two
    pairs or with a zero mean."""
    if len(reference) < 2 or min(sum(reference), sum(variant)) <= 0:
        return None
    se = _log_ratio_se(reference, variant)
    if se == 0:
        return None
    shift = (z_for(1 - alpha) + POWER_Z) * se
    return math.exp(shift if harmful_above else -shift)


# ------------------------------------------------------------------ power and planning


def _log_binomial(n: int, k: int, p: float) -> float:
    if p <= 0:
        return 0.0 if k == 0 else -math.inf
    if p >= 1:
        return 0.0 if k == n else -math.inf
    return (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log(1 - p)
    )


@lru_cache(maxsize=4096)
def _critical(discordant: int, alpha: float) -> int:
    """The largest k with the exact two-sided McNemar p-value at k ≤ alpha (−1: none)."""
    k = -1
    while k + 1 <= discordant // 2 and mcnemar_exact_p_value(k + 1, discordant - k - 1) <= alpha:
        k += 1
    return k


def mcnemar_power(pairs: int, reference_rate: float, ratio: float, alpha: float) -> float:
    """Power of the exact two-sided McNemar test to show the variant worse off (fewer "yes"),
    with variant rate = ratio × reference rate and the pair's outcomes independent.

    Exact: Σ over d discordant pairs of P(D = d)·P(C ≤ critical(d)), C the variant-only pairs.
    0 with no pairs or no gap; rates are clipped to [0, 1].
    """
    p1 = min(max(reference_rate, 0.0), 1.0)
    p2 = min(max(ratio * p1, 0.0), 1.0)
    only_reference, only_variant = p1 * (1 - p2), (1 - p1) * p2
    discordance = only_reference + only_variant
    if pairs <= 0 or discordance == 0 or p2 >= p1:
        return 0.0
    share = only_variant / discordance
    power = 0.0
    for d in range(1, pairs + 1):
        k = _critical(d, alpha)
        if k < 0:
            continue
        weight = math.exp(_log_binomial(pairs, d, discordance))
        power += weight * sum(math.exp(_log_binomial(d, i, share)) for i in range(k + 1))
    return min(power, 1.0)


def detectable_paired_ratio(
    pairs: int, reference_rate: float, alpha: float, power: float = 0.8
) -> float | None:
    """The largest ratio below 1 (the smallest gap) the exact McNemar test shows with
    ``power`` at ``alpha``: "could see a gap of R× at this size". None when not even a
    variant that never gets the outcome would be seen (too few pairs, or a reference rate of 0).
    """
    if (
        pairs <= 0
        or reference_rate <= 0
        or mcnemar_power(pairs, reference_rate, 0.0, alpha) < power
    ):
        return None
    low, high = 0.0, 1.0  # power(low) ≥ target > power(high)
    for _ in range(30):
        middle = (low + high) / 2
        if mcnemar_power(pairs, reference_rate, middle, alpha) >= power:
            low = middle
        else:
            high = middle
    return low


def pairs_needed(
    reference_rate: float, ratio: float, alpha: float, power: float = 0.8, most: int = 2000
) -> int | None:
    """The fewest pairs whose exact McNemar test shows ``ratio`` with ``power`` (exact tests
    saw-tooth: the first n that reaches it, checked to hold at n + 1 and n + 2 too). None above
    ``most`` pairs."""
    if ratio >= 1 or reference_rate <= 0:
        return None
    n = 2
    step = 16
    while n <= most and mcnemar_power(n + step, reference_rate, ratio, alpha) < power:
        n += step  # coarse, then fine
    for candidate in range(max(2, n - step), min(n + step, most) + 1):
        if all(
            mcnemar_power(candidate + extra, reference_rate, ratio, alpha) >= power
            for extra in range(3)
        ):
            return candidate
    return None
