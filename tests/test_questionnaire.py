"""The questionnaire driven through a real pseudo-terminal, as an owner would use it."""

from __future__ import annotations

import os
import re
import signal
import sys
import time

import pexpect
import pytest
import yaml

from auditkit.answers.store import load_answers
from tests.conftest import REPO, SMALL_RUBRIC, one_principle_rubric, run_cli, write

DOWN = "\x1b[B"
STYLE = r"(?:\x1b\[[0-9;]*m)*"  # colour and weight codes between the parts of a row


def spawn(tmp_path, *args: str, columns: int = 120) -> pexpect.spawn:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "TERM": "xterm",
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "PYTHONPATH": str(REPO),
    }
    return pexpect.spawn(
        sys.executable,
        ["-m", "auditkit", "assess", *args],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        dimensions=(40, columns),
        timeout=20,
    )


def opening(child: pexpect.spawn, business: str = "Corner Café", *, where: bool = False) -> None:
    """The opening; ``where``: the shipped rubric also asks the owner where the business serves
    customers and its size (the rules' questions), answered EU and 10 to 49 people."""
    prompts = [
        ("Business name:", business),
        ("Sector", ""),
        ("You answer as:", ""),
        ("Your name", "Ana"),
        ("Your role:", "Owner"),
    ]
    if where:
        prompts += [("separated by commas", "1"), ("Type one number", "2")]
    for prompt, text in prompts:
        child.expect(prompt)
        child.send(text + "\r")


def answers(tmp_path, name: str = "answers.yaml") -> dict:
    data = yaml.safe_load((tmp_path / name).read_text())
    return data["answers"]


@pytest.fixture
def rubric(tmp_path):
    return write(tmp_path / "small.yaml", SMALL_RUBRIC)


def test_answer_go_back_change_note_and_not_applicable(tmp_path, rubric):
    child = spawn(tmp_path, "--rubric", "small.yaml", "-o", "answers.yaml")
    opening(child)
    child.expect("Question 1 of 3 to 4")  # the chatbot follow-up is not asked yet
    child.expect("Automation in use")  # the inventory is named, not taken for a principle
    child.send("\r")  # Enter alone chooses nothing: no answer is preselected
    child.expect("Nothing chosen yet")
    child.send(DOWN + "\r")  # live
    child.expect("Question 2 of 3 to 4")
    child.send("n")
    child.expect("Note")
    child.send("Website widget since May\r")
    child.expect("Note: Website widget since May")
    child.send(DOWN + "\r")  # adopt.chatbot: live -> the handoff question appears
    child.expect("Question 3 of 4")
    child.send("b")  # back to the chatbot question
    child.expect("Question 2 of 4")
    child.send(DOWN + DOWN + DOWN + "\r")  # change it to 'no'
    child.expect("Question 3 of 3")  # the handoff question disappeared again
    child.expect("Privacy")
    child.send("x")
    child.expect("Why does this not apply")
    child.send("We keep no customer data\r")
    child.expect("Review")
    child.expect("2 answered · 1 not applicable")
    child.send("\r")  # Finish
    child.expect("Saved to answers.yaml")
    child.expect(pexpect.EOF)
    saved = answers(tmp_path)
    assert saved["adopt.books"]["answer"] == "live"
    assert saved["adopt.chatbot"] == {
        **saved["adopt.chatbot"],
        "answer": "no",
        "note": "Website widget since May",
    }
    assert saved["privacy.consent"]["answer"] == "n/a"
    assert saved["privacy.consent"]["na_reason"] == "We keep no customer data"
    data = yaml.safe_load((tmp_path / "answers.yaml").read_text())
    assert data["business"]["name"] == "Corner Café"


def test_skip_review_and_edit_then_resume_at_the_first_open_question(tmp_path, rubric):
    child = spawn(tmp_path, "--rubric", "small.yaml", "-o", "answers.yaml")
    opening(child)
    child.expect("Question 1 of 3 to 4")
    child.send("s")  # skip for later
    child.expect("Question 2 of 3 to 4")
    child.send("q")
    child.expect("Resume with:  auditkit assess -o answers.yaml")
    child.expect(pexpect.EOF)
    assert answers(tmp_path)["adopt.books"]["skipped"] is True

    again = spawn(tmp_path, "-o", "answers.yaml")
    again.expect("Resuming answers.yaml")  # a screen that stays until the owner continues
    again.expect("Corner Café")
    again.expect("0 of 3 to 4 questions answered")  # the length the web shows
    again.expect("Press Enter to continue")
    again.send("\r")
    again.expect("Question 1 of 3 to 4")  # the skipped question is the first open one
    again.send("r")
    again.expect("Review")
    again.expect("skipped")
    again.send(DOWN + DOWN + DOWN + "\r")  # finish, back, then the first question: pick question 2
    again.expect("Question 2 of 3 to 4")
    again.send(DOWN + DOWN + "\r")  # pilot
    again.expect("Review")  # an edit made from the review returns to the review
    again.expect("of 4")  # where a chatbot in pilot has brought its follow-up question
    again.send("\r")  # Finish
    again.expect(pexpect.EOF)
    assert answers(tmp_path)["adopt.chatbot"]["answer"] == "pilot"


def test_ctrl_c_saves_and_prints_the_resume_command(tmp_path, rubric):
    child = spawn(tmp_path, "--rubric", "small.yaml", "-o", "answers.yaml")
    opening(child)
    child.expect("Question 1 of 3 to 4")
    child.send(DOWN + "\r")
    child.expect("Question 2 of 3 to 4")
    child.sendintr()
    child.expect("Resume with:  auditkit assess -o answers.yaml --rubric small.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130  # interrupted, as the README's exit codes say
    assert answers(tmp_path)["adopt.books"]["answer"] == "live"


def test_sigkill_mid_session_keeps_every_answer_given(tmp_path):
    child = spawn(tmp_path, "-o", "answers.yaml")
    opening(child, where=True)
    given = ["live", "pilot", "planned", "no"]
    for number, moves in enumerate([1, 2, 3, 4], start=1):
        child.expect(f"Question {number} of")
        child.send(DOWN * moves + "\r")
    child.expect("Question 5 of")
    child.send("partial typing is lost")
    time.sleep(0.2)
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    answer_set, _ = load_answers(tmp_path / "answers.yaml")  # valid YAML and a valid answers file
    values = [
        answer_set.answers[q].value
        for q in (
            "adopt.web-shop",
            "adopt.click-and-collect",
            "adopt.booking-page",
            "adopt.confirmations",
        )
    ]
    assert values == given
    assert answer_set.answers["business.markets"].value == "EU"
    assert answer_set.answers["business.size"].value == "small"
    assert not list(tmp_path.glob(".answers.yaml.*.tmp"))


def test_a_pipe_never_hangs_and_never_shows_a_traceback(tmp_path):
    result = run_cli(
        "assess",
        "-o",
        str(tmp_path / "answers.yaml"),
        input="Bakery\nretail\n\nIlse\nOwner\nlive\n2 # only flour\nx\n",
    )
    assert result.returncode == 0
    assert "Traceback" not in result.stderr + result.stdout
    assert "not a terminal" in result.stderr
    assert "Resume with:" in result.stdout
    saved = answers(tmp_path)
    assert saved["adopt.click-and-collect"] == {
        **saved["adopt.click-and-collect"],
        "answer": "pilot",
        "note": "only flour",
    }


def test_a_pipe_with_nothing_on_it(tmp_path):
    result = run_cli("assess", "-o", str(tmp_path / "answers.yaml"), input="")
    assert result.returncode == 0
    assert "Traceback" not in result.stderr


def test_key_hints_wrap_on_a_narrow_terminal(monkeypatch):
    """Seen in tmux at 50 columns: two lines of hints. (pexpect cannot see the toolbar: it
    needs the cursor-position reports that the other tests switch off.)"""
    import os
    import shutil

    from auditkit.questionnaire.screen import key_hints

    monkeypatch.setattr(
        shutil, "get_terminal_size", lambda fallback=None: os.terminal_size((50, 30))
    )
    lines = key_hints(allow_na=True).splitlines()
    assert len(lines) > 1 and all(len(line) < 50 for line in lines)
    assert "q save & quit" in " ".join(lines)


def every_scale_rubric() -> str:
    """One question for every level of every scale, with nothing conditional."""
    rows = [("adoption", "adoption", n) for n in range(4)]
    rows += [("safeguard", "yes-partly-no", n) for n in range(3)]
    rows += [("safeguard", "maturity", n) for n in range(5)]
    questions = "".join(
        f"""  - id: q.{scale}-{n}
    principle: p
    kind: {kind}
    phase: 1
    scale: {scale}
    text: Question on {scale}, level {n}?
    help: Any.
"""
        + ("    recommendation: Do it.\n" if kind == "safeguard" else "")
        for kind, scale, n in rows
    )
    return one_principle_rubric("scales", "Every scale", questions)


def test_the_number_beside_an_answer_is_the_key_that_chooses_it(tmp_path):
    """On every scale, pressing the digit printed beside an answer stores that answer: the
    rows of the adoption and yes/no scales are 1, 2, 3 …; maturity levels are 0–4."""
    from auditkit.rubric.scales import SCALES

    write(tmp_path / "scales.yaml", every_scale_rubric())
    child = spawn(tmp_path, "--rubric", "scales.yaml", "-o", "answers.yaml")
    opening(child)
    expected = {}
    for scale_id, count in (("adoption", 4), ("yes-partly-no", 3), ("maturity", 5)):
        levels = SCALES[scale_id].levels
        for n in range(count):
            level = levels[n]
            digit = level.value if scale_id == "maturity" else str(n + 1)
            number = "" if scale_id == "maturity" else re.escape(f"{digit}.") + STYLE + " "
            child.expect(f"Question on {scale_id}, level {n}")
            child.expect(number + re.escape(level.label))  # the row as the owner sees it
            child.send(digit)
            expected[f"q.{scale_id}-{n}"] = level.value
    child.expect("Review")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    stored = {q: a["answer"] for q, a in answers(tmp_path).items()}
    assert stored == expected


def test_review_numbers_are_the_questions_own_x_says_why_and_q_suggests_resuming(tmp_path, rubric):
    child = spawn(tmp_path, "--rubric", "small.yaml", "-o", "answers.yaml")
    opening(child)
    child.expect("Question 1 of 3 to 4")  # an inventory question: "not applicable" not allowed
    child.send("x")
    child.expect('"Not applicable" is not an answer here')  # said, not silently ignored
    child.send(DOWN + "\r")  # live
    child.expect("Question 2 of 3 to 4")
    child.send("r")
    child.expect("Review")
    # Each row carries the number its question was asked under: 1 and 2, not rows 3 and 4.
    child.expect(rf"1\.{STYLE} {STYLE}Live")
    child.expect(rf"2\.{STYLE} {STYLE}unanswered")
    child.expect(rf"3\.{STYLE} {STYLE}unanswered")
    child.send(DOWN + "\r")  # back to the questions
    child.expect("Question 2 of 3 to 4")
    child.send("q")
    child.expect("Resume with:  auditkit assess -o answers.yaml --rubric small.yaml")
    child.expect(pexpect.EOF)
    closing = child.before
    assert "Run it again when you have time" in closing
    assert "auditkit score" not in closing  # 1 of 3 answered: scoring is not the next step
    assert "adopt.chatbot" not in answers(tmp_path)
