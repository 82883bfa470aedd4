"""A check computes its statistics without scipy.stats, fairlearn or scikit-learn (about 2.5 s
of imports, more than counting ten million rows), and every number stays what those libraries
give: the exact test, the distribution functions and the proxy interval against scipy.stats."""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys

import pytest
from scipy import optimize, stats

from auditkit.bias import proxies
from auditkit.bias import stats as ours
from tests.conftest import REPO

HEAVY = ("fairlearn", "sklearn", "scipy.stats", "scipy.optimize", "statsmodels")


def test_a_check_from_the_command_line_imports_no_heavy_statistics_library(tmp_path):
    out = tmp_path / "result.json"
    script = (
        "import sys, runpy\n"
        "sys.argv = ['auditkit', 'bias', 'chatbot', sys.argv[1], '--group', 'language',"
        " '--format', 'json', '-o', sys.argv[2]]\n"
        "try:\n"
        "    runpy.run_module('auditkit', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    code = exit.code\n"
        f"heavy = sorted(m for m in sys.modules if m.startswith({HEAVY!r}))\n"
        "print(code, heavy)\n"
    )
    log = REPO / "examples" / "logs" / "chatbot.csv"
    done = subprocess.run(
        [sys.executable, "-c", script, str(log), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.stdout.strip() == "0 []", done.stdout + done.stderr
    assert json.loads(out.read_text())["findings"]  # the check did run and judge


def test_the_exact_test_equals_scipys_fisher_exact():
    generator = random.Random(20261202)
    tables = [(0, 1, 0, 1), (1, 1, 0, 1), (3, 3, 0, 3), (5, 7, 1, 9), (2, 40, 20, 22)]
    tables += [
        (x1, n1, x2, n2)
        for n1, n2 in itertools.product((1, 2, 5, 13, 40), (1, 3, 8, 31, 200))
        for x1 in range(0, n1 + 1, max(1, n1 // 4))
        for x2 in (0, n2 // 3, n2)
    ]
    for _ in range(300):
        n1, n2 = generator.randint(1, 3000), generator.randint(1, 300_000)
        tables.append((generator.randint(0, min(n1, 6)), n1, generator.randint(0, 9), n2))
    for x1, n1, x2, n2 in tables:
        expected = stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]).pvalue
        assert ours.fisher_exact_p_value(x1, n1, x2, n2) == pytest.approx(
            expected, rel=1e-9, abs=1e-300
        ), (x1, n1, x2, n2)


@pytest.mark.parametrize("df", [1.0, 2.5, 9.0, 41.7, 1000.0, 1e6])
@pytest.mark.parametrize("level", [0.9, 0.95, 0.995])
def test_the_distribution_functions_equal_scipy_stats(df, level):
    assert ours.z_for(level) == pytest.approx(stats.norm.ppf(0.5 + level / 2), rel=1e-13)
    assert ours.t_quantile(level, df) == pytest.approx(stats.t.ppf(0.5 + level / 2, df), rel=1e-10)
    n, total = 50.0, 50.0 * 4.0
    squares = 50.0 * (16.0 + df % 7 + 1)
    for group, reference in [((n, total, squares), (2 * n, 1.2 * total * 2, 2 * squares * 1.6))]:
        moments = [ours.mean_and_variance(*group), ours.mean_and_variance(*reference)]
        (m1, v1), (m2, v2) = moments
        expected_p = stats.ttest_ind_from_stats(
            m1, v1**0.5, group[0], m2, v2**0.5, reference[0], equal_var=False
        ).pvalue
        assert ours.welch_p_value(group, reference) == pytest.approx(expected_p, rel=1e-9)
        shape1, shape2 = min(1.0, m1 * m1 / v1), min(1.0, m2 * m2 / v2)
        d1, d2 = 2 * group[0] * shape1, 2 * reference[0] * shape2
        ratio = m1 / m2
        f = stats.f
        expected = (
            min(1.0, 2 * min(f.cdf(ratio, d1, d2), f.sf(ratio, d1, d2))),
            (ratio / f.ppf(0.5 + level / 2, d1, d2), ratio / f.ppf(0.5 - level / 2, d1, d2)),
        )
        p_value, interval = ours.positive_ratio(group, reference, level)
        assert p_value == pytest.approx(expected[0], rel=1e-9)
        assert interval == pytest.approx(expected[1], rel=1e-9)
        k = 2 * n * shape1
        chi2 = stats.chi2
        expected_interval = (
            k * m1 / chi2.ppf(0.5 + level / 2, k),
            k * m1 / chi2.ppf(0.5 - level / 2, k),
        )
        assert ours.positive_mean_interval(*group, level=level) == pytest.approx(
            expected_interval, rel=1e-9
        )


@pytest.mark.parametrize("chi2, rows, r, k", [(3.0, 200, 2, 3), (40.0, 600, 4, 5), (0.2, 50, 2, 2)])
def test_the_proxy_interval_equals_scipys_root_of_the_noncentral_chi2(chi2, rows, r, k):
    df, scale = (r - 1) * (k - 1), rows * (min(r, k) - 1)

    def root(probability):
        f = lambda lam: stats.ncx2.cdf(chi2, df, lam) - probability  # noqa: E731
        if f(0.0) < 0:
            return 0.0
        return optimize.brentq(f, 0.0, 10 * chi2 + 1000, xtol=1e-12)

    expected = (min(1.0, (root(0.975) / scale) ** 0.5), min(1.0, (root(0.025) / scale) ** 0.5))
    assert proxies._v_interval(chi2, rows, r, k) == pytest.approx(expected, rel=1e-6, abs=1e-9)
