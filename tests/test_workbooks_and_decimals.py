"""The files people have: a till's export saved as .xlsx, a plan saved back from Excel, a ';'
CSV with decimal commas. Each gives exactly what its plain-CSV twin gives."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import REPO, run_cli
from tests.corpus.make_corpus import typed, workbook

CHATBOT = REPO / "examples" / "logs" / "chatbot.csv"
BAKERY = REPO / "examples" / "bakery" / "answers.yaml"


def chatbot_table(halves: bool = False) -> list[list[str]]:
    """The example chatbot log; with ``halves``, every wait time gets a half second, so the
    numbers have decimals to write with a comma."""
    table = list(csv.reader(io.StringIO(CHATBOT.read_text(encoding="utf-8"))))
    if halves:
        wait = table[0].index("wait_time")
        for row in table[1:]:
            if row[wait]:
                row[wait] += ".5"
    return table


def write_csv(path, table, delimiter=",", decimal="."):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    header, *rows = table
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell.replace(".", decimal) if _number(cell) else cell for cell in row])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def bias_json(*args: str) -> dict:
    result = run_cli("bias", "chatbot", *args, "-g", "language", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def same_results(a: dict, b: dict) -> None:
    """Every number and verdict the same; only the file's own description differs."""
    for key in ("metrics", "findings", "summary", "labels", "groups", "thresholds"):
        assert a[key] == b[key], key
    assert a["source"]["rows"] == b["source"]["rows"]


# ------------------------------------------------------------------------------ workbooks
def test_an_xlsx_log_gives_what_its_csv_twin_gives(tmp_path):
    table = chatbot_table(halves=True)
    twin = write_csv(tmp_path / "chatbot.csv", table)
    workbook_path = tmp_path / "till-export.xlsx"
    cells = [table[0]] + [[typed(c) for c in row] for row in table[1:]]
    _write_workbook(workbook_path, cells)
    from_csv, from_xlsx = bias_json(str(twin)), bias_json(str(workbook_path))
    same_results(from_csv, from_xlsx)
    assert from_xlsx["source"]["format"] == "xlsx"
    assert from_xlsx["source"]["sheet"] == "Export"
    waits = next(m for m in from_xlsx["metrics"] if m["kind"] == "mean")
    assert any(not float(g["value"]).is_integer() for g in waits["groups"] if g["value"])


def test_a_workbook_written_by_openpyxl_with_a_title_row_is_read_from_its_header(tmp_path):
    """Booking systems put a title above the table; the rows Excel shows are the ones named."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Bookings"
    table = chatbot_table()[:200]
    sheet["B1"] = "Export of 2026-11-30"
    for number, row in enumerate(table, start=3):
        for column, cell in enumerate(row, start=2):
            sheet.cell(number, column, typed(cell) if number > 3 else cell)
    sheet.cell(9, 2 + table[0].index("wait_time"), "twelve")  # Excel row 9
    path = tmp_path / "bookings.xlsx"
    book.save(path)
    result = run_cli("bias", "chatbot", str(path), "-g", "language")
    assert result.returncode == 2
    assert f"{path}, sheet 'Bookings': row 9, column 'wait_time'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_plan_saved_back_from_excel_imports_like_the_csv(tmp_path):
    made = run_cli("plan", str(BAKERY))
    rows = list(csv.reader(io.StringIO(made.stdout.lstrip("\ufeff"))))
    names = rows[0]
    rows[1][names.index("owner")] = "Ilse"
    rows[1][names.index("due")] = "2027-03-31"
    rows[1][names.index("status")] = "in progress"
    rows[2][names.index("owner")] = "Jan"
    rows[2][names.index("note")] = "=ask the bank first"  # text, never a formula
    answers = {}
    for kind in ("csv", "xlsx"):
        (tmp_path / kind).mkdir()
        into = tmp_path / kind / "answers.yaml"  # the file names itself in its header
        into.write_bytes(BAKERY.read_bytes())
        plan = tmp_path / f"plan.{kind}"
        if kind == "csv":
            write_csv(plan, rows)
        else:
            import datetime

            import openpyxl

            book = openpyxl.Workbook()
            for row in rows:
                book.active.append(row)
            # Excel turns a typed date into a date cell: it reads back as the same day.
            book.active.cell(2, names.index("due") + 1, datetime.datetime(2027, 3, 31))
            book.active.cell(3, names.index("note") + 1).data_type = "s"
            book.save(plan)
        result = run_cli("plan", "import", str(plan), "--into", str(into))
        assert result.returncode == 0, result.stderr
        answers[kind] = into.read_text(encoding="utf-8")
    assert answers["csv"] == answers["xlsx"]
    assert "owner: Ilse" in answers["xlsx"] and "due: '2027-03-31'" in answers["xlsx"]


def test_an_old_xls_or_an_ods_is_told_what_to_save_it_as(tmp_path):
    path = tmp_path / "export.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 600)
    result = run_cli("bias", "chatbot", str(path), "-g", "language")
    assert result.returncode == 2
    assert "save it as an Excel workbook (.xlsx) or as CSV UTF-8" in result.stderr
    assert "--log-format csv" not in result.stderr


# ------------------------------------------------------------------------ decimal commas
def test_a_semicolon_csv_with_decimal_commas_is_read_as_excel_wrote_it(tmp_path):
    table = chatbot_table(halves=True)
    english = bias_json(str(write_csv(tmp_path / "en.csv", table)))
    european = write_csv(tmp_path / "eu.csv", table, delimiter=";", decimal=",")
    assert "169,5" in european.read_text()
    detected = bias_json(str(european))
    same_results(english, detected)
    assert detected["source"]["decimal_comma"] == ["wait_time"]
    assert "decimal_comma" not in english["source"]
    asked = bias_json(str(european), "--decimal", ",")
    same_results(english, asked)


def test_thousands_points_are_read_with_a_decimal_comma(tmp_path):
    table = chatbot_table(halves=True)
    wait = table[0].index("wait_time")
    scaled = [table[0]] + [
        [*row[:wait], f"{float(row[wait]) * 1000:.1f}" if row[wait] else "", *row[wait + 1 :]]
        for row in table[1:]
    ]
    english = bias_json(str(write_csv(tmp_path / "en.csv", scaled)))
    european = [scaled[0]] + [
        [*row[:wait], _european(row[wait]), *row[wait + 1 :]] for row in scaled[1:]
    ]
    path = tmp_path / "eu.csv"
    with open(path, "w", newline="", encoding="utf-8") as stream:
        csv.writer(stream, delimiter=";").writerows(european)
    assert "169.500,0" in path.read_text()
    same_results(english, bias_json(str(path), "--decimal", ","))


def _european(value: str) -> str:
    if not value:
        return ""
    whole, _, decimals = f"{float(value):,.1f}".partition(".")
    return whole.replace(",", ".") + "," + decimals


def test_decimal_commas_in_a_comma_csv_are_not_guessed_but_named_in_the_fix(tmp_path):
    """In a ',' CSV, "1,234" may be a thousand: refused, with the way to say what is meant."""
    table = chatbot_table(halves=True)
    path = write_csv(tmp_path / "quoted.csv", table, decimal=",")
    refused = run_cli("bias", "chatbot", str(path), "-g", "language")
    assert refused.returncode == 2
    assert "row 1, column 'wait_time'" in refused.stderr
    assert "decimal comma (169,5)" in refused.stderr and "--decimal ," in refused.stderr
    english = bias_json(str(write_csv(tmp_path / "en.csv", table)))
    same_results(english, bias_json(str(path), "--decimal", ","))


def test_python_takes_the_decimal_mark_as_a_keyword(tmp_path):
    import auditkit.bias

    table = chatbot_table(halves=True)
    english = auditkit.bias.chatbot(write_csv(tmp_path / "en.csv", table), group="language")
    quoted = write_csv(tmp_path / "quoted.csv", table, decimal=",")
    with pytest.raises(auditkit.InputError) as refused:
        auditkit.bias.chatbot(quoted, group="language")
    assert "decimal=','" in str(refused.value) and "--decimal" not in str(refused.value)
    comma = auditkit.bias.chatbot(quoted, group="language", decimal=",")
    assert comma.to_dict()["metrics"] == english.to_dict()["metrics"]


def _write_workbook(path, cells) -> None:
    workbook(path, cells)
