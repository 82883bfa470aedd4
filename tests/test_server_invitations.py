"""Invitations an advisor can manage, on SQLite and a real PostgreSQL 15: a lost link is
replaced in one click (the old one stops working), the form offers staff once the owner is
invited, and a link nobody opened does not count against "finished"."""

from __future__ import annotations

import re

import pytest

from tests.serverweb import PASSWORD, Site, add_client, answer_all, invite, open_link, sign_in


@pytest.fixture
def site(location):
    from auditkit.server.app import ServerConfig, create_app
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor

    database, _ = open_database(location)
    add_advisor(database, "ana@harbour.example", PASSWORD, "Ana of Harbour Advice")
    config = ServerConfig(database, {"testserver"})
    yield Site(create_app(config), database)
    config.reports.close()
    database.close()


def checked_role(page: str) -> str:
    return re.search(r'name="role" value="(\w+)" checked', page).group(1)


def reissue_actions(page: str) -> list[str]:
    return re.findall(r'action="(/audits/\d+/respondents/\d+/reissue)"', page)


def test_a_lost_link_is_replaced_in_one_click_and_the_old_one_opens_nothing(site):
    ana = sign_in(site, "ana@harbour.example")
    _, audit = add_client(ana, "Value Inn")
    assert checked_role(ana.get(f"/audits/{audit}").text) == "owner"  # nobody invited yet
    owner_link = invite(ana, audit, "owner")
    page = ana.get(f"/audits/{audit}").text
    assert checked_role(page) == "staff"  # the owner is invited: the next link is for staff
    lost = invite(ana, audit, "staff", "front desk")
    opened = invite(ana, audit, "staff", "kitchen")
    open_link(site, opened)  # started: its drafts are sealed under this link

    page = ana.get(f"/audits/{audit}").text
    # "New link" only where nobody has opened the link: the owner's and the lost one.
    assert len(reissue_actions(page)) == 2
    lost_row = re.search(r"front desk.*?</tr>", page, re.S).group(0)
    (action,) = reissue_actions(lost_row)
    renewed = ana.post(action)
    assert renewed.status_code == 200
    assert "A new link in place of the old one for front-line staff (front desk)" in renewed.text
    assert 'data-copy-for="new-link"' in renewed.text  # with its Copy button
    new = re.search(r'id="new-link" class="link-box" value="([^"]+)"', renewed.text).group(1)
    new = new.removeprefix("http://testserver")
    assert new != lost
    assert site.visitor().get(lost).status_code == 404  # the old link is dead at once
    open_link(site, new)  # the new one opens the same invitation …
    page = ana.get(f"/audits/{audit}").text
    assert page.count(">front desk</span>") == 1  # … one row, not a second person
    assert "not opened yet" in lost_row
    assert "started" in re.search(r"front desk.*?</tr>", page, re.S).group(0)

    # A link that was opened is never replaced: a started staff member's drafts are theirs.
    kitchen_row = re.search(r"kitchen.*?</tr>", page, re.S).group(0)
    assert not reissue_actions(kitchen_row)
    respondent = re.search(r"/respondents/(\d+)/revoke", kitchen_row).group(1)
    refused = ana.post(f"/audits/{audit}/respondents/{respondent}/reissue")
    assert refused.status_code == 409 and "nobody has opened" in refused.text

    from sqlalchemy import select

    from auditkit.server.schema import AuditLogEntry

    with site.database.transaction() as session:
        log = [(e.action, e.target) for e in session.scalars(select(AuditLogEntry))]
    replaced = re.search(r"/(\d+)/reissue", action).group(1)
    assert ("invitation re-issued", f"respondent {replaced}") in log
    assert not any(new.rsplit("/", 1)[1] in f"{a} {t}" for a, t in log)  # never the token
    assert owner_link


def test_a_link_never_opened_does_not_count_against_finished(site):
    ana = sign_in(site, "ana@harbour.example")
    _, audit = add_client(ana, "Value Inn")
    owner = open_link(site, invite(ana, audit, "owner"))
    answer_all(owner, lambda question, values: values[0])
    assert owner.follow(owner.post("/answer/send")).status_code == 200
    invite(ana, audit, "staff", "lost in the post")

    expected = "1 of 1 who opened their link finished; 1 link not opened yet"
    assert expected in ana.get("/").text  # the clients page: not "1 of 2 finished"
    page = ana.get(f"/audits/{audit}").text
    assert expected.capitalize() in page  # and the audit's page says the same

    withdrawn = re.search(r"lost in the post.*?</tr>", page, re.S).group(0)
    ana.post(re.search(r'action="(/audits/\d+/respondents/\d+/revoke)"', withdrawn).group(1))
    assert "1 of 1 who opened their link finished; 1 link withdrawn or expired unopened" in (
        ana.get("/").text
    )


def test_the_owner_gives_name_and_role_and_the_pdf_cover_names_them_staff_are_never_asked(site):
    import io
    import zipfile

    import yaml
    from pypdf import PdfReader

    ana = sign_in(site, "ana@harbour.example")
    _, audit = add_client(ana, "Harbour Bakery", "retail")
    owner = site.visitor()
    welcome = owner.follow(owner.get(invite(ana, audit, "owner")))
    assert 'name="person"' in welcome.text and 'name="person_role"' in welcome.text
    owner.follow(owner.post("/answer/begin", {"person": "Maria Costa", "person_role": "Owner"}))
    answer_all(owner, lambda question, values: values[0])
    assert owner.follow(owner.post("/answer/send")).status_code == 200
    for label in ("till", "counter", "kitchen"):
        staff = site.visitor()
        page = staff.follow(staff.get(invite(ana, audit, "staff", label)))
        assert 'name="person"' not in page.text  # anonymous: no page asks a staff name
        # A name slipped into the form anyway is ignored, never stored.
        staff.follow(staff.post("/answer/begin", {"person": "Jo", "person_role": "till"}))
        answer_all(staff, lambda question, values: values[-1])
        assert staff.post("/answer/send").status_code == 200

    archive = zipfile.ZipFile(io.BytesIO(ana.get(f"/audits/{audit}/download/answers.zip").content))
    owner_file = yaml.safe_load(archive.read("answers/owner.yaml"))
    assert owner_file["respondent"] == {
        "speaks_as": "owner",
        "name": "Maria Costa",
        "role": "Owner",
    }
    staff_file = archive.read("answers/staff.yaml").decode()
    assert "Jo" not in staff_file.split() and "till" not in staff_file

    pdf = ana.get(f"/audits/{audit}/download/report.pdf")
    assert pdf.status_code == 200
    cover = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Maria Costa, Owner with 3 staff" in " ".join(cover.split())


def test_a_cover_without_a_name_still_says_who_answered():
    from types import SimpleNamespace

    from auditkit.reporting.context import _answered_by

    three = SimpleNamespace(staff_count=3)
    assert _answered_by({"speaks_as": "owner"}, three) == "the owner with 3 staff"
    assert _answered_by({"name": "Maria Costa", "role": "Owner"}, three) == (
        "Maria Costa, Owner with 3 staff"
    )
    assert _answered_by({}, None) == ""  # a lone file without a name: no line, as before
