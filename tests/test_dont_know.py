"""'Don't know / never measured' as an owner gives it: in the questionnaire, in the file."""

from __future__ import annotations

import json

import pytest
import yaml

from auditkit.questionnaire.session import AnswerError, Session
from tests.conftest import run_cli

ADOPTION = 15  # the inventory of rubric 2.0.0, asked first


def test_the_session_stores_dont_know_on_a_safeguard_and_refuses_it_on_the_inventory(tmp_path):
    path = tmp_path / "a.yaml"
    session = Session.new(path, None, None, {"name": "Shop"}, {})
    with pytest.raises(AnswerError, match="is not an answer to this question"):
        session.answer("don't know")  # "is a web shop in use?" — the owner knows
    for _ in range(ADOPTION):
        session.answer("no")
    question = session.current()
    assert question.kind == "safeguard"
    session.answer("Don't know")
    saved = yaml.safe_load(path.read_text())["answers"][question.id]
    assert saved["answer"] == "unknown"
    assert session.answer_of(question.id).is_unknown


def test_a_pipe_answers_dont_know_with_d_and_the_score_shows_it(tmp_path):
    out = tmp_path / "answers.yaml"
    opening = "Corner Shop\nretail\n\nIlse\nOwner\n"
    result = run_cli("assess", "-o", str(out), input=opening + "no\n" * ADOPTION + "d\n")
    assert result.returncode == 0, result.stderr
    assert "d) don't know" in result.stdout
    answers = yaml.safe_load(out.read_text())["answers"]
    first_safeguard = next(k for k in answers if not k.startswith("adopt."))
    assert answers[first_safeguard]["answer"] == "unknown"
    scored = run_cli("score", str(out), "--format", "json")
    statuses = {s["question_id"]: s for s in json.loads(scored.stdout)["safeguards"]}
    assert statuses[first_safeguard]["status"] == "unknown"
    assert statuses[first_safeguard]["answer"] == "Don't know"


def test_the_template_offers_dont_know_on_safeguards_only():
    text = run_cli("answers", "template").stdout
    assert "or unknown (don't know / never measured)" in text
    lines = text.splitlines()
    before_chatbot = lines[lines.index("  adopt.chatbot:") - 1]
    assert "Answers: live" in before_chatbot and "unknown" not in before_chatbot
