"""Verdicts an auditor can defend: corrected for many comparisons, with a direction, honest on
thin data, with error-rate parity, strata and proxies that hold up."""

from __future__ import annotations

import json
import random

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import (
    MetricFrame,
    false_negative_rate,
    false_positive_rate,
    true_negative_rate,
    true_positive_rate,
)
from sklearn.metrics import precision_score
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep

from auditkit.bias.catalog import CHECKS
from auditkit.bias.formats.json import bias_to_dict
from auditkit.bias.model import VERDICTS
from auditkit.bias.presets import CheckOptions
from auditkit.bias.proxies import judge_proxies
from auditkit.bias.run import run_check
from auditkit.bias.stats import adjust, ratio_interval
from auditkit.errors import InputError
from tests.conftest import REPO, run_cli

SCHEMA = json.loads((REPO / "docs" / "bias.schema.json").read_text())


def write_csv(path, rows: list[dict]) -> str:
    pd.DataFrame(rows).to_csv(path, index=False)
    return str(path)


def check(tmp_path, rows, check_id="check", name="log.csv", **options):
    path = write_csv(tmp_path / name, rows)
    return bias_to_dict(run_check(check_id, path, CheckOptions(**options)))


def metric(data, metric_id):
    return next(m for m in data["metrics"] if m["id"] == metric_id)


def group(metric_data, name):
    return next(g for g in metric_data["groups"] if g["group"] == name)


# ---------------------------------------------------------------- the statistics


def test_corrections_match_statsmodels_on_fixed_p_values():
    p_values = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.5, 0.9]
    for ours, theirs in (("holm", "holm"), ("bh", "fdr_bh")):
        expected = multipletests(p_values, method=theirs)[1]
        assert np.allclose(adjust(p_values, ours), expected, atol=1e-15, rtol=0)
    assert adjust(p_values, "none") == p_values


def test_the_ratio_interval_is_the_miettinen_nurminen_score_interval():
    for x1, n1, x2, n2 in [(30, 100, 50, 100), (0, 200, 60, 2000), (5, 40, 0, 50), (1, 31, 29, 30)]:
        low, high = ratio_interval(x1, n1, x2, n2)
        expected = confint_proportions_2indep(x1, n1, x2, n2, method="score", compare="ratio")
        assert abs(low - max(0.0, expected[0])) < 1e-9
        assert high == expected[1] or abs(high - expected[1]) < 1e-9


# ---------------------------------------------------------------- direction


def test_a_shorter_wait_is_an_advantage_and_a_longer_one_a_disadvantage(tmp_path):
    rows = []
    for language, wait in (("en", 200), ("pl", 100), ("de", 400)):
        for i in range(300):
            rows.append({"language": language, "reached_human": "yes", "wait_time": wait + i % 50})
    data = check(tmp_path, rows, "chatbot", groups=["language"], reference="en")
    wait = metric(data, "wait_time")
    assert group(wait, "pl")["verdict"] == "advantaged"
    assert group(wait, "de")["verdict"] == "disadvantaged"
    assert data["summary"]["text"].startswith("Disadvantaged: de on “Mean waiting time")
    # Disadvantages first; en, the reference, waits longer than pl and is named for it.
    assert [(f["group"], f["side"]) for f in data["findings"]] == [
        ("de", "disadvantaged"),
        ("en", "disadvantaged"),
        ("pl", "advantaged"),
    ]


def test_segments_carry_a_direction_and_a_left_out_reference_is_named(tmp_path):
    rows = []
    for band, vip_share in (("65+", 0.05), ("18-29", 0.16), ("30-44", 0.18), ("45-64", 0.15)):
        size = 900 if band == "65+" else 500  # the largest band is the one left out
        for i in range(size):
            segment = (
                "vip" if i < vip_share * size else ("churn-risk" if i % 7 == 0 else "standard")
            )
            rows.append({"age_band": band, "segment": segment})
    data = check(tmp_path, rows, "segmentation", groups=["age_band"], proxy_columns=[])
    vip = metric(data, "segment:vip")
    assert vip["direction"] == "higher" and vip["reference_group"] == "65+"
    assert vip["reference_worst_off"]
    assert data["findings"][0]["group"] == "65+" and data["findings"][0]["side"] == "disadvantaged"
    assert data["summary"]["text"].startswith("Disadvantaged: 65+ on “Assigned: vip”")
    assert metric(data, "segment:churn-risk")["direction"] == "lower"
    assert metric(data, "segment:standard")["direction"] == "none"
    flipped = check(
        tmp_path, rows, "segmentation", groups=["age_band"], proxy_columns=[], unfavourable=["vip"]
    )
    assert metric(flipped, "segment:vip")["direction"] == "lower"


def test_an_adverse_flag_is_a_harm_when_raised_more_often(tmp_path):
    rows = [
        {"region": region, "flagged": "yes" if i < share * 400 else "no"}
        for region, share in (("north", 0.1), ("south", 0.3))
        for i in range(400)
    ]
    options = {"groups": ["region"], "outcome": "flagged", "positive": "yes", "reference": "north"}
    plain = check(tmp_path, rows, **options)
    adverse = check(tmp_path, rows, **options, positive_is_adverse=True)
    assert group(metric(plain, "selection"), "south")["verdict"] == "advantaged"
    assert group(metric(adverse, "selection"), "south")["verdict"] == "disadvantaged"


# ---------------------------------------------------------------- error-rate parity


def error_rate_log(seed: int) -> pd.DataFrame:
    generator = random.Random(seed)
    rows = []
    for _ in range(3000):
        region = generator.choice(["north", "south", "east"])
        age = generator.choice(["young", "old"])
        truth = generator.random() < (0.3 if region == "south" else 0.4)
        flip = 0.35 if (region, age) == ("south", "old") else 0.15
        decision = truth if generator.random() > flip else not truth
        rows.append(
            {
                "region": region,
                "age": age,
                "approved": "approved" if decision else "denied",
                "repaid": ("yes" if truth else "no") if generator.random() > 0.03 else None,
            }
        )
    rows += [{"region": "west", "age": "young", "approved": "denied", "repaid": "yes"}] * 12
    return pd.DataFrame(rows)


@pytest.mark.parametrize("seed", range(3))
def test_every_error_rate_equals_raw_fairlearn_on_the_rows(tmp_path, seed):
    frame = error_rate_log(seed)
    path = tmp_path / "loans.csv"
    frame.to_csv(path, index=False)
    result = bias_to_dict(
        run_check(
            "check",
            str(path),
            CheckOptions(
                groups=["region", "age"],
                outcome="approved",
                positive="approved",
                truth="repaid",
                truth_positive="yes",
            ),
        )
    )
    known = frame["repaid"].notna()
    y_true = (frame["repaid"][known] == "yes").astype(int)
    y_pred = (frame["approved"][known] == "approved").astype(int)
    features = frame.loc[known, ["region", "age"]]

    def fdr(t, p):
        return 1 - precision_score(t, p, zero_division=1.0)

    def false_omission(t, p):
        t, p = np.asarray(t), np.asarray(p)
        return float(((p == 0) & (t == 1)).sum() / (p == 0).sum()) if (p == 0).sum() else np.nan

    functions = {
        "true_positive_rate": true_positive_rate,
        "false_negative_rate": false_negative_rate,
        "false_positive_rate": false_positive_rate,
        "true_negative_rate": true_negative_rate,
        "precision": lambda t, p: precision_score(t, p, zero_division=0.0),
        "false_discovery_rate": fdr,
        "false_omission_rate": false_omission,
    }
    for metric_id, function in functions.items():
        raw = MetricFrame(
            metrics=function, y_true=y_true, y_pred=y_pred, sensitive_features=features
        ).by_group
        ours = metric(result, metric_id)
        for g in ours["groups"]:
            if g["value"] is None:
                continue
            expected = float(raw.loc[tuple(g["values"])])
            assert abs(g["value"] - expected) <= 1e-12, (metric_id, g["group"])
    # And by hand, from one group's 2×2 table.
    mask = (frame["region"] == "south") & (frame["age"] == "old") & known
    t = frame.loc[mask, "repaid"] == "yes"
    p = frame.loc[mask, "approved"] == "approved"
    tp, fp, fn, tn = (t & p).sum(), (~t & p).sum(), (t & ~p).sum(), (~t & ~p).sum()
    by_hand = {
        "true_positive_rate": (tp / (tp + fn), tp + fn),
        "false_positive_rate": (fp / (fp + tn), fp + tn),
        "false_negative_rate": (fn / (tp + fn), tp + fn),
        "true_negative_rate": (tn / (fp + tn), fp + tn),
        "precision": (tp / (tp + fp), tp + fp),
        "false_discovery_rate": (fp / (tp + fp), tp + fp),
        "false_omission_rate": (fn / (fn + tn), fn + tn),
    }
    for metric_id, (value, denominator) in by_hand.items():
        g = group(metric(result, metric_id), "south × old")
        assert abs(g["value"] - value) <= 1e-12 and g["denominator"] == denominator
    odds = group(metric(result, "equalized_odds"), "south × old")
    components = [
        group(metric(result, m), "south × old")
        for m in ("true_positive_rate", "false_positive_rate")
    ]
    assert odds["ratio"] in [c["ratio"] for c in components]
    assert metric(result, "equalized_odds")["kind"] == "summary"
    west = group(metric(result, "false_positive_rate"), "west × young")
    assert west["n"] == 12 and west["verdict"] == "insufficient data"


def test_labels_follow_the_truth_column(tmp_path):
    rows = error_rate_log(5).to_dict("records")
    data = check(
        tmp_path,
        rows,
        groups=["region"],
        outcome="approved",
        positive="approved",
        truth="repaid",
        truth_positive="yes",
    )
    assert (
        metric(data, "false_positive_rate")["label"]
        == "Selected, among those who did not have repaid = yes"
    )
    assert metric(data, "false_positive_rate")["denominator"] == "who should not have been selected"


# ---------------------------------------------------------------- thin data, zero cells, edges


def test_a_tiny_log_says_no_verdict_is_possible(tmp_path):
    rows = [{"language": ("en", "pl")[i % 2], "reached_human": i % 3 == 0} for i in range(25)]
    data = check(tmp_path, rows, "chatbot", groups=["language"])
    assert data["summary"]["text"].startswith("No verdict possible")
    assert "No disparity" not in data["summary"]["text"]
    assert (
        run_cli(
            "bias", "chatbot", str(tmp_path / "log.csv"), "-g", "language", "--fail-on", "disparity"
        ).returncode
        == 0
    )


def test_a_reference_rate_of_zero_is_not_read_as_no_disparity(tmp_path):
    rows = [{"language": "en", "reached_human": "no"} for _ in range(600)]
    rows += [{"language": "pl", "reached_human": "yes" if i % 10 < 3 else "no"} for i in range(300)]
    data = check(tmp_path, rows, "chatbot", groups=["language"])
    reached = metric(data, "reached_human")
    assert group(reached, "pl")["ratio"] is None  # 30 % / 0 %
    assert group(reached, "pl")["complement_ratio"] == pytest.approx(0.7)
    assert reached["reference_worst_off"]
    assert data["summary"]["text"].startswith("Disadvantaged: en")
    assert data["summary"]["disparities"] == 1


def test_zero_events_against_a_low_base_rate_is_judged(tmp_path):
    rows = [{"branch": "a", "flag": "yes" if i < 60 else "no"} for i in range(2000)]
    rows += [{"branch": "b", "flag": "no"} for _ in range(200)]
    data = check(tmp_path, rows, groups=["branch"], outcome="flag", positive="yes")
    b = group(metric(data, "selection"), "b")
    assert b["value"] == 0 and b["p_value"] < 0.05
    assert b["verdict"] != "within tolerance"


def test_the_complement_is_judged_too(tmp_path):
    rows = [{"shop": "a", "resolved": "yes" if i < 950 else "no"} for i in range(1000)]
    rows += [{"shop": "b", "resolved": "yes" if i < 800 else "no"} for i in range(1000)]
    data = check(tmp_path, rows, "chatbot", groups=["shop"], columns={"reached_human": "resolved"})
    b = group(metric(data, "resolved"), "b")
    assert 0.8 < b["ratio"] < 0.9  # inside the band on the rate …
    assert b["complement_ratio"] == pytest.approx(4.0)  # … but four times as many unresolved
    assert b["verdict"] == "disadvantaged"


def test_a_band_edge_is_inside_the_band(tmp_path):
    rows = [{"g": "a", "o": "yes" if i < 50_000 else "no"} for i in range(100_000)]
    rows += [{"g": "b", "o": "yes" if i < 40_000 else "no"} for i in range(100_000)]
    data = check(tmp_path, rows, groups=["g"], outcome="o", positive="yes")
    b = group(metric(data, "selection"), "b")
    assert b["ratio"] == pytest.approx(0.8)
    assert not b["verdict"].startswith("disadvantaged")  # 0.80 itself is inside the band


def test_within_tolerance_needs_the_whole_interval_inside_the_band(tmp_path):
    rows = [{"g": "a", "o": "yes" if i < 40 else "no"} for i in range(100)]
    rows += [{"g": "b", "o": "yes" if i < 38 else "no"} for i in range(100)]
    data = check(tmp_path, rows, groups=["g"], outcome="o", positive="yes", reference="a")
    b = group(metric(data, "selection"), "b")
    assert 0.8 < b["ratio"] < 1.25
    assert b["verdict"] == "inconclusive"
    assert 0 < b["detectable"] < 0.8  # what the data could have shown


# ---------------------------------------------------------------- many comparisons


def test_a_fair_log_with_many_groups_raises_no_alarm(tmp_path):
    generator = random.Random(3)
    rows = [
        {
            "language": f"l{generator.randrange(10)}",
            "requested_human": generator.random() < 0.4,
            "reached_human": generator.random() < 0.5,
            "resolved": generator.random() < 0.7,
        }
        for _ in range(600)
    ]
    data = check(tmp_path, rows, "chatbot", groups=["language"])
    assert data["thresholds"]["correction"] == "holm"
    assert data["thresholds"]["comparisons"] >= 18
    assert data["findings"] == []
    groups = [g for m in data["metrics"] for g in m["groups"] if g["p_adjusted"] is not None]
    assert all(g["p_adjusted"] >= g["p_value"] for g in groups)


# ---------------------------------------------------------------- confounders


def test_within_finds_simpsons_paradox(tmp_path):
    # Women apply mostly to the hard department: fewer offers overall, more in each department.
    rows = []
    for sex, department, applicants, offered in (
        ("m", "easy", 800, 480),
        ("m", "hard", 200, 40),
        ("f", "easy", 200, 130),
        ("f", "hard", 800, 200),
    ):
        rows += [
            {"sex": sex, "department": department, "offer": "yes" if i < offered else "no"}
            for i in range(applicants)
        ]
    crude = check(tmp_path, rows, groups=["sex"], outcome="offer", positive="yes", reference="m")
    assert group(metric(crude, "selection"), "f")["verdict"] == "disadvantaged"
    stratified = check(
        tmp_path,
        rows,
        groups=["sex"],
        outcome="offer",
        positive="yes",
        reference="m",
        within="department",
    )
    effect = metric(stratified, "selection")["within"][0]
    assert effect["group"] == "f" and effect["crude_ratio"] < 0.8
    assert effect["pooled_ratio"] > 1.0
    assert effect["effect"] in ("reverses", "disappears")
    assert {s["value"] for s in effect["strata"]} == {"easy", "hard"}


# ---------------------------------------------------------------- proxies


def contingency(pairs):
    table = {}
    for key in pairs:
        table[key] = table.get(key, 0.0) + 1.0
    return table


def test_a_random_high_cardinality_column_of_a_small_log_is_not_a_proxy():
    generator = random.Random(11)
    pairs = [(str(generator.randrange(100)), f"l{generator.randrange(10)}") for _ in range(600)]
    (result,) = judge_proxies([("postcode", "language", contingency(pairs))], 0.3)
    assert result.verdict == "no proxy shown"
    assert result.cramers_v < 0.3  # plain V would be about 0.4 here


def test_a_column_with_too_few_rows_per_value_is_cannot_tell():
    generator = random.Random(2)
    pairs = [(str(generator.randrange(150)), f"l{generator.randrange(4)}") for _ in range(600)]
    (result,) = judge_proxies([("postcode", "language", contingency(pairs))], 0.3)
    assert result.verdict == "cannot tell" and result.cramers_v is None


def test_a_real_proxy_is_found_in_600_rows():
    generator = random.Random(5)
    pairs = []
    for _ in range(600):
        language = generator.randrange(10)
        postcode = (
            language * 10 + generator.randrange(10)
            if generator.random() < 0.8
            else generator.randrange(100)
        )
        pairs.append((str(postcode), f"l{language}"))
    (result,) = judge_proxies([("postcode", "language", contingency(pairs))], 0.3)
    assert result.verdict == "proxy"
    assert result.v_ci[0] <= result.cramers_v <= result.v_ci[1] + 0.05


# ---------------------------------------------------------------- mapping mistakes and values


def test_positive_matches_the_files_own_text(tmp_path):
    yes_no = [{"g": ("a", "b")[i % 2], "o": ("Yes", "No")[i % 3 == 0]} for i in range(200)]
    data = check(tmp_path, yes_no, groups=["g"], outcome="o", positive="Yes", name="a.csv")
    assert metric(data, "selection")["overall"] == pytest.approx(133 / 200)
    floats = [{"g": ("a", "b")[i % 2], "o": (1.0, 0.0)[i % 4 == 0]} for i in range(200)]
    path = tmp_path / "b.parquet"
    pd.DataFrame(floats).to_parquet(path)
    data = bias_to_dict(
        run_check("check", str(path), CheckOptions(groups=["g"], outcome="o", positive="1"))
    )
    assert metric(data, "selection")["overall"] == pytest.approx(0.75)
    letters = [{"g": ("a", "b")[i % 2], "o": ("Y", "N")[i % 5 == 0]} for i in range(200)]
    assert metric(
        check(tmp_path, letters, groups=["g"], outcome="o", positive="Y", name="c.csv"), "selection"
    )["overall"] == pytest.approx(0.8)


def test_a_misspelled_column_role_is_an_error_not_a_skipped_metric(tmp_path):
    path = REPO / "examples" / "logs" / "chatbot.csv"
    with pytest.raises(InputError) as caught:
        run_check(
            "chatbot", path, CheckOptions(groups=["language"], columns={"requested_humen": "x"})
        )
    assert "did you mean 'requested_human'?" in caught.value.format()
    cli = run_cli(
        "bias",
        "check",
        str(path),
        "--outcome",
        "resolved",
        "--positive",
        "yes",
        "-g",
        "language",
        "--column",
        "a=b",
    )
    assert cli.returncode == 2


def test_a_skipped_metric_is_listed(tmp_path):
    rows = [{"language": ("en", "de")[i % 2], "reached_human": i % 3 == 0} for i in range(400)]
    data = check(tmp_path, rows, "chatbot", groups=["language"])
    assert {s["metric"] for s in data["skipped"]} == {
        "human_when_requested",
        "resolved",
        "satisfaction",
        "wait_time",
    }
    table = run_cli("bias", "chatbot", str(tmp_path / "log.csv"), "-g", "language").stdout
    assert "Skipped: wait_time" in table


def test_a_proxy_threshold_of_zero_is_kept(tmp_path):
    path = REPO / "examples" / "logs" / "segmentation.csv"
    result = run_cli(
        "bias",
        "segmentation",
        str(path),
        "-g",
        "language",
        "--proxy-threshold",
        "0",
        "--format",
        "json",
    )
    proxies = json.loads(result.stdout)["proxies"]
    assert {p["column"] for p in proxies if p["verdict"] == "proxy"} >= {"postcode"}


# ---------------------------------------------------------------- one catalog


def test_the_schema_and_the_cli_read_the_catalog():
    properties = SCHEMA["properties"]
    assert properties["check"]["enum"] == sorted(CHECKS)
    group_schema = properties["metrics"]["items"]["properties"]["groups"]["items"]
    assert group_schema["properties"]["verdict"]["enum"] == list(VERDICTS)
    pattern = properties["metrics"]["items"]["properties"]["id"]["pattern"]
    for check_def in CHECKS.values():
        for metric_def in check_def.metrics:
            assert f"|{metric_def.id}|" in pattern.replace("(", "|").replace(")", "|")
    from auditkit.rubric.parse import EVIDENCE_METRICS

    assert EVIDENCE_METRICS["check"][0] == "selection"


def test_every_check_runs_from_the_report(tmp_path):
    rows = error_rate_log(1).to_dict("records")
    log = write_csv(tmp_path / "loans.csv", rows)
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "groups: [region]\noutcome: approved\npositive: approved\ntruth: repaid\ntruth_positive: 'yes'\n"
    )
    out = tmp_path / "r.html"
    result = run_cli(
        "report",
        str(REPO / "examples" / "bakery" / "answers.yaml"),
        "--bias",
        f"check:{log}",
        "--bias-mapping",
        str(mapping),
        "-o",
        str(out),
        "--date",
        "2026-11-23",
    )
    assert result.returncode == 0, result.stderr
    html = out.read_text()
    assert "Decision log: loans.csv" in html
    assert "Selected, among those who did not have repaid = yes" in html


# ---------------------------------------------------------------- headlines say what was not judged


def thin_cells_log(path) -> str:
    """Two group columns, 11 intersectional cells, approval 30 % in each: six of 400 rows, three
    of 18 (under the 30 a comparison needs) and two of 7 (under the suppression floor)."""
    sizes = {("north", "f"): 400, ("north", "m"): 400, ("south", "f"): 400}
    sizes |= {("south", "m"): 400, ("east", "f"): 400, ("east", "m"): 400}
    sizes |= {("west", "f"): 18, ("west", "m"): 18, ("islands", "f"): 18}
    sizes |= {("centre", "f"): 7, ("centre", "m"): 7}
    rows = [
        {"region": region, "sex": sex, "approved": "yes" if i < round(0.3 * n) else "no"}
        for (region, sex), n in sizes.items()
        for i in range(n)
    ]
    return write_csv(path, rows)


def test_every_headline_says_how_many_comparisons_were_not_judged_and_why(tmp_path):
    import auditkit

    log = thin_cells_log(tmp_path / "loans.csv")
    args = ["bias", "check", log, "--outcome", "approved", "--positive", "yes"]
    args += ["-g", "region", "-g", "sex"]
    expected = (
        "No disparity shown in 5 comparisons (holm); 5 not judged: "
        "3 with too few rows or events to judge, 2 suppressed (too few people to show)."
    )
    # The JSON summary: the text and the counts behind it.
    result = run_cli(*args, "--format", "json", "-o", str(tmp_path / "bias.json"))
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "bias.json").read_text())
    assert data["summary"]["text"].startswith(expected)
    assert data["summary"]["not_judged"] == {
        "total": 5, "too_few_rows": 3, "suppressed": 2, "undefined": 0, "missing_group": 0,
    }  # fmt: skip
    assert data["summary"]["judged"] == 5
    # The table a person reads in a terminal (wrapped at 100 columns).
    table = " ".join(run_cli(*args).stdout.split())
    assert expected in table
    # The Python API's repr, as a notebook shows it.
    checked = auditkit.bias.check(log, group=["region", "sex"], outcome="approved", positive="yes")
    assert expected in repr(checked)
    # The report's bias section.
    out = tmp_path / "report.html"
    reported = run_cli(
        "report", str(REPO / "examples" / "bakery" / "answers.yaml"), "--bias",
        str(tmp_path / "bias.json"), "-o", str(out),
    )  # fmt: skip
    assert reported.returncode == 0, reported.stderr
    assert expected in " ".join(out.read_text().split())


def test_a_headline_with_findings_also_says_what_was_not_judged(tmp_path):
    rows = [
        {"region": region, "approved": "yes" if i < share * n else "no"}
        for region, n, share in (("a", 800, 0.4), ("b", 800, 0.2), ("c", 20, 0.3))
        for i in range(n)
    ]
    data = check(tmp_path, rows, groups=["region"], outcome="approved", positive="yes")
    text = data["summary"]["text"]
    assert text.startswith("Disadvantaged: b on “Selected")
    assert text.endswith("Also 1 not judged: 1 with too few rows or events to judge.")
