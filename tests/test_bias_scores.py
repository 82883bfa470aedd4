"""Decisions made by a cut-off on a score, and the score itself against the truth: each number
equal to fairlearn, scikit-learn or statsmodels on the raw rows."""

from __future__ import annotations

import json

import jsonschema
import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, false_positive_rate, selection_rate, true_positive_rate
from sklearn.metrics import roc_auc_score
from statsmodels.stats.contingency_tables import StratifiedTable

from tests.conftest import REPO, run_cli

SCHEMA = json.loads((REPO / "docs" / "bias.schema.json").read_text())


def churn_log(path, seed: int = 11, decimals: int = 2) -> pd.DataFrame:
    """A churn-risk score: group b scored 0.08 higher than its outcomes warrant."""
    rng = np.random.default_rng(seed)
    frames = []
    for name, size, shift in (("a", 1500, 0.0), ("b", 800, 0.08), ("c", 300, -0.03)):
        churned = rng.random(size) < 0.35
        risk = np.clip(0.3 + 0.35 * churned + shift + rng.normal(0, 0.2, size), 0, 1)
        frames.append(
            pd.DataFrame(
                {"grp": name, "risk": risk.round(decimals), "churned": churned.astype(int)}
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    frame.to_csv(path, index=False)
    return frame


def scored(path, *args: str, code: int = 0) -> dict:
    result = run_cli(
        "bias", "check", str(path), "-g", "grp", "--score", "risk", *args, "--format", "json"
    )
    assert result.returncode == code, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    return data


def by_group(metric: dict) -> dict[str, dict]:
    return {g["group"]: g for g in metric["groups"]}


def test_each_cut_off_is_a_decision_equal_to_fairlearn_on_the_raw_rows(tmp_path):
    rows = churn_log(tmp_path / "churn.csv")
    data = scored(
        tmp_path / "churn.csv", "--threshold", "0.5", "--threshold", "0.7",
        "--truth", "churned", "--truth-positive", "1",
    )  # fmt: skip
    metrics = {m["id"]: m for m in data["metrics"]}
    assert metrics["selection@0.7"]["label"] == "Selected (risk ≥ 0.7)"
    for cut in (0.5, 0.7):
        decided = (rows["risk"] >= cut).astype(int)
        frame = MetricFrame(
            metrics={
                "selection": selection_rate,
                "true_positive_rate": true_positive_rate,
                "false_positive_rate": false_positive_rate,
            },
            y_true=rows["churned"],
            y_pred=decided,
            sensitive_features=rows["grp"],
        )
        for metric_id in ("selection", "true_positive_rate", "false_positive_rate"):
            ours = by_group(metrics[f"{metric_id}@{cut:g}"])
            for name, expected in frame.by_group[metric_id].items():
                assert ours[name]["value"] == pytest.approx(expected, abs=1e-12)
        assert f"equalized_odds@{cut:g}" in metrics
    assert {p["threshold"] for p in data["positives"] if p["column"] == "risk"} == {0.5, 0.7}


def test_each_groups_auc_equals_scikit_learn_on_its_rows(tmp_path):
    rows = churn_log(tmp_path / "churn.csv", decimals=4)  # near-continuous: few ties
    data = scored(tmp_path / "churn.csv", "--threshold", "0.6", "--truth", "churned")
    auc = by_group(next(m for m in data["metrics"] if m["id"] == "auc"))
    frame = MetricFrame(
        metrics=roc_auc_score,
        y_true=rows["churned"],
        y_pred=rows["risk"],
        sensitive_features=rows["grp"],
    )
    for name, expected in frame.by_group.items():
        assert auc[name]["value"] == pytest.approx(expected, abs=1e-12)
    assert auc["b"]["test"] == "hanley-mcneil z"
    assert auc["b"]["verdict"] in ("within tolerance", "inconclusive")  # ranks as well


def test_calibration_compares_outcomes_at_the_same_score(tmp_path):
    rows = churn_log(tmp_path / "churn.csv", decimals=1)  # 11 values: deciles as bands
    args = ["--threshold", "0.6", "--truth", "churned", "--positive-is-adverse"]
    data = scored(tmp_path / "churn.csv", *args)
    metric = next(m for m in data["metrics"] if m["id"] == "calibration")
    edges = [band["up_to"] for band in metric["bands"]]
    bands = np.searchsorted(edges, rows["risk"], side="left")
    tables = []
    for band in range(len(edges)):
        inside = rows[bands == band]
        b, a = inside[inside["grp"] == "b"], inside[inside["grp"] == "a"]
        x1, n1, x0, n0 = b["churned"].sum(), len(b), a["churned"].sum(), len(a)
        if n1 and n0:
            tables.append(np.array([[x1, n1 - x1], [x0, n0 - x0]]))
    cube = StratifiedTable(tables)
    b = by_group(metric)["b"]
    assert b["ratio"] == pytest.approx(cube.riskratio_pooled, rel=1e-12)
    assert b["p_value"] == pytest.approx(cube.test_null_odds().pvalue, rel=1e-6)
    # Scored riskier than its outcomes: fewer churn at the same score, a disadvantage when
    # being scored high harms.
    assert b["ratio"] < 0.8 and b["verdict"].startswith("disadvantaged")
    first = metric["bands"][0]["groups"]
    assert {g["group"] for g in first} == {"a", "b", "c"}
    assert all(0 <= g["rate"] <= 1 for g in first if g["rate"] is not None)


def test_a_score_read_as_a_label_is_refused_with_the_option_that_fits(tmp_path):
    churn_log(tmp_path / "churn.csv")
    args = ["bias", "check", str(tmp_path / "churn.csv"), "-g", "grp"]
    result = run_cli(*args, "--outcome", "risk", "--positive", "0.7")
    assert result.returncode == 2
    assert "--score risk --threshold 0.7" in result.stderr and "Traceback" not in result.stderr
    for extra, said in (
        (["--threshold", "0.7"], "add --score COLUMN"),
        (["--score", "risk"], "--threshold T"),
        (
            ["--score", "risk", "--threshold", "0.7", "--outcome", "risk", "--positive", "1"],
            "not both",
        ),
    ):
        result = run_cli(*args, *extra)
        assert result.returncode == 2 and said in result.stderr, result.stderr


def test_text_in_a_score_is_located(tmp_path):
    path = tmp_path / "churn.csv"
    path.write_text("grp,risk\na,0.2\nb,0.9\na,high\nb,0.4\n", encoding="utf-8")
    result = run_cli(
        "bias", "check", str(path), "-g", "grp", "--score", "risk", "--threshold", "0.5"
    )
    assert result.returncode == 2
    assert "row 3" in result.stderr and "a score (a number)" in result.stderr


def test_python_takes_a_score_and_thresholds(tmp_path):
    import auditkit.bias

    rows = churn_log(tmp_path / "churn.csv")
    result = auditkit.bias.check(rows, group="grp", score="risk", threshold=[0.5, 0.7])
    ids = [m.id for m in result.result.metrics]
    assert ids == ["selection@0.5", "selection@0.7"]
