"""Sign-in that neither leaks which accounts exist nor lets a stranger lock the advisor out;
and what the server does when things go wrong around it (a full disk, a read-only database,
a chunked upload that never ends, ids beyond any row, a link opened in the advisor's own
browser). On SQLite and PostgreSQL 15 where the database matters."""

from __future__ import annotations

import statistics
import time

import pytest
from starlette.testclient import TestClient

from tests.serverweb import (
    PASSWORD,
    Site,
    Visitor,
    add_client,
    answer_business,
    invite,
    open_link,
    sign_in,
)


@pytest.fixture
def site(location):
    from auditkit.server.app import ServerConfig, create_app
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor

    database, _ = open_database(location)
    add_advisor(database, "ana@harbour.example", PASSWORD, "Ana")
    config = ServerConfig(database, {"testserver"})
    yield Site(create_app(config), database)
    config.reports.close()
    database.close()


@pytest.fixture
def sqlite_site(tmp_path):
    from auditkit.server.app import ServerConfig, create_app
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor

    database, _ = open_database(str(tmp_path / "server.db"))
    add_advisor(database, "ana@harbour.example", PASSWORD, "Ana")
    config = ServerConfig(database, {"testserver"})
    yield Site(create_app(config), database), tmp_path / "server.db"
    config.reports.close()
    database.close()


def from_address(site: Site, address: str) -> Visitor:
    return Visitor(
        TestClient(
            site.app, base_url="http://testserver", follow_redirects=False, client=(address, 5000)
        )
    )


def test_an_unknown_address_costs_as_much_as_a_known_one(sqlite_site, monkeypatch):
    """Medians over 15 tries each, interleaved, within 20 %: one Argon2 check either way
    (against a fixed dummy hash for an unknown address). The throttle is widened for the
    measurement, so that every try reaches the password check."""
    from auditkit.server import access

    site, _ = sqlite_site
    for name in ("PAIR_LIMIT", "ADDRESS_LIMIT", "ACCOUNT_LIMIT"):
        monkeypatch.setattr(access, name, 10_000)
    visitor = site.visitor()
    visitor.get("/login")
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for attempt in range(16):
        for kind, email in (("known", "ana@harbour.example"), ("unknown", f"x{attempt}@y.example")):
            started = time.perf_counter()
            response = visitor.post("/login", {"email": email, "password": "wrong, quite wrong"})
            elapsed = time.perf_counter() - started
            assert response.status_code == 400 and "do not match" in response.text
            if attempt:  # the first of each warms caches
                times[kind].append(elapsed)
    known, unknown = statistics.median(times["known"]), statistics.median(times["unknown"])
    assert abs(known - unknown) <= 0.2 * max(known, unknown), (known, unknown)


def test_a_stranger_failing_from_many_addresses_does_not_keep_out_the_advisors_device(site):
    from auditkit.server import access

    advisor = site.visitor()
    advisor.get("/login")
    assert (
        advisor.post("/login", {"email": "ana@harbour.example", "password": PASSWORD}).status_code
        == 303
    )
    advisor.post("/logout", {})  # signed out; the browser keeps its device cookie
    # A stranger guesses from 12 addresses, up to the limit for each.
    for number in range(12):
        stranger = from_address(site, f"203.0.113.{number}")
        stranger.get("/login")
        for _ in range(access.PAIR_LIMIT):
            stranger.post("/login", {"email": "ana@harbour.example", "password": "guess guess 1"})
    # The account is held for any new device, the right password included …
    newcomer = from_address(site, "198.51.100.7")
    newcomer.get("/login")
    held = newcomer.post("/login", {"email": "ana@harbour.example", "password": PASSWORD})
    assert held.status_code == 429 and "A browser you signed in from before" in held.text
    # … but the advisor's own browser signs in at once.
    advisor.get("/login")
    back = advisor.post("/login", {"email": "ana@harbour.example", "password": PASSWORD})
    assert back.status_code == 303 and back.headers["location"] == "/"
    # A stolen device cookie alone guesses no faster: it is held by its own failures.
    thief = from_address(site, "192.0.2.1")
    thief.client.cookies.set(
        "auditkit_device", advisor.client.cookies.get("auditkit_device"), path="/login"
    )
    thief.get("/login")
    for _ in range(access.DEVICE_LIMIT):
        thief.post("/login", {"email": "ana@harbour.example", "password": "guess guess 2"})
    assert (
        thief.post("/login", {"email": "ana@harbour.example", "password": PASSWORD}).status_code
        == 429
    )


def test_ids_beyond_any_row_are_not_found(site):
    ana = sign_in(site, "ana@harbour.example")
    for path in ("/clients/99999999999999999999", "/audits/2147483648", "/audits/0/results"):
        response = ana.get(path)
        assert response.status_code == 404 and "no such page" in response.text


def test_a_link_opened_in_the_advisors_browser_leaves_the_advisor_signed_in(site):
    ana = sign_in(site, "ana@harbour.example")
    _, audit = add_client(ana, "Value Inn")
    link = invite(ana, audit, "staff", "desk")
    opened = ana.get(link)
    assert opened.status_code == 409 and "signed in as an advisor" in opened.text
    assert ana.get("/").status_code == 200  # still the advisor
    assert "not opened yet" in ana.get(f"/audits/{audit}").text  # the link is unused
    assert open_link(site, link).get("/answer/review").status_code == 200  # and still works


def test_a_chunked_upload_is_stopped_as_it_streams(tmp_path):
    """A real server, a real socket, a body in chunks without a Content-Length: the server
    answers 413 once the limit is passed, without waiting for (or keeping) the rest."""
    import re
    import select
    import socket

    import httpx

    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor
    from tests.servers import start_practice_server

    location = str(tmp_path / "server.db")
    database, _ = open_database(location)
    add_advisor(database, "ana@harbour.example", PASSWORD, "Ana")
    database.close()
    process, base = start_practice_server(location, tmp_path / "server.log")
    try:
        client = httpx.Client(base_url=base, follow_redirects=False, timeout=120)
        form_key = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
        client.post(
            "/login",
            data={"csrf": form_key, "email": "ana@harbour.example", "password": PASSWORD},
        )
        client.post("/clients", data={"csrf": _key(client), "name": "Value Inn"})
        host, port = base.removeprefix("http://").split(":")
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        connection = socket.create_connection((host, int(port)))
        connection.sendall(
            (
                f"POST /audits/1/evidence HTTP/1.1\r\nHost: {host}:{port}\r\n"
                f"Cookie: {cookie}\r\nTransfer-Encoding: chunked\r\n"
                "Content-Type: multipart/form-data; boundary=b\r\n\r\n"
            ).encode()
        )
        start = (
            b'--b\r\nContent-Disposition: form-data; name="file"; filename="log.csv"\r\n'
            b"Content-Type: text/csv\r\n\r\n"
        )
        connection.sendall(b"%x\r\n%s\r\n" % (len(start), start))
        block, sent, answer = b"x" * 65536, 0, b""
        try:
            while sent < 120 * 1024 * 1024 and not answer:
                connection.sendall(b"%x\r\n%s\r\n" % (len(block), block))
                sent += len(block)
                if select.select([connection], [], [], 0)[0]:
                    answer = connection.recv(4096)
        except (BrokenPipeError, ConnectionResetError):
            pass
        if not answer:  # the whole body went in: end it, and wait for the answer
            connection.sendall(b"0\r\n\r\n")
            connection.settimeout(60)
            answer = connection.recv(4096)
        connection.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    # Stopped near the 20 MB limit (plus what the sockets' buffers hold), not read whole.
    assert sent <= 40 * 1024 * 1024, sent


def _key(client) -> str:
    import re

    return re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)


@pytest.mark.parametrize(
    "trouble, pragma",
    [
        ("read-only", "PRAGMA query_only=ON"),  # SQLITE_READONLY, as on a read-only mount
        ("disk full", "PRAGMA max_page_count={pages}"),  # SQLITE_FULL, as on a full disk
    ],
)
def test_a_database_that_cannot_be_written_gets_a_page_and_the_answer_stays(
    sqlite_site, trouble, pragma
):
    import re

    from sqlalchemy import event

    site, _ = sqlite_site
    ana = sign_in(site, "ana@harbour.example")
    _, audit = add_client(ana, "Value Inn")
    owner = open_link(site, invite(ana, audit, "owner", ""))
    page = answer_business(owner, owner.follow(owner.get("/answer")))
    question = re.search(r'action="/answer/q/([^"?]+)', page.text).group(1)
    version = re.search(r'name="version" value="([^"]+)"', page.text).group(1)

    with site.database.engine.connect() as connection:
        connection.exec_driver_sql("VACUUM")  # no free page left inside the file

    @event.listens_for(site.database.engine, "connect")
    def trouble_on(connection, _record) -> None:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(pragma.format(pages=pages))  # no page more than it has now

    site.database.engine.dispose()  # every connection from now on has the trouble
    note = "kept in the form " + "n" * 8000  # a write that needs a new page
    failed = owner.post(
        f"/answer/q/{question}",
        {"version": version, "action": "save", "value": "live", "note": note},
    )
    assert failed.status_code == 503 and "NOT saved" in failed.text, trouble
    assert "kept in the form" in failed.text  # what was typed is still on the page
    if trouble == "read-only":  # any write fails, a small one too
        new_client = ana.post("/clients", {"name": "Another", "sector": ""})
        assert new_client.status_code == 503 and "disk may be full" in new_client.text
        assert "Traceback" not in new_client.text


def test_backup_into_a_folder_that_cannot_be_written_is_a_clear_exit_2(tmp_path):
    from tests.conftest import run_cli

    db = str(tmp_path / "server.db")
    assert run_cli("server", "init", "--db", db).returncode == 0
    result = run_cli("server", "backup", "--db", db, "-o", "/proc/no-such/backup.db")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "the backup could not be written" in result.stderr and "-o" in result.stderr
