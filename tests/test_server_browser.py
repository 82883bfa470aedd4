"""The practice server in a real Chromium: advisor A invites three people, who answer on
phone-sized screens in their own browsers (one skips, one says "not applicable", one goes
Back); A sees their progress and downloads the branded PDF and the answers files, which
validate; advisor B sees none of it."""

from __future__ import annotations

import io
import zipfile

from auditkit.answers.store import load_answers
from tests.browser import browser, on_first_screen  # noqa: F401  (the fixture)
from tests.conftest import REPO, run_cli
from tests.servers import advisor_server
from tests.serverweb import PASSWORD
from tests.test_serve_browser import no_serious_violations, shots  # noqa: F401


def sign_in(context, base: str, email: str):
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    return page


def past_the_business_questions(page) -> None:
    """The owner's two questions about the business, asked once before the questions."""
    if page.locator("form[action$='/business']").count():
        page.check("input[name='business.markets'][value=EU]")
        page.check("input[name='business.size'][value=small]")
        page.click("form[action$='/business'] button[type=submit]")
        page.wait_for_load_state()


def answer_everything(page, how: str) -> int:
    """Answer until the review: ``how`` is "skip" (skip the first three), "na" (not
    applicable wherever allowed) or "back" (go back once, then carry on)."""
    count, went_back = 0, False
    past_the_business_questions(page)
    while "/answer/q/" in page.url:
        count += 1
        if how == "skip" and count <= 3:
            page.click("button[value=skip]")
        elif how == "back" and count == 5 and not went_back:
            went_back = True
            before = page.url
            page.click("button[value=back]")
            page.wait_for_load_state()
            assert page.url != before
            continue
        elif how == "na" and page.locator("#v-na").count():
            page.check("#v-na")
            page.fill("#na_reason", "We have no staff rota")
            page.click("button[value=save]")
        else:
            page.locator("input[name=value]").first.check()
            page.click("button[value=save]")
        page.wait_for_load_state()
        assert count < 150
    return count


def test_advisor_invites_three_who_answer_on_phones_and_b_sees_nothing(
    browser,  # noqa: F811
    tmp_path,
    shots,  # noqa: F811
    location,
):
    brand = REPO / "examples" / "brand" / "brand.yaml"
    emails = ("ana@harbour.example", "ben@other.example")
    log = tmp_path / "server.log"
    with advisor_server(location, log, *emails, extra=("--brand", str(brand))) as base:
        ana = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page = sign_in(ana, base, "ana@harbour.example")
        page.fill("#name", "Value Inn")
        page.select_option("#sector", "hospitality")
        page.click("form[action='/clients'] button[type=submit]")
        page.click("a[href^='/audits/']")
        audit_url = page.url
        links = []
        for role, label in (("owner", "owner"), ("staff", "front desk"), ("staff", "kitchen")):
            page.check(f"input[name=role][value={role}]")
            page.fill("#label", label)
            page.click("form[action$='/invite'] button[type=submit]")
            links.append(page.input_value("#new-link"))
        no_serious_violations(page)
        page.screenshot(path=shots / "server-audit-1280.png", full_page=True)
        for link, how in zip(links, ("back", "skip", "na"), strict=True):
            phone = browser.new_context(viewport={"width": 375, "height": 667})
            answering = phone.new_page()
            answering.goto(link)
            assert "/i/" not in answering.url  # the token leaves the address bar
            if how == "skip":
                welcome = answering.inner_text("main")
                assert "only where at least 3 staff answered that question" in welcome
                answering.screenshot(path=shots / "server-welcome-375.png", full_page=True)
            answering.click("form[action='/answer/begin'] button")
            past_the_business_questions(answering)
            # One question, one phone screen: the answers and Save without scrolling.
            assert on_first_screen(answering, "button[value=save]")
            if how == "na":
                no_serious_violations(answering)
                answering.screenshot(path=shots / "server-question-375.png", full_page=True)
            wide = answering.evaluate("document.documentElement.scrollWidth")
            if wide > 375:
                answering.screenshot(path=shots / "server-too-wide.png", full_page=True)
            assert wide <= 375
            assert answer_everything(answering, how) > 20
            assert answering.url.endswith("/answer/review")
            answering.click("form[action='/answer/send'] button")
            assert "Thank you" in answering.inner_text("main")
            phone.close()
        page.goto(audit_url)
        status = page.inner_text("table")
        assert status.count("sent (counted with the others)") == 2 and "finished" in status
        assert "No staff answers are shown yet" in page.inner_text("main")  # 2 < the floor
        # The PDF is rendered at the lowest CPU priority (server.reports.REPORT_NICENESS): on
        # a 2-core machine that runs other tests beside this one it may take longer than
        # Playwright's 30 s default. The test is about what the PDF holds, not its speed.
        with page.expect_download(timeout=180_000) as pdf_download:
            page.click("a[href$='report.pdf']", timeout=180_000)
        pdf = pdf_download.value.path().read_bytes()
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(pdf))
        cover = reader.pages[0].extract_text()
        assert len(reader.pages) > 5 and "Value Inn" in cover and "Harbour Advisory" in cover
        with page.expect_download() as zip_download:
            page.click("a[href$='answers.zip']")
        archive = zipfile.ZipFile(zip_download.value.path())
        archive.extractall(tmp_path / "exported")
        names = sorted(archive.namelist())
        # Two staff sent: fewer than the floor, so nothing of theirs leaves, not even counts.
        assert names == ["answers/owner.yaml"]
        owner_file = tmp_path / "exported" / names[0]
        assert run_cli("answers", "validate", str(owner_file)).returncode == 0
        assert load_answers(owner_file)[0].business["name"] == "Value Inn"
        page.goto(audit_url + "/results")
        page.set_viewport_size({"width": 375, "height": 800})
        page.screenshot(path=shots / "server-results-375.png", full_page=True)
        page.goto(base + "/")
        # The clients table on a phone: a card per client, nothing beside the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        table = page.locator("table.clients").bounding_box()
        assert table["x"] >= 0 and table["x"] + table["width"] <= 375
        page.screenshot(path=shots / "server-clients-375.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=shots / "server-clients-1280.png", full_page=True)
        ben = browser.new_context(viewport={"width": 1280, "height": 900})
        other = sign_in(ben, base, "ben@other.example")
        assert "Value Inn" not in other.content() and "No clients yet" in other.inner_text("main")
        response = other.goto(audit_url)
        assert response.status == 404 and "Value Inn" not in other.content()
        assert other.goto(audit_url + "/download/answers.zip").status == 404


def test_the_copy_button_copies_the_link_at_375_px_and_the_link_is_there_without_script(
    browser,  # noqa: F811
    tmp_path,
    shots,  # noqa: F811
    location,
):
    with advisor_server(location, tmp_path / "server.log", "ana@harbour.example") as base:
        phone = browser.new_context(
            viewport={"width": 375, "height": 667},
            permissions=["clipboard-read", "clipboard-write"],
        )
        page = sign_in(phone, base, "ana@harbour.example")
        page.fill("#name", "Harbour Bakery")
        page.click("form[action='/clients'] button[type=submit]")
        page.click("a[href^='/audits/']")
        audit_url = page.url
        page.check("input[name=role][value=owner]")
        page.click("form[action$='/invite'] button[type=submit]")
        assert page.is_checked("input[name=role][value=staff]")  # the owner is invited now
        link = page.input_value("#new-link")
        copy = page.locator("button[data-copy-for=new-link]")
        assert copy.is_visible() and copy.is_enabled()
        box = copy.bounding_box()
        assert box["x"] + box["width"] <= 375  # on the phone's screen, not beside it
        copy.click()
        said = page.locator("[data-copied-for=new-link]")
        said.wait_for(state="visible")
        assert said.inner_text() == "Copied"
        assert page.evaluate("navigator.clipboard.readText()") == link
        no_serious_violations(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.locator(".notice").screenshot(path=shots / "server-copy-link-375.png")
        page.screenshot(path=shots / "server-audit-375.png", full_page=True)
        phone.close()

        # Without JavaScript: no dead button, the link in a read-only field to copy by hand.
        plain = browser.new_context(
            viewport={"width": 375, "height": 667}, java_script_enabled=False
        )
        page = sign_in(plain, base, "ana@harbour.example")
        page.goto(audit_url)
        page.check("input[name=role][value=staff]")
        page.click("form[action$='/invite'] button[type=submit]")
        field = page.locator("#new-link")
        assert field.get_attribute("readonly") is not None
        assert field.input_value().startswith(base + "/i/")
        assert not page.locator("button[data-copy-for=new-link]").is_visible()
        assert "press and hold" in page.inner_text(".notice")
        page.locator(".notice").screenshot(path=shots / "server-copy-link-375-no-script.png")
        plain.close()
