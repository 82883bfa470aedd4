"""``auditkit bias`` speaks the run's language: the summary line, the findings, the tables,
JUnit's messages; what tools read (JSON field names, verdict codes, XML names) stays English.

The pseudo-locale (en-XA) accents every word that went through the catalog, so a plain
English word left in its output is a string that never did. Allowed: what comes from the
data or the command line (group values, column names, the file, the check's name) and
upper-case codes (CMH, AUC).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import REPO, run_cli

LOGS = REPO / "examples" / "logs"
CHATBOT = str(LOGS / "chatbot.csv")
SEGMENTATION = str(LOGS / "segmentation.csv")
LABELS = str(LOGS / "labels.yaml")


def _english_words(text: str, kept: set[str]) -> set[str]:
    """Plain-ASCII words of three letters or more outside file names, options and codes."""
    words = re.findall(r"(?<![\w.@/:=~-])[A-Za-z]{3,}(?![\w.@/:=~-])", text)
    return {w for w in words if not w.isupper() and w not in kept}


def _joined(text: str) -> str:
    """The output with its wrapped lines joined (no-break spaces kept: "52\xa0%")."""
    return re.sub(r"[ \n]+", " ", text)


def _labels() -> set[str]:
    """The words of the user's --labels file: data, shown as the user wrote them."""
    lines = LABELS_TEXT.splitlines()
    return {
        word
        for line in lines
        if line and not line.startswith("#")
        for word in re.findall(r"[A-Za-z]+", line.partition(":")[2])
    }


LABELS_TEXT = (LOGS / "labels.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args, kept",
    [
        (
            ["chatbot", CHATBOT, "--group", "language", "--within", "channel"],
            {"chatbot", "language", "channel", "web", "phone", "app", "whatsapp", "email"},
        ),
        (
            ["segmentation", SEGMENTATION, "--group", "language"],
            # "holm": the --correction chosen, named as the option names it.
            {"segmentation", "language", "segment", "postcode", "age_band", "visits", "holm"}
            | {"vip", "standard", "discount", "priority", "churn", "risk", "basic"},
        ),
    ],
    ids=["chatbot-within", "segmentation-proxies"],
)
def test_no_english_left_in_the_pseudo_table(args, kept):
    result = run_cli("bias", *args, "--labels", LABELS, "--lang", "en-XA")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Ɓîàš çĥéçķ" in text  # the title went through the catalog at all
    left = _english_words(text, kept | _labels())
    assert left == set(), f"English outside the catalogs: {sorted(left)}\n{text}"


def test_german_names_who_is_worse_off_with_decimal_commas():
    result = run_cli("bias", "chatbot", CHATBOT, "--group", "language", "--lang", "de")
    assert result.returncode == 0, result.stderr
    text = _joined(result.stdout)
    # The verdict: Polish speakers (pl) reach a person at 0.56 times the English speakers' rate.
    assert "Benachteiligt: pl bei „Einen Menschen erreicht“ (0,56× en)" in text
    assert "Bevorzugt: pl bei „Mittlere Wartezeit auf einen Menschen“ (0,55× en)" in text
    assert "Außerdem 5 nicht beurteilt: 5 unterdrückt" in text
    # The table: German headings, numbers and verdicts; the codes stay the log's.
    assert re.search(r"GRUPPE +N +WERT +95-%-INTERVALL +VERHÄLTNIS \(99,5\xa0%\)", text)
    assert re.search(r"pl +804 +20,4\xa0% +17,8\xa0%–23,3\xa0% +0,56 \(0,45–0,69\)", text)
    assert "benachteiligt" in text and "innerhalb der Toleranz · hätte 0,76× erkannt" in text
    # The codes' guessed names, as a German reads them (and asks the user to check them).
    assert "de = Deutschsprachige, en = Englischsprachige, pl = Polnischsprachige" in text
    assert "benennen Sie die Gruppen selbst (--labels)" in text
    for english in ("Disadvantaged", "reference", "within tolerance", "GROUP", "0.56"):
        assert english not in text


def test_german_headline_never_calls_thin_data_fair():
    result = run_cli(
        "bias", "chatbot", CHATBOT, "--group", "language", "--min-group-size", "5000",
        "--lang", "de",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = _joined(result.stdout)
    assert (
        "Kein Urteil möglich: Keine Gruppe hat genug Daten (jede braucht im Nenner jeder "
        "Kennzahl 5000 Zeilen und genug Ereignisse)." in text
    )
    assert "fair" not in text.lower().replace("als fair lesen", "")


def _keys(value: object) -> object:
    """The shape of a JSON document: its field names, nested, without the values."""
    if isinstance(value, dict):
        return {key: _keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_keys(item) for item in value[:1]]
    return None


def test_json_keeps_its_field_names_and_codes_in_german():
    args = ["bias", "chatbot", CHATBOT, "--group", "language", "--format", "json"]
    english = json.loads(run_cli(*args).stdout)
    german = json.loads(run_cli(*args, "--lang", "de").stdout)
    assert _keys(german) == _keys(english)
    # Codes a tool reads stay English; the sentences a person reads are German.
    verdicts = [g["verdict"] for m in german["metrics"] for g in m["groups"]]
    assert verdicts == [g["verdict"] for m in english["metrics"] for g in m["groups"]]
    assert "disadvantaged" in verdicts
    assert [f["side"] for f in german["findings"]] == [f["side"] for f in english["findings"]]
    assert german["summary"]["text"].startswith("Benachteiligt: pl bei „Einen Menschen erreicht“")
    assert english["summary"]["text"].startswith("Disadvantaged: pl on “Reached a person”")
    assert german["findings"][0]["sentence"] == "pl bei „Einen Menschen erreicht“ (0,56× en)"


def test_junit_names_stay_english_and_its_messages_german():
    args = ["bias", "chatbot", CHATBOT, "--group", "language", "--format", "junit"]
    suite = ET.fromstring(run_cli(*args, "--lang", "de").stdout)
    english = ET.fromstring(run_cli(*args).stdout)
    assert [p.get("name") for p in suite.iter("property")] == [
        p.get("name") for p in english.iter("property")
    ]
    assert [c.get("name") for c in suite.iter("testcase")] == [
        c.get("name") for c in english.iter("testcase")
    ]
    failure = next(suite.iter("failure"))
    assert failure.get("type") == "disadvantaged"  # a status code
    assert failure.get("message").startswith("pl bei „Einen Menschen erreicht“")
    outputs = [o.text for o in suite.iter("system-out")]
    assert any(text.startswith("innerhalb der Toleranz: ") for text in outputs)


def test_a_report_shows_a_checks_summary_only_in_its_own_language(tmp_path):
    """A bias JSON records the language of its sentences. An English report made from a
    check run in German says the check's finding in English, built from its numbers, never
    the file's German sentence; a German report of an English file likewise in German."""
    bakery = str(REPO / "examples" / "bakery" / "answers.yaml")
    args = ["bias", "chatbot", CHATBOT, "--group", "language", "--labels", LABELS]
    files = {}
    for language in ("en", "de"):
        files[language] = tmp_path / f"bias-{language}.json"
        made = run_cli(*args, "--format", "json", "-o", str(files[language]), "--lang", language)
        assert made.returncode == 0, made.stderr
        assert json.loads(files[language].read_text())["summary"]["language"] == language
    german_text = json.loads(files["de"].read_text())["summary"]["text"]
    english_text = json.loads(files["en"].read_text())["summary"]["text"]

    def report(language: str, bias: str) -> str:
        out = tmp_path / f"report-{language}-{bias}.html"
        made = run_cli(
            "report", bakery, "--bias", str(files[bias]), "-o", str(out), "--lang", language
        )
        assert made.returncode == 0, made.stderr
        return _joined(re.sub(r"<[^>]+>", " ", out.read_text(encoding="utf-8")))

    english_of_german = report("en", "de")
    assert "Benachteiligt" not in english_of_german and "bei „" not in english_of_german
    assert "Polish speakers" in english_of_german
    german_of_english = report("de", "en")
    assert "Disadvantaged:" not in german_of_english and "Polish speakers" in german_of_english
    # In its own language the check's summary is shown as it was written.
    assert _joined(english_text) in report("en", "en")
    assert _joined(german_text) in report("de", "de")
