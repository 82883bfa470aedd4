"""The command line speaks the chosen language: every command's --help (click's own words
included), its usage errors and its messages, with --lang anywhere on the line or
AUDITKIT_LANG; English stays byte for byte as it was and loads nothing."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys

import click
import pytest

from tests.conftest import REPO, run_cli

PSEUDO = "en-XA"
VALUE_INN = str(REPO / "examples" / "value-inn" / "answers.yaml")


def _tree() -> list[tuple[str, ...]]:
    """Every command and group of the CLI (hidden ones too), walked from click's tree so a
    command added later is covered without naming it here."""
    from auditkit.cli import cli
    from auditkit.cli.helptext import walk

    return [path for path, _command in walk(cli)]


def _help(args: list[str]) -> str:
    """``auditkit ARGS`` through ``auditkit.cli.main`` in this process, its standard output.
    (Not ``run_cli``: that empties every cache per call, and the pseudo catalog, built from
    the template, would be built again for each of the forty commands.)"""
    from auditkit.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as stop:
        main(args)
    assert stop.value.code == 0, out.getvalue()
    return out.getvalue()


def _kept_as_they_are() -> set[str]:
    """Words --help shows untranslated on purpose: command names, choice values, and click's
    metavars and option names (the pattern below skips upper-case words and --options)."""
    from auditkit.cli import cli
    from auditkit.cli.helptext import walk

    kept = {"auditkit"}
    for path, command in walk(cli):
        kept.update(path)
        for param in command.params:
            if isinstance(param.type, click.Choice):
                kept.update(word for choice in param.type.choices for word in str(choice).split())
    return kept


def _english_words(text: str, kept: set[str]) -> set[str]:
    """Plain-ASCII words of three letters or more that are not part of a file name, an option,
    a code or a metavar (upper case), once the kept names are taken out."""
    words = re.findall(r"(?<![\w.@/:=-])[A-Za-z]{3,}(?![\w.@/:=-])", text)
    return {w for w in words if not w.isupper() and w not in kept}


def test_every_command_s_help_goes_through_the_catalog(monkeypatch):
    """In the pseudo-locale every word of every --help is accented: a plain English word is a
    help text, a click word or a message left out of the catalogs."""
    monkeypatch.setenv("AUDITKIT_LANG", PSEUDO)
    kept = _kept_as_they_are()
    left = {}
    for path in _tree():
        text = _help([*path, "--help"])
        assert "Show this message and exit" not in text, path
        # Metavars stay as they are (FILE, COLUMN), in the option list as in the texts.
        assert not re.search(
            r"^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]* [^ \[]*[^\x00-\x7f]", text, re.M
        ), text
        english = _english_words(text, kept)
        if english:
            left[" ".join(path) or "auditkit"] = sorted(english)
    assert left == {}


def test_help_and_errors_in_german_then_english_again():
    """--lang after --help (click answers --help first) and AUDITKIT_LANG both give German
    help; a mistyped option is a German error with click's suggestion; the next English run
    shows the English help, unchanged (the shared click tree is put back)."""
    german = run_cli("report", "--help", "--lang", "de")
    assert german.returncode == 0
    assert german.stdout.startswith("Aufruf: auditkit report [OPTIONS] ANSWERS...\n")
    assert "Erstellt das Audit einer ANSWERS-Datei" in german.stdout
    assert "Diese Hilfe anzeigen und beenden." in german.stdout
    assert "[erforderlich]" in german.stdout and "--output FILE " in german.stdout

    wrong = run_cli(
        "score", "--formt", "json", VALUE_INN, env={**os.environ, "AUDITKIT_LANG": "de"}
    )
    assert wrong.returncode == 2
    assert "Fehler: Unbekannte Option '--formt'. Meinten Sie '--format'?" in wrong.stderr
    assert "Hilfe erhalten Sie mit 'auditkit score --help'." in wrong.stderr

    english = run_cli("report", "--help")
    assert english.stdout.startswith("Usage: auditkit report [OPTIONS] ANSWERS...\n")
    assert "Show this message and exit." in english.stdout
    assert "--output FILE" in english.stdout and "Aufruf" not in english.stdout


def test_a_command_s_messages_and_output_in_german():
    """`score` in German: the table, the hint on standard error, and a threshold's message;
    a --lang given before the command reaches it (`auditkit --lang de rules`)."""
    environment = {**os.environ, "AUDITKIT_LANG": "de"}
    scored = run_cli("score", VALUE_INN, "--fail-on-severity", "3", env=environment)
    assert scored.returncode == 1
    for words in ("Urteil", "Phasenleiter", "GRUNDSATZ", "Was zuerst zu tun ist"):
        assert words in scored.stdout
    assert "Phase ladder" not in scored.stdout and "What to do first" not in scored.stdout
    assert "Als Nächstes: Prüfen Sie Ihr Protokoll (chatbot)" in scored.stderr
    assert "Schweregrad 4 ≥ 3" in scored.stderr

    rules = run_cli("--lang", "de", "rules", "-j", "EU", "--as-of", "2026-12-06")
    assert rules.returncode == 0
    assert "die an diesem Datum galten" in rules.stdout and "Quelle:" in rules.stdout
    assert "Source:" not in rules.stdout

    listed = run_cli("rubric", "list", env=environment)  # the rubrics' own titles too
    assert "Gastgewerbe" in listed.stdout and "Menschengerechte Automatisierung" in listed.stdout
    assert "Hospitality" not in listed.stdout


def test_click_s_words_are_still_click_s():
    """The click messages auditkit translates are messages the installed click still asks
    for: a click release that rewords one would otherwise show it in English unnoticed."""
    from babel.messages.extract import extract

    from auditkit.cli.click_words import MESSAGES, PLURALS

    found = set()
    source = ""
    folder = os.path.dirname(click.__file__)
    for name in os.listdir(folder):
        if name.endswith(".py"):
            with open(os.path.join(folder, name), "rb") as handle:
                source += handle.read().decode("utf-8")
                handle.seek(0)
                for _line, message, _comments, _context in extract(
                    "python", handle, keywords={"_": None, "ngettext": (1, 2)}
                ):
                    found.add(message if isinstance(message, str) else tuple(message))
    # "required" reaches click's _() through a variable: a literal in its source is enough.
    assert {m for m in set(MESSAGES) - found if f'"{m}"' not in source} == set()
    assert set(PLURALS) - found == set()


def test_german_help_loads_no_heavy_library():
    """`auditkit --help` in German reads the compiled catalog with the standard library:
    no Babel, nothing heavy, as in English."""
    from auditkit.i18n.catalogs import compiled

    compiled("de")  # a source checkout compiles the .po once (with Babel), here, not below
    probe = (
        "import sys\n"
        "from auditkit.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'babel', 'pandas', 'numpy', 'duckdb', 'fairlearn', 'weasyprint', 'sqlalchemy',\n"
        "         'prompt_toolkit', 'starlette', 'jinja2', 'openpyxl', 'pyarrow', 'sklearn'}\n"
        "print('HEAVY:', sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "AUDITKIT_LANG": "de"},
    )
    assert result.stdout.startswith("Aufruf: auditkit [OPTIONS] COMMAND [ARGS]..."), result
    assert "Diese Hilfe anzeigen und beenden." in result.stdout
    assert result.stdout.rstrip().endswith("HEAVY: []"), result.stdout[-300:]
