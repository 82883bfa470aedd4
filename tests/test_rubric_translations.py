"""The rubric in another language: German texts, the same ids, levels and hash; missing and
stale translations found and located; answers given in German and English merge."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from auditkit.answers.store import load_answers
from auditkit.answers.voices import merge_voices
from auditkit.obligations.parse import load_crosswalk
from auditkit.obligations.translate import check_crosswalk_translations, localize_crosswalk
from auditkit.questionnaire.session import Session, sector_choices
from auditkit.rubric import load_rubric
from auditkit.rubric import translate as rubric_translate
from auditkit.rubric.translate import check_translations, localize
from auditkit.translation import source_hash
from tests.conftest import REPO, run_cli, write

RUBRICS = REPO / "rubrics"
BASE = RUBRICS / "human-centred-automation.yaml"
GERMAN = RUBRICS / "translations" / "human-centred-automation.de.yaml"
SECTORS = sorted((RUBRICS / "sectors").glob("*.yaml"))
# The content hash of the shipped rubric 2.0.0 as answers files record it: it must not move
# because translations exist, nor with the language a rubric is shown in.
SHIPPED_SHA256 = "517b92d54008f53bed6addfc155b4fdd29e8abe9ae64f747d7e8385c9bb392be"


def line_of(path: Path, text: str, after: str = "") -> int:
    """The 1-based line of the first line containing ``text`` (after one containing ``after``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines[start:], start + 1) if text in line)


# ---------------------------------------------------------------- the shipped German
def test_the_shipped_german_is_complete_and_current_for_the_rubric_every_overlay_and_the_rules():
    result = run_cli("rubric", "validate", "--lang", "de", str(BASE), *map(str, SECTORS))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "'de': 371 of 371 texts translated" in result.stdout
    assert result.stdout.count("texts translated") == 1 + len(SECTORS) == 6
    rules = run_cli("rules", "--validate", "--lang", "de")
    assert rules.returncode == 0, rules.stderr
    assert "'de': 50 of 50 texts translated" in rules.stdout


@pytest.mark.parametrize("sector", [None, *(p.stem for p in SECTORS)])
def test_german_replaces_every_text_and_nothing_that_counts(sector):
    english = load_rubric("human-centred-automation", sector)
    german, fallbacks = localize(english, "de")
    assert fallbacks.count == 0 and fallbacks.total > 300
    assert german.sha256 == english.sha256
    assert german.lang == "de" and english.lang == "en"
    assert [p.id for p in german.principles] == [p.id for p in english.principles]
    assert [(p.weight, p.ask) for p in german.principles] == [
        (p.weight, p.ask) for p in english.principles
    ]
    for de, en in zip(german.questions, english.questions, strict=True):
        assert (de.id, de.kind, de.phase, de.weight, de.when, de.gating, de.ask) == (
            en.id,
            en.kind,
            en.phase,
            en.weight,
            en.when,
            en.gating,
            en.ask,
        )
        assert [(lv.value, lv.credit) for lv in de.scale.levels] == [
            (lv.value, lv.credit) for lv in en.scale.levels
        ]
        assert de.text != en.text, de.id  # every question is asked in German
        if en.recommendation:
            assert de.recommendation != en.recommendation, de.id
    if sector is None:
        assert english.sha256 == SHIPPED_SHA256
        reach = german.question("handoff.reach-person")
        assert reach.text.startswith("Kann ein Kunde aus jedem automatischen Kanal")
        assert [lv.label for lv in reach.scale.levels] == ["Ja", "Teilweise", "Nein"]
        security = german.question("privacy.security")
        assert security.scale.levels[0].label == "0 · Fehlt"
        assert security.scale.levels[0].description.startswith("Gemeinsame Passwörter")
    else:
        assert german.sector_title != english.sector_title
    assert load_rubric("human-centred-automation", sector, lang="de") == german


def test_a_regional_language_falls_back_to_its_base_and_english_is_untouched():
    english = load_rubric("human-centred-automation")
    austrian, fallbacks = localize(english, "de_AT")
    assert fallbacks.count == 0 and austrian.title == "Menschengerechte Automatisierung"
    assert localize(english, "en-GB")[0] is english
    assert localize(english, None)[0] is english
    polish, fallbacks = localize(english, "pl")
    assert polish.title == english.title  # nothing translated: all English, all counted
    assert fallbacks.count == fallbacks.total == len(fallbacks.missing) > 300


def test_the_sector_choice_speaks_the_respondents_language():
    german = dict((sid, (title, who)) for sid, title, who in sector_choices(BASE.stem, "de"))
    assert german["hospitality"] == (
        "Gastgewerbe",
        "Für Hotels, Pensionen, Restaurants und Veranstaltungsorte.",
    )
    english = dict((sid, title) for sid, title, _ in sector_choices(BASE.stem))
    assert english["hospitality"] == "Hospitality"


def test_rubric_show_in_german(tmp_path):
    result = run_cli("rubric", "show", "human-centred-automation", "-s", "retail", "--lang", "de")
    assert result.returncode == 0, result.stderr
    assert "Einzelhandel" in result.stdout
    assert "Ist immer jemand vom Personal in der Nähe der Selbstbedienungskassen" in result.stdout
    polish = run_cli("rubric", "show", str(BASE), "--lang", "pl")
    assert polish.returncode == 0
    assert "371 of 371 texts have no current 'pl' translation" in polish.stderr


# ---------------------------------------------------------------- missing and stale, located
@pytest.fixture
def copy(tmp_path: Path) -> tuple[Path, Path]:
    """The shipped rubric and its German in a folder of the user's, to edit."""
    rubric = tmp_path / "human-centred-automation.yaml"
    shutil.copy(BASE, rubric)
    german = tmp_path / "translations" / "human-centred-automation.de.yaml"
    german.parent.mkdir()
    shutil.copy(GERMAN, german)
    return rubric, german


def test_changed_english_makes_its_translation_stale_and_a_removed_one_is_missing(copy):
    rubric, german = copy
    text = rubric.read_text(encoding="utf-8")
    old_help = "Try it yourself: from the chatbot, the phone menu and the kiosk or portal"
    assert old_help in text
    rubric.write_text(
        text.replace(
            old_help, "Test it yourself: from the chatbot, the phone menu and the kiosk or portal"
        ),
        encoding="utf-8",
    )
    # Remove the German short name of oversight.owner (the line after its 'text:').
    lines = german.read_text(encoding="utf-8").splitlines()
    short = line_of(german, "short:", after="  oversight.owner:")
    del lines[short - 1]
    german.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = run_cli("rubric", "validate", "--lang", "de", str(rubric))
    assert result.returncode == 2, result.stdout
    stale_line = line_of(german, "help:", after="  handoff.reach-person:")
    assert (
        f"{german}:{stale_line}:11: the translation of question 'handoff.reach-person': help was made from other English"
        in result.stderr
    )
    new_english = " ".join(load_rubric(rubric).question("handoff.reach-person").help.split())
    assert f"set 'help: \"{source_hash(new_english)}\"' under 'from:'" in result.stderr
    missing_line = line_of(rubric, "short:", after="- id: oversight.owner")
    assert (
        f"{rubric}:{missing_line}:12: no 'de' translation of question 'oversight.owner': short"
        in result.stderr
    )
    assert "1 missing, 1 stale" in result.stdout
    # Neither is shown: the stale one keeps its English until a translator checks it.
    german_rubric, fallbacks = localize(load_rubric(rubric), "de")
    assert german_rubric.question("handoff.reach-person").help.startswith("Test it yourself")
    assert (
        german_rubric.question("oversight.owner").short
        == "A named person is responsible for each automation"
    )
    assert german_rubric.question("oversight.owner").text.startswith("Gibt es für jedes")
    assert fallbacks.stale == ("question 'handoff.reach-person': help",)
    assert fallbacks.missing == ("question 'oversight.owner': short",)


def test_mistakes_in_a_translation_file_are_located_and_never_stop_an_audit(copy):
    rubric, german = copy
    text = german.read_text(encoding="utf-8")
    text = text.replace("  handoff.no-loops:", "  handoff.no-loop:", 1)
    text = text.replace("translation: human-centred-automation", "translation: human-centred", 1)
    german.write_text(text, encoding="utf-8")
    fallbacks, problems = check_translations(load_rubric(rubric), "de")
    messages = [p.format() for p in problems]
    unknown = line_of(german, "  handoff.no-loop:")
    assert any(
        f":{unknown + 1}:5: the English has no 'questions/handoff.no-loop' to translate" in m
        and "did you mean 'questions/handoff.no-loops'?" in m
        for m in messages
    ), messages
    assert any(":3:14: this file translates human-centred, but sits where" in m for m in messages)
    assert len(fallbacks.missing) == 5  # the texts of handoff.no-loops, now under a wrong id
    # The audit still runs: what is wrong falls back to English.
    assert (
        load_rubric(rubric, lang="de").question("handoff.no-loops").text.startswith("Do you test")
    )


def test_a_sector_overlay_brings_its_own_translations_and_may_add_a_language(tmp_path):
    write(
        tmp_path / "bakery.yaml",
        f"""\
        overlay: bakery
        extends: {BASE}
        title: Bakeries
        questions:
          touch.key-customers:
            text: Do regulars get served by someone who knows their usual order?
        add:
          - id: bakery.allergens
            principle: transparency
            kind: safeguard
            phase: 1
            text: Can a person answer allergen questions at the counter?
            help: Labels are not enough for a worried parent.
            recommendation: Train every counter shift on the allergen list.
        """,
    )
    polish = f"""\
        translation: bakery
        language: pl
        title: Piekarnie
        from: {{title: "{source_hash("Bakeries")}"}}
        questions:
          touch.key-customers:
            text: Czy stałych klientów obsługuje ktoś, kto zna ich zwykłe zamówienie?
            from: {{text: "{source_hash("Do regulars get served by someone who knows their usual order?")}"}}
          bakery.allergens:
            text: Czy przy ladzie ktoś odpowie na pytania o alergeny?
            from: {{text: "{source_hash("Can a person answer allergen questions at the counter?")}"}}
        """
    write(tmp_path / "translations" / "bakery.pl.yaml", polish)
    rubric = load_rubric(BASE, str(tmp_path / "bakery.yaml"))
    in_polish, fallbacks = localize(rubric, "pl")
    assert in_polish.sector_title == "Piekarnie"
    assert in_polish.question("bakery.allergens").text.startswith("Czy przy ladzie")
    assert in_polish.question("touch.key-customers").text.startswith("Czy stałych")
    assert (
        in_polish.question("handoff.reach-person").text
        == rubric.question("handoff.reach-person").text
    )
    assert "question 'bakery.allergens': help" in fallbacks.missing
    # In German the base is translated, and the overlay's own texts are missing, by name.
    in_german, fallbacks = localize(rubric, "de")
    assert in_german.question("handoff.reach-person").text.startswith("Kann ein Kunde")
    assert in_german.question("touch.key-customers").text.startswith("Do regulars")
    assert set(fallbacks.missing) == {
        "the sector's title",
        "question 'touch.key-customers': text",
        "question 'bakery.allergens': text",
        "question 'bakery.allergens': help",
        "question 'bakery.allergens': recommendation",
    }
    # The base's translation of the text the overlay rewrote is not an error of the base.
    _, problems = check_translations(rubric, "de")
    assert all("bakery" in p.file for p in problems), [p.format() for p in problems]


def test_a_pseudo_locale_transforms_every_text_without_a_file(monkeypatch):
    monkeypatch.setitem(rubric_translate.PSEUDO_LANGUAGES, "en-XA", lambda t: f"[{t}]")
    rubric = load_rubric("human-centred-automation", "hospitality")
    pseudo, fallbacks = localize(rubric, "en-XA")
    assert fallbacks.count == 0
    assert pseudo.question("hospitality.human-welcome").text.startswith("[Is every guest")
    assert pseudo.question("adopt.kiosk").scale.levels[0].label == "[Live]"
    assert pseudo.sha256 == rubric.sha256


# ---------------------------------------------------------------- answers know no language
def test_answers_given_in_german_and_english_merge_and_compare(tmp_path):
    """An owner answers in English, three staff in German typing German words; the merged
    audit is the one four English answers give, and no file holds a German word."""

    def answer(path: Path, lang: str, role: str, words: dict[str, str]) -> None:
        session = Session.new(
            path, None, "hospitality", {"name": "Value Inn"}, {"speaks_as": role}, lang=lang
        )
        for question_id, word in words.items():
            assert session.go_to(question_id), question_id
            session.answer(word)

    english = {
        "adopt.chatbot": "live",
        "handoff.reach-person": "yes",
        "empowerment.override": "partly",
    }
    german = {
        "adopt.chatbot": "Im Einsatz",
        "handoff.reach-person": "Nein",
        "empowerment.override": "teilweise",
    }
    same_in_english = {
        "adopt.chatbot": "live",
        "handoff.reach-person": "no",
        "empowerment.override": "partly",
    }
    answer(tmp_path / "owner.yaml", "en", "owner", english)
    for i in range(3):
        answer(tmp_path / f"de-{i}.yaml", "de", "staff", german)
        answer(tmp_path / f"en-{i}.yaml", "en", "staff", same_in_english)
    rubric = load_rubric("human-centred-automation", "hospitality")
    for i in range(3):
        text = (tmp_path / f"de-{i}.yaml").read_text(encoding="utf-8")
        assert "Nein" not in text and "Einsatz" not in text and "eilweise" not in text
        de, _ = load_answers(tmp_path / f"de-{i}.yaml")
        en, _ = load_answers(tmp_path / f"en-{i}.yaml")
        assert de.rubric_sha256 == en.rubric_sha256 == rubric.sha256
        assert {q: a.value for q, a in de.answers.items()} == {
            q: a.value for q, a in en.answers.items()
        }

    def merged(prefix: str):
        files = [tmp_path / "owner.yaml", *(tmp_path / f"{prefix}-{i}.yaml" for i in range(3))]
        result, voices = merge_voices(rubric, [(f, load_answers(f)[0]) for f in files])
        return {q: a.value for q, a in result.answers.items()}, [
            d.sentence() for d in voices.differences
        ]

    from_german, differences = merged("de")
    assert (from_german, differences) == merged("en")
    assert from_german["handoff.reach-person"] == "no"
    assert differences == [
        "You answered Yes; of the 3 staff who answered, 3 said No. Counted as: No."
    ]


def test_the_terminal_questionnaire_asks_in_german_and_stores_the_level(tmp_path):
    answers = tmp_path / "answers.yaml"
    typed = "Bäckerei Brandt\nretail\nowner\nAnna\nInhaberin\nIm Einsatz\nq\n"
    result = run_cli("assess", "--lang", "de", "-o", str(answers), input=typed)
    assert result.returncode == 0, result.stderr
    assert "Bestellen oder kaufen Kunden online bei Ihnen" in result.stdout
    assert "1) Im Einsatz  2) Im Test  3) Geplant  4) Nein" in result.stdout
    assert f"Fortsetzen mit:  auditkit assess -o {answers} --lang de" in result.stdout
    saved, _ = load_answers(answers)
    assert saved.answers["adopt.web-shop"].value == "live"
    assert saved.rubric_sha256 == load_rubric("human-centred-automation", "retail").sha256


def test_an_answers_template_in_german_is_scored_like_an_english_one(tmp_path):
    made = run_cli("answers", "template", "--sector", "hospitality", "--lang", "de")
    assert made.returncode == 0, made.stderr
    assert "# Kann ein Kunde aus jedem automatischen Kanal jederzeit" in made.stdout
    assert "# Antworten: 'yes' (Ja), partly (Teilweise), 'no' (Nein)" in made.stdout
    english = run_cli("answers", "template", "--sector", "hospitality")
    data = [
        [line for line in out.splitlines() if not line.lstrip().startswith("#")]
        for out in (made.stdout, english.stdout)
    ]
    assert data[0] == data[1]  # only the comments differ: the same keys, hash and blanks


# ---------------------------------------------------------------- the obligations' sentences
def test_the_rules_sentences_in_german_keep_everything_else():
    crosswalk = load_crosswalk()
    german, fallbacks = localize_crosswalk(crosswalk, "de")
    assert fallbacks.count == 0 and fallbacks.total == 50
    first, english = german.obligations[0], crosswalk.obligations[0]
    assert first.owner_text.startswith("Sie müssen Kunden sagen, dass sie mit einem KI-System")
    assert (first.id, first.applies_from, first.safeguards, first.source, first.note) == (
        english.id,
        english.applies_from,
        english.safeguards,
        english.source,
        english.note,
    )
    assert german.disclaimer.startswith("Orientierung, keine Rechtsberatung.")


def test_a_changed_rule_sentence_makes_its_german_stale(tmp_path):
    folder = tmp_path / "obligations"
    shutil.copytree(RUBRICS / "obligations", folder)
    file = folder / "crosswalk.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(
        text.replace("unless it is already obvious to them.", "unless it is obvious."),
        encoding="utf-8",
    )
    crosswalk = load_crosswalk(crosswalk=file)
    fallbacks, problems = check_crosswalk_translations(crosswalk, "de")
    assert fallbacks.stale == ("rule 'eu.ai-act.bot-disclosure': owner_text",)
    german = folder / "translations" / "auditkit-obligations.de.yaml"
    assert problems[0].file == str(german)
    assert problems[0].line == line_of(german, "owner_text:", after="eu.ai-act.bot-disclosure:")
    assert localize_crosswalk(crosswalk, "de")[0].obligations[0].owner_text.startswith("You must")


def test_a_translator_starts_from_a_template_that_counts_nothing_as_done(tmp_path):
    overlay = tmp_path / "retail.yaml"
    shutil.copy(RUBRICS / "sectors" / "retail.yaml", overlay)
    target = tmp_path / "translations" / "retail.pl.yaml"
    target.parent.mkdir()
    made = run_cli("rubric", "translation", str(overlay), "--lang", "pl", "-o", str(target))
    assert made.returncode == 0, made.stderr
    text = target.read_text(encoding="utf-8")
    assert "    # en: Is a member of staff always on the shop floor near self-service tills" in text
    assert text.count('""') == 16  # every text of the overlay (two short names), empty
    target.write_text(text.replace('title: ""', "title: Handel detaliczny", 1), encoding="utf-8")
    rubric = load_rubric(BASE, str(overlay))
    polish, fallbacks = localize(rubric, "pl")
    assert polish.sector_title == "Handel detaliczny"
    _, problems = check_translations(rubric, "pl")
    assert all(p.message.startswith("no 'pl' translation") for p in problems)
    assert "the sector's title" not in fallbacks.missing
    assert fallbacks.count == len(problems) == fallbacks.total - 1
    # The shipped German, written again by the same command, is the file as shipped.
    again = run_cli(
        "rubric", "translation", str(RUBRICS / "sectors" / "retail.yaml"), "--lang", "de"
    )
    shipped = (RUBRICS / "sectors" / "translations" / "retail.de.yaml").read_text(encoding="utf-8")
    assert (
        again.stdout.split("translation: retail", 1)[1]
        == shipped.split("translation: retail", 1)[1]
    )


def test_a_countrys_rules_overlay_carries_its_own_german(tmp_path):
    overlay = write(
        tmp_path / "germany.yaml",
        """\
        crosswalk_overlay: germany
        extends: auditkit-obligations
        add:
          - id: de.example
            title: An example rule
            jurisdiction: [DE]
            instrument: Example Act
            article: § 1
            binds: [business]
            applies_from: 2026-01-01
            when: {automations: [adopt.chatbot]}
            owner_text: You must do the example thing.
            source: https://www.gesetze-im-internet.de/example/
            last_verified: 2026-12-07
            verified: true
        """,
    )
    write(
        tmp_path / "translations" / "germany.de.yaml",
        f"""\
        translation: germany
        language: de
        obligations:
          de.example:
            title: Eine Beispielregel
            owner_text: Sie müssen das Beispiel tun.
            from: {{title: "{source_hash("An example rule")}", owner_text: "{source_hash("You must do the example thing.")}"}}
        """,
    )
    crosswalk = load_crosswalk([overlay])
    german, fallbacks = localize_crosswalk(crosswalk, "de")
    added = german.obligation("de.example")
    assert (added.title, added.owner_text) == ("Eine Beispielregel", "Sie müssen das Beispiel tun.")
    assert fallbacks.missing == ("rule 'de.example': instrument",)
    _, problems = check_crosswalk_translations(crosswalk, "de")
    (problem,) = problems
    assert (problem.file, problem.line, problem.column) == (str(overlay), 7, 17)


def test_an_edited_translation_is_read_again_by_a_running_process(copy):
    rubric_file, german = copy
    rubric = load_rubric(rubric_file)
    assert localize(rubric, "de")[0].title == "Menschengerechte Automatisierung"
    assert localize(rubric, "de")[0] is localize(rubric, "de")[0]  # kept, not rebuilt
    text = german.read_text(encoding="utf-8")
    german.write_text(
        text.replace("title: Menschengerechte Automatisierung", "title: Automatisierung mit Herz"),
        encoding="utf-8",
    )
    assert localize(rubric, "de")[0].title == "Automatisierung mit Herz"
