"""``auditkit assess`` in another language: a German owner in a real pseudo-terminal reads
German from the opening to the closing line and stores exactly what an English owner stores;
the pseudo-locale run through a pipe shows no English of auditkit's own; an answer's long
description is wrapped, not cut at the screen's edge; the contact recorder's script takes
its words from the catalog."""

from __future__ import annotations

import re

import pexpect
import pytest
import yaml

from tests.conftest import REPO, run_cli
from tests.test_i18n_pages import english_words
from tests.test_questionnaire import opening, spawn

# The same owner in both languages: the rules' questions (EU, 10 to 49 people), then the
# first inventory question live, the second no, the third skipped, then q (save and quit).
KEYS = ["1", "4", "s"]


def _german_opening(child: pexpect.spawn) -> None:
    for prompt, text in (
        ("Name des Betriebs:", "Corner Café"),
        ("Branche", ""),
        ("Sie sind:", ""),
        ("Ihr Name", "Ana"),
        ("Ihre Funktion:", "Owner"),
        ("durch Kommas getrennt", "1"),
        ("Geben Sie eine Nummer ein", "2"),
    ):
        child.expect(prompt)
        child.send(text + "\r")


def _stored(path) -> dict:
    """The answers file without its clocks: what was answered, by id and level."""
    data = yaml.safe_load(path.read_text())
    data.pop("started"), data.pop("updated")
    for answer in data["answers"].values():
        answer.pop("answered_at", None)
    return data


def _german_question(question_id: str):
    from auditkit.rubric import load_rubric
    from auditkit.rubric.translate import localize

    return localize(load_rubric("human-centred-automation"), "de")[0].question(question_id)


def test_a_german_owner_reads_german_and_stores_what_an_english_owner_stores(tmp_path):
    english_folder, german_folder = tmp_path / "en", tmp_path / "de"
    english_folder.mkdir(), german_folder.mkdir()

    child = spawn(english_folder, "-o", "answers.yaml")
    opening(child, where=True)
    for key in KEYS:
        child.expect(r"Question \d+ of")
        child.send(key)
    child.expect(r"Question 4 of")
    child.send("q")
    child.expect(pexpect.EOF)

    # 60 columns: the German descriptions of the adoption scale are longer than a row.
    child = spawn(german_folder, "-o", "answers.yaml", "--lang", "de", columns=60)
    child.expect("Prüfung auf menschengerechte Automatisierung")
    _german_opening(child)
    child.expect(r"Frage 1 von \d+–\d+")
    child.expect("Bestandsaufnahme|Automatisierung im Einsatz")
    first = _german_question("adopt.web-shop")
    child.expect(re.escape(" ".join(first.text.split()[:3])))  # the rubric's German text
    child.expect("Wählen Sie eine Antwort")
    # Every description is on the screen to its last word (cut at 60 columns before).
    for level in first.scale.levels:
        child.expect(re.escape(level.description.split()[-1]))
    for number, key in enumerate(KEYS, start=1):
        if number > 1:
            child.expect(rf"Frage {number} von")
        child.send(key)
    child.expect("Frage 4 von")
    child.send("q")
    child.expect(r"beantwortet · 0 nicht zutreffend · 1 übersprungen")
    child.expect("Gespeichert in answers.yaml")
    child.expect("Fortsetzen mit:  auditkit assess -o answers.yaml --lang de")
    child.expect(pexpect.EOF)
    shown = child.before
    assert "Saved" not in shown and "Resume" not in shown and "Traceback" not in shown

    english = _stored(english_folder / "answers.yaml")
    german = _stored(german_folder / "answers.yaml")
    assert german == english  # ids and levels only: nothing German in the file
    assert english["answers"]["adopt.web-shop"]["answer"] == "live"
    assert english["answers"]["adopt.click-and-collect"]["answer"] == "no"


# What the pseudo run may show in plain English: names, codes, paths and commands, and what
# was typed.
PIPE_ALLOWED = {
    "auditkit assess -o answers.yaml --lang en-XA",
    "auditkit answers template -o FILE",
    "answers.yaml",
    "financial-services",
    "healthcare",
    "hospitality",
    "professional-services",
    "retail",
    "Corner Café",
    "Ilse",
    "Owner",
    "zzz",
}


def test_the_pseudo_locale_through_a_pipe_shows_no_english_of_its_own(tmp_path):
    typed = "Corner Café\nretail\n\nIlse\nOwner\n1\n2 # only flour\nx\n?\nzzz\nd\ns\nb\nq\n"
    result = run_cli(
        "assess", "-o", "answers.yaml", input=typed, cwd=tmp_path, env={"AUDITKIT_LANG": "en-XA"}
    )
    assert result.returncode == 0, result.stderr
    shown = result.stdout + "\n" + result.stderr
    assert "Traceback" not in shown
    assert re.search(r"\[3/\d+-\d+\]", shown)  # the length the web shows: still a range
    words = english_words(re.sub("[<>]", " ", shown), PIPE_ALLOWED)
    assert words == [], words
    saved = yaml.safe_load((tmp_path / "answers.yaml").read_text())["answers"]
    assert saved["adopt.web-shop"]["answer"] == "live"
    assert saved["adopt.click-and-collect"] == {
        **saved["adopt.click-and-collect"],
        "answer": "pilot",
        "note": "only flour",
    }


def test_the_closing_counts_the_questions_the_web_counts(tmp_path):
    """Two inventory answers given: the questions still depend on the rest of the inventory,
    so the closing says the range, not the 46 that apply on the answers so far."""
    from auditkit.questionnaire.session import Session

    result = run_cli(
        "assess", "-o", "answers.yaml", input="Bakery\n\n\nIlse\nOwner\n1\n2\nq\n", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    session = Session.existing(tmp_path / "answers.yaml", None, None)
    span = session.length()
    assert not span.exact and session.summary().asked != span.most
    closing = " ".join(result.stdout.split())
    assert f"of {span.least} to {span.most} questions" in closing
    assert f"of {session.summary().asked} questions." not in closing


# What prompt_toolkit's choice list draws left of a row's text (seen in tmux): three columns
# of the list's own margin, then the cursor mark and a space.
DRAWN_BEFORE = 5


@pytest.mark.parametrize("columns", [50, 80])
def test_a_long_description_wraps_under_its_label(monkeypatch, columns):
    """Every row of the choice list fits the screen (the list starts three columns in) and
    the whole description is on it."""
    import os
    import shutil

    from prompt_toolkit.formatted_text import to_plain_text

    from auditkit.i18n import use
    from auditkit.questionnaire import terminal

    monkeypatch.setattr(
        shutil, "get_terminal_size", lambda fallback=None: os.terminal_size((columns, 24))
    )
    with use("de"):
        for question_id in ("adopt.web-shop", "touch.journey-map", "touch.sensitive-cases"):
            question = _german_question(question_id)
            rows = terminal._options(question, unknown=question.kind != "adoption")
            for level, (_value, label) in zip(question.scale.levels, rows, strict=False):
                text = to_plain_text(label)
                lines = text.splitlines()
                widest = max(DRAWN_BEFORE + len(line) for line in lines)
                assert widest <= columns - 1, (columns, text)
                assert " ".join(text.split()).endswith(" ".join(level.description.split()))


def test_the_contact_recorder_s_script_takes_its_words_from_the_page():
    """record.js holds no sentence: every text it shows comes from #record-words, which the
    page fills from the catalog in the page's language (plural forms included)."""
    import json

    from auditkit.contacts.words import script_words
    from auditkit.i18n import use

    script = (REPO / "auditkit" / "contacts" / "static" / "record.js").read_text()
    code = re.sub(r"//[^\n]*", "", script)  # comments are for developers
    literals = set(re.findall(r'"((?:[^"\\]|\\.)*)"', code)) - {"use strict"}
    sentences = [text for text in literals if re.search(r"[A-Za-z]{3,} [A-Za-z]{2,}", text)]
    assert sentences == []
    assert "record-words" in script
    with use("de"):
        german = script_words()
    assert german["text"]["saved"] == "Gespeichert."
    waiting = german["plural"]["waiting_connection"]
    one, three = (waiting["forms"][waiting["index"][n]] for n in (1, 3))
    assert one.startswith("{count} Kontakt ") and three.startswith("{count} Kontakte ")
    json.dumps(german)  # data the page can carry


def test_the_local_recorder_speaks_the_language_it_was_started_in(tmp_path):
    """``auditkit contacts record`` with AUDITKIT_LANG=de: the page, the script's words and a
    refusal the script shows are German."""
    import json

    from starlette.testclient import TestClient

    from auditkit.contacts.model import read_plan
    from auditkit.contacts.web import RecordState, create_app
    from tests.test_contacts import make_plan

    plan = read_plan(make_plan(tmp_path / "plan"))
    state = RecordState(tmp_path / "contacts.csv", plan, language="de")
    client = TestClient(create_app(state))
    page = client.get("/").text
    assert '<html lang="de">' in page and "Testkontakt erfassen" in page
    found = re.search(r'<script type="application/json" id="record-words">(.*?)</script>', page)
    words = json.loads(found.group(1))
    assert words["text"]["kept"].startswith("In diesem Browser gespeichert")
    assert words["fields"]["date"] == "Datum"
    refused = client.post(
        "/contacts",
        data={"csrf": state.csrf, "pair": "P01", "date": "soon"},
        headers={"accept": "application/json"},
    )
    assert refused.status_code == 422
    assert refused.json()["errors"]["date"] == "das Datum des Kontakts, als JJJJ-MM-TT"


def test_the_answers_template_comments_in_german_and_fills_in_the_same(tmp_path):
    """The comments follow --lang (or AUDITKIT_LANG); the YAML is the same data in every
    language, the same bytes every time, and the file validates."""
    english = run_cli("answers", "template")
    german = run_cli("answers", "template", "--lang", "de")
    again = run_cli("answers", "template", env={"AUDITKIT_LANG": "de"})
    assert english.returncode == german.returncode == again.returncode == 0, german.stderr
    assert german.stdout == again.stdout  # byte for byte, by the option or the environment
    assert (
        "# Tragen Sie bei jedem 'answer:' eine der darüber genannten Antworten ein" in german.stdout
    )
    assert "# Antworten: live (Im Einsatz), pilot (Im Test)" in german.stdout
    assert "Fill in each" not in german.stdout and "Help:" not in german.stdout
    assert yaml.safe_load(german.stdout) == yaml.safe_load(english.stdout)
    (tmp_path / "de.yaml").write_text(german.stdout, encoding="utf-8")
    checked = run_cli("answers", "validate", str(tmp_path / "de.yaml"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
