"""The gate catches what the words promise, every reference has a rule, and ``--within``
comes with inference: each against an independent computation (statsmodels, scipy)."""

from __future__ import annotations

import csv
import json
import math

import jsonschema
import numpy as np
import pytest
from scipy.stats import chi2_contingency, fisher_exact
from statsmodels.stats.contingency_tables import StratifiedTable
from statsmodels.stats.multitest import multipletests

from tests.conftest import REPO, run_cli

SCHEMA = json.loads((REPO / "docs" / "bias.schema.json").read_text())


def exact_log(path, cells: list[tuple[dict, int, int]], outcome: str = "approved") -> str:
    """A log with exact counts: (other columns, rows, of which approved) per cell."""
    columns = [*cells[0][0], outcome]
    with open(path, "w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(columns)
        for values, rows, yes in cells:
            for index in range(rows):
                writer.writerow([*values.values(), "yes" if index < yes else "no"])
    return str(path)


def bias(log: str, *args: str):
    return run_cli(
        "bias", "check", log, "--outcome", "approved", "--positive", "yes", *args
    )  # fmt: skip


def data_of(log: str, *args: str, code: int = 0) -> dict:
    result = bias(log, *args, "--format", "json")
    assert result.returncode == code, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    return data


def selection(data: dict) -> dict:
    return next(m for m in data["metrics"] if m["id"] == "selection")


def group(metric: dict, name: str) -> dict:
    return next(g for g in metric["groups"] if g["group"] == name)


# ---------------------------------------------------------------- the gate


def test_the_default_gate_fails_on_a_gap_whose_size_is_uncertain(tmp_path):
    # 30 % against 40 % of 400: significant, 0.75× estimated, but the interval reaches 0.8.
    log = exact_log(
        tmp_path / "loans.csv", [({"region": "north"}, 400, 160), ({"region": "south"}, 400, 120)]
    )
    south = group(selection(data_of(log, "-g", "region")), "south")
    assert south["verdict"] == "disadvantaged (size uncertain)"
    assert bias(log, "-g", "region", "--fail-on", "disparity").returncode == 1
    assert bias(log, "-g", "region", "--fail-on", "significant").returncode == 1
    strict = bias(log, "-g", "region", "--fail-on", "established")
    assert strict.returncode == 0, strict.stdout
    gate = data_of(log, "-g", "region", "--fail-on", "disparity", code=1)["gate"]
    assert gate == {"fail_on": "disparity", "fired": True, "disparity": 1, "established": 0}


def test_could_see_is_never_a_gap_inside_the_band(tmp_path):
    # Two large, equal groups: the test alone could see 0.97×, but the gate only fires beyond
    # the band, so the gap it catches with 80 % power lies beyond 0.8.
    log = exact_log(
        tmp_path / "loans.csv", [({"region": "a"}, 20000, 8000), ({"region": "b"}, 19000, 7600)]
    )
    b = group(selection(data_of(log, "-g", "region")), "b")
    assert b["verdict"] == "within tolerance"
    assert 0.75 < b["detectable"] < 0.8


# ---------------------------------------------------------------- references


THREE = [({"region": "a"}, 300, 150), ({"region": "b"}, 500, 200), ({"region": "c"}, 400, 120)]


def test_reference_best_is_the_best_treated_group_and_counts_every_pair(tmp_path):
    log = exact_log(tmp_path / "loans.csv", THREE)
    largest, best = (
        data_of(log, "-g", "region"),
        data_of(log, "-g", "region", "--reference", "best"),
    )
    assert selection(largest)["reference_group"] == "b"
    assert selection(best)["reference_group"] == "a"  # 50 % approved, the highest
    assert largest["thresholds"]["comparisons"] == 2
    assert best["thresholds"]["comparisons"] == 3  # a–b, a–c, b–c: the data chose a
    p = [group(selection(best), name)["p_value"] for name in ("b", "c")]
    expected = multipletests([*p, 1.0], method="holm")[1][:2]  # a family of three
    assert [group(selection(best), n)["p_adjusted"] for n in ("b", "c")] == pytest.approx(expected)
    assert best["thresholds"]["reference"] == "best"


def test_reference_rest_compares_each_group_with_all_other_rows(tmp_path):
    log = exact_log(tmp_path / "loans.csv", THREE)
    data = data_of(log, "-g", "region", "--reference", "rest")
    metric = selection(data)
    assert metric["reference_group"] == "all others"
    c = group(metric, "c")
    assert c["ratio"] == pytest.approx((120 / 400) / (350 / 800), rel=1e-12)
    assert c["verdict"].startswith("disadvantaged")
    assert all(g["verdict"] != "reference" for g in metric["groups"])
    assert not [f for f in data["findings"] if f["group"] == "all others"]


def test_a_group_named_like_a_mode_is_still_that_group(tmp_path):
    log = exact_log(tmp_path / "loans.csv", [({"region": "best"}, 100, 50), *THREE[1:]])
    assert selection(data_of(log, "-g", "region", "--reference", "best"))["reference_group"] == (
        "best"
    )


def test_an_unknown_reference_names_the_modes_and_the_groups(tmp_path):
    log = exact_log(tmp_path / "loans.csv", THREE)
    result = bias(log, "-g", "region", "--reference", "west")
    assert result.returncode == 2
    assert "largest, best, rest" in result.stderr and "'a'" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- missing group values


def test_missing_group_values_are_shown_but_not_judged_unless_asked(tmp_path):
    cells = [({"region": "a"}, 500, 250), ({"region": "b"}, 500, 240), ({"region": ""}, 300, 30)]
    log = exact_log(tmp_path / "loans.csv", cells)
    missing = group(selection(data_of(log, "-g", "region")), "(missing)")
    assert missing["verdict"] == "not judged" and missing["n"] == 300
    assert "--judge-missing" in missing["reason"]
    assert bias(log, "-g", "region", "--fail-on", "disparity").returncode == 0
    judged = group(selection(data_of(log, "-g", "region", "--judge-missing")), "(missing)")
    assert judged["verdict"] == "disadvantaged"
    assert bias(log, "-g", "region", "--judge-missing", "--fail-on", "disparity").returncode == 1


# ---------------------------------------------------------------- strata


def heterogeneous(path) -> tuple[str, dict[str, list[tuple[int, int, int, int]]]]:
    """Selection by age band: the gap is small among the young and large among the old."""
    plan = {  # band: (group rows, approved), (reference rows, approved)
        "18-34": ((600, 348), (700, 350)),
        "35-54": ((500, 230), (600, 180)),
        "55+": ((300, 164), (400, 80)),
    }
    cells, tables = [], {"b": []}
    for band, ((n1, x1), (n0, x0)) in plan.items():
        cells += [({"group": "b", "age": band}, n1, x1), ({"group": "a", "age": band}, n0, x0)]
        tables["b"].append((x1, n1, x0, n0))
    cells.append(({"group": "tiny", "age": "55+"}, 12, 6))  # shown, never judged
    return exact_log(path, cells), tables


def test_within_has_an_interval_a_stratified_test_and_a_heterogeneity_test(tmp_path):
    log, tables = heterogeneous(tmp_path / "loans.csv")
    data = data_of(log, "-g", "group", "--reference", "a", "--within", "age")
    metric = selection(data)
    (effect,) = metric["within"]  # "tiny" has no judgeable crude comparison: no claim
    assert effect["group"] == "b"
    cube = StratifiedTable(
        [np.array([[x1, n1 - x1], [x0, n0 - x0]]) for x1, n1, x0, n0 in tables["b"]]
    )
    assert effect["pooled_ratio"] == pytest.approx(cube.riskratio_pooled, rel=1e-12)
    assert effect["p_value"] == pytest.approx(cube.test_null_odds().pvalue, rel=1e-6)
    assert effect["heterogeneity_p"] == pytest.approx(log_binomial_p(tables["b"]), rel=1e-6)
    assert effect["heterogeneity_test"] == "likelihood ratio (one common risk ratio)"
    assert effect["heterogeneity_p_adjusted"] <= 0.05
    assert effect["effect"] == "differs by stratum"
    ratios = [s["ratio"] for s in effect["strata"]]
    assert ratios == pytest.approx([(348 / 600) / 0.5, (230 / 500) / 0.3, (164 / 300) / 0.2])
    assert [s["verdict"] for s in effect["strata"]][-1] == "advantaged"
    # The crude comparison, the stratified test and the heterogeneity test are one family.
    assert data["thresholds"]["comparisons"] == 3
    low, high = effect["pooled_ci"]
    assert low < effect["pooled_ratio"] < high
    table = run_cli(
        "bias", "check", log, "--outcome", "approved", "--positive", "yes", "-g", "group",
        "--reference", "a", "--within", "age",
    ).stdout  # fmt: skip
    assert "the gap differs by stratum" in table and "age = 55+" in table


def log_binomial_p(tables: list[tuple[int, int, int, int]]) -> float:
    """The test that strata share one risk ratio, independently: the deviance of statsmodels'
    log-binomial GLM (events ~ stratum + group) against the saturated model, χ²(strata − 1)."""
    import warnings

    import statsmodels.api as sm
    from scipy.stats import chi2

    design, outcomes = [], []
    for index, (x1, n1, x0, n0) in enumerate(tables):
        stratum = [float(index == k) for k in range(len(tables))]
        design += [[*stratum, 1.0], [*stratum, 0.0]]
        outcomes += [[x1, n1 - x1], [x0, n0 - x0]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the log link's domain warning
        family = sm.families.Binomial(link=sm.families.links.Log())
        fit = sm.GLM(np.array(outcomes, float), np.array(design), family=family).fit()
    return float(chi2.sf(fit.deviance, len(tables) - 1))


def common_ratio_log(path) -> tuple[str, list[tuple[int, int, int, int]]]:
    """Every branch approves group b 0.7× as often as group a, on base rates of 10–90 %."""
    plan = {"north": (200, 2000), "centre": (1000, 2000), "south": (1800, 2000)}
    cells, tables = [], []
    for branch, (approved, rows) in plan.items():
        cells += [
            ({"group": "b", "branch": branch}, rows, approved * 7 // 10),
            ({"group": "a", "branch": branch}, rows, approved),
        ]
        tables.append((approved * 7 // 10, rows, approved, rows))
    return exact_log(path, cells), tables


def test_strata_sharing_one_risk_ratio_do_not_differ_by_stratum(tmp_path):
    log, tables = common_ratio_log(tmp_path / "branches.csv")
    cube = StratifiedTable([np.array([[x1, n1 - x1], [x0, n0 - x0]]) for x1, n1, x0, n0 in tables])
    # On the odds-ratio scale these strata disagree (odds ratios 0.68, 0.54, 0.19) ...
    assert cube.test_equal_odds(adjust=True).pvalue < 0.001
    data = data_of(log, "-g", "group", "--reference", "a", "--within", "branch")
    (effect,) = selection(data)["within"]
    # ... but the ratio shown is a risk ratio, 0.7× in every branch: they agree on it.
    assert [s["ratio"] for s in effect["strata"]] == pytest.approx([0.7, 0.7, 0.7])
    assert effect["heterogeneity_p"] == pytest.approx(1.0)
    assert effect["heterogeneity_p"] == pytest.approx(log_binomial_p(tables), abs=1e-6)
    assert effect["effect"] == "holds"


def simulated_strata(rng, ratios: list[float], rows: int) -> list[tuple[int, int, int, int]]:
    """Three strata with reference rates 15, 30 and 60 % and the group's at ``ratios`` × them."""
    return [
        (int(rng.binomial(rows, base * ratio)), rows, int(rng.binomial(rows, base)), rows)
        for base, ratio in zip((0.15, 0.3, 0.6), ratios, strict=True)
    ]


def test_strata_agreement_rejects_at_the_nominal_rate_and_catches_a_real_difference():
    """A quick version of ``benchmarks/validity.py`` section 6 (300 simulated logs a case:
    Monte-Carlo standard error 1.3 points at 5 %)."""
    from auditkit.bias.pooling import stratified

    rng = np.random.default_rng(35)
    logs = 300
    common = [stratified(simulated_strata(rng, [0.8] * 3, 200), 1.96) for _ in range(logs)]
    false_rate = sum(r.heterogeneity_p <= 0.05 for r in common) / logs
    assert false_rate <= 0.05 + 2 * math.sqrt(0.05 * 0.95 / logs)
    differing = [stratified(simulated_strata(rng, [1.0, 1.0, 0.5], 200), 1.96) for _ in range(logs)]
    assert sum(r.heterogeneity_p <= 0.05 for r in differing) / logs >= 0.8


def test_a_single_stratum_interval_is_the_ordinary_log_ratio_interval():
    from auditkit.bias.pooling import stratified

    x1, n1, x0, n0 = 30, 100, 50, 120
    result = stratified([(x1, n1, x0, n0)], 1.959963984540054)
    se = math.sqrt(1 / x1 - 1 / n1 + 1 / x0 - 1 / n0)
    ratio = (x1 / n1) / (x0 / n0)
    assert result.pooled_ci == pytest.approx(
        (ratio * math.exp(-1.959963984540054 * se), ratio * math.exp(1.959963984540054 * se))
    )
    assert result.heterogeneity_p is None  # one stratum: nothing to disagree with


# ---------------------------------------------------------------- the JSON alone


def score_p(x1, n1, x0, n0) -> float:
    """The score test at ratio 1: Pearson's χ² × (N − 1)/N, from scipy."""
    table = np.array([[x1, n1 - x1], [x0, n0 - x0]])
    statistic = chi2_contingency(table, correction=False)[0] * (n1 + n0 - 1) / (n1 + n0)
    from scipy.stats import chi2

    return float(chi2.sf(statistic, 1))


def test_every_rate_verdict_can_be_recomputed_from_the_json(tmp_path):
    cells = [
        ({"region": "a"}, 900, 90),
        ({"region": "b"}, 400, 200),
        ({"region": "c"}, 45, 0),  # few expected events against a: Fisher's exact test
        ({"region": "d"}, 300, 150),
        ({"region": "e"}, 8, 2),  # under the floor
    ]
    log = exact_log(tmp_path / "loans.csv", cells)
    data = data_of(log, "-g", "region", "--fail-on", "established", code=1)
    low_band, high_band = data["thresholds"]["tolerance"]
    alpha = data["thresholds"]["alpha"]
    metric = selection(data)
    reference = group(metric, metric["reference_group"])
    tested = [g for g in metric["groups"] if g["p_value"] is not None]
    for entry in tested:
        args = (
            entry["events"],
            entry["denominator"],
            reference["events"],
            reference["denominator"],
        )
        if entry["test"] == "fisher exact":
            expected = fisher_exact([[args[0], args[1] - args[0]], [args[2], args[3] - args[2]]])[1]
        else:
            assert entry["test"] == "score"
            expected = score_p(*args)
        assert entry["p_value"] == pytest.approx(expected, rel=1e-9)
    assert {g["test"] for g in tested} == {"score", "fisher exact"}
    assert data["thresholds"]["comparisons"] == len(tested)
    adjusted = multipletests([g["p_value"] for g in tested], method="holm")[1]
    assert [g["p_adjusted"] for g in tested] == pytest.approx(list(adjusted))
    for entry in tested:
        scales = [
            (entry["ratio"], entry["ratio_ci"]),
            (entry["complement_ratio"], entry["complement_ratio_ci"]),
        ]
        significant = entry["p_adjusted"] <= alpha
        beyond = any(ci[1] < low_band or ci[0] > high_band for _, ci in scales)
        out = any(not low_band <= r <= high_band for r, _ in scales)
        inside = all(low_band <= ci[0] and ci[1] <= high_band for _, ci in scales)
        side = "disadvantaged" if entry["value"] < reference["value"] else "advantaged"
        expected = (
            side if significant and beyond
            else f"{side} (size uncertain)" if significant and out
            else "within tolerance" if inside
            else "inconclusive"
        )  # fmt: skip
        assert entry["verdict"] == expected, entry["group"]
    # The gate from the verdicts: each disadvantaged group, and the reference against the
    # groups better off than it (once for established ones, once for size-uncertain ones).
    verdicts = [g["verdict"] for g in tested]
    strict = verdicts.count("disadvantaged") + ("advantaged" in verdicts)
    loose = strict + verdicts.count("disadvantaged (size uncertain)")
    loose += "advantaged (size uncertain)" in verdicts
    assert (data["gate"]["established"], data["gate"]["disparity"]) == (strict, loose)
    assert data["gate"]["fired"] == bool(strict) and strict >= 1
    assert data["positives"] == [{"column": "approved", "value": "yes", "threshold": None}]
    assert data["positive_is_adverse"] is False
    assert data["thresholds"]["min_expected"] == 5


def test_a_bias_file_of_the_previous_format_is_refused_with_the_command_to_redo_it(tmp_path):
    from tests.conftest import REPO

    old = tmp_path / "bias.json"
    old.write_text(json.dumps({"format": "auditkit-bias/2", "check": "chatbot"}), "utf-8")
    answers = str(REPO / "examples" / "value-inn" / "answers.yaml")
    result = run_cli("score", answers, "--bias", str(old))
    assert result.returncode == 2
    assert "older auditkit (auditkit-bias/2)" in result.stderr
    assert "auditkit bias … --format json" in result.stderr


# ---------------------------------------------------------------- the docs' tables are the benchmark's


def test_the_power_table_in_the_docs_is_the_one_the_benchmark_writes():
    """docs/bias.md's power table is written by ``benchmarks/validity.py --only 2 --write-docs``:
    every cell it measures is there, in exactly the form it writes, so a hand edit shows."""
    import re

    from benchmarks.validity import (
        POWER_BASES,
        POWER_RATIOS,
        POWER_SIZES,
        power_markdown,
    )

    docs = (REPO / "docs" / "bias.md").read_text(encoding="utf-8")
    block = docs.split("<!-- validity:power -->\n")[1].split("<!-- /validity:power -->")[0]
    logs, seed = re.search(r"(\d+) simulated logs a cell, seed (\d+)", block).groups()
    cells = re.findall(r"^\| ([\d,]+) \| (\d+)% \| ([\d.]+)× \| (\d+)% \| (\d+)% \|$", block, re.M)
    rows = [
        (int(n.replace(",", "")), int(base) / 100, float(ratio), int(gate) / 100, int(est) / 100)
        for n, base, ratio, gate, est in cells
    ]
    assert [(n, b, r) for n, b, r, *_ in rows] == [
        (n, b, r) for n in POWER_SIZES for b in POWER_BASES for r in POWER_RATIOS
    ]
    assert power_markdown(rows, int(logs), int(seed)) == block
