"""Confidence intervals and association measures computed from counts, not rows.

Every function takes aggregate numbers (successes and totals, sums and sums of squares, a
contingency table), so the same code serves a 100-row log and a warehouse's counts. Edge cases
are part of each contract and are stated in the docstrings, fairlearn-style.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

Z95 = 1.959963984540054  # two-sided 95 %


def wilson_interval(successes: float, total: float, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval for a proportion.

    Unlike the normal approximation it stays inside [0, 1] and behaves at 0 % and 100 %.
    Returns None when ``total`` is 0 (the rate itself is undefined).
    """
    if total <= 0:
        return None
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def rate_ratio_interval(
    successes: float, total: float, ref_successes: float, ref_total: float, z: float = Z95
) -> tuple[float, float] | None:
    """95 % interval for the ratio of two proportions (Katz log method).

    A zero count would make the log undefined; then 0.5 is added to every cell (Haldane's
    correction), which widens the interval honestly instead of failing. Returns None when
    either total is 0.
    """
    if total <= 0 or ref_total <= 0:
        return None
    a, n1, c, n2 = successes, total, ref_successes, ref_total
    if a == 0 or c == 0 or a == n1 or c == n2:
        a, n1, c, n2 = a + 0.5, n1 + 1.0, c + 0.5, n2 + 1.0
    log_ratio = math.log((a / n1) / (c / n2))
    se = math.sqrt(max(0.0, 1 / a - 1 / n1 + 1 / c - 1 / n2))
    return math.exp(log_ratio - z * se), math.exp(log_ratio + z * se)


def mean_interval(
    total: float, sum_: float, sum_squares: float, z: float = Z95
) -> tuple[float, float] | None:
    """Normal-approximation interval for a mean from n, Σx and Σx². None when n < 2."""
    if total < 2:
        return None
    mean = sum_ / total
    variance = max(0.0, (sum_squares - total * mean * mean) / (total - 1))
    half = z * math.sqrt(variance / total)
    return mean - half, mean + half


def mean_ratio_interval(
    group: tuple[float, float, float], reference: tuple[float, float, float], z: float = Z95
) -> tuple[float, float] | None:
    """Delta-method interval for the ratio of two means, each given as (n, Σx, Σx²).

    Returns None when either mean is not positive or either group has fewer than 2 values:
    a ratio of means only makes sense for positive quantities (satisfaction, waiting time).
    """
    (n1, s1, q1), (n2, s2, q2) = group, reference
    if n1 < 2 or n2 < 2:
        return None
    m1, m2 = s1 / n1, s2 / n2
    if m1 <= 0 or m2 <= 0:
        return None
    v1 = max(0.0, (q1 - n1 * m1 * m1) / (n1 - 1))
    v2 = max(0.0, (q2 - n2 * m2 * m2) / (n2 - 1))
    se = math.sqrt(v1 / (n1 * m1 * m1) + v2 / (n2 * m2 * m2))
    log_ratio = math.log(m1 / m2)
    return math.exp(log_ratio - z * se), math.exp(log_ratio + z * se)


def cramers_v(table: Mapping[tuple[str, str], float]) -> float | None:
    """Cramér's V of a contingency table given as {(row value, column value): count}.

    0 means no association, 1 means one column determines the other. Returns None when the
    table has fewer than two rows or two columns (no association can be measured).
    """
    rows: dict[str, float] = {}
    cols: dict[str, float] = {}
    for (row, col), count in table.items():
        rows[row] = rows.get(row, 0.0) + count
        cols[col] = cols.get(col, 0.0) + count
    total = sum(rows.values())
    k = min(len(rows), len(cols))
    if k < 2 or total <= 0:
        return None
    chi2 = 0.0
    for row, row_total in rows.items():
        for col, col_total in cols.items():
            expected = row_total * col_total / total
            observed = table.get((row, col), 0.0)
            chi2 += (observed - expected) ** 2 / expected
    return math.sqrt(chi2 / (total * (k - 1)))
