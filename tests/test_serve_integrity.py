"""``auditkit serve`` under the conditions that once misfiled answers: a real server process,
raw sockets, bodies that arrive late, many tabs at once, several servers in one browser.

Every acknowledged answer (a 303 to the next page) must be on disk under the question of the
URL it was posted to, with its own note; nothing else may change.
"""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import yaml

from tests.conftest import SMALL_RUBRIC, one_principle_rubric, write
from tests.servers import start_server


def many_questions(count: int) -> str:
    """A rubric of ``count`` independent yes/no safeguards (no conditions, no adoption)."""
    questions = "".join(
        f"""  - id: s.q{n:02d}
    principle: p
    kind: safeguard
    phase: 1
    text: Safeguard number {n}?
    help: Any.
    recommendation: Do it.
"""
        for n in range(count)
    )
    return one_principle_rubric("many", "Many questions", questions)


class Browser:
    """A browser's view of one server: its cookie jar for that server, plain HTTP/1.1."""

    def __init__(self, link: str) -> None:
        parts = urlsplit(link)
        self.host, self.port = parts.hostname, parts.port
        self.root = parts.path.rstrip("/")
        response = self.request("GET", f"{parts.path}?{parts.query}")
        assert response.status == 303
        cookie = response.getheader("set-cookie")
        assert cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert f"Path={self.root}" in cookie
        self.cookie = cookie.split(";", 1)[0]
        self.csrf = ""

    def request(self, method: str, path: str, form: dict | None = None, cookie: bool = True):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=20)
        headers = {"Cookie": self.cookie} if cookie and getattr(self, "cookie", "") else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.text = response.read().decode()
        connection.close()
        return response

    def get(self, path: str):
        page = self.request("GET", self.root + path)
        found = re.search(r'name="csrf" value="([^"]+)"', page.text)
        if found:
            self.csrf = found.group(1)
        return page

    def post(self, path: str, form: dict):
        return self.request("POST", self.root + path, {"csrf": self.csrf, **form})

    def begin(self) -> None:
        self.get("/start")
        assert self.post("/start", {"name": "Corner Café", "sector": ""}).status == 303


def version(page) -> str:
    return re.search(r'name="version" value="([^"]+)"', page.text).group(1)


def stored(folder: Path) -> dict:
    return yaml.safe_load((folder / "answers.yaml").read_text())["answers"] or {}


@pytest.fixture
def small_server(tmp_path):
    write(tmp_path / "small.yaml", SMALL_RUBRIC)
    process, link = start_server(tmp_path)
    yield process, link
    process.kill()
    process.wait()


def test_a_late_body_is_saved_under_the_question_in_its_url(small_server, tmp_path):
    _, link = small_server
    tab = Browser(link)
    tab.begin()
    books = tab.get("/q/adopt.books")
    body = urlencode(
        {"csrf": tab.csrf, "version": version(books), "value": "live", "note": "Bank feed"}
    ).encode()
    # Tab A sends its headers; its body follows only after tab B has opened another question.
    raw = socket.create_connection((tab.host, tab.port), timeout=20)
    raw.sendall(
        (
            f"POST {tab.root}/q/adopt.books HTTP/1.1\r\nHost: 127.0.0.1:{tab.port}\r\n"
            f"Cookie: {tab.cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
    )
    time.sleep(0.3)
    assert tab.get("/q/adopt.chatbot").status == 200
    raw.sendall(body)
    reply = b""
    while chunk := raw.recv(65536):
        reply += chunk
    raw.close()
    assert reply.startswith(b"HTTP/1.1 303")
    answers = stored(tmp_path)
    assert answers["adopt.books"]["answer"] == "live"
    assert answers["adopt.books"]["note"] == "Bank feed"
    assert "adopt.chatbot" not in answers


def test_fifty_tabs_posting_at_once_each_land_on_their_own_question(tmp_path):
    write(tmp_path / "many.yaml", many_questions(50))
    process, link = start_server(tmp_path, rubric="many.yaml")
    try:
        tab = Browser(link)
        tab.begin()
        fingerprint = version(tab.get("/q/s.q00"))  # every open question has the same one
        start = threading.Barrier(10)

        def post(number: int) -> int:
            if number < 10:
                start.wait(timeout=20)
            question = f"s.q{number:02d}"
            form = {"version": fingerprint, "value": "yes", "note": f"note of {question}"}
            return tab.post(f"/q/{question}", form).status

        with ThreadPoolExecutor(10) as pool:
            statuses = list(pool.map(post, range(50)))
        assert statuses == [303] * 50
        answers = stored(tmp_path)
        assert sorted(answers) == [f"s.q{n:02d}" for n in range(50)]
        for question, answer in answers.items():
            assert answer["answer"] == "yes" and answer["note"] == f"note of {question}"
    finally:
        process.kill()
        process.wait()


def test_the_link_opens_once_and_an_old_link_says_what_to_do(small_server):
    _, link = small_server
    Browser(link)  # the first browser to open the link
    second = http.client.HTTPConnection("127.0.0.1", urlsplit(link).port, timeout=10)
    parts = urlsplit(link)
    second.request("GET", f"{parts.path}?{parts.query}")
    reused = second.getresponse()
    text = reused.read().decode()
    assert reused.status == 403 and "already used" in text and "new link" in text
    assert "auditkit" not in text.split("<main>")[1]  # no command for an owner to type
    second.request("GET", "/an-old-instance/?token=x")
    old = second.getresponse()
    assert old.status == 404 and "saved answers" in old.read().decode()


def test_only_the_two_reports_download_and_names_cannot_break_the_header(tmp_path):
    write(tmp_path / "small.yaml", SMALL_RUBRIC)
    name = 'Ana "quoted"\r\nX-Evil: 1.yaml'
    process, link = start_server(tmp_path, output=name)
    try:
        tab = Browser(link)
        tab.begin()
        assert tab.get("/download/report.exe").status == 404
        html = tab.get("/download/report.html")
        header = html.getheader("content-disposition")
        assert html.status == 200 and "\r" not in header and "X-Evil" not in html.headers
        assert header.startswith('attachment; filename="Ana_quoted_X-Evil_1-report.html"')
    finally:
        process.kill()
        process.wait()


@pytest.fixture
def small_disk(tmp_path):
    """A 64 KiB tmpfs: a real full disk, where this machine lets the test mount one."""
    import os
    import subprocess

    folder = tmp_path / "disk"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_shows_the_question_again_with_what_was_typed(small_disk):
    write(small_disk / "small.yaml", SMALL_RUBRIC)
    process, link = start_server(small_disk)
    try:
        tab = Browser(link)
        tab.begin()
        books = tab.get("/q/adopt.books")
        with open(small_disk / "filler", "wb", buffering=0) as filler:  # fill the disk up
            try:
                while True:
                    filler.write(b"x" * 1024)
            except OSError:
                pass
        before = (small_disk / "answers.yaml").read_bytes()
        typed = "Bank feed since 2024, checked monthly by Ana"
        page = tab.post(
            "/q/adopt.books", {"version": version(books), "value": "live", "note": typed}
        )
        assert page.status == 507
        assert "NOT saved" in page.text and "the disk is full" in page.text
        assert typed in page.text and 'value="live" checked' in page.text
        assert (small_disk / "answers.yaml").read_bytes() == before
        assert not list(small_disk.glob(".answers.yaml.*.tmp"))
        (small_disk / "filler").unlink()  # space again: the same form saves
        again = tab.post(
            "/q/adopt.books", {"version": version(page), "value": "live", "note": typed}
        )
        assert again.status == 303 and stored(small_disk)["adopt.books"]["note"] == typed
    finally:
        process.kill()
        process.wait()


def test_a_note_over_the_limit_is_refused_kindly_and_kept_in_the_form(small_server, tmp_path):
    from auditkit.answers.model import NOTE_LIMIT

    _, link = small_server
    tab = Browser(link)
    tab.begin()
    books = tab.get("/q/adopt.books")
    assert f'maxlength="{NOTE_LIMIT}"' in books.text
    long_note = "evidence " * (NOTE_LIMIT // 9 + 10)
    page = tab.post(
        "/q/adopt.books", {"version": version(books), "value": "live", "note": long_note}
    )
    assert page.status == 400 and f"the limit is {NOTE_LIMIT:,}" in page.text
    assert long_note.strip() in page.text
    assert "adopt.books" not in stored(tmp_path)


def test_not_my_business_starts_a_new_file_from_the_browser(small_server, tmp_path):
    process, link = small_server
    tab = Browser(link)
    tab.begin()
    tab.post("/q/adopt.books", {"version": version(tab.get("/q/adopt.books")), "value": "live"})
    process.kill()
    process.wait()
    process, link = start_server(tmp_path)
    try:
        tab = Browser(link)
        resume = tab.get("/resume")
        assert (
            "Start a new questionnaire" in resume.text
            and "auditkit" not in resume.text.split('<main id="main">')[1]
        )
        moved = tab.post("/new", {})
        assert moved.status == 303
        start = tab.get("/start")
        assert "answers-2.yaml" in start.text
        assert tab.post("/start", {"name": "Another Café", "sector": ""}).status == 303
        first = yaml.safe_load((tmp_path / "answers.yaml").read_text())
        second = yaml.safe_load((tmp_path / "answers-2.yaml").read_text())
        assert first["business"]["name"] == "Corner Café" and first["answers"]["adopt.books"]
        assert second["business"]["name"] == "Another Café"
    finally:
        process.kill()
        process.wait()
