"""The one rule for what leaves a store about the staff (``answers.staff``): counts only, a
floor per question, and releases that never differ by fewer than the floor on any question."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditkit.answers.model import Answer, AnswerSet
from auditkit.answers.staff import Cell, StaffTally, publish, release, tally_one
from auditkit.answers.staff_file import dump_staff, staff_from_document
from auditkit.errors import InputError
from auditkit.rubric import load_rubric
from auditkit.yamlsource import parse_yaml
from tests.conftest import run_cli, write

RUBRIC = load_rubric("human-centred-automation", "hospitality")
QUESTIONS = ["handoff.reach-person", "handoff.context-carried", "empowerment.training"]


def person(**answers: tuple[str | None, str, bool]) -> AnswerSet:
    values = {"adopt.chatbot": Answer(value="live")}
    for key, (value, note, share) in answers.items():
        values[key.replace("_", ".", 1).replace("_", "-")] = Answer(
            value=value, note=note, share_note=share
        )
    return AnswerSet(rubric_id=RUBRIC.id, respondent={"speaks_as": "staff"}, answers=values)


def test_one_person_leaves_only_counts_and_the_notes_they_shared():
    one = tally_one(
        RUBRIC,
        person(
            handoff_reach_person=("no", "private, not shared", False),
            handoff_context_carried=("partly", "shared, no name", True),
            empowerment_training=(None, "", False),  # skipped: leaves nothing
        ),
    )
    assert one.senders == 1
    assert one.cells == {
        "handoff.reach-person": Cell({"no": 1}, []),
        "handoff.context-carried": Cell({"partly": 1}, ["shared, no name"]),
    }
    assert "adopt.chatbot" not in one.cells  # adoption answers only decide what is asked


def test_a_question_below_the_floor_leaves_nothing_whatever_the_others():
    lonely = [person(handoff_reach_person=("no", "", False))] + [
        person(handoff_context_carried=("yes", "", False)) for _ in range(3)
    ]
    tally = StaffTally()
    for one in lonely:
        tally = tally.plus(tally_one(RUBRIC, one))
    shown = publish(RUBRIC, {"name": "Value Inn"}, tally)
    assert list(shown.cells) == ["handoff.context-carried"]
    assert "handoff.reach-person" not in dump_staff(shown)


def test_the_floor_is_raised_only():
    with pytest.raises(InputError, match="below 3"):
        publish(RUBRIC, {}, StaffTally(), floor=2)
    assert publish(RUBRIC, {}, StaffTally(), floor=5).floor == 5


senders = st.lists(
    st.dictionaries(
        st.sampled_from(QUESTIONS[:2]), st.sampled_from(["yes", "partly", "no"]), max_size=2
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(senders, st.integers(3, 5))
def test_no_two_releases_differ_by_fewer_than_the_floor_on_any_question(people, floor):
    """Send by send, releasing whenever the rule allows: every question's shown count is 0
    or at least the floor, and moves by 0 or at least the floor between any two views."""
    released, pending = StaffTally(), StaffTally()
    views = [released]
    for answers in people:
        sent = person(
            **{q.replace(".", "_", 1).replace("-", "_"): (v, "", False) for q, v in answers.items()}
        )
        pending = pending.plus(tally_one(RUBRIC, sent))
        released, pending = release(released, pending, floor)
        views.append(released)
    for before, after in itertools.pairwise(views):
        assert after.senders == before.senders or after.senders - before.senders >= floor
        for question in QUESTIONS[:2]:
            old = before.cells.get(question, Cell()).answered
            new = after.cells.get(question, Cell()).answered
            assert new == old or new - old >= floor
            assert new == 0 or new >= floor
    total = sum(views[-1].cells.get(q, Cell()).answered for q in QUESTIONS[:2])
    total += sum(pending.cells.get(q, Cell()).answered for q in QUESTIONS[:2])
    assert total == sum(len(a) for a in people)  # nothing lost: released or still pending


def test_the_staff_file_round_trips_and_a_cell_below_its_floor_is_refused(tmp_path):
    tally = StaffTally()
    for value in ("yes", "no", "no"):
        tally = tally.plus(tally_one(RUBRIC, person(handoff_reach_person=(value, "", False))))
    text = dump_staff(publish(RUBRIC, {"name": "Value Inn"}, tally, released="2026-12-07"))
    path = write(tmp_path / "staff.yaml", text)
    read = staff_from_document(parse_yaml(text, str(path)), path)
    assert read.cells["handoff.reach-person"].levels == {"yes": 1, "no": 2}
    assert read.senders == 3 and read.released == "2026-12-07"
    edited = text.replace("'no': 2", "'no': 1")
    with pytest.raises(InputError) as refused:
        staff_from_document(parse_yaml(edited, str(path)), path)
    assert "fewer than the floor (3)" in str(refused.value) and "staff.yaml:" in str(refused.value)


def test_score_reads_the_owner_and_staff_yaml_and_refuses_it_with_staff_files(tmp_path):
    team = Path(__file__).parent.parent / "examples" / "value-inn-team"
    from auditkit.answers.staff import tally
    from auditkit.answers.staff_file import save_staff
    from auditkit.answers.store import load_answers

    people = [load_answers(p)[0] for p in sorted(team.glob("staff-*.yaml"))]
    owner = load_answers(team / "owner.yaml")[0]
    folder = tmp_path / "audit"
    folder.mkdir()
    (folder / "owner.yaml").write_text((team / "owner.yaml").read_text())
    save_staff(publish(RUBRIC, owner.business, tally(RUBRIC, people)), folder / "staff.yaml")
    from_files = run_cli("score", str(team), "--format", "json")
    from_staff = run_cli("score", str(folder), "--format", "json")
    assert from_staff.returncode == 0, from_staff.stderr
    assert from_staff.stdout == from_files.stdout  # the same merge, files or counts
    both = run_cli("score", str(folder), str(team / "staff-1.yaml"))
    assert both.returncode == 2 and "not both" in both.stderr


class CountingStore:
    """A store that keeps every write it is handed, as the database store would commit it."""

    def __init__(self) -> None:
        self.writes: list[tuple[str | None, Answer]] = []

    def write(self, answers: AnswerSet, question_id: str | None) -> None:
        self.writes.append((question_id, answers.answers.get(question_id or "")))

    def reread(self):
        return None


@pytest.mark.parametrize("action", ["save", "skip"])
def test_an_answer_with_its_note_and_consent_is_one_write(action):
    """A staff member's Save (or Skip) with a note and "may be shown" is one write, so one
    transaction on the server: a crash can never leave the consent without its answer."""
    from auditkit.questionnaire.session import Session
    from auditkit.serve.forms import submit_question  # (questionnaire.forms; serve re-exports)

    store = CountingStore()
    session = Session(
        RUBRIC,
        AnswerSet(rubric_id=RUBRIC.id, respondent={"speaks_as": "staff"}),
        Path("staff.yaml"),
        store=store,
    )
    question = session.current()
    form = {
        "version": session.fingerprint(question.id),
        "action": action,
        "value": question.scale.levels[0].value,
        "note": "the desk is empty at night",
        "share_note": "yes",
    }
    outcome = submit_question(
        session, question.id, form, from_review=False, changed_elsewhere="", save_failed_status=503
    )
    assert outcome.redirect, outcome
    assert len(store.writes) == 1
    written = store.writes[0][1]
    assert (written.note, written.share_note) == ("the desk is empty at night", True)
