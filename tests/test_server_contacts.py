"""Test contacts on the practice server, over HTTP, on SQLite and PostgreSQL: the advisor
attaches the plan and invites a tester; the tester's link opens the recording form of that
audit only; each contact is one row (kept once when sent twice); notes are never stored; the
sheet downloads as ``contacts check`` reads it, and the check run here is the audit's
evidence, shown by the report."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.serverweb import PASSWORD, Site, add_client, answer_all, invite, open_link, sign_in

EXAMPLE = Path(__file__).parents[1] / "examples" / "guest-house-contacts"
PLAN = EXAMPLE / "plan" / "plan.yaml"


@pytest.fixture
def site(location):
    from auditkit.server.app import ServerConfig, create_app
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor

    database, _ = open_database(location)
    add_advisor(database, "ana@harbour.example", PASSWORD)
    add_advisor(database, "ben@other.example", PASSWORD)
    config = ServerConfig(database, {"testserver"})
    yield Site(create_app(config), database)
    config.reports.close()
    database.close()


def attach(advisor, audit: int, content: bytes, name: str = "plan.yaml"):
    return advisor.client.post(
        f"/audits/{audit}/contacts/plan",
        data={"csrf": advisor.csrf},
        files={"file": (name, content, "application/x-yaml")},
    )


def open_tester(site: Site, link: str):
    tester = site.visitor()
    response = tester.get(link)
    assert response.status_code == 303 and response.headers["location"] == "/test"
    page = tester.follow(response)
    assert page.status_code == 200 and 'action="/test/contacts"' in page.text
    return tester


def send(tester, row: dict, entry: str = "", as_json: bool = True):
    fields = {k: v for k, v in row.items() if k != "notes"}
    fields.update(entry=entry, notes=row.get("notes", ""))
    headers = {"accept": "application/json"} if as_json else {}
    return tester.post("/test/contacts", fields, headers=headers)


def example_rows() -> list[dict]:
    with (EXAMPLE / "contacts.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def stored_contacts(database) -> list[tuple]:
    from sqlalchemy import select

    from auditkit.server.schema import ContactRecord

    with database.transaction() as session:
        return [
            (r.audit_id, r.pair, r.persona)
            for r in session.scalars(select(ContactRecord).order_by(ContactRecord.id))
        ]


def test_a_bad_plan_is_refused_at_its_line_in_the_forms_words(site):
    ana = sign_in(site, "ana@harbour.example")
    _, audit = add_client(ana, "Value Inn")
    broken = PLAN.read_text(encoding="utf-8").replace("pairs:", "pairs: [", 1)
    response = attach(ana, audit, broken.encode(), "my-plan.yaml")
    text = html.unescape(response.text)
    assert response.status_code == 400 and "my-plan.yaml" in text and "line" in text
    # The message speaks the form's words, never the command line's (no paths, no options);
    # the page's CSRF token is random text that may itself contain "--", so only the
    # message is read.
    message = re.search(r'<p class="error"[^>]*>(.*?)</p>', text, re.S).group(1)
    assert "my-plan.yaml" in message
    assert "/tmp" not in message and " -o " not in message and "--" not in message
    other = attach(ana, audit, b"format: something-else\n", "other.yaml")
    said = html.unescape(other.text)
    assert other.status_code == 400 and "other.yaml" in said
    assert "is not an auditkit test-contact plan" in said and " -o DIR" not in said
    # Without a plan there is no tester to invite.
    assert ana.post(f"/audits/{audit}/invite", {"role": "tester"}).status_code == 409


def test_a_tester_records_contacts_once_each_and_nothing_else(site):
    ana = sign_in(site, "ana@harbour.example")
    _, audit = add_client(ana, "Value Inn")
    _, other_audit = add_client(ana, "Harbour Bakery")
    assert attach(ana, audit, PLAN.read_bytes()).status_code == 303
    page = ana.get(f"/audits/{audit}")
    assert "Plan: plan.yaml. Contacts recorded: 0." in page.text
    tester = open_tester(site, invite(ana, audit, "tester", "phone, week 1"))
    # The link opens the recording form only: not the questionnaire, not the advisor's pages.
    assert tester.get("/answer").status_code == 403
    assert tester.get(f"/audits/{audit}").status_code == 403
    assert tester.get(f"/audits/{audit}/download/contacts.csv").status_code == 403
    # An owner's link does not open the recording form.
    owner = open_link(site, invite(ana, audit, "owner"))
    assert owner.get("/test").status_code == 403

    first, second = example_rows()[:2]
    first = {**first, "notes": "Mrs Nowak, +48 601 000 000, was rude"}
    saved = send(tester, first, "entry-0000001")
    assert saved.status_code == 200 and saved.json() == {"ok": True, "duplicate": False, "row": 2}
    again = send(tester, first, "entry-0000001")  # the browser sends it again after a drop
    assert again.json()["duplicate"] is True
    # A form field naming another audit changes nothing: the audit comes from the session.
    plain = send(tester, {**second, "audit": str(other_audit)}, "entry-0000002", as_json=False)
    assert plain.status_code == 200 and "Saved: this audit holds 2 contacts." in plain.text
    assert stored_contacts(site.database) == [(audit, "P01", "ref"), (audit, "P01", "pl")]
    # A persona outside the pair is refused, field by field, and not stored.
    wrong = send(tester, {**second, "persona": "nobody"}, "entry-0000003")
    assert wrong.status_code == 422 and "persona" in wrong.json()["errors"]
    no_js = send(tester, {**second, "pair": "P99"}, "entry-0000004", as_json=False)
    assert no_js.status_code == 422 and "choose a pair of the plan" in no_js.text
    assert len(stored_contacts(site.database)) == 2

    sheet = ana.get(f"/audits/{audit}/download/contacts.csv")
    assert sheet.status_code == 200 and "attachment" in sheet.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(sheet.text)))
    assert [r["pair"] + r["persona"] for r in rows] == ["P01ref", "P01pl"]
    assert all(r["notes"] == "" for r in rows)
    assert "Nowak" not in sheet.text and "601" not in sheet.text
    # Another advisor's tester link cannot be made, nor this sheet read.
    ben = sign_in(site, "ben@other.example")
    assert ben.get(f"/audits/{audit}/download/contacts.csv").status_code == 404
    # Pages run only the server's own script files (the recording form, the Copy button),
    # never inline code.
    for page in (tester.get("/test"), ana.get(f"/audits/{audit}")):
        policy = page.headers["content-security-policy"].split(";")
        script = next(part.split() for part in policy if part.strip().startswith("script-src"))
        assert script == ["script-src", "'self'"], policy


def test_the_check_run_here_equals_the_command_line_and_reaches_the_report(site, tmp_path):
    ana = sign_in(site, "ana@harbour.example")
    _, audit = add_client(ana, "Guest house Morze")
    owner = open_link(site, invite(ana, audit, "owner"))
    answer_all(owner, lambda question, values: values[0])
    owner.follow(owner.post("/answer/send"))
    assert "test contacts" not in ana.get(f"/audits/{audit}/results").text
    assert attach(ana, audit, PLAN.read_bytes()).status_code == 303
    checked_too_early = ana.post(f"/audits/{audit}/contacts/check")
    assert checked_too_early.status_code == 400
    assert "has no recorded contact to check yet" in html.unescape(checked_too_early.text)
    tester = open_tester(site, invite(ana, audit, "tester"))
    for number, row in enumerate(example_rows()):
        assert send(tester, row, f"entry-{number:07d}").json()["ok"]

    sheet = tmp_path / "contacts.csv"
    sheet.write_bytes(ana.get(f"/audits/{audit}/download/contacts.csv").content)
    # The sheet that comes back is the sheet that was typed in, byte for byte.
    assert sheet.read_bytes() == (EXAMPLE / "contacts.csv").read_bytes()
    command = [sys.executable, "-m", "auditkit", "contacts", "check", str(sheet)]
    command += ["--plan", str(PLAN), "--format", "json", "-o", str(tmp_path / "cli.json")]
    subprocess.run(command, check=True, capture_output=True)
    expected = json.loads((tmp_path / "cli.json").read_text(encoding="utf-8"))

    checked = ana.post(f"/audits/{audit}/contacts/check")
    assert checked.status_code == 200 and "Checked and added to the evidence" in checked.text
    ana.post(f"/audits/{audit}/contacts/check")  # a second run replaces the first
    from sqlalchemy import select

    from auditkit.server.schema import Evidence

    with site.database.transaction() as session:
        kept = [json.loads(e.data) for e in session.scalars(select(Evidence))]
    assert len(kept) == 1
    data = kept[0]
    assert data["check"] == "contacts" and data["source"]["rows"] == 47
    assert data["source"]["file"] == "contacts.csv"  # never the server's temporary path
    for part in ("findings", "metrics", "summary", "gate", "notes"):
        assert data[part] == expected[part], part
    assert data["source"]["sha256"] == expected["source"]["sha256"]
    assert data["contacts"]["left_out"] == expected["contacts"]["left_out"]
    assert data["contacts"]["plan"]["sha256"] == expected["contacts"]["plan"]["sha256"]
    assert "/tmp" not in json.dumps(data)

    report = ana.get(f"/audits/{audit}/download/report.html")
    assert report.status_code == 200
    assert "47 test contacts by the business" in html.unescape(report.text)
    summary = ana.get(f"/audits/{audit}/results")
    assert summary.status_code == 200 and "test contacts" in summary.text
