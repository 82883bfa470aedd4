"""Groups named in words everywhere: a log's codes (pl, en) never reach an owner's sentence.

Given names win; without them, common language and country codes get readable names and
every interface asks the reader to check them."""

from __future__ import annotations

import html
import json
import re

import pytest

from auditkit.bias.codes import guess_labels
from tests.conftest import REPO, run_cli
from tests.serverweb import PASSWORD, Site, add_client, answer_all, invite, open_link, sign_in

CHATBOT = REPO / "examples" / "logs" / "chatbot.csv"
BAKERY = REPO / "examples" / "bakery" / "answers.yaml"


@pytest.fixture
def audit(tmp_path):
    from auditkit.server.app import ServerConfig, create_app
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor

    database, _ = open_database(str(tmp_path / "server.db"))
    add_advisor(database, "ana@harbour.example", PASSWORD)
    config = ServerConfig(database, {"testserver"})
    site = Site(create_app(config), database)
    ana = sign_in(site, "ana@harbour.example")
    _, audit_id = add_client(ana, "Harbour Guest House", "hospitality")
    owner = open_link(site, invite(ana, audit_id, "owner"))
    answer_all(owner, lambda question, values: values[0])
    yield ana, audit_id
    config.reports.close()
    database.close()


def upload(ana, audit_id, **fields):
    return ana.client.post(
        f"/audits/{audit_id}/evidence",
        data={"csrf": ana.csrf, "check": "chatbot", "groups": "language", **fields},
        files={"file": ("chatbot.csv", CHATBOT.read_bytes(), "text/csv")},
    )


def owner_summary(ana, audit_id) -> str:
    page = ana.get(f"/audits/{audit_id}/results")
    assert page.status_code == 200
    return html.unescape(re.sub(r"<[^>]+>", " ", page.text))


def test_a_log_uploaded_without_names_reads_in_words_and_asks_to_name_the_groups(audit):
    ana, audit_id = audit
    assert upload(ana, audit_id).status_code == 303
    summary = owner_summary(ana, audit_id)
    assert (
        "Polish speakers reach a person when they ask about half as often as English speakers"
        in summary
    )
    assert not re.search(r"\bPl\b|\bpl reach|\ben \(", summary)
    page = html.unescape(ana.get(f"/audits/{audit_id}").text)
    assert "Name these groups" in page and "“Polish speakers” for pl" in page
    assert 'name="labels"' in page  # the field the prompt points at
    # Named by adding the same file again: it replaces the first, never counted twice.
    assert upload(ana, audit_id, labels="pl: Polish-speaking guests").status_code == 303
    summary = owner_summary(ana, audit_id)
    assert "Polish-speaking guests reach a person" in summary
    assert summary.count("reach a person when they ask about half as often") == 1
    page = html.unescape(ana.get(f"/audits/{audit_id}").text)
    assert page.count("chatbot.csv") == 2  # the list and the prompt (en, de, uk still guessed)
    assert "“Polish speakers” for pl" not in page


def test_names_given_in_the_form_win_and_no_prompt_is_shown(audit):
    ana, audit_id = audit
    names = "pl: Polish-speaking guests\nen: English-speaking guests\nde: German-speaking guests\nuk: Ukrainian-speaking guests"
    assert upload(ana, audit_id, labels=names).status_code == 303
    summary = owner_summary(ana, audit_id)
    assert "Polish-speaking guests reach a person" in summary
    assert "Polish speakers" not in summary
    assert "Name these groups" not in ana.get(f"/audits/{audit_id}").text


def test_a_group_names_line_without_a_colon_is_refused_in_the_forms_words(audit):
    ana, audit_id = audit
    refused = upload(ana, audit_id, labels="pl Polish speakers")
    assert refused.status_code == 400
    text = html.unescape(refused.text)
    assert 'the "Group names" field' in text and "line 1 does not name a group" in text
    assert "--labels" not in text


def test_the_command_line_names_common_codes_when_no_labels_are_given(tmp_path):
    bias = tmp_path / "bias.json"
    made = run_cli(
        "bias", "chatbot", str(CHATBOT), "-g", "language", "--format", "json", "-o", str(bias)
    )
    assert made.returncode == 0, made.stderr
    data = json.loads(bias.read_text())
    assert data["labels"]["pl"] == "Polish speakers"
    assert data["labels_guessed"] == ["de", "en", "pl", "uk"]
    table = run_cli("bias", "chatbot", str(CHATBOT), "-g", "language")
    words = " ".join(table.stdout.split())
    assert "Reports name the groups from their codes: de = German speakers" in words
    assert "pl = Polish speakers" in words and "name them yourself (--labels)" in words
    report = run_cli("report", str(BAKERY), "--bias", str(bias), "-o", str(tmp_path / "r.html"))
    assert report.returncode == 0, report.stderr
    text = html.unescape((tmp_path / "r.html").read_text())
    assert "Polish speakers reach a person" in text and "Pl reach" not in text
    named = tmp_path / "labels.yaml"
    named.write_text("pl: Polish-speaking guests\n", encoding="utf-8")
    given = run_cli(
        "bias",
        "chatbot",
        str(CHATBOT),
        "-g",
        "language",
        "--labels",
        str(named),
        "--format",
        "json",
    )
    data = json.loads(given.stdout)
    assert data["labels"]["pl"] == "Polish-speaking guests"
    assert "pl" not in data["labels_guessed"]


@pytest.mark.parametrize(
    "column, values, expected",
    [
        ("language", ["pl", "en"], {"pl": "Polish speakers", "en": "English speakers"}),
        ("country", ["PL", "DE"], {"PL": "customers in Poland", "DE": "customers in Germany"}),
        (
            "market",
            ["FR", "NL"],
            {"FR": "customers in France", "NL": "customers in the Netherlands"},
        ),
        (
            "locale",
            ["en-GB", "pl-PL"],
            {
                "en-GB": "English speakers in the United Kingdom",
                "pl-PL": "Polish speakers in Poland",
            },
        ),
        ("language", ["pl", "Klingon"], {}),  # one unknown value: no half-translated groups
        ("age_band", ["18-34", "55+"], {}),
        ("language", ["pl", "(missing)"], {"pl": "Polish speakers"}),
    ],
)
def test_codes_are_named_only_when_every_value_is_known(column, values, expected):
    assert guess_labels({column: values}) == expected
