"""The paired tests of test contacts equal an independent computation: statsmodels' exact
McNemar, scipy's binomial and Wilcoxon tests, and a brute-force enumeration with ties."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditkit.bias.paired import (
    complement_table,
    detectable_paired_ratio,
    mcnemar_exact_p_value,
    mcnemar_power,
    paired_ratio_interval,
    paired_table,
    pairs_needed,
    signed_rank_statistic,
    wilcoxon_exact_p_value,
)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 40), st.integers(0, 40), st.integers(0, 30), st.integers(0, 30))
def test_exact_mcnemar_equals_statsmodels_and_scipy(a, b, c, d):
    from scipy.stats import binomtest
    from statsmodels.stats.contingency_tables import mcnemar

    ours = mcnemar_exact_p_value(b, c)
    assert ours == pytest.approx(mcnemar([[a, b], [c, d]], exact=True).pvalue, abs=1e-12)
    if b + c:
        assert ours == pytest.approx(binomtest(min(b, c), b + c, 0.5).pvalue, abs=1e-12)
    else:
        assert ours == 1.0


def test_a_table_counts_pairs_by_who_got_the_outcome():
    pairs = [(True, True)] * 5 + [(True, False)] * 7 + [(False, True)] * 2 + [(False, False)] * 3
    table = paired_table(pairs)
    assert (table.a, table.b, table.c, table.d) == (5, 7, 2, 3)
    assert table.reference_rate == 12 / 17 and table.variant_rate == 7 / 17
    flipped = complement_table(table)
    assert flipped.reference_rate == pytest.approx(1 - table.reference_rate)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-30, 30).filter(bool), min_size=1, max_size=18, unique_by=abs))
def test_wilcoxon_exact_equals_scipy_without_ties(differences):
    from scipy.stats import wilcoxon

    expected = wilcoxon(differences, method="exact").pvalue
    assert wilcoxon_exact_p_value(differences) == pytest.approx(expected, rel=1e-9)


def _brute_force(differences):
    nonzero = [d for d in differences if d]
    plus, ranks = signed_rank_statistic(nonzero)
    totals = [
        sum(r for r, s in zip(ranks, signs, strict=True) if s)
        for signs in itertools.product((0, 1), repeat=len(ranks))
    ]
    low = sum(t <= plus + 1e-9 for t in totals) / len(totals)
    high = sum(t >= plus - 1e-9 for t in totals) / len(totals)
    return min(1.0, 2 * min(low, high))


def test_wilcoxon_with_ties_and_zeros_equals_enumerating_every_sign():
    generator = random.Random(5)
    for _ in range(40):
        differences = [
            generator.choice([-3, -2, -1, 0, 1, 1, 2, 2, 4])
            for _ in range(generator.randint(1, 12))
        ]
        assert wilcoxon_exact_p_value(differences) == pytest.approx(
            _brute_force(differences), abs=1e-12
        )


def test_no_difference_at_all_is_p_one():
    assert wilcoxon_exact_p_value([0, 0, 0]) == 1.0
    assert mcnemar_exact_p_value(0, 0) == 1.0


def test_the_ratio_interval_is_finite_with_zero_cells_and_holds_the_estimate():
    table = paired_table([(True, False)] * 12 + [(True, True)] * 10)  # the variant: 10 of 22
    low, high = paired_ratio_interval(table, 1.96)
    assert 0 < low < 10 / 22 < high < 1
    assert paired_ratio_interval(paired_table([]), 1.96) is None


def test_power_equals_a_simulation_of_the_exact_test():
    """Power by enumeration equals the share of simulated rounds the test rejects."""
    generator = random.Random(11)
    pairs, reference_rate, ratio, alpha = 20, 0.9, 0.5, 0.05
    rejected = 0
    rounds = 4000
    for _ in range(rounds):
        b = c = 0
        for _ in range(pairs):
            r = generator.random() < reference_rate
            v = generator.random() < reference_rate * ratio
            b += r and not v
            c += v and not r
        rejected += c < b and mcnemar_exact_p_value(b, c) <= alpha
    expected = mcnemar_power(pairs, reference_rate, ratio, alpha)
    assert rejected / rounds == pytest.approx(
        expected, abs=3 * math.sqrt(expected * (1 - expected) / rounds) + 0.005
    )


def test_the_plan_and_the_could_see_figure_agree():
    """The pairs needed for a gap reach the power; the gap seen at that size is at least it."""
    needed = pairs_needed(0.9, 0.5, 0.0125, 0.8)
    assert mcnemar_power(needed, 0.9, 0.5, 0.0125) >= 0.8
    assert mcnemar_power(needed - 3, 0.9, 0.5, 0.0125) < 0.8
    assert detectable_paired_ratio(needed, 0.9, 0.0125) >= 0.5
    assert detectable_paired_ratio(3, 0.9, 0.0125) is None  # three pairs can show nothing
