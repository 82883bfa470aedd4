"""``auditkit serve`` in a real browser (Debian's Chromium through Playwright), keyboard only.

The server runs as a user would start it, in its own process. The owner answers with the
keyboard, adds a note, goes back; the server is killed with SIGKILL; a new one resumes where
the browser had left off, with every answer on disk. axe-core checks the opening, a question,
the review and the results page; screenshots at 375 and 1280 px are written for a person to
look at (AUDITKIT_SCREENSHOTS=folder keeps them).
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
import yaml

from tests.browser import browser, on_first_screen  # noqa: F401  (the fixture)
from tests.conftest import SMALL_RUBRIC, write
from tests.servers import start_server


def tab_to(page, selector: str, limit: int = 25) -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus")


def no_serious_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, [(v["id"], v["help"], len(v["nodes"])) for v in serious]


def focus_is_visible(page) -> bool:
    return page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle !== 'none'"
        " || getComputedStyle(document.activeElement.nextElementSibling || document.body)"
        ".outlineStyle !== 'none'"
    )


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("AUDITKIT_SCREENSHOTS", tmp_path / "shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_keyboard_only_kill_9_and_resume(browser, tmp_path, shots):  # noqa: F811
    write(tmp_path / "small.yaml", SMALL_RUBRIC)
    server, address = start_server(tmp_path)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(address)
        assert page.url.endswith("/start") and "token" not in page.url
        no_serious_violations(page)
        page.screenshot(path=shots / "serve-opening-1280.png", full_page=True)
        tab_to(page, "#name")
        page.keyboard.type("Corner Café")
        tab_to(page, "#person")
        page.keyboard.type("Ana")
        page.keyboard.press("Tab")
        page.keyboard.type("Owner")
        page.keyboard.press("Enter")
        page.wait_for_url("**/q/adopt.books")

        no_serious_violations(page)
        tab_to(page, "input[name=value]")
        assert focus_is_visible(page)
        page.keyboard.press("Space")  # the first level: Live
        tab_to(page, "details.note > summary")  # the note folds out, by keyboard too
        page.keyboard.press("Enter")
        tab_to(page, "#note")
        page.keyboard.type("Bank feed since 2024")
        tab_to(page, "button[value=save]")
        page.keyboard.press("Enter")
        page.wait_for_url("**/q/adopt.chatbot")

        tab_to(page, "input[name=value]")
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")  # Pilot
        page.keyboard.press("Enter")  # submits with the default button: save
        page.wait_for_url("**/q/handoff.reach-person")  # the conditional question appears
        page.set_viewport_size({"width": 375, "height": 667})
        page.screenshot(path=shots / "serve-question-375.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=shots / "serve-question-1280.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        tab_to(page, "button[value=back]")
        page.keyboard.press("Enter")
        page.wait_for_url("**/q/adopt.chatbot")
        assert page.is_checked("#v-pilot")

        saved = yaml.safe_load((tmp_path / "answers.yaml").read_text())["answers"]
        assert saved["adopt.books"]["answer"] == "live"
        assert saved["adopt.books"]["note"] == "Bank feed since 2024"
        assert saved["adopt.chatbot"]["answer"] == "pilot"
        server.send_signal(signal.SIGKILL)  # no chance to save anything more
        server.wait()

        server, address = start_server(tmp_path)
        page.goto(address)
        page.wait_for_url("**/resume")
        assert "Corner Café" in page.content() and "2 of 4 questions answered" in page.content()
        tab_to(page, "button[type=submit]")
        page.keyboard.press("Enter")
        page.wait_for_url("**/q/handoff.reach-person")  # the first open question

        for following in ("**/q/privacy.consent", "**/review"):
            tab_to(page, "input[name=value]")
            page.keyboard.press("Space")  # Yes
            page.keyboard.press("Enter")
            page.wait_for_url(following)
        no_serious_violations(page)
        page.screenshot(path=shots / "serve-review-1280.png", full_page=True)

        page.goto(address.split("?")[0] + "results")
        assert "Adoption phase" in page.content()
        no_serious_violations(page)
        page.screenshot(path=shots / "serve-results-1280.png", full_page=True)
        page.set_viewport_size({"width": 375, "height": 800})
        page.screenshot(path=shots / "serve-results-375.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        saved = yaml.safe_load((tmp_path / "answers.yaml").read_text())["answers"]
        assert {q: a["answer"] for q, a in saved.items()} == {
            "adopt.books": "live",
            "adopt.chatbot": "pilot",
            "handoff.reach-person": "yes",
            "privacy.consent": "yes",
        }
    finally:
        server.kill()
        server.wait()


def test_two_servers_in_one_browser_keep_their_own_keys(browser, tmp_path):  # noqa: F811
    """An advisor runs two clients' questionnaires in one browser; a third, unrelated local
    web server visited in the same browser receives neither key."""
    import http.server
    import threading

    clients = []
    for name in ("first", "second"):
        folder = tmp_path / name
        folder.mkdir()
        write(folder / "small.yaml", SMALL_RUBRIC)
        clients.append((folder, *start_server(folder)))
    seen: list[str] = []

    class Listener(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Cookie") or "")
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<p>another local site</p>")

        def log_message(self, *args) -> None:
            pass

    plain = http.server.HTTPServer(("127.0.0.1", 0), Listener)
    threading.Thread(target=plain.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        pages = []
        for folder, _, link in clients:
            page = context.new_page()
            page.goto(link)
            page.wait_for_url("**/start")
            page.fill("#name", f"Café {folder.name}")
            page.click("button[type=submit]")
            page.wait_for_url("**/q/adopt.books")
            pages.append(page)
        for page, answer in zip(pages, ("live", "planned"), strict=True):
            page.reload()  # the first server's key still opens its pages
            page.check(f"#v-{answer}")
            page.click("button[value=save]")
            page.wait_for_url("**/q/adopt.chatbot")
        for (folder, _, _), answer in zip(clients, ("live", "planned"), strict=True):
            saved = yaml.safe_load((folder / "answers.yaml").read_text())
            assert saved["answers"]["adopt.books"]["answer"] == answer
        other = context.new_page()
        other.goto(f"http://127.0.0.1:{plain.server_port}/")
        assert seen and not any("auditkit" in cookie for cookie in seen), seen
        cookies = context.cookies()
        assert len({c["name"] for c in cookies}) == 2
        assert all(c["httpOnly"] and c["sameSite"] == "Strict" for c in cookies)
    finally:
        context.close()
        plain.shutdown()
        for _, process, _ in clients:
            process.kill()
            process.wait()


def test_the_results_page_is_the_owner_summary_and_reads_on_a_phone(browser, tmp_path, shots):  # noqa: F811
    """Value Inn's answers in the browser: the same verdict, why and first steps as the report,
    every piece of text at 12 px or more at 375 px wide, nothing wider than the screen, no
    command line, and a print view without the buttons."""
    import shutil

    from tests.conftest import REPO

    shutil.copy(REPO / "examples" / "value-inn" / "answers.yaml", tmp_path / "answers.yaml")
    server, address = start_server(tmp_path, rubric="")
    try:
        page = browser.new_page(viewport={"width": 375, "height": 800})
        page.goto(address)
        page.wait_for_url("**/resume")
        page.click("button[type=submit]")
        page.wait_for_url("**/review")
        root = page.url.rsplit("/", 1)[0]
        page.goto(root + "/results")
        text = page.inner_text("main")
        assert "Adoption phase 3 (Self-service and personalised automation) because" in text
        assert "Safeguard phase 0 (Manual) because of the 16 safeguards of phase 1" in text
        assert page.locator("ol.actions-list > li").count() == 7
        assert "auditkit " not in text and "--" not in text
        no_serious_violations(page)
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('main *')]
                .filter(e => e.offsetParent !== null && [...e.childNodes].some(
                    n => n.nodeType === 3 && n.textContent.trim()))
                .map(e => parseFloat(getComputedStyle(e).fontSize)))"""
        )
        assert smallest >= 12, smallest
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=shots / "serve-results-375.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=shots / "serve-results-1280.png", full_page=True)
        page.click("text=Print view")
        page.wait_for_url("**/results/print")
        assert page.locator(".downloads").count() == 0
        page.emulate_media(media="print")
        assert not page.is_visible("header.top")

        page.goto(root + "/q/touch.journey-map?from=review")
        for width, height in ((375, 667), (1280, 900)):
            page.set_viewport_size({"width": width, "height": height})
            if width == 375:  # one question, one phone screen
                assert on_first_screen(page, "button[value=save]")
            assert "Human touch where it matters most" in page.inner_text(".progress")
            assert "principle 1 of 10" in page.inner_text(".progress")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            page.screenshot(path=shots / f"serve-question-{width}.png", full_page=True)
    finally:
        server.kill()
        server.wait()
