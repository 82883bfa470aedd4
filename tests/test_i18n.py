"""Every person in their own language: the catalogs, the choice of language, the formats, and
what must not change with the language (answers files, scores, the sandbox, the start time)."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date

import pytest
import yaml

from tests.conftest import REPO
from tests.test_serve import answer, begin, client_for, rubric, state, stored  # noqa: F401

LOCALE = REPO / "auditkit" / "i18n" / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w*\}|%%")


def _catalog(path):
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle)


def test_the_template_is_current_with_the_code_and_templates(tmp_path, monkeypatch):
    """A string wrapped in code or a template but not extracted would never be translated:
    extracting again gives exactly the committed template's strings."""
    from auditkit.i18n import build

    monkeypatch.setattr(build, "POT", tmp_path / "fresh.pot")
    build.extract()
    fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(tmp_path / "fresh.pot")}
    shipped = {
        m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(LOCALE / "auditkit.pot")
    }
    assert fresh - shipped == set(), "run: python -m auditkit.i18n.build extract && … update"
    assert shipped - fresh == set()


def test_german_translates_every_string_with_the_same_placeholders():
    wanted = _catalog(LOCALE / "auditkit.pot")
    german = _catalog(LOCALE / "de" / "LC_MESSAGES" / "auditkit.po")
    assert german.num_plurals == 2
    for message in wanted:
        if not message.id:
            continue
        found = german.get(message.id)
        assert found is not None and "fuzzy" not in found.flags, message.id
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        texts = [found.string] if isinstance(found.string, str) else list(found.string)
        assert all(texts), message.id
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for text in texts[1:] if len(texts) > 1 else texts:
            assert set(PLACEHOLDER.findall(text)) == expected, (message.id, text)


def test_a_missing_translation_shows_english_and_is_counted():
    from auditkit.i18n import _, missed, ngettext, use

    with use("de") as catalog:
        assert _("Save and continue") == "Speichern und weiter"
        assert _("A sentence nobody translated") == "A sentence nobody translated"
        assert ngettext("one new thing", "{n} new things", 2) == "{n} new things"
        assert missed() == {"A sentence nobody translated", "one new thing"}
        assert catalog.missed == missed()
    with use("de") as again:  # each block counts its own
        assert again.missed == set()


def test_plural_forms_follow_the_count():
    from auditkit.i18n import ngettext, use

    with use("de"):
        one = ngettext("{count} is missing", "{count} are missing", 1).format(count=1)
        two = ngettext("{count} is missing", "{count} are missing", 2).format(count=2)
    assert (one, two) == ("1 fehlt", "2 fehlen")


def test_dates_numbers_and_percentages_per_language():
    from auditkit.i18n import use
    from auditkit.i18n.formatting import (
        format_date,
        format_decimal,
        format_integer,
        format_percent,
    )
    from auditkit.scoring.verdict import percent_span

    day = date(2026, 12, 6)
    english = (format_date(day), format_percent(0.52), format_decimal(169.5), format_integer(12345))
    assert english == ("6 December 2026", "52%", "169.5", "12,345")
    assert percent_span(25, 60) == "25–60%"
    with use("de"):
        german = (
            format_date(day),
            format_percent(0.52),
            format_decimal(169.5),
            format_integer(12345),
        )
        assert percent_span(25, 60) == "25–60\u00a0%"
    assert german == ("6. Dezember 2026", "52\u00a0%", "169,5", "12.345")


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("en-GB,en;q=0.9,de;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,de;q=0.5", "de"),
        ("fr-FR,pl;q=0.9", "en"),
        ("", "en"),
        ("de;q=0", "en"),
        ("*;q=0.1, de-AT", "de"),
        ("garbage;q=x,,;", "en"),
    ],
)
def test_the_browser_proposes_the_language(header, chosen):
    from auditkit.i18n.web import negotiate

    assert negotiate(header, "en") == chosen


def test_an_unknown_language_is_a_usage_error_naming_those_that_exist(tmp_path):
    from tests.conftest import run_cli

    result = run_cli("report", str(REPO / "examples/value-inn/answers.yaml"), "--lang", "xx")
    assert result.returncode == 2
    assert "--lang" in result.stderr and "en, de" in result.stderr


def test_english_and_help_never_load_babel():
    probe = (
        "import sys, io, contextlib\n"
        "import auditkit\n"
        "from auditkit.i18n import use, _\n"
        "with use('en'):\n"
        "    _('Save and continue')\n"
        "sys.argv = ['auditkit', '--help']\n"
        "from auditkit.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'babel'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr


def test_the_report_sandbox_still_holds_with_translations(tmp_path):
    """gettext in the sandboxed report templates: calling it is fine, reaching through it
    to Python's internals is not."""
    from jinja2.exceptions import SecurityError

    from auditkit.i18n import use
    from auditkit.reporting.render import environment

    env = environment(None)
    with use("de"):
        assert env.from_string("{{ _('Back to top') }}").render() == "Nach oben"
        assert env.from_string("{% trans %}Glossary{% endtrans %}").render() == "Glossar"
        shown = env.from_string("{% trans note=v %}Noted: {{ note }}{% endtrans %}").render(v="<b>")
        assert shown == "Notiert: &lt;b&gt;"
    for attack in (
        "{{ _.__globals__ }}",
        "{{ gettext.__globals__['os'] }}",
        "{{ ngettext.__code__ }}",
    ):
        with pytest.raises(SecurityError):
            env.from_string(attack).render()


def test_a_german_report_is_german_and_the_english_one_unchanged(tmp_path):
    from auditkit.reporting.run import make_report

    answers = REPO / "examples" / "value-inn" / "answers.yaml"
    day = date(2026, 12, 6)
    english = make_report(answers, [], day=day, pdf=False)
    plain = make_report(answers, [], day=day, pdf=False, language="en")
    german = make_report(answers, [], day=day, pdf=False, language="de")
    assert english.html == plain.html
    assert '<html lang="en">' in english.html and "6 December 2026" in english.html
    assert '<html lang="de">' in german.html
    for words in ("6. Dezember 2026", "Zusammenfassung für die Leitung", "Was zuerst zu tun ist"):
        assert words in german.html
    assert "Summary for the owner" not in german.html
    # The language changes the words, never the scores.
    assert german.score.overall_percent == english.score.overall_percent
    assert german.score.verdict.severity == english.score.verdict.severity
    assert german.record["score"]["overall_percent"] == english.record["score"]["overall_percent"]


def test_answers_given_in_german_store_ids_and_levels_only(state):  # noqa: F811
    """A German page stores the level's id ("live"), never its German label, so German and
    English answers merge and compare."""
    client = client_for(state)
    client.headers["accept-language"] = "de-DE,de;q=0.9"
    page = client.get("/start")
    assert '<html lang="de">' in page.text and "Vor den Fragen" in page.text
    page = begin(client, state)
    assert "Speichern und weiter" in page.text
    page = answer(client, state, page, "live", note="Bankabgleich seit 2024")
    assert "Frage 2 von 2" in page.text
    assert stored(state)["adopt.books"]["answer"] == "live"
    assert stored(state)["adopt.books"]["note"] == "Bankabgleich seit 2024"  # as written
    text = state.path.read_text()
    assert "Im Betrieb" not in text and "lang" not in text and "de" not in yaml.safe_load(text)


def test_the_language_picked_on_the_opening_page_is_kept_for_this_respondent(state):  # noqa: F811
    client = client_for(state)
    client.headers["accept-language"] = "en"
    page = client.get("/start?lang=de")
    assert "Vor den Fragen" in page.text
    assert 'hreflang="en"' in page.text  # the picker offers the other languages
    assert "Vor den Fragen" in client.get("/start").text  # the cookie keeps the pick
    assert "Before the questions" in client.get("/start?lang=en").text


@pytest.fixture
def site(tmp_path):
    from tests.serverweb import one_advisor_site

    with one_advisor_site(tmp_path / "server.db") as opened:  # languages never touch storage
        yield opened


def test_a_mixed_team_answers_in_three_languages_and_merges_as_one(site):
    """The owner in English, two staff in German (their browsers ask for it), one in Polish,
    which auditkit does not have, so English: each reads their own language, the answers
    merge by id and level, "Where views differ" counts all three, and anonymity is as it was
    (staff only as counts, at the floor)."""
    from tests.serverweb import add_client, answer_all, invite, sign_in

    ana = sign_in(site, "ana@harbour.example")
    _, audit = add_client(ana, "Value Inn")
    owner = site.visitor()
    owner.client.headers["accept-language"] = "en-GB,en;q=0.9"
    welcome = owner.follow(owner.get(invite(ana, audit, "owner")))
    assert "how people, fairness and privacy fare" in welcome.text
    owner.follow(owner.post("/answer/begin", {"person": "Dana", "person_role": "Owner"}))
    answer_all(owner, lambda question, values: values[0])
    owner.follow(owner.post("/answer/send"))
    seen = []
    for language in ("de-DE,de;q=0.9", "de", "pl-PL,pl;q=0.9"):
        staff = site.visitor()
        staff.client.headers["accept-language"] = language
        welcome = staff.follow(staff.get(invite(ana, audit, "staff")))
        seen.append(welcome.text)
        staff.follow(staff.post("/answer/begin"))
        assert answer_all(staff, lambda question, values: values[-1])
        sent = staff.follow(staff.post("/answer/send"))
        seen.append(sent.text)
    assert "Ihre Antworten sind anonym" in seen[0] and "Ihre Antworten sind gesendet" in seen[1]
    assert "Ihre Antworten sind anonym" in seen[2]
    assert "Your answers are anonymous" in seen[4] and "Your answers are sent" in seen[5]
    english = ana.get(f"/audits/{audit}/results").text
    assert "Where views differ" in english and "Answers from the owner and 3 staff" in english
    # The owner's summary is in the audit's report language (the advisor's own pages are not).
    ana.get(f"/audits/{audit}")
    assert ana.post(f"/audits/{audit}/language", {"language": "de"}).status_code == 303
    german = ana.get(f"/audits/{audit}/results").text
    assert "Wo die Sichtweisen auseinandergehen" in german
    assert "die Inhaberin oder der Inhaber und 3 Personen aus dem Team" in german
    # The same merged numbers in both languages: the scores do not depend on the language.
    number = re.compile(r"(\d+)\s?%")
    assert number.findall(english)[:3] == number.findall(german)[:3]
    # Anonymity as before: the archive holds the owner's file and the staff's counts only.
    import io
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(ana.get(f"/audits/{audit}/download/answers.zip").content))
    assert sorted(archive.namelist()) == ["answers/owner.yaml", "answers/staff.yaml"]
    staff_file = archive.read("answers/staff.yaml").decode()
    assert "Nein" not in staff_file and "Ja" not in staff_file


def test_a_page_shows_the_rubric_in_its_own_language(state, monkeypatch):  # noqa: F811
    """The session keeps the rubric in English (it stores ids and levels); each page shows
    the questions through the rubric's translations in the page's language, and a German
    page's answer is stored as the same level id. A stand-in translation marks each text."""
    import types
    from dataclasses import replace

    from auditkit.i18n import rubric_text

    def localize(english, language):
        questions = tuple(replace(q, text=f"[{language}] {q.text}") for q in english.questions)
        return replace(english, questions=questions), types.SimpleNamespace(count=0)

    from auditkit.rubric import translate

    monkeypatch.setattr(translate, "localize", localize)  # the real module, a marking stand-in
    monkeypatch.setattr(rubric_text, "_CACHE", {})
    client = client_for(state)
    client.headers["accept-language"] = "de"
    page = begin(client, state)
    assert ">[de] Is bookkeeping automated?</h1>" in page.text
    answer(client, state, page, "live")
    assert "[de] Is bookkeeping automated?" in client.get("/review").text
    assert stored(state)["adopt.books"]["answer"] == "live"
    client.headers["accept-language"] = "en"
    assert "[de]" not in client.get("/review?lang=en").text


def _section(html: str, start: str) -> str:
    part = html[html.index(start) :]
    return part[: part.index("</section>")]


def test_a_german_report_names_the_rules_in_german(tmp_path):
    """Issue 38's rules (owner page, plan column, auditor's annex) read German: headings, the
    status with its date, the counts and the disclaimer; no English sentence is left."""
    from auditkit.reporting.run import make_report

    answers = REPO / "examples" / "value-inn" / "answers.yaml"
    german = make_report(answers, [], day=date(2026, 12, 7), pdf=False, language="de").html
    rules = _section(german, '<section id="rules"')
    assert "Vorschriften, die für Sie gelten" in rules
    assert "6 Vorschriften sind überfällig" in rules
    assert "überfällig seit 2. August 2026" in rules
    assert "Eine Orientierung, keine Rechtsberatung; die Vorschriften wurden zuletzt am" in rules
    assert "(noch nicht geprüft)" in rules and "die Europäische Union" in rules
    # The rules' own words come from the crosswalk's German translation.
    assert "Menschen sagen, dass sie mit einem KI-System sprechen" in rules
    detail = _section(german, '<section id="rules-detail"')
    assert "Vorschriften im Einzelnen" in detail and "Quelle:" in detail
    assert "noch nicht am amtlichen Text geprüft:" in detail
    for english in (
        "Rules that apply to you",
        "Rules in detail",
        "Rules it answers",
        "overdue since",
        "rules are overdue",
        "Guidance, not legal advice",
        "Tell people they are talking to an AI system",
        "not yet checked",
        "the European Union",
        "answers 2 rules",
    ):
        assert english not in german, english
    early = make_report(answers, [], day=date(2026, 6, 1), pdf=False, language="de").html
    assert "fällig in 62 Tagen, am 2. August 2026" in _section(early, '<section id="rules"')


def test_the_german_results_page_names_the_rules_in_german(tmp_path):
    from auditkit.serve.app import ServeState
    from tests.test_serve import PORT

    copy = tmp_path / "answers.yaml"
    copy.write_bytes((REPO / "examples" / "value-inn" / "answers.yaml").read_bytes())
    inn = ServeState(copy, port=PORT)
    inn.load()
    client = client_for(inn)
    assert client.get("/?lang=de").url.path.endswith("/resume")
    client.post("/resume", data={"csrf": inn.csrf})
    page = client.get("/results").text
    rules = page[page.index('<h2 id="rules">') :]
    assert "Vorschriften, die für Sie gelten" in rules and "überfällig seit" in rules
    assert "der amtliche Text" in rules and "die Europäische Union" in rules
    assert "Rules that apply to you" not in page and "overdue since" not in page
    assert ">the official text<" not in page


def test_the_advisor_s_client_page_counts_the_rules_in_german():
    from types import SimpleNamespace

    from auditkit.i18n import use
    from auditkit.server.overview import rules_words

    result = SimpleNamespace(obligations=SimpleNamespace(markets=("EU",), overdue=2, due=1))
    with use("de"):
        assert rules_words(result) == "2 Pflichten überfällig · 1 Pflicht beginnt später"
    assert rules_words(result) == "2 obligations overdue · 1 obligation starting later"


def test_the_advisor_s_pages_read_german_sentences_with_their_values(site):
    """The advisor's audit page: the new link's notice, who answered, the staff rounds and the
    plan as whole German sentences with the numbers placed in them; the overview's sectors
    from the overlays' translations."""
    from tests.serverweb import add_client, invite, sign_in

    ana = sign_in(site, "ana@harbour.example")
    ana.get("/?lang=de")
    client_id, audit = add_client(ana, "Value Inn")
    invite(ana, audit, "owner")
    page = ana.post(f"/audits/{audit}/invite", {"role": "staff", "label": "Rezeption"}).text
    assert "Ein neuer Link für: Team mit Kundenkontakt (Rezeption)." in page
    assert "Er öffnet diesen Fragebogen für eine Person, 30 Tage lang." in page
    assert "noch nicht geöffnet" in page and "Noch niemand" not in page
    assert "2 Links noch nicht geöffnet" in page
    assert "erst wenn seit der letzten Runde mindestens" in page
    assert "Noch kein Plan." in page and "Value Inn: Audit vom " in page
    assert "new link" not in page.lower() and "not opened yet" not in page
    overview = ana.get("/").text
    assert "Gastgewerbe" in overview and "Hospitality" not in overview
    client = ana.get(f"/clients/{client_id}").text
    assert "noch keine Antworten" in client and "no answers yet" not in client


def test_a_german_plan_table_says_each_actions_status_in_words():
    """The follow-up's plan has who, by when and a status: the owner reads the status in
    their language ("offen"), while the plan files keep the code an import reads back."""
    from auditkit.reporting.run import make_report

    answers = REPO / "examples" / "value-inn-2027" / "answers.yaml"
    german = make_report(answers, [], day=date(2026, 12, 7), pdf=False, language="de").html
    cells = re.findall(r'data-label="Stand">([^<]*)<', german)
    assert cells and set(cells) <= {"offen", "in Arbeit", "erledigt", "verworfen"}, cells
    english = make_report(answers, [], day=date(2026, 12, 7), pdf=False).html
    assert set(re.findall(r'data-label="Status">([^<]*)<', english)) == {"open", "in progress"}


def test_the_demos_german_group_names_cover_every_english_one():
    """``auditkit demo --lang de`` names the chatbot log's groups from labels.de.yaml (else a
    German sentence would read "Polish speakers erreichen …"): the same values, German words."""
    import yaml

    logs = REPO / "examples" / "logs"
    english = yaml.safe_load((logs / "labels.yaml").read_text("utf-8"))
    german = yaml.safe_load((logs / "labels.de.yaml").read_text("utf-8"))
    assert german.keys() == english.keys()
    assert not [name for name in german.values() if "speakers" in name or "guests" in name]


def test_a_brand_gives_its_footer_per_language_and_a_german_report_uses_it(tmp_path):
    """The advisor's footer on every PDF page is their own text: ``footer::de`` gives it for
    reports in German (de-AT too); any other language keeps the plain ``footer``."""
    from auditkit.errors import InputError
    from auditkit.reporting.brand import load_brand
    from auditkit.reporting.run import make_report

    brand = load_brand(REPO / "examples" / "brand" / "brand.yaml")
    assert brand.text_in("footer", "de-AT") == "Nur für das genannte Unternehmen erstellt."
    assert brand.text_in("footer", "en") == "Prepared for the named business only."
    assert brand.text_in("contact", "de") == brand.contact  # not given per language
    answers = REPO / "examples" / "value-inn" / "answers.yaml"
    day = date(2026, 12, 7)
    german = make_report(answers, [], brand=brand, day=day, pdf=False, language="de").html
    english = make_report(answers, [], brand=brand, day=day, pdf=False).html
    assert "Nur für das genannte Unternehmen erstellt." in german
    assert "Prepared for the named business only." not in german
    assert "Prepared for the named business only." in english
    wrong = tmp_path / "brand.yaml"
    wrong.write_text('name: X\nfooter::Deutsch: "Nur intern"\n', encoding="utf-8")
    with pytest.raises(InputError, match="footer::Deutsch"):
        load_brand(wrong)
