"""Every class of rubric mistake is reported at its file, line and column, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.errors import InputError
from auditkit.rubric import load_rubric
from tests.conftest import SMALL_RUBRIC, run_cli, write


def problems_of(path: Path, sector: str | None = None) -> str:
    with pytest.raises(InputError) as caught:
        load_rubric(path, sector)
    return caught.value.format()


def test_the_small_rubric_is_valid(small_rubric):
    rubric = load_rubric(small_rubric)
    assert [q.id for q in rubric.questions] == [
        "adopt.books",
        "adopt.chatbot",
        "handoff.reach-person",
        "privacy.consent",
    ]
    assert len(rubric.sha256) == 64


def test_bad_yaml_names_line_and_column(tmp_path):
    path = write(tmp_path / "r.yaml", "id: x\nprinciples:\n  - id: [unclosed\n")
    message = problems_of(path)
    assert message.startswith(f"{path}:4:1: this is not valid YAML")


def test_unknown_key_suggests_the_right_one(tmp_path):
    path = write(tmp_path / "r.yaml", SMALL_RUBRIC.replace("    weight: 3\n", "    wieght: 3\n"))
    message = problems_of(path)
    assert f"{path}:29:5: unknown key 'wieght' in question 'handoff.reach-person'" in message
    assert "did you mean 'weight'?" in message


def test_missing_field(tmp_path):
    path = write(tmp_path / "r.yaml", SMALL_RUBRIC.replace("    help: Informed consent.\n", ""))
    message = problems_of(path)
    assert f"{path}:35:5: question 'privacy.consent' is missing the required key 'help'" in message


def test_wrong_type(tmp_path):
    path = write(
        tmp_path / "r.yaml", SMALL_RUBRIC.replace("    weight: 2\n", "    weight: heavy\n")
    )
    message = problems_of(path)
    assert f"{path}:39:13: 'weight' of question 'privacy.consent' has the wrong type" in message
    assert "found:    'heavy' (text)" in message


def test_duplicate_question_id(tmp_path):
    path = write(
        tmp_path / "r.yaml", SMALL_RUBRIC.replace("id: privacy.consent", "id: adopt.books")
    )
    message = problems_of(path)
    assert f"{path}:35:9: duplicate question id 'adopt.books'" in message
    assert "first in" in message and "at line 13" in message


def test_duplicate_yaml_key(tmp_path):
    path = write(tmp_path / "r.yaml", "id: a\nid: b\n")
    assert f"{path}:2:1: duplicate key 'id'" in problems_of(path)


def test_question_pointing_at_an_unknown_principle(tmp_path):
    path = write(
        tmp_path / "r.yaml", SMALL_RUBRIC.replace("principle: privacy\n", "principle: privcy\n")
    )
    message = problems_of(path)
    assert f"{path}:36:16: question 'privacy.consent' belongs to an unknown principle" in message
    assert "did you mean 'privacy'?" in message


def test_when_on_an_unknown_question(tmp_path):
    path = write(
        tmp_path / "r.yaml",
        SMALL_RUBRIC.replace("      adopt.chatbot: [live", "      adopt.chatbt: [live"),
    )
    message = problems_of(path)
    assert (
        f"{path}:31:7: 'when' of question 'handoff.reach-person' refers to an unknown question"
        in message
    )
    assert "did you mean 'adopt.chatbot'?" in message


def test_when_waiting_for_an_answer_off_the_scale(tmp_path):
    path = write(tmp_path / "r.yaml", SMALL_RUBRIC.replace("[live, pilot]", "[live, sometimes]"))
    assert "waits for an answer 'adopt.chatbot' cannot have" in problems_of(path)


def test_all_problems_in_a_file_are_reported_at_once(tmp_path):
    broken = (
        SMALL_RUBRIC.replace("    weight: 3\n", "    wieght: 3\n")
        .replace("principle: privacy\n", "principle: privcy\n")
        .replace("    help: Informed consent.\n", "")
    )
    path = write(tmp_path / "r.yaml", broken)
    message = problems_of(path)
    assert message.count(f"{path}:") == 3
    assert message.endswith("3 problems found.")


def overlay(tmp_path: Path, name: str, extends: str, body: str = "") -> Path:
    text = f"overlay: {name}\nextends: {extends}\ntitle: {name.title()}\n{body}"
    return write(tmp_path / f"{name}.yaml", text)


def test_a_cycle_of_overlays_is_reported_at_the_extends_key(tmp_path):
    overlay(tmp_path, "a", "b.yaml")
    overlay(tmp_path, "b", "c.yaml")
    c = overlay(tmp_path, "c", "a.yaml")
    message = problems_of(c)
    assert "sector overlays extend each other in a cycle" in message
    assert ":2:10:" in message
    assert "found:    c → a → b → c" in message


def test_an_overlay_changing_an_unknown_question_is_located_in_the_overlay(tmp_path, small_rubric):
    path = overlay(tmp_path, "shop", "small.yaml", "questions:\n  privacy.consnt:\n    weight: 4\n")
    message = problems_of(path)
    assert f"{path}:5:3: the overlay changes question 'privacy.consnt'" in message
    assert "did you mean 'privacy.consent'?" in message


def test_validate_command_exits_2_and_prints_every_problem(tmp_path):
    path = write(tmp_path / "r.yaml", SMALL_RUBRIC.replace("kind: adoption", "kind: adopton", 1))
    result = run_cli("rubric", "validate", str(path))
    assert result.returncode == 2
    assert (
        f"{path}:15:11: 'kind' of question 'adopt.books' is not one of the allowed values"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_validate_command_accepts_a_valid_file(small_rubric):
    result = run_cli("rubric", "validate", str(small_rubric))
    assert result.returncode == 0, result.stderr
    assert "valid rubric 'small' 1.0, 4 questions" in result.stdout


def test_a_missing_file_is_a_clear_error(tmp_path):
    result = run_cli("rubric", "show", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert "nope.yaml: file not found" in result.stderr


def test_an_unknown_rubric_id_suggests_the_closest(tmp_path):
    result = run_cli("rubric", "show", "human-centered-automation")
    assert result.returncode == 2
    assert "did you mean 'human-centred-automation'?" in result.stderr


def test_gating_is_a_safeguard_flag_and_a_boolean(tmp_path):
    on_adoption = SMALL_RUBRIC.replace(
        "    text: Is bookkeeping automated?\n",
        "    gating: true\n    text: Is bookkeeping automated?\n",
    )
    message = problems_of(write(tmp_path / "a.yaml", on_adoption))
    assert (
        "'gating' belongs to safeguards; question 'adopt.books' is an adoption question" in message
    )
    not_boolean = SMALL_RUBRIC.replace("    weight: 3\n", "    weight: 3\n    gating: often\n")
    message = problems_of(write(tmp_path / "b.yaml", not_boolean))
    assert ":30:13:" in message and "gating" in message
    gated = load_rubric(
        write(
            tmp_path / "c.yaml",
            SMALL_RUBRIC.replace("    weight: 3\n", "    weight: 3\n    gating: true\n"),
        )
    )
    assert gated.question("handoff.reach-person").gating
    assert not gated.question("privacy.consent").gating
