"""A bias finding in an owner's words, in every language: the verb, the comparison and the
other group where the language puts them ("Polish speakers reach a person about half as
often as English speakers" / "… erreichen einen Menschen nur etwa halb so oft wie …"),
never a bare factor ("das 0,48-Fache")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditkit.i18n import use
from tests.conftest import REPO

CHATBOT = REPO / "tests" / "corpus" / "bias" / "ok-chatbot.json"


def sentences(language: str) -> list[str]:
    from auditkit.reporting.plain import finding_sentences

    data = json.loads(CHATBOT.read_text(encoding="utf-8"))
    with use(language):
        return finding_sentences(data, data["labels"])


def test_german_findings_are_sentences_with_the_gap_in_words_and_units():
    assert sentences("de") == [
        "Polish speakers erreichen auf Nachfrage einen Menschen nur etwa halb so oft wie "
        "English speakers (43\u00a0% gegenüber 91\u00a0%).",
        "Polish speakers erreichen einen Menschen nur etwa halb so oft wie English speakers "
        "(20\u00a0% gegenüber 36\u00a0%).",
        "English speakers warten auf einen Menschen etwa doppelt so lange wie Polish speakers "
        "(4 Minuten gegenüber 2,2 Minuten).",
    ]
    assert sentences("en")[0] == (  # the same sentence English always had
        "Polish speakers reach a person when they ask about half as often as English speakers "
        "(43% against 91%)."
    )


def test_every_word_of_a_finding_comes_from_the_catalogs():
    """The pseudo-locale changes every translatable letter: what stays plain is the groups'
    names (the user's words) and the numbers."""
    found = sentences("en-XA")
    assert "ŕéàçĥ à þéŕšöñ" in found[0]  # the verb's sentence, not the measure's label
    for sentence in found:
        for english in ("reach", "person", "half", "often", "against", "wait", "minutes"):
            assert f" {english} " not in f" {sentence} ", sentence


@pytest.mark.parametrize(
    ("ratio", "kind", "unit", "english", "german"),
    [
        (0.48, "rate", "", "about half as often as", "nur etwa halb so oft wie"),
        (0.0, "rate", "", "not at all, unlike", "gar nicht, anders als"),
        (0.95, "rate", "", "a little less often than", "etwas seltener als"),
        (1.82, "mean", "seconds", "about twice as long as", "etwa doppelt so lange wie"),
        (1.1, "mean", "seconds", "a little longer than", "etwas länger als"),
        (
            1.5,
            "mean",
            "points",
            "about one and a half times as much as",
            "etwa anderthalbmal so viel wie",
        ),
        (3.1, "rate", "", "about 3 times as often as", "etwa 3-mal so oft wie"),
    ],
)
def test_a_gap_reads_as_a_whole_comparison(ratio, kind, unit, english, german):
    from auditkit.bias.words import comparison

    assert comparison(ratio, kind, unit) == english
    with use("de"):
        assert comparison(ratio, kind, unit) == german


def test_a_safeguard_capped_by_evidence_says_why_in_german():
    from auditkit.scoring.run import score_answers_file

    with use("de"):
        scored = score_answers_file(
            Path(REPO / "examples" / "value-inn" / "answers.yaml"), [CHATBOT], language="de"
        )
    details = {cap.detail for q in scored.result.safeguards for cap in q.caps}
    assert (
        "Chatbot-Protokoll (chatbot.csv): Polnischsprachige (nur etwa halb so oft wie "
        "Englischsprachige) sind bei „Einen Menschen erreicht“ schlechter gestellt." in details
    )
    assert not any("Fache" in detail or "Vergleich:" in detail for detail in details)


def test_groups_auditkit_named_read_in_the_reports_language(tmp_path):
    """Codes auditkit named itself (``labels_guessed``: no --labels given) are said in the
    reader's language wherever they appear: the finding, the capped safeguard's reason, the
    report's words. A name the user gave stays as they wrote it."""
    from auditkit.reporting.plain import finding_sentences
    from auditkit.scoring.run import score_answers_file

    data = json.loads(CHATBOT.read_text(encoding="utf-8"))
    data["labels"]["uk"] = "Gäste aus der Ukraine"  # the user's own words
    data["labels_guessed"] = ["de", "en", "pl"]
    from auditkit.bias.codes import shown_labels

    with use("de"):
        found = finding_sentences(data, shown_labels(data))
        assert shown_labels(data)["uk"] == "Gäste aus der Ukraine"
    assert found[0].startswith("Polnischsprachige erreichen auf Nachfrage einen Menschen nur")
    assert "wie Englischsprachige (43" in found[0]
    assert finding_sentences(data, shown_labels(data))[0].startswith("Polish speakers reach")
    guessed = tmp_path / "bias.json"
    guessed.write_text(json.dumps(data), encoding="utf-8")
    with use("de"):
        scored = score_answers_file(
            REPO / "examples" / "value-inn" / "answers.yaml", [guessed], language="de"
        )
    details = " ".join(cap.detail for q in scored.result.safeguards for cap in q.caps)
    assert "Polnischsprachige (nur etwa halb so oft wie Englischsprachige)" in details
