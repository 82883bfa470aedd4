"""The bias checks find the injected disparity, clear the fair log, and keep their contract."""

from __future__ import annotations

import json

import jsonschema

from tests.conftest import REPO, run_cli, write

LOGS = REPO / "examples" / "logs"
CHATBOT = LOGS / "chatbot.csv"
SEGMENTATION = LOGS / "segmentation.csv"
SCHEMA = json.loads((REPO / "docs" / "bias.schema.json").read_text())


def bias_json(*args: str) -> dict:
    result = run_cli("bias", *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    return data


def metric(data: dict, metric_id: str) -> dict:
    return next(m for m in data["metrics"] if m["id"] == metric_id)


def group(metric_data: dict, name: str) -> dict:
    return next(g for g in metric_data["groups"] if g["group"] == name)


def test_the_injected_chatbot_disparity_is_found_for_the_right_group():
    data = bias_json("chatbot", str(CHATBOT), "--group", "language")
    asked = metric(data, "human_when_requested")
    assert asked["reference_group"] == "en"
    assert group(asked, "pl")["verdict"] == "disadvantaged"
    assert group(asked, "pl")["ratio"] < 0.6
    assert group(asked, "de")["verdict"] in ("within tolerance", "inconclusive")
    assert group(metric(data, "resolved"), "pl")["verdict"] == "within tolerance"
    # Polish speakers who reach a person wait less: an advantage, named as such, not a harm.
    wait = metric(data, "wait_time")
    assert wait["direction"] == "lower"
    assert group(wait, "pl")["verdict"] == "advantaged"
    assert data["summary"]["text"].startswith("Disadvantaged: pl on “Reached a person”")
    assert "Advantaged: pl on “Mean waiting time for a person”" in data["summary"]["text"]
    # The same fact from the reference's side: English speakers wait longer than Polish ones.
    assert "en on “Mean waiting time for a person” (1.82× pl)" in data["summary"]["text"]
    assert data["summary"]["disparities"] == 3


def test_a_group_below_the_floor_is_suppressed_not_judged_fair():
    data = bias_json("chatbot", str(CHATBOT), "--group", "language")
    for metric_data in data["metrics"]:
        small = group(metric_data, "uk")
        assert small["n"] == "<10"
        assert small["value"] is None and small["ci"] is None and small["ratio"] is None
        assert small["verdict"] == "insufficient data"


def test_the_fair_segmentation_has_no_disparity_but_flags_the_postcode_proxy():
    data = bias_json(
        "segmentation", str(SEGMENTATION), "--group", "language", "--group", "age_band"
    )
    verdicts = {g["verdict"] for m in data["metrics"] for g in m["groups"]}
    assert not verdicts & {"disadvantaged", "advantaged", "differs"}
    assert data["findings"] == []
    assert [m["id"] for m in data["metrics"]] == [
        "segment:discount",
        "segment:standard",
        "segment:vip",
    ]
    assert group(metric(data, "segment:vip"), "tr × 55+")["n"] > 100  # intersectional groups
    proxies = {(p["column"], p["protected"]) for p in data["proxies"] if p["verdict"] == "proxy"}
    assert ("postcode", "language") in proxies
    assert ("age_band", "language") not in proxies
    checked = {(p["column"], p["protected"]) for p in data["proxies"]}
    assert ("yearly_spend", "language") not in checked  # high-cardinality columns are not tested


def test_fail_on_disparity_exit_codes():
    assert (
        run_cli(
            "bias", "chatbot", str(CHATBOT), "-g", "language", "--fail-on", "disparity"
        ).returncode
        == 1
    )
    assert (
        run_cli(
            "bias", "segmentation", str(SEGMENTATION), "-g", "language", "--fail-on", "disparity"
        ).returncode
        == 0
    )
    assert (
        run_cli("bias", "chatbot", str(CHATBOT), "-g", "lang", "--fail-on", "disparity").returncode
        == 2
    )


def test_outputs_hold_no_raw_row():
    table = run_cli("bias", "chatbot", str(CHATBOT), "-g", "language").stdout
    data = run_cli("bias", "chatbot", str(CHATBOT), "-g", "language", "--format", "json").stdout
    for text in (table, data):
        assert "@example.org" not in text
        assert "C-10" not in text


def test_printed_sql_run_elsewhere_gives_the_same_result_through_counts(tmp_path):
    import duckdb

    sql = run_cli(
        "bias",
        "chatbot",
        "-g",
        "language",
        "--print-sql",
        "--dialect",
        "duckdb",
        "--table",
        "chats",
    ).stdout
    connection = duckdb.connect()
    connection.execute(f"CREATE TABLE chats AS SELECT * FROM read_csv('{CHATBOT}')")
    counts = tmp_path / "counts.csv"
    connection.execute(sql.rstrip().rstrip(";")).df().to_csv(counts, index=False)
    direct = bias_json("chatbot", str(CHATBOT), "-g", "language")
    via_counts = bias_json("chatbot", "--counts", str(counts), "-g", "language")
    assert via_counts["source"]["kind"] == "counts"
    assert via_counts["metrics"] == direct["metrics"]


def test_bias_evidence_caps_the_score(tmp_path):
    out = tmp_path / "bias.json"
    assert (
        run_cli(
            "bias", "chatbot", str(CHATBOT), "-g", "language", "--format", "json", "-o", str(out)
        ).returncode
        == 0
    )
    artisan = REPO / "examples" / "artisan-stay" / "answers.yaml"
    score = json.loads(
        run_cli("score", str(artisan), "--bias", str(out), "--format", "json").stdout
    )
    capped = {s["question_id"]: s for s in score["safeguards"] if s["status"] == "capped"}
    assert {"fairness.equal-access", "handoff.reach-person"} <= set(capped)
    assert capped["fairness.equal-access"]["caps"][0]["groups"] == ["pl"]


def test_a_mapping_file_renames_columns(tmp_path):
    text = CHATBOT.read_text().replace("reached_human", "handed_over", 1)
    log = write(tmp_path / "chats.csv", text)
    mapping = write(
        tmp_path / "map.yaml", "columns:\n  reached_human: handed_over\ngroups: [language]\n"
    )
    data = bias_json("chatbot", str(log), "--mapping", str(mapping))
    assert group(metric(data, "human_when_requested"), "pl")["verdict"] == "disadvantaged"


def test_the_committed_logs_are_what_the_generator_makes(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate", LOGS / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    generate.write(tmp_path / "chatbot.csv", generate.chatbot())
    generate.write(tmp_path / "segmentation.csv", generate.segmentation())
    assert (tmp_path / "chatbot.csv").read_bytes() == CHATBOT.read_bytes()
    assert (tmp_path / "segmentation.csv").read_bytes() == SEGMENTATION.read_bytes()


def test_saved_counts_feed_back_into_the_same_result(tmp_path):
    counts = tmp_path / "counts.csv"
    direct = bias_json(
        "segmentation",
        str(SEGMENTATION),
        "-g",
        "language",
        "--save-counts",
        str(counts),
        "--no-proxies",
    )
    header = counts.read_text().splitlines()[0]
    assert header == "g__language,o__segment,n"
    via_counts = bias_json("segmentation", "--counts", str(counts), "-g", "language")
    assert via_counts["metrics"] == direct["metrics"]


def test_flags_win_over_the_mapping_file(tmp_path):
    mapping = write(
        tmp_path / "map.yaml", "groups: [language]\ntolerance: [0.1, 10]\nmin_group_size: 5000\n"
    )
    from_file = bias_json("chatbot", str(CHATBOT), "--mapping", str(mapping))
    thresholds = from_file["thresholds"]
    assert (thresholds["tolerance"], thresholds["min_group_size"]) == ([0.1, 10.0], 5000)
    assert thresholds["suppress_below"] == 10
    flags = bias_json(
        "chatbot",
        str(CHATBOT),
        "--mapping",
        str(mapping),
        "--tolerance",
        "0.8",
        "1.25",
        "--min-group-size",
        "30",
    )
    assert (
        flags["thresholds"]["tolerance"] == [0.8, 1.25]
        and flags["thresholds"]["min_group_size"] == 30
    )
    assert group(metric(flags, "human_when_requested"), "pl")["verdict"] == "disadvantaged"


def test_a_mapping_file_with_a_bad_number_is_located(tmp_path):
    mapping = write(tmp_path / "map.yaml", "groups: [language]\nmin_group_size: lots\n")
    result = run_cli("bias", "chatbot", str(CHATBOT), "--mapping", str(mapping))
    assert result.returncode == 2
    assert (
        f"{mapping}:2:17: 'min_group_size' of the mapping file has the wrong type" in result.stderr
    )
