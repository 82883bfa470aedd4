"""An audit's report language on the practice server: chosen on the audit's page, kept in the
database (schema 0007), and used by every paper the audit produces for its client, whatever
language the advisor's own pages are in. Dates on the client and audit pages read in the
page's language, with the ISO date kept for machines.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from auditkit.answers.store import load_answers
from auditkit.rubric import load_rubric
from tests.conftest import REPO
from tests.serverweb import PASSWORD, Site, add_client, sign_in

OWNER = REPO / "examples" / "value-inn-team" / "owner.yaml"


@pytest.fixture
def site(tmp_path):
    """An English server (--lang en) on a real SQLite file; advisors Ana and Ben."""
    from auditkit.server.app import ServerConfig, create_app
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor

    database, _ = open_database(str(tmp_path / "server.db"))
    add_advisor(database, "ana@harbour.example", PASSWORD, "Ana")
    add_advisor(database, "ben@other.example", PASSWORD, "Ben")
    config = ServerConfig(database, {"testserver"}, language="en")
    yield Site(create_app(config), database)
    config.reports.close()
    database.close()


def stored(site: Site, audit_id: int) -> str | None:
    from auditkit.server.schema import Audit

    with site.database.transaction() as session:
        return session.get(Audit, audit_id).report_language


def with_owner(site: Site, audit_id: int) -> None:
    from auditkit.server.answering import import_answers

    rubric = load_rubric("human-centred-automation", "hospitality")
    import_answers(site.database, audit_id, load_answers(OWNER)[0], "test", rubric)


def test_a_german_report_from_an_advisor_who_reads_english(site):
    """Ana works in English; her client reads German. She picks German once on the audit's
    page: the PDF and HTML report, the plan and the owner's summary are German, her own
    pages stay English."""
    from pypdf import PdfReader

    ana = sign_in(site, "ana@harbour.example")
    _client, audit = add_client(ana, "Value Inn")
    page = ana.get(f"/audits/{audit}")
    assert '<option value="en" lang="en" selected>English</option>' in page.text
    assert stored(site, audit) == "en"  # a new audit starts in the advisor's page language

    moved = ana.post(f"/audits/{audit}/language", {"language": "de"})
    assert moved.status_code == 303 and stored(site, audit) == "de"
    page = ana.get(f"/audits/{audit}")
    assert '<html lang="en">' in page.text and "Who answers" in page.text
    assert '<option value="de" lang="de" selected>Deutsch</option>' in page.text

    with_owner(site, audit)
    pdf = ana.get(f"/audits/{audit}/download/report.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Maßnahmen" in text and "Was zuerst zu tun ist" in text
    assert "What to do first" not in text
    html = ana.get(f"/audits/{audit}/download/report.html")
    assert '<html lang="de"' in html.text
    plan = ana.get(f"/audits/{audit}/download/plan.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(plan)))
    assert rows and re.search(r"[äöüß]", " ".join(row["action"] for row in rows))
    summary = ana.get(f"/audits/{audit}/results")
    assert '<html lang="de">' in summary.text and "Was zuerst zu tun ist" in summary.text
    # Her next page is hers again: the audit's language never leaks into the advisor's.
    assert '<html lang="en">' in ana.get(f"/audits/{audit}").text


def test_only_the_audits_advisor_with_the_forms_key_sets_a_language_auditkit_has(site):
    ana = sign_in(site, "ana@harbour.example")
    _client, audit = add_client(ana, "Value Inn")
    ben = sign_in(site, "ben@other.example")
    refused = ben.post(f"/audits/{audit}/language", {"language": "de"})
    assert refused.status_code == 404 and stored(site, audit) == "en"
    ana.csrf = "stale"
    assert ana.post(f"/audits/{audit}/language", {"language": "de"}).status_code == 403
    ana.get(f"/audits/{audit}")
    unknown = ana.post(f"/audits/{audit}/language", {"language": "xx"})
    assert unknown.status_code == 400 and "Deutsch" in unknown.text
    assert stored(site, audit) == "en"


def test_a_new_audit_starts_in_the_language_the_advisor_reads(site):
    ana = sign_in(site, "ana@harbour.example")
    ana.get("/?lang=de")  # the advisor's pick, kept in this browser
    client, audit = add_client(ana, "Bäckerei am Hafen")
    assert stored(site, audit) == "de"
    follow_up = ana.post(f"/clients/{client}/audits")
    assert stored(site, int(follow_up.headers["location"].rsplit("/", 1)[1])) == "de"


def test_dates_on_the_client_and_audit_pages_read_in_the_pages_language(site):
    from auditkit.i18n import use
    from auditkit.i18n.formatting import format_date
    from auditkit.server import identity

    ana = sign_in(site, "ana@harbour.example")
    client, audit = add_client(ana, "Value Inn")
    day = identity.now().date()
    for language in ("en", "de"):
        with use(language):
            words = format_date(day)
        tag = f'<time datetime="{day.isoformat()}">{words}</time>'
        assert tag in ana.get(f"/clients/{client}?lang={language}").text
        page = ana.get(f"/audits/{audit}?lang={language}").text
        assert tag in page and re.search(rf"<title>Value Inn: [^<]*{re.escape(words)}", page)
    assert re.fullmatch(r"\d{1,2}\. \w+ \d{4}", words)  # German: "7. Dezember 2026"


def test_an_audit_of_schema_0006_is_kept_and_reports_in_the_servers_language(location):
    """A server upgraded from schema 0006: its audits and answers are all there, with no
    report language stored (the server's --lang stands in), until the advisor picks one."""
    from alembic import command
    from sqlalchemy import text

    from auditkit.server.answering import audit_voices
    from auditkit.server.database import Database, _alembic_config, database_url, open_database
    from auditkit.server.report_language import choose, report_language

    old = Database(database_url(location))
    with old.engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0006")
    with old.engine.begin() as connection:
        for statement in (
            "INSERT INTO advisor (email, name, password_hash, created_at) "
            "VALUES ('ana@example.org', 'Ana', 'x', '2026-01-01 00:00:00')",
            "INSERT INTO client (advisor_id, name, sector, created_at) "
            "VALUES (1, 'Value Inn', 'hospitality', '2026-01-01 00:00:00')",
            "INSERT INTO audit (client_id, rubric, created_at) "
            "VALUES (1, 'human-centred-automation', '2026-01-01 00:00:00')",
            "INSERT INTO respondent (audit_id, role, label, created_at) "
            "VALUES (1, 'owner', '', '2026-01-01 00:00:00')",
            "INSERT INTO answer (respondent_id, question_id, value, note, na_reason, "
            "skipped, share_note, answered_at) VALUES (1, 'handoff.reach-person', 'yes', "
            "'by phone', '', false, false, '2026-01-02 10:00:00')",
        ):
            connection.execute(text(statement))
    old.close()
    database, migration = open_database(location)
    try:
        assert (migration.before, migration.after) == ("0006", "0007")
        rubric = load_rubric("human-centred-automation", "hospitality")
        kept = audit_voices(database, 1, rubric)[0].answers.answers["handoff.reach-person"]
        assert (kept.value, kept.note) == ("yes", "by phone")
        assert report_language(database, 1, "de") == "de"  # none stored: the server's --lang
        assert report_language(database, 1, "en") == "en"
        choose(database, 1, "de", "advisor 1")
        assert report_language(database, 1, "en") == "de"
    finally:
        database.close()


def test_export_and_backup_carry_the_audits_language(tmp_path):
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor, add_audit, add_client
    from auditkit.server.report_language import report_language
    from tests.conftest import run_cli

    db = tmp_path / "server.db"
    database, _ = open_database(str(db))
    audit = add_audit(
        database,
        add_client(database, add_advisor(database, "a@b.example", PASSWORD), "Bäckerei"),
        "human-centred-automation",
        "de",
    )
    rubric = load_rubric("human-centred-automation", "hospitality")
    from auditkit.server.answering import import_answers

    import_answers(database, audit, load_answers(OWNER)[0], "test", rubric)
    database.close()
    out = tmp_path / "out"
    exported = run_cli("server", "export", str(audit), "--db", str(db), "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert f"auditkit report {out} -o report.pdf --lang de" in exported.stdout
    copy = tmp_path / "copy.db"
    assert run_cli("server", "backup", "--db", str(db), "-o", str(copy)).returncode == 0
    restored, _ = open_database(str(copy))
    try:
        assert report_language(restored, audit, "en") == "de"
    finally:
        restored.close()
