"""Bad input is explained in the language the command runs in: every message of auditkit's own
(what is wrong, what was expected, what was found, the fix, and the words around them: "row",
"expected:", "3 problems found.") goes through the catalog, while the location stays exact
(file:line:column, the row and column of a log) and the user's own data, file names and
options stay as they are.

The pseudo-locale en-XA accents every catalog string, so a plain English word left in a
message was never put through the catalog. The German reads back as a German auditor would.
"""

from __future__ import annotations

import html
import os
import re
import shutil

import pytest

from tests.conftest import REPO, run_cli
from tests.test_corpus import CORPUS

BAKERY = REPO / "examples" / "bakery" / "answers.yaml"
CHATBOT = REPO / "examples" / "logs" / "chatbot.csv"

# One bad input per reader, as a user would run it, and the location its message must keep.
CASES = {
    "answer not on the scale": (["score", "answers/answer-not-on-scale.yaml"], ":21:13: "),
    "n/a without a reason": (["score", "answers/na-without-reason.yaml"], ":21:13: "),
    "duplicate YAML key": (["score", "answers/duplicate-key.yaml"], ":22:5: "),
    "unknown rubric key": (["rubric", "validate", "rubric/unknown-key.yaml"], ":10:5: "),
    "weight is text": (["rubric", "validate", "rubric/weight-is-text.yaml"], ":10:13: "),
    "overlay changes nothing": (
        ["rubric", "validate", "overlay/changes-unknown-question.yaml"],
        ":6:3: ",
    ),
    "log value not yes/no": (
        ["bias", "chatbot", "logs/bad-boolean.csv", "-g", "language"],
        "bad-boolean.csv: ",
    ),
    "log without the group column": (
        ["bias", "chatbot", "logs/missing-group-column.csv", "-g", "language"],
        "missing-group-column.csv: ",
    ),
    "workbook stray cell": (
        ["bias", "chatbot", "logs/stray-cell.xlsx", "-g", "language"],
        "stray-cell.xlsx, ",
    ),
    "counts hold text": (
        ["bias", "chatbot", "--counts", "counts/count-is-text.csv", "-g", "language"],
        "count-is-text.csv: ",
    ),
    "mapping names a missing column": (
        ["bias", "chatbot", str(CHATBOT), "--mapping", "mapping/column-not-in-log.yaml"],
        "column-not-in-log.yaml:2:20: ",
    ),
    "bias result of another format": (
        ["score", str(BAKERY), "--bias", "bias/wrong-format.json"],
        "wrong-format.json: ",
    ),
    "brand logo missing": (
        ["report", str(BAKERY), "--brand", "brand/logo-missing.yaml", "-o", "r.html"],
        "logo-missing.yaml:7:7: ",
    ),
    "plan with three problems": (
        ["plan", "import", "plan/three-problems-in-a-row.csv", "--into", "answers.yaml"],
        "three-problems-in-a-row.csv: ",
    ),
    "contacts plan options": (
        ["contacts", "plan", "--channel", "chat", "--consent", "ok", "--gap", "2", "-o", "p"],
        "--consent: ",
    ),
}


def run(case: str, tmp_path, language: str):
    args, _where = CASES[case]
    shutil.copy(BAKERY, tmp_path / "answers.yaml")  # plan import writes into a copy
    args = [str(CORPUS / a) if (CORPUS / a).is_file() else a for a in args]
    return run_cli(*args, cwd=tmp_path, env={**os.environ, "AUDITKIT_LANG": language})


# Names a message shows as the user or the rubric wrote them: a check's and a scale's id.
KEPT = {"chatbot", "adoption"}


def english_words(message: str) -> list[str]:
    """Plain-ASCII words of three letters or more in a message, after what is not the
    catalog's is taken out: quoted values (the user's data, ids, columns), paths and file
    names, option flags with their value, metavariables (COLUMN) and the ids in KEPT."""
    text = re.sub(r"(?<![^\W_])'[^'\n]*'|\"[^\"\n]*\"", " ", message)
    text = re.sub(r"\S*[/\\]\S*|\S+\.(?:csv|xlsx|yaml|json|html|docx)\b", " ", text)
    text = re.sub(r"(?<![\w-])-{1,2}[a-z][\w-]*(?:[ =](?!-)[^\s,;)]+)?", " ", text)
    words = re.findall(r"(?<![^\W\d_])[A-Za-z]{3,}(?![^\W\d_])", text)
    return [w for w in words if not w.isupper() and w not in KEPT]


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_input_says_nothing_in_english_under_the_pseudo_locale(case, tmp_path):
    result = run(case, tmp_path, "en-XA")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert CASES[case][1] in result.stderr, result.stderr  # the location, exactly as in English
    assert english_words(result.stderr) == [], result.stderr


def test_the_same_mistakes_read_in_german_where_they_were(tmp_path):
    scale = run("answer not on the scale", tmp_path, "de").stderr
    assert "answer-not-on-scale.yaml:21:13: 'sometimes' ist keine Antwort auf der Skala" in scale
    assert "\n  erwartet: einer der Werte 'live', 'pilot', 'planned', 'no'\n" in scale
    assert "\n  gefunden: 'sometimes'\n" in scale
    assert "\n  Lösung:   Verwenden Sie eine der Angaben:" in scale

    log = run("log value not yes/no", tmp_path, "de").stderr
    assert "bad-boolean.csv: Zeile 5, Spalte 'requested_human': enthält andere Werte" in log
    assert "Ordnen Sie die Werte mit --positive VALUE zu" in log  # the flag, as typed

    plan = run("plan with three problems", tmp_path, "de").stderr
    assert plan.count("three-problems-in-a-row.csv: Zeile 3, Spalte ") == 3
    assert plan.rstrip().endswith("3 Probleme gefunden.")

    sheet = run("workbook stray cell", tmp_path, "de").stderr
    assert "stray-cell.xlsx, Blatt 'Export': Excel-Zeile 7, Spalte L: ein Wert in einer" in sheet

    rubric = run("unknown rubric key", tmp_path, "de").stderr
    assert "unknown-key.yaml:10:5: unbekannter Schlüssel 'weigth' (Grundsatz 'human-touch')" in (
        rubric
    )
    assert "Lösung:   Meinten Sie 'weight'?" in rubric


def test_english_stays_as_it_was_and_python_speaks_english_unless_asked(tmp_path):
    from auditkit.errors import InputError
    from auditkit.i18n import use

    english = run("plan with three problems", tmp_path, "en").stderr
    assert "three-problems-in-a-row.csv: row 3, column 'status': not a status" in english
    assert "\n  expected: one of 'open'" in english and english.rstrip().endswith(
        "3 problems found."
    )
    from auditkit.followup.plan import read_date

    with pytest.raises(ValueError, match=r"^an ambiguous date"):
        read_date("03/04/2027")
    with use("de"), pytest.raises(ValueError, match=r"^ein mehrdeutiges Datum"):
        read_date("03/04/2027")
    # An error raised in German keeps its own words in German wherever it is printed.
    with use("de"):
        error = InputError.single("plan.csv", "x", line=2, column_name="due", fix="y")
    assert error.format() == "plan.csv: Zeile 2, Spalte 'due': x\n  Lösung:   y"


def test_each_interface_names_its_own_option_inside_a_german_message():
    from auditkit.errors import InputError, fill
    from auditkit.i18n import _, use

    with use("de"):
        error = InputError.single(
            "log.csv",
            _("the log has no column {column} ({purpose})").format(
                column="'lang'", purpose=_("a group column")
            ),
            fix=fill(_("name one of the log's columns: {{{option} COLUMN}}"), option="group"),
        )
        web = error.speaking("web").format()
    python = error.speaking("python").format()
    assert error.format().endswith("Nennen Sie eine der Spalten des Protokolls: --group COLUMN")
    assert python.endswith("Nennen Sie eine der Spalten des Protokolls: group='COLUMN'")
    assert web.endswith(
        "Nennen Sie eine der Spalten des Protokolls: COLUMN im Feld „Gruppenspalten“"
    )


def test_a_translation_that_drops_or_alters_a_token_or_placeholder_is_caught(tmp_path):
    from babel.messages.catalog import Catalog

    from auditkit.i18n.build import kept, mismatches

    assert kept("use {{score {column}}} {{threshold 0.7}} on {file}") == {
        "{{score {column}}}": 1,
        "{{threshold 0.7}}": 1,
        "{file}": 1,
    }
    catalog = Catalog(locale="de")
    english = "the log has no column {column}; use {{group language}}"
    catalog.add(english, "dem Protokoll fehlt {column}; nutzen Sie {{group language}}")
    catalog.add("for example {{group language}}.", "zum Beispiel {{gruppe sprache}}.")
    catalog.add("is in {folder}", "liegt in {ordner}")
    catalog.add("expected NAME=VALUE", "erwartet wird NAME=WERT")
    catalog.add(("{count} problem found.", "{count} problems found."), ("1 Problem.", "{n} P."))
    assert [english for english, _ in mismatches(catalog)] == [
        "for example {{group language}}.",
        "is in {folder}",
        "{count} problems found.",
    ]
    # The shipped German keeps every one (the same check runs in 'build status').
    from babel.messages.pofile import read_po

    from auditkit.i18n.catalogs import po_path

    with po_path("de").open("rb") as handle:
        assert mismatches(read_po(handle)) == []


def test_an_upload_refused_on_the_practice_server_speaks_the_page_s_language(tmp_path):
    from auditkit.server.app import ServerConfig, create_app
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor
    from tests.serverweb import PASSWORD, Site, add_client, sign_in

    database, _migration = open_database(str(tmp_path / "server.db"))
    add_advisor(database, "ana@harbour.example", PASSWORD)
    config = ServerConfig(database, {"testserver"})
    try:
        ana = sign_in(Site(create_app(config), database), "ana@harbour.example")
        _client, audit = add_client(ana, "Harbour Bakery", "retail")
        response = ana.client.post(
            f"/audits/{audit}/evidence?lang=de",
            data={"csrf": ana.csrf, "check": "chatbot", "groups": "language"},
            files={"file": ("chats.csv", (CORPUS / "logs/missing-group-column.csv").read_bytes())},
        )
    finally:
        config.reports.close()
        database.close()
    assert response.status_code == 400
    shown = re.search(r'<p class="error" role="alert"[^>]*>(.*?)</p>', response.text, re.S)
    message = html.unescape(shown.group(1))
    assert "chats.csv: das Protokoll hat keine Spalte 'language' (eine Gruppenspalte)" in message
    assert "erwartet: eine seiner Spalten:" in message
    # The fix names the form's field in German, never a command-line flag.
    assert "Lösung:   Meinten Sie 'lang'? Verwenden Sie lang im Feld „Gruppenspalten“" in message
