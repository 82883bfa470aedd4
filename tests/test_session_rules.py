"""Rules the terminal and the browser share, kept in the session (and the answers reader)."""

from __future__ import annotations

import shutil

import pytest
import yaml

from auditkit.questionnaire.session import AnswerError, Session, parse_typed
from tests.conftest import REPO, run_cli

BAKERY = REPO / "examples" / "bakery" / "answers.yaml"


def test_the_session_refuses_an_answer_off_the_scale_and_stores_labels_canonical(tmp_path):
    session = Session.new(tmp_path / "a.yaml", None, None, {"name": "Shop"}, {})
    with pytest.raises(AnswerError, match="is not an answer to this question"):
        session.answer("sometimes")
    session.answer("LIVE")
    assert (
        yaml.safe_load((tmp_path / "a.yaml").read_text())["answers"]["adopt.web-shop"]["answer"]
        == "live"
    )


def test_typed_answers_accept_labels_yes_no_letters_and_scale_digits():
    from auditkit.rubric import load_rubric

    rubric = load_rubric("human-centred-automation")
    adoption = rubric.question("adopt.back-office")
    assert [parse_typed(adoption, t) for t in ("Live", "pilot", "2", "nope")] == [
        "live",
        "pilot",
        "pilot",  # on a scale without numbers a digit is the row
        None,
    ]
    maturity = next(q for q in rubric.questions if q.scale.id == "maturity")
    assert parse_typed(maturity, "3") == "3"  # level 3, not the third row
    assert parse_typed(maturity, "Defined") == "2"
    safeguard = next(q for q in rubric.questions if q.scale.id == "yes-partly-no")
    assert parse_typed(safeguard, "Y") == "yes" and parse_typed(safeguard, "n") == "no"


def test_a_hand_edited_label_is_read_as_its_value(tmp_path):
    edited = tmp_path / "answers.yaml"
    text = BAKERY.read_text().replace("answer: live", "answer: Live", 1)
    edited.write_text(text.replace("answer: yes", "answer: Y", 1))
    result = run_cli("answers", "validate", str(edited))
    assert result.returncode == 0, result.stderr


def test_the_opening_sector_applies_its_overlay_in_the_line_front_end(tmp_path):
    result = run_cli(
        "assess", "-o", "a.yaml", input="Shop\nretail\n\nAna\nOwner\nq\n", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((tmp_path / "a.yaml").read_text())
    assert data["rubric"]["sector"] == "retail" and data["business"]["sector"] == "retail"
    assert "retail.staff-on-floor" in data["rubric_questions"]


def test_continuing_a_file_with_another_sector_is_refused(tmp_path):
    copy = shutil.copy(BAKERY, tmp_path / "answers.yaml")
    for command in (["assess"], ["serve", "--no-browser"]):
        result = run_cli(*command, "-o", str(copy), "--sector", "hospitality")
        assert result.returncode == 2
        assert "started for the sector 'retail', not 'hospitality'" in result.stderr


def test_a_sector_overlay_applies_to_the_rubric_file_given(tmp_path):
    edited = tmp_path / "mine.yaml"
    edited.write_text(
        (REPO / "rubrics" / "human-centred-automation.yaml")
        .read_text()
        .replace("title: Human-centred automation", "title: Our edited rubric")
    )
    shown = run_cli("rubric", "show", str(edited), "--sector", "hospitality")
    assert shown.returncode == 0 and "Our edited rubric" in shown.stdout


def test_a_business_without_automation_is_not_asked_about_its_automation(tmp_path):
    """Safeguards that watch over automation (its owner, its off switch, its vendors…) are
    asked only once some automation is live or on trial."""
    session = Session.new(tmp_path / "a.yaml", None, None, {"name": "Paper Shop"}, {})
    while (question := session.current()) is not None and question.kind == "adoption":
        session.answer("no")
    asked = {q.id for q in session.questions()}
    assert "oversight.owner" not in asked and "phased.pilot-first" not in asked
    assert "privacy.security" in asked and "touch.journey-map" in asked  # still every business's
    session.go_to("adopt.back-office")
    session.answer("pilot")  # one automation on trial brings them back
    assert "oversight.owner" in {q.id for q in session.questions()}
