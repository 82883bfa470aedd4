"""Audit again: compare two audits, turn recommendations into a plan, and bring the plan back."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pandas as pd
import yaml
from pypdf import PdfReader

from auditkit.answers.store import load_answers
from tests.conftest import REPO, SMALL_RUBRIC, run_cli, write

BEFORE = REPO / "examples" / "value-inn" / "answers.yaml"
AFTER = REPO / "examples" / "value-inn-2027" / "answers.yaml"
SCHEMAS = REPO / "docs"


def cli_ok(*args: str):
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    return result


# ---------------------------------------------------------------- compare


def test_comparing_the_two_value_inn_audits_says_what_moved():
    table = cli_ok("compare", str(BEFORE), str(AFTER)).stdout
    assert (
        "Over-automated (severe) → ahead of its safeguards: severity 4 → 2, safeguard phase 0 → 1"
        in table
    )
    assert "7 of 12 planned actions done; 3 overdue." in table
    assert "Human touch where it matters most       12%     100%   +88" in table
    assert "improved  After a stay or an event" in table
    assert "Recommendations closed" in table


def test_the_json_comparison_follows_its_schema_and_carries_the_bias_ratios(tmp_path):
    bias = {}
    for name, log in (
        ("before", REPO / "examples" / "logs" / "chatbot.csv"),
        ("after", AFTER.parent / "chatbot.csv"),
    ):
        bias[name] = tmp_path / f"{name}.json"
        cli_ok(
            "bias", "chatbot", str(log), "-g", "language", "--format", "json", "-o", str(bias[name])
        )
    out = tmp_path / "compare.json"
    cli_ok(
        "compare",
        str(BEFORE),
        str(AFTER),
        "--bias-before",
        str(bias["before"]),
        "--bias-after",
        str(bias["after"]),
        "--format",
        "json",
        "-o",
        str(out),
    )
    data = json.loads(out.read_text())
    jsonschema.validate(data, json.loads((SCHEMAS / "compare.schema.json").read_text()))
    assert (data["before"]["safeguard_phase"], data["after"]["safeguard_phase"]) == (0, 1)
    asked = next(
        b for b in data["bias"] if b["metric"] == "human_when_requested" and b["group"] == "pl"
    )
    assert asked["ratio_before"] < 0.6 < 0.9 < asked["ratio_after"]
    assert asked["verdict_before"] == "disadvantaged"
    assert not asked["verdict_after"].startswith("disadvantaged")
    assert data["actions"] == {
        "planned": 12,
        "done": 7,
        "dropped": 0,
        "overdue": data["actions"]["overdue"],
        "overdue_actions": data["actions"]["overdue_actions"],
        "summary": "7 of 12 planned actions done; 3 overdue.",
    }
    assert len(data["actions"]["overdue"]) == 3


def test_markdown_comparison_is_a_document():
    text = cli_ok("compare", str(BEFORE), str(AFTER), "--format", "markdown").stdout
    assert text.startswith("# Value Inn: audit of 2026-11-02 against 2027-11-04")
    assert "## Answers that moved" in text
    assert "| Principle | Before | After | Change |" in text


def test_audits_of_two_businesses_are_refused_unless_forced():
    other = REPO / "examples" / "artisan-stay" / "answers.yaml"
    refused = run_cli("compare", str(BEFORE), str(other))
    assert refused.returncode == 2
    assert "audits of two businesses, 'Value Inn' and 'The Artisan Stay'" in refused.stderr
    assert "--force" in refused.stderr
    forced = cli_ok("compare", str(BEFORE), str(other), "--force")
    assert "Compared with --force" in forced.stdout


def test_audits_with_different_rubrics_are_refused(tmp_path):
    rubric = write(tmp_path / "small.yaml", SMALL_RUBRIC)
    answers = write(
        tmp_path / "a.yaml",
        f"rubric:\n  id: small\n  file: {rubric.name}\nbusiness:\n  name: Value Inn\nanswers: {{}}\n",
    )
    refused = run_cli("compare", str(answers), str(BEFORE))
    assert refused.returncode == 2
    assert "different rubrics ('small' and 'human-centred-automation')" in refused.stderr


def test_a_rubric_change_carries_answers_through_its_migrations(tmp_path):
    version_two = (
        SMALL_RUBRIC.replace('version: "1.0"', 'version: "2.0"').replace(
            "id: privacy.consent", "id: privacy.informed-consent"
        )
        + "migrations:\n  privacy.consent: privacy.informed-consent\n  handoff.old-question: null\n"
    )
    rubric = write(tmp_path / "small.yaml", version_two)
    before = write(
        tmp_path / "before.yaml",
        f"rubric:\n  id: small\n  version: '1.0'\n  file: {rubric.name}\nbusiness:\n  name: Shop\n"
        "updated: '2026-05-14T10:00:00+00:00'\n"
        "rubric_questions: [adopt.books, adopt.chatbot, handoff.reach-person, privacy.consent, handoff.old-question]\n"
        "answers:\n  adopt.books: {answer: live}\n  adopt.chatbot: {answer: live}\n"
        "  handoff.reach-person: {answer: 'no'}\n  privacy.consent: {answer: partly}\n"
        "  handoff.old-question: {answer: 'yes'}\n",
    )
    after = write(
        tmp_path / "after.yaml",
        f"rubric:\n  id: small\n  version: '2.0'\n  file: {rubric.name}\nbusiness:\n  name: Shop\n"
        "updated: '2026-11-14T10:00:00+00:00'\n"
        "answers:\n  adopt.books: {answer: live}\n  adopt.chatbot: {answer: live}\n"
        "  handoff.reach-person: {answer: 'yes'}\n  privacy.informed-consent: {answer: 'yes'}\n",
    )
    data = json.loads(cli_ok("compare", str(before), str(after), "--format", "json").stdout)
    changes = {c["question_id"]: c for c in data["answers"]}
    assert changes["privacy.informed-consent"]["change"] == "improved"
    assert changes["privacy.informed-consent"]["before"] == "Partly"
    assert changes["handoff.old-question"]["change"] == "removed question"
    assert any(
        "'privacy.consent' was renamed 'privacy.informed-consent'" in n for n in data["notes"]
    )


def dated(tmp_path, source: Path, day: str, **replace: str) -> Path:
    """A copy of an answers file saved on ``day`` (with other text replaced)."""
    text = source.read_text()
    text = re.sub(r"(started|updated): .*", rf"\1: '{day}T10:00:00+00:00'", text)
    for old, new in replace.items():
        text = text.replace(old, new)
    return write(tmp_path / f"{source.parent.name}-{day}.yaml", text)


def test_before_dated_after_after_is_refused_unless_forced(tmp_path):
    later_first = dated(tmp_path, BEFORE, "2028-01-01")
    result = run_cli("compare", str(later_first), str(AFTER))
    assert result.returncode == 2 and "dated 2028-01-01, after the 'after' audit" in result.stderr
    assert "--force" in result.stderr
    forced = cli_ok("compare", str(later_first), str(AFTER), "--force")
    assert "although 'before' (2028-01-01) is later" in forced.stdout
    report = run_cli(
        "report", str(AFTER), "--previous", str(later_first), "-o", str(tmp_path / "r.html")
    )
    assert report.returncode == 2 and "--force" in report.stderr
    assert (
        run_cli(
            "report",
            str(AFTER),
            "--previous",
            str(later_first),
            "--force",
            "-o",
            str(tmp_path / "r.html"),
        ).returncode
        == 0
    )


def test_the_same_audit_twice_and_two_sectors_are_said(tmp_path):
    same = run_cli("compare", str(BEFORE), str(BEFORE))
    assert same.returncode == 2 and "the same audit" in same.stderr
    retail = dated(tmp_path, BEFORE, "2026-11-02", **{"sector: hospitality": "sector: retail"})
    other = run_cli("compare", str(retail), str(AFTER))
    assert other.returncode == 2 and "different sectors, 'retail' and 'hospitality'" in (
        other.stderr
    )


def test_a_renamed_business_can_be_followed_up_with_force_on_report_too(tmp_path):
    renamed = dated(tmp_path, BEFORE, "2026-11-02", **{"name: Value Inn": "name: Old Inn"})
    out = str(tmp_path / "r.html")
    refused = run_cli("report", str(AFTER), "--previous", str(renamed), "-o", out)
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert (
        run_cli("report", str(AFTER), "--previous", str(renamed), "--force", "-o", out).returncode
        == 0
    )


def test_overdue_actions_are_listed_with_owner_and_due_date(tmp_path):
    table = cli_ok("compare", str(BEFORE), str(AFTER)).stdout
    data = json.loads(cli_ok("compare", str(BEFORE), str(AFTER), "--format", "json").stdout)
    jsonschema.validate(data, json.loads((SCHEMAS / "compare.schema.json").read_text()))
    overdue = data["actions"]["overdue_actions"]
    assert overdue and len(overdue) == len(data["actions"]["overdue"])
    assert "Overdue actions" in table
    for item in overdue:
        assert item["due"] in table and item["owner"][:20] in table


def test_a_report_record_is_a_previous_audit_with_its_evidence(tmp_path):
    bias = tmp_path / "bias.json"
    cli_ok(
        "bias",
        "chatbot",
        str(REPO / "examples" / "logs" / "chatbot.csv"),
        "-g",
        "language",
        "--format",
        "json",
        "-o",
        str(bias),
    )
    first = tmp_path / "first.html"
    cli_ok("report", str(BEFORE), "--bias", str(bias), "-o", str(first), "--date", "2026-11-03")
    record = tmp_path / "first.audit.json"
    assert json.loads(record.read_text())["format"] == "auditkit-audit/1"
    told = json.loads(record.read_text())["score"]["overall_percent"]
    data = json.loads(cli_ok("compare", str(record), str(AFTER), "--format", "json").stdout)
    assert round(data["before"]["overall_percent"], 4) == round(told, 4)
    with_file = json.loads(
        cli_ok(
            "compare", str(BEFORE), str(AFTER), "--bias-before", str(bias), "--format", "json"
        ).stdout
    )
    assert round(with_file["before"]["overall_percent"], 4) == round(told, 4)
    both = run_cli("compare", str(record), str(AFTER), "--bias-before", str(bias))
    assert both.returncode == 2 and "holds the bias evidence" in both.stderr


# ---------------------------------------------------------------- plan


def test_the_plan_opens_cleanly_in_a_spreadsheet_and_runs_no_formula(tmp_path):
    answers = yaml.safe_load(BEFORE.read_text())
    answers["answers"]["touch.personal-follow-up"]["note"] = '=HYPERLINK("http://evil")'
    answers["actions"] = {
        "touch.personal-follow-up": {
            "owner": "@dana",
            "due": "2027-01-31",
            "status": "open",
            "note": "+1 more",
        }
    }
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(answers, sort_keys=False))
    out = tmp_path / "plan.csv"
    cli_ok("plan", str(path), "-o", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    row = next(r for r in rows if r["question_id"] == "touch.personal-follow-up")
    assert rows[0]["priority"] == "1"
    assert row["owner"] == "'@dana" and row["note"] == "'+1 more"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert list(frame.columns[:3]) == ["priority", "question_id", "action"]
    assert len(frame) == len(rows) > 20


def test_the_plan_in_markdown_and_json(tmp_path):
    text = cli_ok("plan", str(BEFORE), "--format", "markdown").stdout
    assert text.startswith("# Action plan: Value Inn (audit of 2026-11-02)")
    data = json.loads(cli_ok("plan", str(BEFORE), "--format", "json").stdout)
    jsonschema.validate(data, json.loads((SCHEMAS / "plan.schema.json").read_text()))
    assert data["actions"][0]["priority"] == 1


def test_an_edited_plan_comes_back_into_the_answers_file(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_bytes(BEFORE.read_bytes())
    plan = tmp_path / "plan.csv"
    cli_ok("plan", str(answers), "-o", str(plan))
    rows = list(csv.DictReader(io.StringIO(plan.read_text(encoding="utf-8-sig"))))
    rows[0].update(owner="Dana", due="2027-02-28", status="Done", note="'-ish")
    rows[1].update(owner="Tomasz", due="2027-03-31", status="in progress")
    with plan.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = cli_ok("plan", "import", str(plan), "--into", str(answers))
    assert "Stored 2 actions" in result.stdout
    stored, _ = load_answers(answers)
    first = stored.actions[rows[0]["question_id"]]
    assert (first.owner, first.due, first.status, first.note) == (
        "Dana",
        "2027-02-28",
        "done",
        "-ish",
    )
    assert stored.answers == load_answers(BEFORE)[0].answers  # nothing else changed
    again = tmp_path / "again.csv"
    cli_ok("plan", str(answers), "-o", str(again))
    assert "Dana" in again.read_text(encoding="utf-8-sig")
    html = tmp_path / "report.html"
    cli_ok("report", str(answers), "-o", str(html), "--date", "2026-11-23")
    assert "Action plan" in html.read_text() and "Tomasz" in html.read_text()


def edited_plan(tmp_path, edit, *, delimiter: str = ","):
    """The plan of Value Inn's answers, as a spreadsheet saved it after ``edit(rows)``."""
    answers = tmp_path / "answers.yaml"
    answers.write_bytes(BEFORE.read_bytes())
    plan = tmp_path / "plan.csv"
    cli_ok("plan", str(answers), "-o", str(plan))
    rows = list(csv.DictReader(io.StringIO(plan.read_text(encoding="utf-8-sig"))))
    rows = edit(rows) or rows
    with plan.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return plan, answers, rows


def test_every_problem_is_listed_at_once_by_the_row_a_spreadsheet_shows(tmp_path):
    def edit(rows):
        rows[2].update(owner="Ines", due="03/04/2027")  # spreadsheet row 4: ambiguous
        rows[4].update(status="finished", due="2027-02-30", question_id="no.such")  # row 6

    plan, answers, _ = edited_plan(tmp_path, edit)
    before = answers.read_bytes()
    result = run_cli("plan", "import", str(plan), "--into", str(answers))
    assert result.returncode == 2
    assert f"{plan}: row 4, column 'due': an ambiguous date" in result.stderr
    assert "--date-order dmy" in result.stderr
    for column in ("question_id", "status", "due"):  # three problems in one row, all named
        assert f"{plan}: row 6, column '{column}'" in result.stderr
    assert "4 problems found." in result.stderr
    assert answers.read_bytes() == before  # nothing half-imported


def test_the_same_action_on_two_rows_is_refused_naming_both(tmp_path):
    def edit(rows):
        rows[0].update(owner="Alice", status="done")
        return [*rows, {**rows[0], "owner": "Bob", "status": "dropped"}]

    plan, answers, rows = edited_plan(tmp_path, edit)
    result = run_cli("plan", "import", str(plan), "--into", str(answers))
    assert result.returncode == 2
    last = len(rows) + 1
    assert f"row {last}, column 'question_id': {rows[0]['question_id']!r} is on row 2 too" in (
        result.stderr
    )


def test_a_semicolon_plan_with_european_and_written_out_dates_is_read(tmp_path):
    def edit(rows):
        rows[0].update(owner="Dana", due="15.05.2027", status="open")
        rows[1].update(owner="Ines", due="15 May 2027")
        rows[2].update(owner="Tomasz", due="2027/05/15")
        rows[3].update(owner="Ana", due="15/05/2027")

    plan, answers, rows = edited_plan(tmp_path, edit, delimiter=";")
    assert cli_ok("plan", "import", str(plan), "--into", str(answers)).returncode == 0
    stored, _ = load_answers(answers)
    assert {stored.actions[r["question_id"]].due for r in rows[:4]} == {"2027-05-15"}


def test_a_german_owners_plan_is_read_with_german_dates_and_statuses(tmp_path):
    """A German owner fills in the plan as the German report says it: "erledigt", "in
    Arbeit", "2. August 2026", "15. März 2027". The answers file keeps the codes and ISO
    dates, so a later report in any language reads them; a word that is no status is
    refused in German, naming the German words too."""

    def edit(rows):
        rows[0].update(owner="Dana", due="2. August 2026", status="erledigt")
        rows[1].update(owner="Ines", due="15. März 2027", status="In Arbeit")
        rows[2].update(owner="Tomasz", due="1. Okt. 2027", status="verworfen")
        rows[3].update(owner="Ana", due="3. Jänner 2027", status="offen")

    plan, answers, rows = edited_plan(tmp_path, edit, delimiter=";")
    assert cli_ok("plan", "import", str(plan), "--into", str(answers)).returncode == 0
    stored = load_answers(answers)[0].actions
    assert [(stored[r["question_id"]].status, stored[r["question_id"]].due) for r in rows[:4]] == [
        ("done", "2026-08-02"),
        ("in progress", "2027-03-15"),
        ("dropped", "2027-10-01"),
        ("open", "2027-01-03"),
    ]
    wrong, answers, _ = edited_plan(tmp_path, lambda rows: rows[0].update(status="fertig"))
    refused = run_cli("plan", "import", str(wrong), "--into", str(answers), "--lang", "de")
    assert refused.returncode == 2
    assert "'fertig'" in refused.stderr and "'erledigt'" in refused.stderr
    # The German words first, then the codes a plan file may also use.
    assert refused.stderr.index("'erledigt'") < refused.stderr.index("'done'")


def test_an_ambiguous_date_is_read_with_the_order_given(tmp_path):
    plan, answers, rows = edited_plan(tmp_path, lambda rows: rows[0].update(due="03/04/2027"))
    cli_ok("plan", "import", str(plan), "--into", str(answers), "--date-order", "mdy")
    assert load_answers(answers)[0].actions[rows[0]["question_id"]].due == "2027-03-04"


def test_a_huge_cell_is_bad_input_at_its_row(tmp_path):
    plan, answers, _ = edited_plan(tmp_path, lambda rows: rows[1].update(note="x" * 5_000_000))
    result = run_cli("plan", "import", str(plan), "--into", str(answers))
    assert result.returncode == 2 and "row 3, column 'note'" in result.stderr


def test_actions_in_an_answers_file_are_validated_where_they_stand(tmp_path):
    text = (
        BEFORE.read_text()
        + "actions:\n  touch.personal-follow-up:\n    due: 2027-02-30\n  touch.no-such:\n    owner: Dana\n"
    )
    path = write(tmp_path / "answers.yaml", text)
    result = run_cli("answers", "validate", str(path))
    assert result.returncode == 2
    lines = BEFORE.read_text().count("\n")
    assert f"{path}:{lines + 3}:10: '2027-02-30' looks like a date but is not one" in result.stderr
    path.write_text(text.replace("2027-02-30", "2027-02-28"))
    unknown = run_cli("answers", "validate", str(path))
    assert unknown.returncode == 2
    assert "the action 'touch.no-such' is not for a safeguard" in unknown.stderr


# ---------------------------------------------------------------- the follow-up report


def test_the_follow_up_report_has_its_section_chart_and_cover_line(tmp_path):
    pdf = tmp_path / "follow-up.pdf"
    cli_ok(
        "report",
        str(AFTER),
        "--previous",
        str(BEFORE),
        "-o",
        str(pdf),
        "-o",
        str(tmp_path / "f.html"),
        "--date",
        "2027-11-05",
    )
    reader = PdfReader(pdf)
    cover = reader.pages[0].extract_text()
    assert "Follow-up to the audit of 2 November 2026" in cover
    texts = [page.extract_text() for page in reader.pages]
    since = next(
        i
        for i, t in enumerate(texts)
        if t.lstrip().startswith("Since the last audit") or "\nSince the last audit\n" in t
    )
    summary = next(i for i, t in enumerate(texts) if "Summary for the owner" in t)
    assert since > summary
    assert "severity 4 → 2 of 4, safeguard phase 0 (Manual) → 1 (Foundational automation)" in texts[
        since
    ].replace("\n", " ")
    html = (tmp_path / "f.html").read_text()
    assert 'id="since-ladder-title">Safeguard coverage per phase, last audit and this one' in html
    assert "Recommendations closed" in html and "Action plan" in html
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Since the last audit" in outline
