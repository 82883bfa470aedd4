"""Test contacts, as a user runs them: plan → record → check → score → report.

The paired numbers are checked against statsmodels and scipy on the very pairs the sheet
holds; the example guest house runs the whole way to a PDF read back with pypdf.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from auditkit.contacts.model import Persona, read_plan
from auditkit.contacts.personas import check_persona
from auditkit.errors import InputError
from tests.conftest import REPO, run_cli

EXAMPLE = REPO / "examples" / "guest-house-contacts"
CONSENT = "Owner agreed in writing on 1 November 2026"


def make_plan(folder: Path, *extra: str, pairs: int = 12) -> Path:
    result = run_cli(
        "contacts",
        "plan",
        "--channel",
        "chat",
        "--cue",
        "language",
        "--pairs",
        str(pairs),
        "--consent",
        CONSENT,
        "--start",
        "2026-11-02",
        "--seed",
        "3",
        "-o",
        str(folder),
        *extra,
    )
    assert result.returncode == 0, result.stderr
    return folder / "plan.yaml"


def fill(plan_path: Path, sheet: Path, outcome, drop=(), extra_rows=()) -> Path:
    """The template filled by ``outcome(row) -> dict of fields``; rows (pair, persona) in
    ``drop`` are left out, ``extra_rows`` appended as given."""
    plan = read_plan(plan_path)
    rows = []
    for pair in plan.pairs:
        for persona in ("ref", pair.variant):
            if (pair.pair, persona) in drop:
                continue
            row = {
                "date": pair.date,
                "channel": pair.channel,
                "persona": persona,
                "scenario": pair.scenario,
                "pair": pair.pair,
                "notes": "",
            }
            row.update(outcome(pair.pair, persona))
            rows.append(row)
    rows += list(extra_rows)
    fields = [
        "date",
        "channel",
        "persona",
        "scenario",
        "pair",
        "disclosed_first_turn",
        "turns_to_person",
        "minutes_to_person",
        "context_kept",
        "answer_right",
        "optout_offered",
        "notes",
    ]
    with sheet.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=fields, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return sheet


def check_json(sheet: Path, plan_path: Path, *extra: str, out: Path | None = None) -> dict:
    out = out or sheet.with_suffix(".json")
    result = run_cli(
        "contacts",
        "check",
        str(sheet),
        "--plan",
        str(plan_path),
        "--format",
        "json",
        "-o",
        str(out),
        *extra,
    )
    assert result.returncode == 0, result.stderr
    from auditkit.scoring.evidence import read_bias_json

    return read_bias_json(out)  # validates against docs/bias.schema.json


def metric(data: dict, metric_id: str) -> dict:
    return next(m for m in data["metrics"] if m["id"] == metric_id)


# ---------------------------------------------------------------- the plan


def test_the_plan_is_the_same_for_the_same_seed_and_keeps_the_weekly_cap(tmp_path):
    first = make_plan(tmp_path / "a", "--max-per-week", "6", pairs=20)
    second = make_plan(tmp_path / "b", "--max-per-week", "6", pairs=20)
    for name in (
        "plan.yaml",
        "plan.md",
        "plan.html",
        "schedule.csv",
        "contacts-template.csv",
        "contacts-template.xlsx",
    ):
        assert (first.parent / name).read_bytes() == (second.parent / name).read_bytes()
    plan = read_plan(first)
    assert len(plan.pairs) == 20 and {p.variant for p in plan.pairs} == {"pl"}
    weeks = Counter(dt.date.fromisoformat(p.date).isocalendar()[:2] for p in plan.pairs)
    assert max(weeks.values()) * 2 <= 6  # two contacts a pair
    assert {p.first for p in plan.pairs} == {"ref", "pl"}  # the order is random, both ways
    assert all(p.first_time < p.second_time for p in plan.pairs)
    assert "Owner agreed in writing" in (first.parent / "plan.md").read_text()
    assert (
        "the check would see a persona getting the outcome"
        in (first.parent / "plan.md").read_text()
    )


def test_a_different_seed_gives_a_different_order(tmp_path):
    one = read_plan(make_plan(tmp_path / "a"))
    result = run_cli(
        "contacts",
        "plan",
        "--channel",
        "chat",
        "--pairs",
        "12",
        "--consent",
        CONSENT,
        "--start",
        "2026-11-02",
        "--seed",
        "4",
        "-o",
        str(tmp_path / "b"),
    )
    assert result.returncode == 0
    assert [p.first for p in one.pairs] != [
        p.first for p in read_plan(tmp_path / "b" / "plan.yaml").pairs
    ]


def test_channels_come_from_todays_and_the_new_inventory_ids(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "answers:\n"
        "  adopt.phone-menu: {answer: live}\n"  # rubric 2.0
        "  adopt.automated-messages: {answer: pilot}\n"  # rubric 1.x
        "  adopt.kiosk: {answer: planned}\n"  # not in use yet: not tested
    )
    plan = read_plan(make_plan(tmp_path / "p", "--answers", str(answers)))
    assert plan.channels == ("chat", "e-mail", "phone")
    assert {p.channel for p in plan.pairs} <= {"chat", "e-mail", "phone"}


def test_the_plan_states_the_pairs_needed_and_what_it_could_see(tmp_path):
    result = run_cli(
        "contacts",
        "plan",
        "--channel",
        "chat",
        "--consent",
        CONSENT,
        "--gap",
        "0.5",
        "--start",
        "2026-11-02",
        "-o",
        str(tmp_path / "p"),
    )
    assert result.returncode == 0, result.stderr
    plan = read_plan(tmp_path / "p" / "plan.yaml")
    assert len(plan.pairs) == plan.pairs_needed == 28  # 4 comparisons, 0.9 against 0.45
    assert plan.could_see is not None and plan.could_see >= 0.5
    from auditkit.bias.paired import mcnemar_power

    # The figure shown keeps its promise: at that ratio the exact test has the stated power.
    alpha = plan.alpha / plan.comparisons
    assert mcnemar_power(len(plan.pairs), 0.9, plan.could_see, alpha) >= plan.power
    assert "each persona needs 28 pairs" in result.stdout


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--max-per-week", "40"], "--max-per-week"),
        (["--consent", " "], "--consent"),
        (["--gap", "1.5"], "--gap"),
    ],
)
def test_guardrails_refuse_with_the_option_named(tmp_path, options, named):
    arguments = [
        "contacts",
        "plan",
        "--channel",
        "chat",
        "--consent",
        CONSENT,
        "-o",
        str(tmp_path / "p"),
    ]
    result = run_cli(*arguments, *options)
    assert result.returncode == 2
    assert named in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "p" / "plan.yaml").exists()


def test_personas_refuse_addresses_and_numbers_that_could_reach_a_real_person():
    good = Persona("x", "x", "language", "pl", "Zofia Nowak", "z@example.org", "07700 900123")
    check_persona(good, "test")
    check_persona(Persona("x", "x", "age", "78", "A B", "a@mail.test", "555-0142"), "test")
    with pytest.raises(InputError, match="real person"):
        check_persona(
            Persona("x", "x", "name", "", "A B", "anna@gmail.com", "07700 900123"), "test"
        )
    with pytest.raises(InputError, match="real person"):
        check_persona(Persona("x", "x", "name", "", "A B", "a@example.org", "07911 123456"), "test")


# ---------------------------------------------------------------- the check


def _outcomes_with_a_gap(pair: str, persona: str) -> dict:
    number = int(pair[1:])
    told = persona == "ref" or number % 3 == 0  # the Polish persona told in a third of pairs
    minutes = 3 + number * 0.37 + (1.1 if persona == "pl" else 0) + (number % 4) * 0.01
    return {
        "disclosed_first_turn": "yes" if told else "no",
        "turns_to_person": str(2 + number % 3),
        "minutes_to_person": f"{minutes:.2f}",
        "notes": "Guest Jan Kowalski, 0171 555 0199",
    }


def test_pairs_are_analysed_as_pairs_equal_to_statsmodels_and_scipy(tmp_path):
    from scipy.stats import wilcoxon
    from statsmodels.stats.contingency_tables import mcnemar

    plan_path = make_plan(tmp_path / "p", pairs=14)
    sheet = fill(plan_path, tmp_path / "contacts.csv", _outcomes_with_a_gap)
    data = check_json(sheet, plan_path)
    told = metric(data, "disclosed_first_turn")["groups"][1]
    pairs = [int(p.pair[1:]) for p in read_plan(plan_path).pairs]
    b = sum(1 for n in pairs if n % 3)  # the reference told, the variant not
    expected = mcnemar([[14 - b, b], [0, 0]], exact=True).pvalue
    assert told["p_value"] == pytest.approx(expected) and told["test"] == "exact mcnemar"
    assert told["side"] == "disadvantaged" and told["verdict"].startswith("disadvantaged")
    minutes = metric(data, "minutes_to_person")["groups"][1]
    differences = [1.1] * 14  # the same extra wait in every pair: all positive
    assert minutes["p_value"] == pytest.approx(wilcoxon(differences, method="exact").pvalue)
    assert minutes["side"] == "disadvantaged"  # longer waits are worse
    assert data["thresholds"]["comparisons"] == 4  # disclosure, reached, steps, minutes
    assert told["p_adjusted"] >= told["p_value"]  # Holm over the round
    assert "Kowalski" not in json.dumps(data) and "0199" not in json.dumps(data)


def test_unpaired_duplicate_and_incomplete_contacts_are_reported_never_dropped(tmp_path):
    plan_path = make_plan(tmp_path / "p")
    stranger = {
        "date": "2026-11-03",
        "channel": "chat",
        "persona": "ref",
        "scenario": "called Jan Kowalski",
        "pair": "Kowalski P9",
        "disclosed_first_turn": "yes",
    }
    named = {
        "date": "2026-11-03",
        "channel": "chat",
        "persona": "Jan Kowalski",
        "pair": "P04",
        "disclosed_first_turn": "yes",
    }
    incomplete = {"date": "2026-11-03", "channel": "chat", "persona": "", "pair": "P02"}
    twice = {
        "date": "2026-11-03",
        "channel": "chat",
        "persona": "pl",
        "pair": "P03",
        "disclosed_first_turn": "no",
    }
    sheet = fill(
        plan_path,
        tmp_path / "c.csv",
        _outcomes_with_a_gap,
        drop={("P01", "pl")},
        extra_rows=[stranger, incomplete, twice, named],
    )
    data = check_json(sheet, plan_path)
    whys = {(item["pair"], item["why"].split(":")[0]) for item in data["contacts"]["left_out"]}
    assert ("P01", "no partner") in whys
    assert ("", "pair not in the plan") in whys
    assert ("P04", "a persona not in this pair (planned") in {
        (p, w.split(": ref")[0])
        for p, w in ((i["pair"], i["why"]) for i in data["contacts"]["left_out"])
    }
    assert "Kowalski" not in json.dumps(data)  # the sheet's free text is never echoed
    assert ("", "incomplete") in whys
    assert ("P03", "recorded twice for this persona") in whys
    assert data["contacts"]["pairs"] == 12 - 2  # P01 unpaired, P03 ambiguous
    assert any("could not be used as pairs" in note for note in data["notes"])


def test_a_value_that_is_not_yes_or_no_names_the_row_and_column(tmp_path):
    plan_path = make_plan(tmp_path / "p")
    sheet = fill(
        plan_path,
        tmp_path / "c.csv",
        lambda pair, persona: {"disclosed_first_turn": "maybe" if pair == "P02" else "yes"},
    )
    result = run_cli("contacts", "check", str(sheet), "--plan", str(plan_path))
    assert result.returncode == 2
    assert (
        "row 4, column 'disclosed_first_turn'" in result.stderr
        and "'maybe' is not yes or no" in result.stderr
    )


def test_thin_rounds_say_what_they_could_see_and_never_call_it_fair(tmp_path):
    plan_path = make_plan(tmp_path / "p", pairs=12)
    sheet = fill(
        plan_path,
        tmp_path / "c.csv",
        lambda pair, persona: {"disclosed_first_turn": "yes", "turns_to_person": "2"},
    )
    data = check_json(sheet, plan_path)
    told = metric(data, "disclosed_first_turn")["groups"][1]
    assert told["verdict"] == "inconclusive" and told["detectable"] is not None
    assert "No disparity shown" in data["summary"]["text"]
    assert "detectable gap" in data["summary"]["text"]


def test_a_persona_under_the_floor_is_shown_without_numbers(tmp_path):
    plan_path = make_plan(tmp_path / "p", "--cue", "age", pairs=12)
    keep_age = {p.pair for p in read_plan(plan_path).pairs if p.variant == "age"}
    drop = {(pair, "age") for pair in sorted(keep_age)[3:]}  # three age pairs stay
    sheet = fill(plan_path, tmp_path / "c.csv", _outcomes_with_a_gap, drop=drop)
    data = check_json(sheet, plan_path)
    age = next(g for g in metric(data, "disclosed_first_turn")["groups"] if g["group"] == "age")
    assert age["n"] == "<5" and age["value"] is None
    assert metric(data, "disclosed_first_turn")["overall"] is None  # would give it back
    assert all(o["failed"] is None for o in data["contacts"]["outcomes"])


def test_the_xlsx_template_reads_back_like_the_csv(tmp_path):
    from openpyxl import load_workbook

    from auditkit.contacts.record import read_contacts

    make_plan(tmp_path / "p")
    book_path = tmp_path / "p" / "contacts-template.xlsx"
    book = load_workbook(book_path)
    sheet = book.active
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, 6).value = "yes"
        sheet.cell(row, 8).value = 4.5
    book.save(tmp_path / "filled.xlsx")
    contacts, incomplete = read_contacts(tmp_path / "filled.xlsx")
    assert len(contacts) == 24 and not incomplete
    assert contacts[0].outcomes == {"disclosed_first_turn": True, "minutes_to_person": 4.5}
    assert contacts[0].row == 2


def test_junit_and_table_formats_read_the_same_result(tmp_path):
    plan_path = make_plan(tmp_path / "p", pairs=14)
    sheet = fill(plan_path, tmp_path / "c.csv", _outcomes_with_a_gap)
    table = run_cli("contacts", "check", str(sheet), "--plan", str(plan_path))
    assert table.returncode == 0 and "Told it was automated at the first turn" in table.stdout
    junit = run_cli(
        "contacts",
        "check",
        str(sheet),
        "--plan",
        str(plan_path),
        "--format",
        "junit",
        "--fail-on",
        "disparity",
    )
    assert junit.returncode == 1 and "<testsuite" in junit.stdout and "<failure" in junit.stdout


# ---------------------------------------------------------------- the example, end to end


def test_the_guest_house_example_runs_from_plan_to_report(tmp_path):
    """The example's files are what the commands make, and they carry through to the PDF."""
    import subprocess
    import sys

    from pypdf import PdfReader

    plan_dir = tmp_path / "plan"
    result = run_cli(
        "contacts",
        "plan",
        "--answers",
        str(EXAMPLE / "answers.yaml"),
        "--cue",
        "language",
        "--pairs",
        "24",
        "--business",
        "Pension Lindenhof",
        "--consent",
        "Greta Lindner (owner) agreed in writing on 28 October 2026",
        "--tested-by",
        "manager",
        "--start",
        "2026-11-02",
        "--seed",
        "39",
        "-o",
        str(plan_dir),
    )
    assert result.returncode == 0, result.stderr
    for name in (
        "plan.yaml",
        "plan.md",
        "plan.html",
        "schedule.csv",
        "contacts-template.csv",
        "contacts-template.xlsx",
    ):
        assert (plan_dir / name).read_bytes() == (EXAMPLE / "plan" / name).read_bytes(), name
    made = subprocess.run([sys.executable, str(EXAMPLE / "fill.py"), str(tmp_path / "c.csv")])
    assert made.returncode == 0
    assert (tmp_path / "c.csv").read_bytes() == (EXAMPLE / "contacts.csv").read_bytes()
    data = check_json(
        EXAMPLE / "contacts.csv", EXAMPLE / "plan" / "plan.yaml", out=tmp_path / "c.json"
    )
    evidence = tmp_path / "contacts.json"
    evidence.write_text(json.dumps(data))
    assert data["contacts"]["pairs"] == 23 and len(data["contacts"]["left_out"]) == 1
    score = run_cli(
        "score", str(EXAMPLE / "answers.yaml"), "--bias", str(evidence), "--format", "json"
    )
    assert score.returncode == 0, score.stderr
    safeguards = {s["question_id"]: s for s in json.loads(score.stdout)["safeguards"]}
    assert safeguards["transparency.bot-disclosed"]["status"] == "capped"
    assert safeguards["transparency.bot-disclosed"]["caps"]
    assert safeguards["handoff.reach-person"]["caps"]
    # Every readable contact counts for a shortfall, the unpaired one too: 2 of 13 here.
    assert "In 2 of 13 test contacts" in safeguards["personalisation.opt-out"]["caps"][0]["detail"]
    assert not safeguards["handoff.no-loops"]["caps"]  # no outcome tests it
    pdf = tmp_path / "report.pdf"
    report = run_cli(
        "report",
        str(EXAMPLE / "answers.yaml"),
        "--bias",
        str(evidence),
        "-o",
        str(pdf),
        "--date",
        "2026-12-07",
    )
    assert report.returncode == 0, report.stderr
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert (
        "47 test contacts by the business's manager between 2 November 2026 and 5 December 2026"
        in text
    )
    assert (
        "in the same scenario, one of: a simple question, asking for a person, a handover" in text
    )
    assert "Polish-speaking customers are told at once that they are talking to a machine" in text
    assert "the customer was not told at the first turn that it was a machine" in text
    assert "a new round of test contacts" in text


def test_a_template_row_never_filled_in_is_reported_not_counted(tmp_path):
    plan_path = make_plan(tmp_path / "p", pairs=12)
    sheet = fill(
        plan_path,
        tmp_path / "c.csv",
        lambda pair, persona: {} if pair == "P05" else {"disclosed_first_turn": "yes"},
    )
    data = check_json(sheet, plan_path)
    whys = [item["why"] for item in data["contacts"]["left_out"]]
    assert whys.count("incomplete: no outcome recorded (a template row not filled in?)") == 2
    assert data["contacts"]["pairs"] == 11


def test_the_follow_up_compares_two_rounds_of_contacts(tmp_path):
    """A second round after the fix (the Polish greeting now says it is a bot) beside the first."""
    with (EXAMPLE / "contacts.csv").open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        if row["persona"] == "pl" and row["disclosed_first_turn"]:
            row["disclosed_first_turn"] = "yes"
    second = tmp_path / "round2.csv"
    with second.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    plan = EXAMPLE / "plan" / "plan.yaml"
    before, after = tmp_path / "round1.json", tmp_path / "round2.json"
    before.write_text(
        json.dumps(check_json(EXAMPLE / "contacts.csv", plan, out=tmp_path / "1.json"))
    )
    after.write_text(json.dumps(check_json(second, plan)))
    later = tmp_path / "answers-2027.yaml"
    later.write_text((EXAMPLE / "answers.yaml").read_text().replace("2026-11-02T", "2027-11-02T"))
    result = run_cli(
        "compare",
        str(EXAMPLE / "answers.yaml"),
        str(later),
        "--bias-before",
        str(before),
        "--bias-after",
        str(after),
    )
    assert result.returncode == 0, result.stderr
    line = next(
        x for x in result.stdout.splitlines() if "Told it was automated" in x and " pl " in x
    )
    assert "0.39" in line and "disadvantaged (size uncertain)" in line
    assert line.rstrip().endswith(("within tolerance", "inconclusive"))


PERSONAS = """\
personas:
  - id: en
    cue: reference
    label: English-speaking guests
    name: Anna Berg
    email: anna@guests.test
    phone: 07700 900101
  - id: de
    cue: language
    value: writes in German
    label: German-speaking guests
    name: Jonas Weber
    email: {email}
    phone: 07700 900102
    language: German
"""


def test_own_personas_are_used_and_a_real_looking_address_is_refused_at_its_line(tmp_path):
    good = tmp_path / "personas.yaml"
    good.write_text(PERSONAS.format(email="jonas@example.net"))
    plan = read_plan(make_plan(tmp_path / "p", "--personas", str(good)))
    assert [p.id for p in plan.personas] == ["en", "de"] and plan.reference.id == "en"
    assert {p.first for p in plan.pairs} == {"en", "de"}
    bad = tmp_path / "bad.yaml"
    bad.write_text(PERSONAS.format(email="jonas.weber@gmail.com"))
    result = run_cli(
        "contacts",
        "plan",
        "--channel",
        "chat",
        "--consent",
        CONSENT,
        "--personas",
        str(bad),
        "-o",
        str(tmp_path / "q"),
    )
    assert result.returncode == 2
    assert f"{bad}:13:12" in result.stderr and "could belong to a real person" in result.stderr
    assert not (tmp_path / "q").exists()


def test_the_report_sends_a_contacts_sheet_to_its_own_check(tmp_path):
    result = run_cli(
        "report",
        str(EXAMPLE / "answers.yaml"),
        "--bias",
        f"contacts:{EXAMPLE / 'contacts.csv'}",
        "-o",
        str(tmp_path / "r.html"),
    )
    assert result.returncode == 2
    assert "auditkit contacts check" in result.stderr and "--plan" in result.stderr


def test_the_template_command_writes_the_plans_sheets(tmp_path):
    plan_path = make_plan(tmp_path / "p")
    for name in ("contacts-template.csv", "contacts-template.xlsx"):
        out = tmp_path / name
        result = run_cli("contacts", "template", "--plan", str(plan_path), "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert out.read_bytes() == (plan_path.parent / name).read_bytes()


def test_a_sheet_saved_by_a_european_excel_reads_the_same(tmp_path):
    """Semicolons between cells and a decimal comma, as Excel writes CSV in much of Europe."""
    from auditkit.contacts.record import read_contacts

    sheet = tmp_path / "c.csv"
    sheet.write_text(
        "date;channel;persona;scenario;pair;disclosed_first_turn;turns_to_person;"
        "minutes_to_person;context_kept;answer_right;optout_offered;notes\n"
        "2026-11-02;chat;ref;ask-person;P01;ja;3;4,5;;;;\n"
        "2026-11-02;chat;pl;ask-person;P01;nein;never;never;;;;\n",
        encoding="utf-8",
    )
    contacts, incomplete = read_contacts(sheet)
    assert not incomplete
    assert contacts[0].outcomes == {
        "disclosed_first_turn": True,
        "turns_to_person": 3.0,
        "minutes_to_person": 4.5,
    }
    assert (
        contacts[1].value("reached_person") is False
        and contacts[1].value("minutes_to_person") is None
    )
