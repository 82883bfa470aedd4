"""Test contacts on the practice server in a real Chromium: the advisor attaches the plan and
makes a tester's link; the tester records on a 375 px phone screen; a contact typed while
the phone is offline waits in the browser and is sent when the connection is back; the
advisor downloads the sheet and runs the check."""

from __future__ import annotations

import csv
import io

from tests.browser import browser  # noqa: F401  (the fixture)
from tests.conftest import REPO
from tests.servers import advisor_server
from tests.test_contacts_browser import expect, fill_contact
from tests.test_serve_browser import no_serious_violations, shots  # noqa: F401
from tests.test_server_browser import sign_in

PLAN = REPO / "examples" / "guest-house-contacts" / "plan" / "plan.yaml"


def test_a_contact_typed_offline_on_a_phone_reaches_the_server_later(
    browser,  # noqa: F811
    tmp_path,
    shots,  # noqa: F811
    location,
):
    with advisor_server(location, tmp_path / "server.log", "ana@harbour.example") as base:
        ana = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page = sign_in(ana, base, "ana@harbour.example")
        page.fill("#name", "Guest house Morze")
        page.click("form[action='/clients'] button[type=submit]")
        page.click("a[href^='/audits/']")
        audit_url = page.url
        page.set_input_files("#contacts-plan-file", str(PLAN))
        page.click("form[action$='/contacts/plan'] button[type=submit]")
        assert "Plan: plan.yaml. Contacts recorded: 0." in page.inner_text("#contacts-state")
        page.fill("#tester-label", "phone, week 1")
        page.click("form:has(input[value=tester]) button[type=submit]")
        link = page.input_value("#new-link")
        assert "Tester of contacts" in page.inner_text("main")

        phone = browser.new_context(viewport={"width": 375, "height": 667})
        tester = phone.new_page()
        tester.goto(link)
        assert tester.url == base + "/test"
        assert tester.evaluate("document.documentElement.scrollWidth") <= 375
        no_serious_violations(tester)
        tester.screenshot(path=shots / "server-contacts-375.png", full_page=True)
        fill_contact(tester, "P01", "ref", "yes", "4.5")
        expect(tester.locator("#status")).to_contain_text("Saved", timeout=15000)

        phone.set_offline(True)  # the phone loses its connection
        fill_contact(tester, "P01", "pl", "no", "9")
        expect(tester.locator("#status")).to_contain_text("waiting", timeout=15000)
        tester.screenshot(path=shots / "server-contacts-waiting-375.png", full_page=True)
        assert tester.evaluate("JSON.parse(localStorage.getItem(localStorage.key(0))).length") == 1
        page.goto(audit_url)
        assert "Contacts recorded: 1." in page.inner_text("#contacts-state")

        phone.set_offline(False)  # back: the page sends what waited
        expect(tester.locator("#status")).to_contain_text("Saved", timeout=20000)
        assert tester.evaluate("JSON.parse(localStorage.getItem(localStorage.key(0)))") == []
        page.goto(audit_url)
        assert "Contacts recorded: 2." in page.inner_text("#contacts-state")
        with page.expect_download() as download:
            page.click("a[href$='/download/contacts.csv']")
        rows = list(csv.DictReader(io.StringIO(download.value.path().read_text("utf-8"))))
        assert [
            (r["pair"], r["persona"], r["disclosed_first_turn"], r["minutes_to_person"])
            for r in rows
        ] == [("P01", "ref", "yes", "4.5"), ("P01", "pl", "no", "9")]
        page.click("form[action$='/contacts/check'] button[type=submit]")
        assert "Checked and added to the evidence" in page.inner_text("main")
        no_serious_violations(page)
        page.set_viewport_size({"width": 375, "height": 667})
        page.screenshot(path=shots / "server-audit-contacts-375.png", full_page=True)
        phone.close()
        ana.close()
