"""Staff anonymity attacked from every exit, against a real server process on a real SQLite
file and a real PostgreSQL 15 (docs/server.md, "Threat model").

Two attackers are played:

* **a curious advisor**, who after every single send downloads the answers zip, runs
  ``server export``, calls the Python API, reads the results and clients pages and the
  report, and diffs them all against what they saw before; who looks for a question only one
  person answered; and who tries to make up the floor with answers files of their own;
* **the server's administrator**, who searches the database file, its write-ahead log and a
  backup for a staff member's private note, and looks for rows that follow the order of
  sending or carry its time.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO, run_cli
from tests.servers import start_practice_server
from tests.serverweb import CSRF, PASSWORD

PRIVATE = "Nightshift-Marta-private-8d1f"  # a note its author did not share
SHARED = "The chat hands over with no history at all"  # a note its author shared
LONELY = "empowerment.training"  # a question only one member of staff answers
QUESTION = re.compile(r'action="/answer/q/([^"?]+)')
VERSION = re.compile(r'name="version" value="([^"]+)"')
VALUES = re.compile(r'name="value" value="([^"]+)"')


class Browser:
    """A browser against the real server: cookies kept, each page's form key remembered."""

    def __init__(self, base: str) -> None:
        self.client = httpx.Client(base_url=base, follow_redirects=False, timeout=60)
        self.csrf = ""

    def get(self, path: str) -> httpx.Response:
        return self._remember(self.client.get(path))

    def post(self, path: str, data: dict | None = None, **options) -> httpx.Response:
        return self._remember(self.client.post(path, data={"csrf": self.csrf, **(data or {})}))

    def follow(self, response: httpx.Response) -> httpx.Response:
        while response.status_code in (302, 303):
            response = self.get(response.headers["location"])
        return response

    def _remember(self, response: httpx.Response) -> httpx.Response:
        found = (
            CSRF.search(response.text)
            if "html" in response.headers.get("content-type", "")
            else None
        )
        if found:
            self.csrf = found.group(1)
        return response


@pytest.fixture
def server(location, tmp_path):
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor

    database, _ = open_database(location)
    add_advisor(database, "ana@harbour.example", PASSWORD, "Ana")
    database.close()
    process, base = start_practice_server(location, tmp_path / "server.log")
    yield base
    process.terminate()
    process.wait(timeout=30)


def signed_in(base: str) -> Browser:
    advisor = Browser(base)
    advisor.get("/login")
    advisor.post("/login", {"email": "ana@harbour.example", "password": PASSWORD})
    assert advisor.get("/").status_code == 200
    return advisor


def new_audit(advisor: Browser, name: str) -> int:
    response = advisor.post("/clients", {"name": name, "sector": "hospitality"})
    page = advisor.get(response.headers["location"])
    audit = int(re.search(r'href="/audits/(\d+)"', page.text).group(1))
    advisor.get(f"/audits/{audit}")
    return audit


def invite(advisor: Browser, audit: int, role: str, label: str) -> str:
    page = advisor.post(f"/audits/{audit}/invite", {"role": role, "label": label})
    assert page.status_code == 200, page.text
    link = re.search(r'id="new-link" class="link-box" value="([^"]+)"', page.text).group(1)
    return "/i/" + link.rsplit("/i/", 1)[1]


def start(base: str, link: str) -> Browser:
    person = Browser(base)
    person.follow(person.get(link))
    if "/answer/begin" in person.get("/answer").text:
        person.follow(person.post("/answer/begin"))
    return person


def answer(person: Browser, plan: dict[str, tuple[str, str, bool]]) -> None:
    """Answer every question: ``plan`` gives (value or "skip", note, share) for some; the rest
    get the first value offered (a chatbot "live", a safeguard "yes")."""
    page = person.follow(person.get("/answer"))
    if 'action="/answer/business"' in page.text:  # the owner's questions about the business
        page = person.follow(
            person.post("/answer/business", {"business.markets": "EU", "business.size": "small"})
        )
    for _ in range(200):
        found = QUESTION.search(page.text)
        if found is None:
            return
        question = found.group(1)
        value, note, share = plan.get(question, (VALUES.findall(page.text)[0], "", False))
        fields = {"version": VERSION.search(page.text).group(1), "note": note}
        if share:
            fields["share_note"] = "yes"
        fields.update({"action": "skip"} if value == "skip" else {"action": "save", "value": value})
        response = person.post(f"/answer/q/{question}", fields)
        assert response.status_code == 303, response.text
        page = person.follow(response)


def exits(advisor: Browser, audit: int, location: str, folder: Path) -> dict[str, bytes]:
    """Everything the advisor can take away about the audit, as bytes by name: the zip, the
    command line's export, the Python API, the pages and the report."""
    from auditkit.server.answering import audit_rubric, export_audit
    from auditkit.server.database import open_database

    seen: dict[str, bytes] = {}
    zipped = zipfile.ZipFile(
        io.BytesIO(advisor.get(f"/audits/{audit}/download/answers.zip").content)
    )
    for name in zipped.namelist():
        seen[f"zip:{name}"] = zipped.read(name)
    out = folder / f"export-{len(list(folder.glob('export-*')))}"
    exported = run_cli("server", "export", str(audit), "--db", location, "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    for path in sorted(out.iterdir()):
        seen[f"export:{path.name}"] = path.read_bytes()
    database, _ = open_database(location)
    try:
        rubric = audit_rubric(database, audit)
        api = folder / f"api-{len(list(folder.glob('api-*')))}"
        for path in export_audit(database, audit, rubric, api):
            seen[f"api:{path.name}"] = path.read_bytes()
    finally:
        database.close()
    for page in (f"/audits/{audit}/results", f"/audits/{audit}/download/report.html", "/"):
        response = advisor.get(page)
        seen[f"page:{page}"] = _without_keys(response.content)
    return seen


def _without_keys(html: bytes) -> bytes:
    """A page without its per-session form keys (they change with every page) and without
    the progress of the invitations ("2 of 7 finished", "2 of 2 who opened their link
    finished"): who has sent is the advisor's to
    see, as the audit page shows it; what they sent is not."""
    html = re.sub(rb'name="csrf" value="[^"]+"', b"", html)
    html = re.sub(rb"\d+ of \d+ (who opened their link )?finished", b"", html)
    return re.sub(rb"\d+ links? (not opened yet|withdrawn or expired unopened)", b"", html)


def differences(before: dict[str, bytes], after: dict[str, bytes]) -> str:
    """What changed between two takes, in words and lines (empty when nothing did)."""
    import difflib

    lines = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name, b""), after.get(name, b"")
        if old != new:
            diff = difflib.unified_diff(
                old.decode(errors="replace").splitlines(),
                new.decode(errors="replace").splitlines(),
                lineterm="",
                n=0,
            )
            lines += [name, *list(diff)[2:12]]
    return "\n".join(lines)


def everything(seen: dict[str, bytes]) -> bytes:
    return b"\n".join(seen.values())


def database_bytes(location: str, folder: Path) -> bytes:
    """What an administrator can read at rest: the database's files on disk (SQLite: the
    file and its write-ahead log; PostgreSQL: its whole data folder, after a checkpoint) and
    a backup made the documented way (``server backup``; ``pg_dump``)."""
    if "://" not in location:
        backup = folder / f"backup-{len(list(folder.glob('backup-*')))}.db"
        made = run_cli("server", "backup", "--db", location, "-o", str(backup))
        assert made.returncode == 0, made.stderr
        parts = [Path(location), Path(location + "-wal"), backup]
        return b"".join(path.read_bytes() for path in parts if path.exists())
    import psycopg

    from tests.engines import POSTGRES_BIN

    with psycopg.connect(
        location.replace("postgresql+psycopg", "postgresql"), autocommit=True
    ) as c:
        c.execute("CHECKPOINT")
        data = Path(c.execute("SHOW data_directory").fetchone()[0])
    dump = subprocess.run(
        [str(POSTGRES_BIN / "pg_dump"), "--dbname", location], capture_output=True, check=True
    ).stdout
    files = [p.read_bytes() for p in data.rglob("*") if p.is_file() and p.stat().st_size < 64 << 20]
    return dump + b"".join(files)


def rows_by_table(location: str) -> dict[str, int]:
    from sqlalchemy import inspect, text

    from auditkit.server.database import Database, database_url

    database = Database(database_url(location))
    try:
        with database.engine.connect() as connection:
            tables = inspect(connection).get_table_names()
            return {
                t: connection.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in tables
            }
    finally:
        database.close()


def test_a_curious_advisor_and_an_administrator_learn_nothing_of_one_person(
    server, location, tmp_path
):
    advisor = signed_in(server)
    audit = new_audit(advisor, "Value Inn")
    owner = start(server, invite(advisor, audit, "owner", "owner"))
    answer(owner, {})
    owner.post("/answer/send")
    links = [invite(advisor, audit, "staff", f"desk {n}") for n in range(6)]

    # The first member of staff: a private note, a shared one, and the only answer to LONELY.
    first = start(server, links[0])
    answer(
        first,
        {
            "handoff.reach-person": ("no", PRIVATE, False),
            "handoff.context-carried": ("no", SHARED, True),
            LONELY: ("0", "", False),
        },
    )
    # While they answer, their drafts are unreadable at rest: sealed under their link's key.
    assert PRIVATE.encode() not in database_bytes(location, tmp_path)
    audit_page = advisor.get(f"/audits/{audit}").text
    assert "answers so far" not in audit_page and "started" in audit_page  # no counts
    before = exits(advisor, audit, location, tmp_path)
    first.post("/answer/send")
    rows_after_one = rows_by_table(location)
    assert PRIVATE.encode() not in database_bytes(location, tmp_path)
    seen = [before]
    # One sender: nothing the advisor can take away moves.
    assert differences(before, exits(advisor, audit, location, tmp_path)) == ""

    others = {"handoff.reach-person": ("yes", "", False), LONELY: ("skip", "", False)}
    for number, link in enumerate(links[1:], start=2):
        person = start(server, link)
        answer(person, others)
        person.post("/answer/send")
        now = exits(advisor, audit, location, tmp_path)
        if number in (2, 4, 5):
            # No drip: a send between releases changes nothing the advisor can take away.
            assert differences(seen[-1], now) == "", f"the exits changed after send {number}"
        else:
            assert now != seen[-1]  # a release: 3 (then 6) people at once
        seen.append(now)
        text = everything(now)
        assert PRIVATE.encode() not in text
        assert not any(n.startswith("zip:answers/staff-") for n in now)  # no one-person file

    released = seen[-1]
    assert sorted(n for n in released if n.startswith("zip:")) == [
        "zip:answers/owner.yaml",
        "zip:answers/staff.yaml",
    ]
    staff_file = released["zip:answers/staff.yaml"].decode()
    assert "staff: 6" in staff_file and SHARED in staff_file
    # One person answered LONELY: no count, no percentage, nothing of it leaves.
    assert f"{LONELY}:" not in staff_file
    for name in (f"page:/audits/{audit}/results", f"page:/audits/{audit}/download/report.html"):
        page = released[name].decode()
        assert "of the 1 member of staff" not in page and "of the 2 staff" not in page
        assert "too few answered to show" in page

    # The administrator: after the sends, no row per person and no order or time of sending.
    rows_after_six = rows_by_table(location)
    grows = {
        t
        for t in rows_after_six
        if t not in ("respondent", "invitation", "web_session", "audit_log", "sign_in_failure")
        and rows_after_six[t] != rows_after_one[t]
    }
    assert grows == set(), f"tables that grow with each sender: {grows}"
    _no_times_of_sending(location)


def _no_times_of_sending(location: str) -> None:
    from sqlalchemy import select

    from auditkit.server.database import Database, database_url
    from auditkit.server.schema import AnswerRow, AuditLogEntry, Invitation, Respondent

    database = Database(database_url(location))
    try:
        with database.transaction() as session:
            sent = list(session.scalars(select(Respondent).where(Respondent.submitted)))
            assert len(sent) == 6 and all(r.started_at is None for r in sent)
            ids = [r.id for r in sent]
            assert not list(
                session.scalars(select(AnswerRow).where(AnswerRow.respondent_id.in_(ids)))
            )
            for invitation in session.scalars(
                select(Invitation).where(Invitation.respondent_id.in_(ids))
            ):
                assert invitation.used_at.time().isoformat() == "00:00:00"  # the day only
            log = list(session.scalars(select(AuditLogEntry)))
            assert not [e for e in log if e.action == "answers sent"]
            releases = [e for e in log if e.action == "staff answers released"]
            assert len(releases) == 2 and all(
                e.at.time().isoformat() == "00:00:00" for e in releases
            )
    finally:
        database.close()


def test_the_advisor_cannot_make_up_the_floor_with_files_and_order_breaks_nothing(
    server, location, tmp_path
):
    advisor = signed_in(server)
    audit = new_audit(advisor, "Harbour Bakery")
    # Staff answer before the owner, who never does: every page still answers.
    for number in range(3):
        person = start(server, invite(advisor, audit, "staff", f"bench {number}"))
        answer(person, {"handoff.reach-person": ("no", "", False)})
        person.post("/answer/send")
    clients = advisor.get("/")
    assert clients.status_code == 200
    assert "waiting for the owner&#39;s answers (3 staff answered)" in clients.text
    assert "Traceback" not in clients.text and "/tmp/" not in clients.text
    for page in ("results", "download/report.html", "download/plan.csv"):
        response = advisor.get(f"/audits/{audit}/{page}")
        assert response.status_code == 404 and "has not answered this audit yet" in response.text
    zipped = zipfile.ZipFile(
        io.BytesIO(advisor.get(f"/audits/{audit}/download/answers.zip").content)
    )
    assert zipped.namelist() == ["answers/staff.yaml"]
    # One real person through a link, two files of the advisor's own: refused.
    lonely = new_audit(advisor, "Corner Cafe")
    person = start(server, invite(advisor, lonely, "staff", "the only one"))
    answer(person, {"handoff.reach-person": ("no", "", False)})
    person.post("/answer/send")
    staff_file = REPO / "examples" / "value-inn-team" / "staff-1.yaml"
    refused = advisor.client.post(
        f"/audits/{lonely}/import",
        data={"csrf": advisor.csrf},
        files={"file": ("staff-1.yaml", staff_file.read_bytes())},
    )
    assert refused.status_code == 400
    assert "cannot join an audit whose staff answer through links" in refused.text
    assert advisor.get(f"/audits/{lonely}/download/answers.zip").content == _empty_zip()
    # An audit of imported staff files takes no staff links (the other way round).
    files_only = new_audit(advisor, "Dockside Bar")
    advisor.get(f"/audits/{files_only}")
    imported = advisor.client.post(
        f"/audits/{files_only}/import",
        data={"csrf": advisor.csrf},
        files={"file": ("staff-1.yaml", staff_file.read_bytes())},
    )
    assert imported.status_code == 303
    advisor.get(f"/audits/{files_only}")
    assert advisor.post(f"/audits/{files_only}/invite", {"role": "staff"}).status_code == 409


def _empty_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED):
        pass
    return buffer.getvalue()


def test_the_server_process_leaves_no_report_worker_behind_on_sigterm(tmp_path):
    """SIGTERM to the server ends its report workers too (they follow their parent)."""
    import time

    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor

    location = str(tmp_path / "server.db")
    database, _ = open_database(location)
    add_advisor(database, "ana@harbour.example", PASSWORD, "Ana")
    database.close()
    process, base = start_practice_server(location, tmp_path / "server.log")
    try:
        advisor = signed_in(base)
        audit = new_audit(advisor, "Value Inn")
        owner = start(base, invite(advisor, audit, "owner", "owner"))
        answer(owner, {})
        got = advisor.get(f"/audits/{audit}/download/report.html")
        assert got.status_code == 200, got.text[-800:]
        children = _children(process.pid)
        assert children, "the report pool should have started"
    finally:
        process.terminate()
        process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.2)
    assert not [pid for pid in children if _alive(pid)]


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in found.split()]


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-n", "0"]))
