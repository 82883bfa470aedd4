"""Whoever is worse off is named, the majority included, and one fact is counted once.

The default reference is the largest group, so "the majority is worse off" is the reference
being worse off. It used to be named only when every other group was established better off:
one small group with a wide interval switched the finding, and ``--fail-on``, off.
"""

from __future__ import annotations

import csv
import json
import random

from tests.conftest import run_cli


def write_log(path, groups: list[tuple[str, int, float]], seed: int = 5) -> str:
    """A decision log: (group, rows, approval rate) each."""
    rng = random.Random(seed)
    with open(path, "w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["region", "approved"])
        for name, size, rate in groups:
            for _ in range(size):
                writer.writerow([name, "yes" if rng.random() < rate else "no"])
    return str(path)


def bias(*args: str):
    return run_cli("bias", "check", *args, "--format", "json")


def test_a_worse_off_majority_is_named_although_a_small_group_is_uncertain(tmp_path):
    log = write_log(
        tmp_path / "loans.csv",
        [("majority", 5000, 0.24)]
        + [(f"branch-{i}", 1000, 0.40) for i in range(1, 6)]
        + [("small", 45, 0.40)],
    )
    result = bias(log, "--outcome", "approved", "--positive", "yes", "-g", "region")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    selected = data["metrics"][0]
    assert selected["reference_group"] == "majority"
    small = next(g for g in selected["groups"] if g["group"] == "small")
    assert small["verdict"] in ("inconclusive", "advantaged (size uncertain)")
    named = [f for f in data["findings"] if f["group"] == "majority"]
    assert [(f["side"], f["established"]) for f in named] == [("disadvantaged", True)]
    assert data["summary"]["text"].startswith("Disadvantaged: majority on “Selected")
    assert "× branch-" in named[0]["sentence"]
    gate = run_cli(
        "bias", "check", log, "--outcome", "approved", "--positive", "yes", "-g", "region",
        "--fail-on", "disparity",
    )  # fmt: skip
    assert gate.returncode == 1, gate.stdout + gate.stderr


def compas_shaped(path, seed: int = 3) -> str:
    """A risk score's decisions with the truth: the largest group flagged high-risk far more
    often, a 32-row group too small to be sure of."""
    rng = random.Random(seed)
    groups = [
        ("African-American", 3000, 0.58),
        ("Caucasian", 2000, 0.34),
        ("Hispanic", 500, 0.30),
        ("Other", 350, 0.21),
        ("Asian", 32, 0.25),
    ]
    with open(path, "w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["race", "high_risk", "reoffended"])
        for name, size, flagged in groups:
            for _ in range(size):
                high = rng.random() < flagged
                truth = rng.random() < (0.6 if high else 0.3)
                writer.writerow([name, int(high), int(truth)])
    return str(path)


def test_a_majority_flagged_more_often_is_disadvantaged_with_the_truth_known(tmp_path):
    log = compas_shaped(tmp_path / "risk.csv")
    args = [log, "--outcome", "high_risk", "--positive", "1", "--positive-is-adverse"]
    args += ["--truth", "reoffended", "--truth-positive", "1", "-g", "race"]
    data = json.loads(bias(*args).stdout)
    selection = next(m for m in data["metrics"] if m["id"] == "selection")
    assert selection["reference_group"] == "African-American"
    assert selection["direction"] == "lower"
    (finding,) = [
        f
        for f in data["findings"]
        if f["metric"] == "selection" and f["group"] == "African-American"
    ]
    assert finding["side"] == "disadvantaged" and finding["established"]
    assert "× Caucasian" in finding["sentence"] and "× Other" in finding["sentence"]
    caucasian = next(g for g in selection["groups"] if g["group"] == "Caucasian")
    assert f"{1 / caucasian['ratio']:.2f}× Caucasian" in finding["sentence"]


def test_complementary_rates_are_one_comparison_and_one_finding(tmp_path):
    log = compas_shaped(tmp_path / "risk.csv")
    args = [log, "--outcome", "high_risk", "--positive", "1", "--truth", "reoffended"]
    args += ["--truth-positive", "1", "-g", "race"]
    data = json.loads(bias(*args).stdout)
    by_id = {m["id"]: m for m in data["metrics"]}
    assert by_id["false_negative_rate"]["complement_of"] == "true_positive_rate"
    assert by_id["true_negative_rate"]["complement_of"] == "false_positive_rate"
    assert by_id["false_discovery_rate"]["complement_of"] == "precision"
    assert by_id["true_positive_rate"]["complement_of"] is None
    distinct = [m for m in data["metrics"] if m["kind"] != "summary" and not m["complement_of"]]
    judged = sum(1 for m in distinct for g in m["groups"] if g["p_value"] is not None)
    assert data["thresholds"]["comparisons"] == judged
    for metric, partner in [("false_negative_rate", "true_positive_rate")]:
        for mine, theirs in zip(by_id[metric]["groups"], by_id[partner]["groups"], strict=True):
            assert mine["p_adjusted"] == theirs["p_adjusted"]
    complements = {m["id"] for m in data["metrics"] if m["complement_of"]}
    assert not [f for f in data["findings"] if f["metric"] in complements]
    keys = [(f["metric"], f["group"], f["side"], f["established"]) for f in data["findings"]]
    assert len(keys) == len(set(keys))


def compas_by_age(path, seed: int = 7) -> str:
    """COMPAS-shaped, with its ``age_cat`` column: the young flagged high-risk far more often,
    and the score's errors different by race and by age, as in the published data."""
    rng = random.Random(seed)
    races = {"African-American": 3175, "Caucasian": 2103, "Hispanic": 509, "Other": 343}
    ages = {"Less than 25": (0.22, 0.62), "25 - 45": (0.57, 0.45), "Greater than 45": (0.21, 0.3)}
    lift = {"African-American": 1.3, "Caucasian": 0.9, "Hispanic": 0.85, "Other": 0.75}
    with open(path, "w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["race", "age_cat", "decile_high", "two_year_recid"])
        for race, size in races.items():
            for _ in range(size):
                age = rng.choices(list(ages), [share for share, _ in ages.values()])[0]
                truth = rng.random() < ages[age][1] * (1.1 if race == "African-American" else 1)
                flagged = rng.random() < min(0.95, (0.62 if truth else 0.27) * lift[race])
                writer.writerow([race, age, int(flagged), int(truth)])
    return str(path)


def test_a_rate_and_its_complement_give_one_verdict_in_every_stratum(tmp_path):
    log = compas_by_age(tmp_path / "compas.csv")
    args = [log, "--outcome", "decile_high", "--positive", "1", "--positive-is-adverse"]
    args += ["--truth", "two_year_recid", "--truth-positive", "1", "-g", "race"]
    result = bias(*args, "--within", "age_cat")
    assert result.returncode == 0, result.stderr
    by_id = {m["id"]: m for m in json.loads(result.stdout)["metrics"]}
    pairs = [(m["id"], m["complement_of"]) for m in by_id.values() if m["complement_of"]]
    assert len(pairs) == 3
    compared = 0
    for complement, primary in pairs:
        mine = {e["group"]: e for e in by_id[complement]["within"]}
        theirs = {e["group"]: e for e in by_id[primary]["within"]}
        assert mine.keys() == theirs.keys() and mine
        for group, effect in theirs.items():
            assert mine[group]["effect"] == effect["effect"], (complement, group)
            for a, b in zip(mine[group]["strata"], effect["strata"], strict=True):
                assert a["value"] == b["value"]
                assert a["verdict"] == b["verdict"], (complement, group, a["value"])
                compared += 1
    assert compared >= 27  # 3 pairs × 3 groups × 3 age bands


def test_equalized_odds_names_both_rates_and_is_not_a_test(tmp_path):
    log = compas_shaped(tmp_path / "risk.csv")
    args = [log, "--outcome", "high_risk", "--positive", "1", "--truth", "reoffended"]
    args += ["--truth-positive", "1", "-g", "race"]
    data = json.loads(bias(*args).stdout)
    odds = next(m for m in data["metrics"] if m["kind"] == "summary")
    for entry in odds["groups"]:
        assert entry["p_value"] is None and entry["p_adjusted"] is None
        assert entry["verdict"] not in ("disadvantaged", "advantaged")
        if entry["verdict"] != "reference" and entry["ratio"] is not None:
            assert "true-positive rate" in entry["reason"]
            assert "false-positive rate" in entry["reason"]


def test_junit_has_a_case_per_comparison_failing_what_the_gate_counts(tmp_path):
    from xml.etree import ElementTree as ET

    from tests.conftest import REPO

    log = str(REPO / "examples" / "logs" / "chatbot.csv")
    data = json.loads(run_cli("bias", "chatbot", log, "-g", "language", "--format", "json").stdout)
    for gate, code in ((None, 0), ("disparity", 1), ("established", 1), ("significant", 1)):
        args = ["bias", "chatbot", log, "-g", "language", "--format", "junit"]
        result = run_cli(*args, *(["--fail-on", gate] if gate else []))
        assert result.returncode == code, result.stderr
        suite = ET.fromstring(result.stdout)
        cases = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases))
        expected = {
            (f"auditkit.bias.chatbot.{m['id']}", g["group"])
            for m in data["metrics"]
            if m["kind"] != "summary" and not m["complement_of"]
            for g in m["groups"]
            if g["verdict"] != "reference"
        }
        counted = {
            (f"auditkit.bias.chatbot.{f['metric']}", f["group"])
            for f in data["findings"]
            if f["side"] == "disadvantaged" and (f["established"] or gate != "established")
        }
        names = {(c.get("classname"), c.get("name")) for c in cases}
        assert names == expected | counted
        failed = {
            (c.get("classname"), c.get("name")) for c in cases if c.find("failure") is not None
        }
        assert failed == counted
        assert suite.get("failures") == str(len(counted))
        skipped = [c for c in cases if c.find("skipped") is not None]
        assert {c.get("name") for c in skipped} == {"uk"}  # under the floor: not judged


def test_a_too_small_reference_says_so_and_suggests_another(tmp_path):
    log = write_log(
        tmp_path / "loans.csv", [("big", 400, 0.5), ("other", 300, 0.5), ("tiny", 15, 0.5)]
    )
    args = [
        log,
        "--outcome",
        "approved",
        "--positive",
        "yes",
        "-g",
        "region",
        "--reference",
        "tiny",
    ]
    text = json.loads(bias(*args).stdout)["summary"]["text"]
    assert "the reference group tiny has fewer than 30" in text
    assert "--reference" in text and "no group has enough data" not in text
