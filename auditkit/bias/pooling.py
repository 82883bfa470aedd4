"""A group against the reference across the strata of a confounder (``--within``), on the
risk-ratio scale the results show.

Each stratum is a 2×2 table given as (events, rows) of the group and of the reference. From
them:

* the **Mantel–Haenszel risk ratio** pooled across strata (Rothman & Greenland, *Modern
  Epidemiology*, ch. 15), equal to statsmodels' ``StratifiedTable.riskratio_pooled``;
* its interval, Greenland & Robins (1985) ("Estimation of a common effect parameter from
  sparse follow-up data", *Biometrics* 41:55–68), which statsmodels does not give;
* the **Cochran–Mantel–Haenszel test** of no gap in any stratum, equal to
  ``StratifiedTable.test_null_odds()`` (under the null of no association the risk ratio and
  the odds ratio are both 1, so the test serves either scale);
* the **test that the strata share one risk ratio**: a likelihood-ratio test of homogeneity of
  the log risk ratios.

Why that homogeneity test. The ratio shown and judged is a risk ratio, so the strata must be
compared on that scale: strata with one common risk ratio but different base rates have
*different* odds ratios, and Breslow–Day (an odds-ratio test, used here before) called their
gap "different by stratum" in 27–29 % of simulated logs. Of the tests of homogeneity of risk
ratios (compared by Lui & Kelly 2000, "Tests for homogeneity of the risk ratio in a series of
2×2 tables", *Statistics in Medicine* 19:2919–2932), Cochran's Q on inverse-variance weights
needs 1/events for each stratum's variance, so a stratum with no event in one group needs an
arbitrary 0.5 correction; the likelihood-ratio test does not. It compares the binomial
likelihood with each stratum's own two rates to the likelihood under one common ratio θ
(p_group = θ · p_reference in every stratum), maximised over θ and each stratum's reference
rate. For a fixed θ each stratum's restricted maximum is the Miettinen–Nurminen root
(``stats.restricted_rates``), so the fit is a one-dimensional search over log θ. The
statistic is the deviance of the log-binomial model ``events ~ stratum + group`` against the
saturated one, χ² with (strata − 1) degrees of freedom; it equals statsmodels'
``GLM(..., Binomial(link=log))`` deviance (tested). ``benchmarks/validity.py`` (section 6)
measures its false "differs by stratum" rate at the nominal level.

Edge cases: strata where either side has no rows are left out of everything. The homogeneity
test uses the strata whose smallest expected cell (no gap assumed) is at least 5, Cochran's
rule and the one ``stats.proportions_p_value`` uses: a stratum with no event carries no
information on a ratio, and ones with a handful of events make the χ² approximation liberal
(at 30 rows a cell and a 5 % base rate in one stratum, 7.9 % false "differs" with them, 4.8 %
without, in 1,000 simulated logs). Fewer than two strata left: no homogeneity test (None). No event in the reference anywhere: no pooled ratio and no homogeneity test. No event
in the group anywhere: every stratum's ratio is 0, so the strata agree (p = 1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from auditkit.bias.stats import FISHER_BELOW, restricted_rates

Table = tuple[float, float, float, float]  # events and rows of the group, of the reference
GOLDEN = (math.sqrt(5) - 1) / 2


@dataclass(frozen=True)
class Stratified:
    """A group against the reference inside the strata of a confounder (``--within``)."""

    pooled_ratio: float | None  # Mantel–Haenszel risk ratio
    pooled_ci: tuple[float, float] | None  # Greenland–Robins, at the level asked
    p_value: float | None  # Cochran–Mantel–Haenszel: no association in any stratum
    heterogeneity_p: float | None  # likelihood ratio: one common risk ratio
    strata_used: int  # strata where both sides have rows


def stratified(tables: Sequence[Table], z: float) -> Stratified:
    """Mantel–Haenszel pooling of 2×2 tables given as (events, rows) of the group and of the
    reference in each stratum, with the interval at the normal quantile ``z``."""
    from scipy.special import chdtrc

    used = [(a, n1, c, n0) for a, n1, c, n0 in tables if n1 > 0 and n0 > 0]
    r_sum = s_sum = gr = expected = variance = 0.0
    for a, n1, c, n0 in used:
        n = n1 + n0
        events = a + c
        r_sum += a * n0 / n
        s_sum += c * n1 / n
        gr += (n1 * n0 * events - a * c * n) / (n * n)
        expected += a - n1 * events / n
        if n > 1:
            variance += n1 * n0 * events * (n - events) / (n * n * (n - 1))
    ratio = r_sum / s_sum if s_sum > 0 else None
    interval = None
    if ratio is not None and r_sum > 0 and gr > 0:
        se = math.sqrt(gr / (r_sum * s_sum))
        interval = (ratio * math.exp(-z * se), ratio * math.exp(z * se))
    p_value = float(chdtrc(1, expected * expected / variance)) if variance > 0 else None
    homogeneity = risk_ratio_homogeneity(used)
    return Stratified(
        ratio, interval, p_value, None if homogeneity is None else homogeneity[1], len(used)
    )


def risk_ratio_homogeneity(tables: Sequence[Table]) -> tuple[float, float, int] | None:
    """(likelihood-ratio statistic, p-value, degrees of freedom) of the test that the strata
    share one risk ratio; None when fewer than two strata are large enough to compare, or the
    reference has no event in them (see the module's docstring)."""
    from scipy.special import chdtrc

    informative = [table for table in tables if _expected_cell(*table) >= FISHER_BELOW]
    if len(informative) < 2 or sum(c for *_, c, _ in informative) == 0:
        return None
    degrees = len(informative) - 1
    if sum(a for a, *_ in informative) == 0:
        return 0.0, 1.0, degrees
    saturated = sum(
        _log_likelihood(a, n1, a / n1) + _log_likelihood(c, n0, c / n0)
        for a, n1, c, n0 in informative
    )
    common = _common_ratio_log_likelihood(informative)
    statistic = max(0.0, 2 * (saturated - common))
    return statistic, float(chdtrc(degrees, statistic)), degrees


def _expected_cell(a: float, n1: float, c: float, n0: float) -> float:
    """The smallest expected count of a stratum's 2×2 table under no gap there."""
    rows, events = n1 + n0, a + c
    return min(n1, n0) * min(events, rows - events) / rows if rows else 0.0


def _log_likelihood(events: float, rows: float, rate: float) -> float:
    """Binomial log-likelihood without its constant; 0 · log 0 counts as 0."""
    total = 0.0
    if events > 0:
        total += events * math.log(rate) if rate > 0 else -math.inf
    if rows - events > 0:
        total += (rows - events) * math.log1p(-rate) if rate < 1 else -math.inf
    return total


def _common_ratio_log_likelihood(tables: Sequence[Table]) -> float:
    """The log-likelihood maximised under one common risk ratio: a golden-section search over
    log θ (the profile is unimodal), each stratum's reference rate at its restricted maximum.
    The search spans the strata's own log ratios (0.5 added to empty cells) widened by 2 on
    each side, where the maximum lies."""

    def profile(log_ratio: float) -> float:
        ratio = math.exp(log_ratio)
        total = 0.0
        for a, n1, c, n0 in tables:
            p1, p0 = restricted_rates(a, n1, c, n0, ratio)
            total += _log_likelihood(a, n1, p1) + _log_likelihood(c, n0, p0)
        return total

    logs = [math.log(((a or 0.5) / n1) / ((c or 0.5) / n0)) for a, n1, c, n0 in tables if a + c > 0]
    low, high = min(logs) - 2, max(logs) + 2
    inner_low, inner_high = high - GOLDEN * (high - low), low + GOLDEN * (high - low)
    value_low, value_high = profile(inner_low), profile(inner_high)
    for _ in range(100):
        if value_low < value_high:
            low, inner_low, value_low = inner_low, inner_high, value_high
            inner_high = low + GOLDEN * (high - low)
            value_high = profile(inner_high)
        else:
            high, inner_high, value_high = inner_high, inner_low, value_low
            inner_low = high - GOLDEN * (high - low)
            value_low = profile(inner_low)
    return max(value_low, value_high, profile((low + high) / 2))
