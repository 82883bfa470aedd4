"""Several voices in one audit: the owner's answers and the staff's, merged by one
conservative rule, compared in words, and never giving one staff member away."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from auditkit.answers.model import Answer, AnswerSet
from auditkit.answers.store import load_answers, save_answers
from auditkit.answers.voices import merge_voices
from auditkit.rubric.resolve import load_rubric as load_rubric_file
from tests.conftest import REPO, run_cli, write

TEAM = REPO / "examples" / "value-inn-team"
RUBRIC = """\
id: team
version: "1.0"
title: A rubric with questions for staff
description: For the tests of several voices.
principles:
  - id: handoff
    title: Seamless handoff
    why: Customers can always reach a person.
    ask: [owner, staff, other]
  - id: vendors
    title: Vendors
    why: Contracts are the owner's business.
questions:
  - id: adopt.chatbot
    principle: handoff
    kind: adoption
    phase: 2
    text: Do you use a chatbot?
    help: A bot answering customers.
  - id: handoff.reach
    principle: handoff
    kind: safeguard
    phase: 1
    text: Can a customer reach a person?
    help: From every channel.
    recommendation: Put it in place.
  - id: handoff.skill
    principle: handoff
    kind: safeguard
    phase: 1
    scale: maturity
    text: How well are staff trained for handoffs?
    help: Training.
    recommendation: Put it in place.
  - id: handoff.na
    principle: handoff
    kind: safeguard
    phase: 1
    allow_na: true
    text: Is the phone line staffed at night?
    help: Night line.
    recommendation: Put it in place.
  - id: vendors.contract
    principle: vendors
    kind: safeguard
    phase: 1
    text: Does the vendor contract cover data?
    help: Contract.
    recommendation: Put it in place.
"""


@pytest.fixture
def rubric(tmp_path):
    return load_rubric_file(write(tmp_path / "team.yaml", RUBRIC))


def answer_set(role: str, **values: str | None) -> AnswerSet:
    answers = {qid.replace("_", ".", 1): Answer(value=value) for qid, value in values.items()}
    return AnswerSet(
        rubric_id="team",
        business={"name": "Test Inn"},
        respondent={"speaks_as": role},
        answers={"adopt.chatbot": Answer(value="live"), **answers},
    )


def merged(rubric, owner: dict, *staff: dict) -> tuple[dict, object]:
    sets = [(Path("owner.yaml"), answer_set("owner", **owner))]
    sets += [(Path(f"staff-{i}.yaml"), answer_set("staff", **s)) for i, s in enumerate(staff)]
    result, voices = merge_voices(rubric, sets)
    return {q: a.value for q, a in result.answers.items()}, voices


def test_a_safeguard_counts_for_no_more_than_the_owner_or_most_staff_say(rubric):
    three_no = [{"handoff_reach": "no"}] * 3
    values, voices = merged(rubric, {"handoff_reach": "yes"}, *three_no)
    assert values["handoff.reach"] == "no"
    (difference,) = voices.differences
    assert difference.sentence() == (
        "You answered Yes; of the 3 staff who answered, 3 said No. Counted as: No."
    )
    split = [{"handoff_reach": v} for v in ("yes", "yes", "no", "no")]
    assert merged(rubric, {"handoff_reach": "yes"}, *split)[0]["handoff.reach"] == "partly"
    staff_yes = [{"handoff_reach": "yes"}] * 3
    assert merged(rubric, {"handoff_reach": "no"}, *staff_yes)[0]["handoff.reach"] == "no"
    # Maturity: the median of the staff's credits, as the level at or below it.
    levels = [{"handoff_skill": v} for v in ("1", "3", "2", "4")]
    assert merged(rubric, {"handoff_skill": "4"}, *levels)[0]["handoff.skill"] == "2"


def test_not_applicable_and_unanswered_are_the_owners_call(rubric):
    staff = [{"handoff_na": "no", "handoff_reach": "no"}] * 3
    values, _ = merged(rubric, {"handoff_na": "n/a"}, *staff)
    assert values["handoff.na"] == "n/a"
    assert values.get("handoff.reach") is None  # the owner has not answered: still open


def test_questions_for_the_owner_only_ignore_staff_answers(rubric):
    staff = [{"vendors_contract": "no"}] * 3
    assert merged(rubric, {"vendors_contract": "yes"}, *staff)[0]["vendors.contract"] == "yes"


def test_fewer_than_three_staff_are_kept_apart_so_no_answer_can_be_read_off(rubric):
    for count in (1, 2):
        staff = [{"handoff_reach": "no"}] * count
        values, voices = merged(rubric, {"handoff_reach": "yes"}, *staff)
        assert values["handoff.reach"] == "yes"
        assert not voices.staff_counted and not voices.differences and not voices.by_principle
        assert "kept apart until then" in voices.notes[0]


def test_the_floor_is_per_question_not_per_audit(rubric):
    """Three staff sent, but one answered the training question: that question shows
    nothing of the staff (not a count, not a note) and keeps the owner's answer."""
    staff = [
        {"handoff_reach": "no", "handoff_skill": "0"},
        {"handoff_reach": "no"},
        {"handoff_reach": "yes"},
    ]
    values, voices = merged(rubric, {"handoff_reach": "yes", "handoff_skill": "4"}, *staff)
    assert values["handoff.skill"] == "4" and values["handoff.reach"] == "no"
    assert [d.question_id for d in voices.differences] == ["handoff.reach"]
    assert "handoff.skill" in voices.withheld and "handoff.reach" not in voices.withheld
    assert "too few answered to show" in voices.notes[0]


def test_an_audit_needs_the_owner_and_one_business(tmp_path):
    staff = tmp_path / "staff.yaml"
    shutil.copy(TEAM / "staff-1.yaml", staff)
    result = run_cli("score", str(staff))
    assert result.returncode == 2 and "needs the owner's answers" in result.stderr
    other, _ = load_answers(TEAM / "staff-2.yaml")
    other.business = {"name": "Another Inn"}
    save_answers(other, tmp_path / "other.yaml")
    result = run_cli("score", str(TEAM / "owner.yaml"), str(tmp_path / "other.yaml"))
    assert result.returncode == 2 and "another business ('Another Inn')" in result.stderr


def test_a_role_the_file_format_does_not_know_is_located(tmp_path):
    text = (TEAM / "staff-1.yaml").read_text("utf-8").replace("speaks_as: staff", "speaks_as: boss")
    path = write(tmp_path / "staff.yaml", text)
    result = run_cli("answers", "validate", str(path))
    assert result.returncode == 2
    assert "staff.yaml:13" in result.stderr and "one of owner, staff, other" in result.stderr


def test_the_rubric_says_who_is_asked_and_checks_it(tmp_path):
    bad = RUBRIC.replace("ask: [owner, staff, other]", "ask: [owner, guests]")
    result = run_cli("rubric", "validate", str(write(tmp_path / "bad.yaml", bad)))
    assert result.returncode == 2
    assert "bad.yaml:9" in result.stderr and "a list of owner, staff, other" in result.stderr
    rubric = load_rubric_file(write(tmp_path / "team.yaml", RUBRIC))
    asked = {q.id: q.ask for q in rubric.questions}
    assert asked["handoff.reach"] == ("owner", "staff", "other")  # the principle's
    assert asked["vendors.contract"] == ("owner",)  # the default


def test_the_team_audit_scores_worse_than_the_owner_alone_and_names_the_disagreement():
    alone = json.loads(run_cli("score", str(TEAM / "owner.yaml"), "--format", "json").stdout)
    team = json.loads(run_cli("score", str(TEAM), "--format", "json").stdout)
    assert team["overall_percent"] < alone["overall_percent"]
    assert team["respondents"]["count"] == {"owner": 1, "staff": 4, "other": 0}
    top = team["respondents"]["differences"][0]
    assert top["question"] in ("handoff.context-carried", "handoff.reach-person")
    assert (top["owner"], top["merged"]) == ("Yes", "No")
    assert "respondents" in alone and not alone["respondents"]["differences"]


SECRET_NAME = "Marta Kowalska"
SECRET_NOTE = "My manager would be upset to read this"


@pytest.fixture
def team_with_secrets(tmp_path):
    """The team example, one staff file with a name and a note its author did not share."""
    folder = tmp_path / "team"
    shutil.copytree(TEAM, folder)
    staff, _ = load_answers(folder / "staff-3.yaml")
    staff.respondent = {"speaks_as": "staff", "name": SECRET_NAME}
    old = staff.answers["handoff.reach-person"]
    staff.answers["handoff.reach-person"] = Answer(value=old.value, note=SECRET_NOTE)
    save_answers(staff, folder / "staff-3.yaml")
    return folder


def test_no_staff_name_or_unshared_note_appears_in_any_output(team_with_secrets, tmp_path):
    from pypdf import PdfReader

    outputs = [
        run_cli("score", str(team_with_secrets)).stdout,
        run_cli("score", str(team_with_secrets), "--format", "json").stdout,
    ]
    html, pdf = tmp_path / "team.html", tmp_path / "team.pdf"
    result = run_cli(
        "report", str(team_with_secrets), "-o", str(html), "-o", str(pdf), "--date", "2026-12-02"
    )
    assert result.returncode == 0, result.stderr
    outputs += [html.read_text("utf-8"), (tmp_path / "team.audit.json").read_text("utf-8")]
    outputs.append(" ".join(page.extract_text() for page in PdfReader(pdf).pages))
    for text in outputs:
        assert SECRET_NAME not in text and SECRET_NOTE not in text
    shared = "After 11 at night the chat is the only way in"  # its author allowed it
    assert shared in outputs[-1] and "Where views differ" in outputs[-1]
    views = outputs[-1].split("Where views differ", 2)[-1]  # the section, after the contents
    top = "When the bot hands over, does the person see the conversation"
    assert top in " ".join(views.split())  # the largest disagreement, named
    assert "Answers from the owner and 4 staff" in outputs[0]


# ---------------------------------------------------------------- the flows


def test_a_staff_member_answers_in_the_browser_without_a_name_and_chooses_about_the_note(
    tmp_path,
):
    import yaml

    from auditkit.serve.app import ServeState
    from tests.test_serve import PORT, answer, client_for, where

    rubric = write(tmp_path / "team.yaml", RUBRIC)
    state = ServeState(tmp_path / "staff.yaml", rubric=str(rubric), port=PORT)
    state.load()
    client = client_for(state)
    opening = client.get("/start")
    assert "Staff answers are anonymous" in opening.text and "at least 3 people" in opening.text
    form = {"csrf": state.csrf, "name": "Test Inn", "sector": "", "person": "", "role": ""}
    page = client.post("/start", data={**form, "speaks_as": "staff"})
    assert where(page) == "/q/adopt.chatbot"
    page = answer(client, state, page, "live")
    assert "My note may be shown, without my name" in page.text
    page = answer(client, state, page, "no", note="Nobody answers at night.", share_note="yes")
    page = answer(client, state, page, "1", note="Never trained.")
    page = answer(client, state, page, "no")
    data = yaml.safe_load(state.path.read_text())
    assert data["respondent"]["speaks_as"] == "staff" and not data["respondent"].get("name")
    assert data["answers"]["handoff.reach"]["share_note"] is True
    assert "share_note" not in data["answers"]["handoff.skill"]
    assert "vendors.contract" not in data["answers"]  # an owner's question: not asked
    assert where(page) == "/review"


def test_the_terminal_asks_who_answers_and_asks_staff_only_their_questions(tmp_path):
    import yaml

    rubric = write(tmp_path / "team.yaml", RUBRIC)
    result = run_cli(
        "assess", "--rubric", str(rubric), "-o", str(tmp_path / "staff.yaml"),
        input="Test Inn\n\nstaff\n\n\nlive\nno\n1\nno\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Staff answers are anonymous" in result.stdout
    data = yaml.safe_load((tmp_path / "staff.yaml").read_text())
    assert data["respondent"]["speaks_as"] == "staff"
    assert set(data["answers"]) == {"adopt.chatbot", "handoff.reach", "handoff.skill", "handoff.na"}
    assert "hand this file to whoever runs the audit" in result.stdout
    checked = run_cli("answers", "validate", str(tmp_path / "staff.yaml"), "--rubric", str(rubric))
    assert "4 of 4 questions answered" in checked.stdout, checked.stdout + checked.stderr


def test_a_follow_up_says_whether_the_views_came_closer(tmp_path):
    import jsonschema
    import yaml

    html = tmp_path / "first.html"
    first = run_cli("report", str(TEAM), "-o", str(html), "--date", "2026-12-02")
    assert first.returncode == 0, first.stderr
    later = tmp_path / "later"
    shutil.copytree(TEAM, later)
    for path in later.glob("*.yaml"):
        data = yaml.safe_load(path.read_text("utf-8"))
        data["started"] = data["updated"] = "2027-11-02T09:00:00+00:00"
        if data["respondent"].get("speaks_as") == "staff":  # the desk now reaches a person
            data["answers"]["handoff.reach-person"]["answer"] = "yes"
        path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    record = str(tmp_path / "first.audit.json")
    text = run_cli("compare", record, str(later)).stdout
    assert "safeguards differed, now 4; the gap between the views narrowed" in text
    result = run_cli("compare", record, str(later), "--format", "json")
    data = json.loads(result.stdout)
    jsonschema.validate(data, json.loads((REPO / "docs" / "compare.schema.json").read_text()))
    assert data["views"]["after_distance"] < data["views"]["before_distance"]


def test_the_owners_results_page_shows_the_team_beside_it(tmp_path):
    from auditkit.serve.app import ServeState
    from tests.test_serve import PORT, client_for

    folder = tmp_path / "team"
    shutil.copytree(TEAM, folder)
    (folder / "notes.yaml").write_text("not: an answers file\n", "utf-8")  # left alone
    state = ServeState(folder / "owner.yaml", port=PORT)
    state.load()
    client = client_for(state)
    client.post("/resume", data={"csrf": state.csrf})
    page = client.get("/results")
    assert page.status_code == 200
    assert "Where views differ" in page.text and "Answers from the owner and 4 staff" in page.text
    assert "3 said No and 1 said Partly" in page.text
    staff = ServeState(folder / "staff-1.yaml", port=PORT)
    staff.load()
    staff_client = client_for(staff)
    staff_client.post("/resume", data={"csrf": staff.csrf})
    assert "Where views differ" not in staff_client.get("/results").text  # one's own answers
