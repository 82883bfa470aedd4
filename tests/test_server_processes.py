"""The practice server in its own process, as deployed: many respondents at once, a
``kill -9`` in the middle of their answering, and a log that holds no secret. Real
processes, loopback only, bounded in count and time."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading

import httpx
import pytest

from tests.servers import start_practice_server
from tests.serverweb import CSRF, PASSWORD, QUESTION, VALUES, VERSION


def _setup(location: str, respondents: int) -> tuple[int, list[tuple[int, str]]]:
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor, add_audit, add_client, invite

    database, _ = open_database(location)
    advisor = add_advisor(database, "ana@harbour.example", PASSWORD)
    audit = add_audit(
        database, add_client(database, advisor, "Value Inn"), "human-centred-automation"
    )
    invited = [invite(database, audit, "staff") for _ in range(respondents)]
    database.close()
    return audit, invited


def _stored(location: str) -> dict[int, set[str]]:
    from sqlalchemy import select

    from auditkit.server.database import open_database
    from auditkit.server.schema import AnswerRow

    database, _ = open_database(location)
    with database.transaction() as session:
        rows = session.execute(select(AnswerRow.respondent_id, AnswerRow.question_id)).all()
    database.close()
    stored: dict[int, set[str]] = {}
    for respondent, question in rows:
        stored.setdefault(respondent, set()).add(question)
    return stored


def answer_questions(base: str, token: str, count: int, acknowledged: list, stop: threading.Event):
    """One respondent's phone: open the link, begin, answer up to ``count`` questions. Every
    answer the server acknowledged (303 to the next page) is appended to ``acknowledged``."""
    with httpx.Client(base_url=base, follow_redirects=True, timeout=30) as phone:
        page = phone.get(f"/i/{token}")
        csrf = CSRF.search(page.text).group(1)
        page = phone.post("/answer/begin", data={"csrf": csrf})
        for _ in range(count):
            if stop.is_set():
                return
            question = QUESTION.search(page.text).group(1)
            fields = {
                "csrf": csrf,
                "version": VERSION.search(page.text).group(1),
                "action": "save",
                "value": VALUES.findall(page.text)[0],
            }
            response = phone.post(f"/answer/q/{question}", data=fields, follow_redirects=False)
            assert response.status_code == 303, response.text
            acknowledged.append(question)
            page = phone.get(response.headers["location"])


def test_fifty_respondents_at_once_lose_and_misfile_nothing(location, tmp_path):
    _, invited = _setup(location, 50)
    server, base = start_practice_server(location, tmp_path / "server.log")
    try:
        acknowledged = {respondent: [] for respondent, _ in invited}
        stop = threading.Event()
        threads = [
            threading.Thread(
                target=answer_questions, args=(base, token, 6, acknowledged[respondent], stop)
            )
            for respondent, token in invited
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=240)
        assert not any(thread.is_alive() for thread in threads)
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored = _stored(location)
    for respondent, questions in acknowledged.items():
        assert len(questions) == 6
        assert stored.get(respondent, set()) == set(questions)  # each under its own respondent


def test_kill_9_mid_burst_and_a_restart_lose_no_acknowledged_answer(location, tmp_path):
    _, invited = _setup(location, 10)
    log = tmp_path / "server.log"
    server, base = start_practice_server(location, log)
    acknowledged = {respondent: [] for respondent, _ in invited}
    stop = threading.Event()

    def guarded(respondent: int, token: str) -> None:
        # The server dies under this phone: what it acknowledged must be kept.
        with contextlib.suppress(httpx.HTTPError, AttributeError, AssertionError):
            answer_questions(base, token, 40, acknowledged[respondent], stop)

    threads = [threading.Thread(target=guarded, args=item) for item in invited]
    for thread in threads:
        thread.start()
    while sum(len(v) for v in acknowledged.values()) < 60 and server.poll() is None:
        threading.Event().wait(0.01)
    os.kill(server.pid, signal.SIGKILL)
    server.wait(timeout=30)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    stored = _stored(location)
    for respondent, questions in acknowledged.items():
        assert set(questions) <= stored.get(respondent, set())
    again, base = start_practice_server(location, log)  # a restart carries on
    try:
        more: list[str] = []
        answer_questions(base, invited[0][1], 1, more, threading.Event())
        assert more and more[0] not in acknowledged[invited[0][0]]
    finally:
        again.terminate()
        again.wait(timeout=30)


def _response(connection) -> bytes:
    """One whole HTTP/1.1 response read from ``connection`` (its head, then as many bytes
    as its Content-Length says); b"" when the server closed the connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
    while len(body) < length:
        body += connection.recv(65536)
    return head + b"\r\n\r\n" + body


def test_a_phone_that_reads_a_question_for_a_while_keeps_its_connection(tmp_path):
    """A person reads a question for longer than a few seconds before answering. The server
    keeps their connection open meanwhile (``KEEP_ALIVE_S``), so the answer does not wait
    for a new connection, and, where the server speaks TLS itself, a new handshake."""
    import socket
    import time
    from urllib.parse import urlsplit

    location = str(tmp_path / "server.db")
    _setup(location, 0)
    server, base = start_practice_server(location, tmp_path / "server.log")
    request = b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    try:
        address = urlsplit(base)
        with socket.create_connection((address.hostname, address.port), timeout=30) as phone:
            phone.sendall(request)
            assert _response(phone).startswith(b"HTTP/1.1 200")
            time.sleep(7)  # reading the question: longer than uvicorn's default of 5 s
            phone.sendall(request)
            assert _response(phone).startswith(b"HTTP/1.1 200"), "the connection was closed"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_links_sessions_and_passwords_never_reach_the_log(tmp_path):
    location = str(tmp_path / "server.db")
    _setup(location, 0)
    log = tmp_path / "server.log"
    server, base = start_practice_server(location, log)
    try:
        with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as browser:
            login = browser.get("/login")
            csrf = CSRF.search(login.text).group(1)
            signed = browser.post(
                "/login", data={"csrf": csrf, "email": "ana@harbour.example", "password": PASSWORD}
            )
            session_key = signed.cookies["auditkit"]
            home = browser.get("/")
            csrf = CSRF.search(home.text).group(1)
            client = browser.post("/clients", data={"csrf": csrf, "name": "Value Inn"})
            page = browser.get(client.headers["location"])
            audit = re.search(r'href="(/audits/\d+)"', page.text).group(1)
            made = browser.post(f"{audit}/invite", data={"csrf": csrf, "role": "staff"})
            link = re.search(r'value="(http://[^"]+/i/[^"]+)"', made.text).group(1)
            token = link.rsplit("/", 1)[1]
            assert browser.get(f"{audit}").text.count(token) == 0  # shown once, then never
        with httpx.Client(follow_redirects=False, timeout=30) as phone:
            opened = phone.get(link)
            assert opened.status_code == 303
            respondent_key = opened.cookies["auditkit"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert "/i/… 303" in text and "POST /login 303" in text
    for secret in (PASSWORD, token, session_key, respondent_key):
        assert secret not in text
    from auditkit.server.database import open_database

    database, _ = open_database(location)
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("server.db*"))
    database.close()
    for secret in (PASSWORD, token, session_key, respondent_key):
        assert secret.encode() not in raw


@pytest.mark.parametrize(
    "arguments, expected",
    [
        (["--host", "0.0.0.0"], "without TLS"),
        (["--host", "0.0.0.0", "--behind-proxy", "10.0.0.2"], "--host-name"),
    ],
)
def test_the_server_will_not_listen_beyond_loopback_without_tls_or_a_proxy(
    tmp_path, arguments, expected
):
    from tests.conftest import run_cli

    refused = run_cli("server", "run", "--db", str(tmp_path / "s.db"), "--port", "0", *arguments)
    assert refused.returncode == 2 and expected in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_report_worker_killed_is_replaced_and_the_report_still_made():
    """A report process that dies (killed, out of memory) must not leave every later
    download failing: the pool is replaced and the report made in the new one."""
    import asyncio
    import time
    from datetime import date

    from auditkit.server.reports import ReportPool
    from tests.conftest import REPO

    answers = str(REPO / "examples" / "value-inn" / "answers.yaml")
    arguments = (answers, [], None, None, date(2026, 12, 2), False)

    async def twice() -> tuple[bytes, bytes]:
        pool = ReportPool(1)
        try:
            first = await pool.render(*arguments)
            for process in list(pool._pool._processes.values()):
                os.kill(process.pid, signal.SIGKILL)
            time.sleep(0.5)
            return first, await pool.render(*arguments)
        finally:
            pool.close()

    first, second = asyncio.run(twice())
    assert first == second and b"Value Inn" in first


def test_a_report_renders_at_a_lower_cpu_priority_than_the_answers():
    """A PDF takes seconds of CPU, an answer milliseconds: the report worker runs at the
    lowest priority, niceness 19, so that when both want a core the answer goes first."""
    from auditkit.server.reports import REPORT_NICENESS, ReportPool

    pool = ReportPool(1)
    try:
        worker = pool._started().submit(os.nice, 0).result(timeout=60)
    finally:
        pool.close()
    assert worker == min(19, os.nice(0) + REPORT_NICENESS) == 19


def test_an_error_in_a_report_worker_reaches_the_page_whole(tmp_path):
    """A problem found while a worker renders (here, the brand's file) comes back as the same
    problems, file and line and fix, not as its printed text taken for a list of characters
    ("212 problems found")."""
    import asyncio
    from datetime import date

    from auditkit.errors import InputError
    from auditkit.server.reports import ReportPool
    from tests.conftest import REPO

    brand = tmp_path / "brand.yaml"
    brand.write_text("name: Harbour Advisory\ncolours: {}\n", encoding="utf-8")
    answers = str(REPO / "examples" / "value-inn" / "answers.yaml")

    async def render() -> None:
        pool = ReportPool(1)
        try:
            await pool.render(answers, [], None, str(brand), date(2026, 12, 2), False)
        finally:
            pool.close()

    with pytest.raises(InputError) as raised:
        asyncio.run(render())
    assert len(raised.value.problems) == 1
    problem = raised.value.problems[0]
    assert problem.file == str(brand) and problem.line == 2
    assert "colours" in problem.message and "problems found" not in str(raised.value)
