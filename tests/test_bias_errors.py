"""Bad logs get clear errors with file, row and column; pitfalls never pass silently."""

from __future__ import annotations

import json

from tests.conftest import REPO, run_cli, write

HEADER = "language,requested_human,reached_human,satisfaction\n"


def log(tmp_path, rows: list[str], name: str = "chats.csv"):
    return write(tmp_path / name, HEADER + "\n".join(rows) + "\n")


def many(row: str, times: int) -> list[str]:
    return [row] * times


def test_a_missing_column_lists_the_columns_and_suggests_the_closest(tmp_path):
    path = log(tmp_path, many("en,true,true,4", 40))
    result = run_cli("bias", "chatbot", str(path), "--group", "langauge")
    assert result.returncode == 2
    assert "the log has no column 'langauge' (a group column)" in result.stderr
    assert "'language', 'requested_human', 'reached_human', 'satisfaction'" in result.stderr
    assert "did you mean 'language'?" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unexpected_outcome_value_names_its_row_and_column(tmp_path):
    rows = [*many("en,true,true,4", 20), "de,true,maybe,4", *many("de,false,false,3", 20)]
    result = run_cli("bias", "chatbot", str(log(tmp_path, rows)), "--group", "language")
    assert result.returncode == 2
    assert (
        f"{tmp_path / 'chats.csv'}: row 21, column 'reached_human': holds values other than yes/no values"
        in result.stderr
    )
    assert "found:    'maybe'" in result.stderr


def test_a_number_column_with_text_names_its_row(tmp_path):
    rows = [*many("en,true,true,4", 20), "de,true,true,four", *many("de,false,false,3", 20)]
    result = run_cli("bias", "chatbot", str(log(tmp_path, rows)), "--group", "language")
    assert result.returncode == 2
    assert "row 21, column 'satisfaction': holds text where numbers are expected" in result.stderr


def test_an_empty_file_and_a_header_only_file(tmp_path):
    empty = write(tmp_path / "empty.csv", "")
    result = run_cli("bias", "chatbot", str(empty), "--group", "language")
    assert result.returncode == 2 and "the log is empty" in result.stderr
    header_only = write(tmp_path / "header.csv", HEADER)
    result = run_cli("bias", "chatbot", str(header_only), "--group", "language")
    assert result.returncode == 2 and "no data rows" in result.stderr


def test_a_group_column_with_one_value(tmp_path):
    result = run_cli(
        "bias", "chatbot", str(log(tmp_path, many("en,true,true,4", 40))), "--group", "language"
    )
    assert result.returncode == 2
    assert "group column 'language' has one value only ('en')" in result.stderr


def test_a_string_outcome_needs_a_positive_value_that_exists(tmp_path):
    path = write(tmp_path / "offers.csv", "region,offer\n" + "north,vip\nsouth,standard\n" * 30)
    without = run_cli("bias", "check", str(path), "--outcome", "offer", "--group", "region")
    assert (
        without.returncode == 2 and "needs --outcome COLUMN and --positive VALUE" in without.stderr
    )
    typo = run_cli(
        "bias", "check", str(path), "--outcome", "offer", "--positive", "VPI", "--group", "region"
    )
    assert typo.returncode == 2
    assert "the positive value 'VPI' never occurs in column 'offer'" in typo.stderr
    assert "'standard', 'vip'" in typo.stderr
    good = run_cli(
        "bias",
        "check",
        str(path),
        "--outcome",
        "offer",
        "--positive",
        "vip",
        "-g",
        "region",
        "--format",
        "json",
        "--min-group-size",
        "10",
    )
    data = json.loads(good.stdout)
    north = next(g for g in data["metrics"][0]["groups"] if g["group"] == "north")
    assert north["value"] == 1.0


def test_missing_outcomes_are_left_out_and_missing_groups_become_a_group(tmp_path):
    rows = (
        many("en,true,true,4", 30)
        + many("en,true,,4", 30)
        + many(",true,false,2", 12)
        + many("de,true,false,3", 30)
    )
    data = json.loads(
        run_cli(
            "bias", "chatbot", str(log(tmp_path, rows)), "-g", "language", "--format", "json"
        ).stdout
    )
    reached = next(m for m in data["metrics"] if m["id"] == "reached_human")
    assert reached["missing"] == 30
    english = next(g for g in reached["groups"] if g["group"] == "en")
    assert english["n"] == 60 and english["denominator"] == 30 and english["value"] == 1.0
    missing = next(g for g in reached["groups"] if g["group"] == "(missing)")
    assert missing["n"] == 12


def test_a_group_where_nobody_asked_has_an_undefined_rate_not_zero(tmp_path):
    rows = many("en,true,true,4", 40) + many("en,false,false,4", 10) + many("de,false,false,3", 40)
    data = json.loads(
        run_cli(
            "bias", "chatbot", str(log(tmp_path, rows)), "-g", "language", "--format", "json"
        ).stdout
    )
    asked = next(m for m in data["metrics"] if m["id"] == "human_when_requested")
    german = next(g for g in asked["groups"] if g["group"] == "de")
    assert german["value"] is None
    assert german["verdict"] == "insufficient data"
    assert "nobody in this group asked" in german["reason"]


def test_unknown_extension_and_log_format(tmp_path):
    path = write(tmp_path / "chats.txt", HEADER + "en,true,true,4\nde,true,true,4\n")
    result = run_cli("bias", "chatbot", str(path), "-g", "language")
    assert (
        result.returncode == 2 and "--format" in result.stderr
    ) or "--log-format" in result.stderr
    ok = run_cli("bias", "chatbot", str(path), "-g", "language", "--log-format", "csv")
    assert ok.returncode == 0, ok.stderr


def test_missing_value_markers_count_as_missing_like_blank_cells(tmp_path):
    """pyarrow's CSV writer and many exporters write a missing number as 'nan': the same
    numbers as blank cells, and the output says how many were missing."""
    import json

    text = (REPO / "examples" / "logs" / "chatbot.csv").read_text(encoding="utf-8")
    marked = text.replace(",,", ",nan,").replace(",\n", ",NA\n")
    assert marked != text
    blank_log, marked_log = tmp_path / "blank.csv", tmp_path / "marked.csv"
    blank_log.write_text(text, encoding="utf-8")
    marked_log.write_text(marked, encoding="utf-8")
    results = []
    for log in (blank_log, marked_log):
        result = run_cli("bias", "chatbot", str(log), "-g", "language", "--format", "json")
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        data.pop("source")
        results.append(data)
    assert results[0] == results[1]
    table = run_cli("bias", "chatbot", str(marked_log), "-g", "language")
    assert "rows with a missing value left out" in table.stdout


def test_a_utf8_log_with_one_latin1_row_is_refused_at_that_row(tmp_path):
    rows = ["language,requested_human,reached_human,resolved"]
    rows += [f"{lang},true,true,yes" for lang in ("español", "français") * 100]
    log = tmp_path / "mixed.csv"
    log.write_bytes(
        ("\n".join(rows) + "\n").encode() + "français,true,false,no\n".encode("latin-1")
    )
    result = run_cli("bias", "chatbot", str(log), "-g", "language")
    assert result.returncode == 2
    assert "mixed.csv:202: is UTF-8 text with a byte that is not UTF-8" in result.stderr
    assert "--encoding latin-1" in result.stderr


def test_a_log_read_as_latin1_says_so(tmp_path):
    import json

    rows = ["language,requested_human,reached_human,resolved"]
    rows += [
        f"{lang},true,{reached},yes"
        for lang in ("français", "english")
        for reached in ("true", "false") * 30
    ]
    log = tmp_path / "latin.csv"
    log.write_bytes(("\n".join(rows) + "\n").encode("latin-1"))
    table = run_cli("bias", "chatbot", str(log), "-g", "language")
    assert table.returncode == 0 and "latin.csv (read as latin-1)" in table.stdout
    assert "français" in table.stdout
    data = json.loads(
        run_cli("bias", "chatbot", str(log), "-g", "language", "--format", "json").stdout
    )
    assert data["source"]["encoding"] == "latin-1"
