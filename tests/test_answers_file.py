"""The answers file: a template filled in by hand round-trips, and mistakes are located."""

from __future__ import annotations

import re

from auditkit.answers.check import reconcile
from auditkit.answers.store import load_answers
from auditkit.questionnaire.session import Session
from auditkit.rubric import load_rubric
from tests.conftest import SMALL_RUBRIC, run_cli, write


def fill(template: str, answers: dict[str, str]) -> str:
    """Fill a template the way a person would: type after 'answer:' under each question id."""
    for question_id, value in answers.items():
        template = re.sub(
            rf"(\n  {re.escape(question_id)}:\n    answer:)", rf"\1 {value}", template
        )
    return template


def test_template_filled_in_validates_and_loads_equal(tmp_path):
    out = tmp_path / "answers.yaml"
    result = run_cli("answers", "template", "--sector", "hospitality", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert "# Help: " in text and "# Answers: live (Live), pilot (Pilot)" in text
    assert "# Only counted when adopt.chatbot is live/pilot" in text
    chosen = {
        "adopt.chatbot": "live",
        "handoff.reach-person": "partly",
        "touch.journey-map": "3",
        "oversight.owner": "yes",
    }
    out.write_text(fill(text, chosen) + "")
    valid = run_cli("answers", "validate", str(out))
    assert valid.returncode == 0, valid.stderr
    assert "4 of" in valid.stdout and "(hospitality)" in valid.stdout
    answer_set, document = load_answers(out)
    rubric = load_rubric("human-centred-automation", "hospitality")
    loaded = reconcile(answer_set, rubric, document).answers
    assert {qid: a.value for qid, a in loaded.answers.items() if a.value} == chosen


def test_validate_reports_every_mistake_with_its_place(tmp_path):
    text = run_cli("answers", "template").stdout
    text = fill(
        text,
        {"adopt.chatbot": "sometimes", "touch.journey-map": "n/a", "touch.sensitive-cases": "n/a"},
    )
    text = text.replace("  oversight.owner:\n", "  oversight.ownr:\n")
    path = write(tmp_path / "answers.yaml", text)
    result = run_cli("answers", "validate", str(path))
    assert result.returncode == 2
    lines = text.splitlines()
    chatbot_line = next(i for i, line in enumerate(lines, 1) if line == "  adopt.chatbot:") + 1
    assert (
        f"{path}:{chatbot_line}:13: 'sometimes' is not an answer on the adoption scale"
        in result.stderr
    )
    assert "'touch.journey-map' does not allow 'not applicable'" in result.stderr
    assert "'n/a' for 'touch.sensitive-cases' needs a reason" in result.stderr
    assert (
        "'oversight.ownr' is not a question" in result.stderr
        and "did you mean 'oversight.owner'?" in result.stderr
    )
    assert "4 problems found." in result.stderr


def test_resuming_after_the_rubric_changed_asks_only_the_new_questions(tmp_path):
    rubric_path = write(tmp_path / "small.yaml", SMALL_RUBRIC)
    session = Session.start(
        load_rubric(rubric_path), tmp_path / "answers.yaml", {"name": "Shop"}, {}
    )
    for value in ("live", "no", "yes"):
        session.answer(value)
    changed = SMALL_RUBRIC.replace("id: privacy.consent", "id: privacy.informed-consent").replace(
        'version: "1.0"', 'version: "1.1"\nmigrations:\n  privacy.consent: privacy.informed-consent'
    ) + (
        "  - id: privacy.deletion\n    principle: privacy\n    kind: safeguard\n    phase: 1\n"
        "    text: Can customers delete their data?\n    help: On request.\n    recommendation: Offer deletion.\n"
    )
    write(tmp_path / "small.yaml", changed)
    resumed = Session.resume(load_rubric(rubric_path), tmp_path / "answers.yaml")
    assert resumed.changes.migrated == [("privacy.consent", "privacy.informed-consent")]
    assert resumed.changes.new_questions == ["privacy.deletion"]
    assert resumed.current().id == "privacy.deletion"
    assert resumed.answer_of("privacy.informed-consent").value == "yes"

    shown = run_cli("assess", "-o", str(tmp_path / "answers.yaml"), input="q\n")
    assert (
        "new questions (1), asked now: privacy.deletion" not in shown.stdout
    )  # already migrated above
    assert "Resuming" in shown.stdout


def test_answers_kept_for_questions_that_stop_applying(tmp_path):
    session = Session.start(
        load_rubric(write(tmp_path / "small.yaml", SMALL_RUBRIC)), tmp_path / "a.yaml", {}, {}
    )
    session.answer("live")
    session.answer("live")  # chatbot live: the handoff question appears
    assert session.current().id == "handoff.reach-person"
    session.answer("partly")
    session.go_to("adopt.chatbot")
    session.answer("no")
    assert session.not_counted() == ["handoff.reach-person"]
    answer_set, _ = load_answers(tmp_path / "a.yaml")
    assert answer_set.answers["handoff.reach-person"].value == "partly"  # kept in the file
