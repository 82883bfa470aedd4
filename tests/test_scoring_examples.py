"""The worked examples score as seed 004 describes them, and the CLI keeps its contract."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema

from auditkit.scoring.run import score_answers_file
from tests.conftest import REPO, run_cli, run_cli_process

EXAMPLES = REPO / "examples"
VALUE_INN = EXAMPLES / "value-inn" / "answers.yaml"
ARTISAN = EXAMPLES / "artisan-stay" / "answers.yaml"
BAKERY = EXAMPLES / "bakery" / "answers.yaml"


def test_value_inn_is_over_automated_high():
    result = score_answers_file(VALUE_INN).result
    assert result.adoption_phase >= 2
    assert result.gap.value >= 2
    assert result.gap.level == "high"
    assert result.completeness.complete


def test_value_inn_is_told_first_what_protects_its_guests_then_what_lifts_its_phase():
    result = score_answers_file(VALUE_INN).result
    lifting = result.next_phase.question_ids
    steps = result.first_steps
    # One "what to do first": the protections its chatbot cannot do without come first, named
    # under the chatbot (a person reachable, disclosure, handoff, people for complaints) …
    chatbot = [s.question_id for s in steps if s.automation == "your chatbot" and s.critical]
    assert chatbot[:2] == ["handoff.reach-person", "transparency.bot-disclosed"]
    assert [s.question_id for s in steps[: len(chatbot)]] == chatbot
    # … then the two cheapest lifts of the safeguard phase …
    assert [s.question_id for s in steps[len(chatbot) :] if s.lifts_phase] == list(lifting[:2])
    assert all(s.lifts_phase == (s.question_id in lifting) for s in steps)
    # … and the recommendations (the plan) begin with the same list.
    answered = [s.question_id for s in steps if s.state != "not answered"]
    assert [r.question_id for r in result.recommendations[: len(answered)]] == answered
    assert [r.rank for r in result.recommendations] == list(
        range(1, len(result.recommendations) + 1)
    )


def test_the_artisan_stay_automates_as_much_and_keeps_pace():
    artisan = score_answers_file(ARTISAN).result
    value_inn = score_answers_file(VALUE_INN).result
    # A bot, a booking page, confirmations, AI-drafted suggestions and a loyalty pilot …
    assert len(artisan.automations) >= 6
    assert any(a.question_id == "adopt.chatbot" for a in artisan.automations)
    # … with every protection in place: the verdict says safeguards keep pace.
    assert artisan.verdict.severity == 0 < 4 == value_inn.verdict.severity
    assert artisan.verdict.headline == "Safeguards keep pace"
    assert artisan.gap.value <= 0
    assert artisan.overall_percent > 2 * value_inn.overall_percent


def test_the_bakery_has_headroom():
    result = score_answers_file(BAKERY).result
    assert result.adoption_phase == 1
    assert result.gap.level == "headroom"


def test_json_output_follows_the_published_schema(tmp_path):
    out = tmp_path / "score.json"
    result = run_cli("score", str(VALUE_INN), "--format", "json", "-o", str(out))
    assert result.returncode == 0, result.stderr
    schema = json.loads((REPO / "docs" / "score.schema.json").read_text())
    data = json.loads(out.read_text())
    jsonschema.validate(data, schema)
    assert data["gap"]["level"] == "high"


def test_output_is_byte_identical_across_runs(tmp_path):
    outputs = []
    for fmt in ("table", "json", "junit"):
        first = run_cli("score", str(ARTISAN), "--format", fmt)
        second = run_cli_process("score", str(ARTISAN), "--format", fmt)  # another hash seed
        assert first.stdout == second.stdout
        outputs.append(first.stdout)
    assert len(set(outputs)) == 3


def test_fail_on_gap_exits_1_only_when_breached():
    breached = run_cli("score", str(VALUE_INN), "--fail-on-gap", "2")
    assert breached.returncode == 1
    assert "over-automation gap +3 ≥ 2" in breached.stderr
    assert "What to do first" in breached.stdout  # the output is still printed
    assert run_cli("score", str(ARTISAN), "--fail-on-gap", "1").returncode == 0


def test_junit_has_one_case_per_required_safeguard_failing_when_missing():
    result = run_cli("score", str(VALUE_INN), "--format", "junit")
    suite = ET.fromstring(result.stdout)
    cases = suite.findall("testcase")
    scored = score_answers_file(VALUE_INN).result
    required = [
        s for s in scored.safeguards if s.phase <= scored.adoption_phase and s.status != "not-asked"
    ]
    assert len(cases) == len(required) == int(suite.get("tests"))
    failed = {c.get("name") for c in cases if c.find("failure") is not None}
    assert failed == {s.question_id for s in required if s.status in ("missing", "capped")}
    assert "touch.personal-follow-up" in failed


def test_bad_answers_file_is_located(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text(
        "rubric: {id: human-centred-automation}\n"
        "answers:\n"
        "  adopt.chatbot: {answer: sometimes}\n"
        "  handoff.reach-persn: {answer: 'yes'}\n"
        "  touch.journey-map: {answer: n/a, na_reason: not for us}\n"
    )
    result = run_cli("score", str(path))
    assert result.returncode == 2
    assert f"{path}:3:27: 'sometimes' is not an answer on the adoption scale" in result.stderr
    assert f"{path}:4:3: 'handoff.reach-persn' is not a question" in result.stderr
    assert "did you mean 'handoff.reach-person'?" in result.stderr
    assert f"{path}:5:31: 'touch.journey-map' does not allow 'not applicable'" in result.stderr
    assert "3 problems found." in result.stderr


def test_missing_answers_file_exits_2(tmp_path):
    result = run_cli("score", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert "file not found" in result.stderr


def test_unquoted_yes_and_numbers_in_a_hand_written_file_are_understood(tmp_path):
    path = Path(tmp_path / "answers.yaml")
    path.write_text(
        "rubric: {id: human-centred-automation}\n"
        "answers:\n"
        "  adopt.back-office: {answer: live}\n"
        "  oversight.owner: {answer: yes}\n"
        "  touch.journey-map: {answer: 3}\n"
    )
    result = score_answers_file(path).result
    statuses = {s.question_id: s.status for s in result.safeguards}
    assert statuses["oversight.owner"] == "met"
    assert statuses["touch.journey-map"] == "met"
