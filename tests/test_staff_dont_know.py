"""Staff answer what they see, and may say "I don't know": on the inventory (whether a tool is
in use is the owner's purchase, not always what staff see) and on every safeguard put to them.

A "don't know" is counted apart: it never sets the adoption phase (only the owner's inventory
does), never enters the merged answer, never helps a question reach the anonymity floor, and is
shown as such ("2 of 5 staff did not know") only where the staff's answers are shown anyway.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from auditkit.answers.model import Answer
from auditkit.answers.staff import StaffTally, publish, release, tally_one
from auditkit.answers.store import load_answers, save_answers
from auditkit.answers.voices import merge_voices
from auditkit.questionnaire.length import length_before_starting
from auditkit.questionnaire.session import AnswerError, Session
from auditkit.rubric import load_rubric
from tests.conftest import REPO, run_cli

TEAM = REPO / "examples" / "value-inn-team"
RUBRIC = load_rubric("human-centred-automation", "hospitality")
QUESTION = "touch.sensitive-cases"  # put to staff, asked of everyone


def test_staff_may_not_know_whether_a_tool_is_in_use_and_are_not_asked_about_it(tmp_path):
    staff = Session.new(
        tmp_path / "staff.yaml", None, "hospitality", {"name": "Value Inn"}, {"speaks_as": "staff"}
    )
    while staff.current().id != "adopt.chatbot":
        staff.answer("no")
    staff.answer("Don't know")
    before = length_before_starting(RUBRIC, "staff")
    assert staff.answer_of("adopt.chatbot").is_unknown
    asked = {q.id for q in staff.questions()}
    assert "handoff.context-carried" not in asked  # a chatbot follow-up: not asked of them
    assert before.least <= len(staff.questions()) <= before.most
    # The owner knows what the business bought: no "don't know" on the inventory.
    owner = Session.new(tmp_path / "owner.yaml", None, "hospitality", {"name": "Value Inn"}, {})
    with pytest.raises(AnswerError, match="is not an answer to this question"):
        owner.answer("Don't know")
    # The answers file says so in a located error, for the owner only.
    owner_file = tmp_path / "owner-edited.yaml"
    owner_file.write_text(
        (tmp_path / "staff.yaml").read_text().replace("speaks_as: staff", "speaks_as: owner")
    )
    checked = run_cli("answers", "validate", str(owner_file))
    assert checked.returncode == 2 and "'unknown' is not an answer" in checked.stderr
    assert run_cli("answers", "validate", str(tmp_path / "staff.yaml")).returncode == 0


def staff_file(folder: Path, name: str, **answers: str) -> None:
    """A staff member's answers: the team example's first, with ``answers`` changed."""
    answer_set, _ = load_answers(TEAM / "staff-1.yaml")
    for question_id, value in answers.items():
        answer_set.answers[question_id.replace("_", ".", 1).replace("_", "-")] = Answer(value)
    save_answers(answer_set, folder / f"{name}.yaml")


@pytest.fixture
def team(tmp_path) -> Path:
    """The owner of the team example and five staff: on QUESTION three say No and two do not
    know; all five do not know whether the business uses a decision system (the inventory)."""
    folder = tmp_path / "team"
    folder.mkdir()
    shutil.copy(TEAM / "owner.yaml", folder / "owner.yaml")
    for number, value in enumerate(("no", "no", "no", "unknown", "unknown"), start=1):
        staff_file(
            folder, f"staff-{number}", touch_sensitive_cases=value, adopt_decisions="unknown"
        )
    return folder


def test_dont_know_is_shown_as_such_and_never_counts_for_adoption_or_the_merge(team):
    alone = json.loads(run_cli("score", str(team / "owner.yaml"), "--format", "json").stdout)
    scored = run_cli("score", str(team), "--format", "json")
    assert scored.returncode == 0, scored.stderr
    together = json.loads(scored.stdout)
    # The adoption phase is the owner's, whatever the staff knew of the inventory.
    assert together["adoption_phase"] == alone["adoption_phase"]
    assert together["respondents"]["count"]["staff"] == 5
    assert {"question": QUESTION, "staff_did_not_know": 2, "staff": 5} in together["respondents"][
        "did_not_know"
    ]
    # The merge counts the three who answered on the scale: No, as three "no" alone would.
    safeguards = {s["question_id"]: s for s in together["safeguards"]}
    assert safeguards[QUESTION]["answer"] == "No"
    owner, _ = load_answers(team / "owner.yaml")
    staff = [load_answers(team / f"staff-{n}.yaml")[0] for n in range(1, 6)]
    sets = [(team / "owner.yaml", owner)] + [(Path(f"s{n}"), s) for n, s in enumerate(staff)]
    merged, voices = merge_voices(RUBRIC, sets)
    (shown,) = [k for k in voices.not_known if k.question_id == QUESTION]
    assert shown.sentence() == "2 of 5 staff did not know"
    difference = next((d for d in voices.differences if d.question_id == QUESTION), None)
    if difference is not None:
        assert difference.sentence().endswith(" 2 of 5 staff did not know.")
    three_only = [(team / "owner.yaml", owner)] + [
        (Path(f"s{n}"), s) for n, s in enumerate(staff[:3])
    ]
    assert merged.answers[QUESTION] == merge_voices(RUBRIC, three_only)[0].answers[QUESTION]


def test_dont_know_never_helps_a_question_reach_the_floor():
    def person(value: str):
        answers, _ = load_answers(TEAM / "staff-1.yaml")
        answers.answers[QUESTION] = Answer(value)
        return answers

    # Two on the scale and three "don't know": five people, but only two answers to count.
    people = [person("no"), person("no")] + [person("unknown")] * 3
    tally = StaffTally()
    for one in people:
        tally = tally.plus(tally_one(RUBRIC, one))
    assert tally.cells[QUESTION].answered == 2 and tally.cells[QUESTION].unknown == 3
    assert QUESTION not in publish(RUBRIC, {"name": "Value Inn"}, tally).cells
    released, pending = release(StaffTally(), tally)
    assert QUESTION not in released.cells and pending.cells[QUESTION].people == 5
    # A third answer on the scale lets the question out, its "don't know" with it.
    third = tally.plus(tally_one(RUBRIC, person("partly")))
    cell = publish(RUBRIC, {"name": "Value Inn"}, third).cells[QUESTION]
    assert (cell.answered, cell.unknown) == (3, 3)
    assert (
        replace(cell, levels={k: v for k, v in cell.levels.items() if k != "unknown"}).answered == 3
    )
