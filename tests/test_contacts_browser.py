"""``auditkit contacts record`` in a real Chromium at 375 px: a contact typed while the
recording command is down (killed with SIGKILL) waits in the browser and reaches the sheet
once the command runs again on the same port. Screenshots: AUDITKIT_SCREENSHOTS=folder."""

from __future__ import annotations

import csv
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser import browser  # noqa: F401  (the fixture)
from tests.conftest import REPO, run_cli


def start_recorder(folder: Path, port: int) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "auditkit",
            "contacts",
            "record",
            "contacts.csv",
            "--plan",
            "plan/plan.yaml",
            "--no-browser",
            "--port",
            str(port),
        ],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+/\S*\?token=\S+)", line)
        if found:
            return process, found.group(1)
    process.kill()
    raise AssertionError(process.stderr.read())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rows(sheet: Path) -> list[dict]:
    if not sheet.exists():
        return []
    with sheet.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("AUDITKIT_SCREENSHOTS", tmp_path / "shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def fill_contact(page, pair: str, persona: str, told: str, minutes: str) -> None:
    page.select_option("#pair", pair)
    page.select_option("#persona", persona)
    page.check(f"input[name=disclosed_first_turn][value={told}]")
    page.fill("#turns", "3")
    page.fill("#minutes", minutes)
    page.click("button[type=submit]")


def test_a_contact_typed_while_the_recorder_is_down_is_sent_later(browser, tmp_path, shots):  # noqa: F811
    made = run_cli(
        "contacts",
        "plan",
        "--channel",
        "chat",
        "--pairs",
        "4",
        "--consent",
        "Owner agreed in writing on 1 November 2026",
        "--start",
        "2026-11-02",
        "-o",
        str(tmp_path / "plan"),
    )
    assert made.returncode == 0, made.stderr
    sheet = tmp_path / "contacts.csv"
    port = free_port()
    recorder, link = start_recorder(tmp_path, port)
    try:
        page = browser.new_page(viewport={"width": 375, "height": 667})
        page.goto(link)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scroll
        page.screenshot(path=shots / "contacts-record-375.png", full_page=True)
        from tests.test_serve_browser import no_serious_violations

        no_serious_violations(page)  # axe-core: no serious or critical accessibility problem
        fill_contact(page, "P01", "ref", "yes", "4.5")
        expect(page.locator("#status")).to_contain_text("Saved", timeout=15000)
        assert [
            (r["pair"], r["persona"], r["disclosed_first_turn"], r["minutes_to_person"])
            for r in rows(sheet)
        ] == [("P01", "ref", "yes", "4.5")]
        assert page.input_value("#pair") == "P01"  # ready for the pair's other contact

        recorder.send_signal(signal.SIGKILL)
        recorder.wait(timeout=10)
        fill_contact(page, "P01", "pl", "no", "9")
        expect(page.locator("#status")).to_contain_text("waiting", timeout=15000)
        page.screenshot(path=shots / "contacts-record-waiting-375.png", full_page=True)
        assert len(rows(sheet)) == 1
        assert page.evaluate("localStorage.length") == 1

        recorder, link = start_recorder(tmp_path, port)  # the same origin: the same storage
        page.goto(link)
        expect(page.locator("#status")).to_contain_text("Saved", timeout=15000)
        assert [
            (r["persona"], r["disclosed_first_turn"], r["minutes_to_person"]) for r in rows(sheet)
        ] == [("ref", "yes", "4.5"), ("pl", "no", "9")]
        assert page.evaluate("JSON.parse(localStorage.getItem(localStorage.key(0)))") == []
        checked = run_cli(
            "contacts",
            "check",
            str(sheet),
            "--plan",
            str(tmp_path / "plan" / "plan.yaml"),
            "--format",
            "json",
        )
        assert checked.returncode == 0, checked.stderr
    finally:
        recorder.kill()
        recorder.wait(timeout=10)


def test_the_form_refuses_a_persona_not_in_the_pair_without_javascript(tmp_path):
    """The server checks what it appends, whatever a page sends."""
    from auditkit.contacts.model import read_plan
    from auditkit.contacts.web import validate

    made = run_cli(
        "contacts",
        "plan",
        "--channel",
        "chat",
        "--cue",
        "language",
        "--cue",
        "age",
        "--pairs",
        "2",
        "--consent",
        "Owner agreed in writing on 1 Nov",
        "--start",
        "2026-11-02",
        "-o",
        str(tmp_path / "plan"),
    )
    assert made.returncode == 0, made.stderr
    plan = read_plan(tmp_path / "plan" / "plan.yaml")
    pair = next(p for p in plan.pairs if p.variant == "pl")
    row, errors = validate(
        plan, {"pair": pair.pair, "persona": "age", "date": "2026-11-02", "channel": "chat"}
    )
    assert row is None and "persona" in errors
    row, errors = validate(
        plan,
        {
            "pair": pair.pair,
            "persona": "pl",
            "date": "2026-11-02",
            "channel": "chat",
            "never": "yes",
        },
    )
    assert errors == {} and row[6:8] == ["never", "never"]


def test_without_javascript_the_form_posts_and_says_which_row_it_saved(tmp_path):
    from starlette.testclient import TestClient

    from auditkit.contacts.model import read_plan
    from auditkit.contacts.web import RecordState, create_app

    made = run_cli(
        "contacts",
        "plan",
        "--channel",
        "chat",
        "--pairs",
        "2",
        "--consent",
        "Owner agreed in writing on 1 Nov",
        "--start",
        "2026-11-02",
        "-o",
        str(tmp_path / "plan"),
    )
    assert made.returncode == 0, made.stderr
    state = RecordState(tmp_path / "contacts.csv", read_plan(tmp_path / "plan" / "plan.yaml"))
    client = TestClient(create_app(state))
    page = client.get("/")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    form = {
        "csrf": state.csrf,
        "pair": "P01",
        "persona": "ref",
        "date": "2026-11-02",
        "channel": "chat",
        "disclosed_first_turn": "no",
        "never": "yes",
    }
    saved = client.post("/contacts", data=form)
    assert saved.status_code == 200 and "Saved as row 2 of contacts.csv" in saved.text
    assert rows(state.sheet)[0]["minutes_to_person"] == "never"
    refused = client.post("/contacts", data={**form, "csrf": "stale"})
    assert refused.status_code == 403 and len(rows(state.sheet)) == 1
    wrong = client.post("/contacts", data={**form, "date": "3 Nov"})
    assert wrong.status_code == 422 and "YYYY-MM-DD" in wrong.text and len(rows(state.sheet)) == 1
    sent_twice = {**form, "entry": "abcdef123456"}
    assert client.post("/contacts", data=sent_twice, headers={"accept": "application/json"}).json()[
        "ok"
    ]
    assert client.post("/contacts", data=sent_twice, headers={"accept": "application/json"}).json()[
        "duplicate"
    ]
    assert len(rows(state.sheet)) == 2  # a resent contact is appended once


def test_the_script_speaks_the_page_s_language_with_its_plural(browser, tmp_path):  # noqa: F811
    """The local recorder's page in German, served to Chromium without a server (every
    request answered by the test; the save refused as a dropped connection): the script's
    waiting message is the catalog's German, in the plural form of the count."""
    from starlette.testclient import TestClient

    from auditkit.contacts.model import read_plan
    from auditkit.contacts.web import RecordState, create_app
    from tests.test_contacts import make_plan

    plan = read_plan(make_plan(tmp_path / "plan"))
    state = RecordState(tmp_path / "contacts.csv", plan, language="de")
    client = TestClient(create_app(state))
    served = {"/": client.get("/").text, "/record.js": client.get("/record.js").text}

    def answer(route):
        path = "/" + route.request.url.split("/", 3)[3]
        if path in served:
            kind = "text/javascript" if path.endswith(".js") else "text/html"
            route.fulfill(status=200, body=served[path], content_type=kind)
        else:
            route.abort()  # /contacts: the connection is down

    page = browser.new_page(viewport={"width": 375, "height": 667})
    try:
        page.route("http://recorder.test/**", answer)
        page.goto("http://recorder.test/")
        for minutes in ("4.5", "9"):
            fill_contact(page, "P01", "ref", "yes", minutes)
        expect(page.locator("#status")).to_have_text(
            "2 Kontakte in diesem Browser gespeichert, warten auf die Verbindung.", timeout=15000
        )
    finally:
        page.close()
