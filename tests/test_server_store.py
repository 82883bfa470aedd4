"""The practice server's records, on a real SQLite file and a real PostgreSQL 15.

Every test runs on both databases. Passwords and invitation tokens are checked to be stored
only as hashes; answers round-trip through the ordinary answers files (the shipped Value Inn
team audit scores the same after a trip through the database); concurrent writers in real
processes and a ``kill -9`` mid-burst lose no acknowledged answer.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from auditkit.answers.model import Answer
from auditkit.answers.store import load_answers
from auditkit.rubric import load_rubric
from tests.conftest import REPO, run_cli

TEAM = REPO / "examples" / "value-inn-team"


@pytest.fixture
def database(location):
    from auditkit.server.database import open_database

    opened, migration = open_database(location)
    assert migration.before is None and migration.changed
    yield opened
    opened.close()


def test_an_empty_database_gets_the_newest_schema_which_matches_the_models(database, location):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from auditkit.server.database import head_revision, open_database
    from auditkit.server.schema import Base

    assert database.revision() == head_revision()
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    again, migration = open_database(location)  # an up-to-date database is left alone
    assert not migration.changed and migration.sentence().endswith("up to date")
    again.close()


def test_passwords_are_argon2_hashes_and_only_the_right_one_signs_in(database):
    from sqlalchemy import select

    from auditkit.errors import InputError
    from auditkit.server.records import add_advisor, sign_in
    from auditkit.server.schema import Advisor

    advisor = add_advisor(database, "Ana@Harbour.example", "a sentence is a password")
    with database.transaction() as session:
        stored = session.scalar(select(Advisor.password_hash))
    assert stored.startswith("$argon2id$") and "sentence" not in stored
    assert sign_in(database, "ana@harbour.example", "a sentence is a password") == advisor
    assert sign_in(database, "ana@harbour.example", "a sentence is a passwor") is None
    assert sign_in(database, "nobody@harbour.example", "a sentence is a password") is None
    with pytest.raises(InputError, match="at least 12 characters"):
        add_advisor(database, "b@harbour.example", "short")
    with pytest.raises(InputError, match="already has an account"):
        add_advisor(database, "ANA@harbour.example", "another long sentence")


def _audit(database, name="Value Inn"):
    from auditkit.server.records import add_advisor, add_audit, add_client

    advisor = add_advisor(database, f"advisor-{name[:3].lower()}@example.org", "long enough words")
    client = add_client(database, advisor, name, "hospitality")
    return add_audit(database, client, "human-centred-automation")


def test_an_invitation_opens_its_respondent_until_revoked_or_expired(database):
    from sqlalchemy import select, update

    from auditkit.server.identity import now
    from auditkit.server.records import invite, redeem, revoke
    from auditkit.server.schema import Invitation

    audit = _audit(database)
    first, token = invite(database, audit, "staff", "front desk")
    second, other = invite(database, audit, "staff", "night shift", days=1)
    assert len(token) >= 43 and token != other  # 256 random bits, URL-safe
    with database.transaction() as session:
        stored = list(session.scalars(select(Invitation.token_hash)))
    assert token not in stored and other not in stored and len(stored[0]) == 64
    assert redeem(database, token) == first and redeem(database, other) == second
    assert redeem(database, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    revoke(database, first, "advisor 1")
    assert redeem(database, token) is None
    with database.transaction() as session:
        session.execute(
            update(Invitation)
            .where(Invitation.respondent_id == second)
            .values(expires_at=now() - timedelta(seconds=1))
        )
    assert redeem(database, other) is None


def test_a_team_audit_round_trips_through_the_database_and_scores_the_same(database, tmp_path):
    from auditkit.server.answering import export_audit, import_answers

    audit = _audit(database)
    rubric = load_rubric("human-centred-automation", "hospitality")
    for path in sorted(TEAM.glob("*.yaml")):
        import_answers(database, audit, load_answers(path)[0], "test", rubric)
    written = export_audit(database, audit, rubric, tmp_path / "exported")
    # The owner's file, and the staff's answers counted together: never one file a person.
    assert sorted(p.name for p in written) == ["owner.yaml", "staff.yaml"]
    assert run_cli("answers", "validate", str(written[0])).returncode == 0
    before = json.loads(run_cli("score", str(TEAM), "--format", "json").stdout)
    after = json.loads(run_cli("score", str(tmp_path / "exported"), "--format", "json").stdout)
    assert after["overall_percent"] == before["overall_percent"]
    assert after["safeguard_phase"] == before["safeguard_phase"]
    assert after["respondents"]["count"] == before["respondents"]["count"]
    owner = load_answers(tmp_path / "exported" / "owner.yaml")[0]
    original = load_answers(TEAM / "owner.yaml")[0]
    assert {q: (a.value, a.note, a.answered_at[:19]) for q, a in owner.answers.items()} == {
        q: (a.value, a.note, a.answered_at[:19]) for q, a in original.answers.items()
    }
    staff = (tmp_path / "exported" / "staff.yaml").read_text("utf-8")
    assert "format: auditkit-staff-answers/1" in staff and "staff: 4" in staff
    assert "source: files" in staff and "name:" not in staff.split("business:")[0]


def test_a_repeated_save_keeps_one_answer_and_deleting_a_respondent_leaves_nothing(database):
    from sqlalchemy import func, select

    from auditkit.server.answering import rows_answers, save_answer
    from auditkit.server.records import delete_respondent, invite, redeem
    from auditkit.server.schema import AnswerRow, Invitation
    from auditkit.server.sealing import draft_key

    audit = _audit(database)
    respondent, token = invite(database, audit, "staff")
    key = draft_key(token)
    save_answer(database, respondent, "handoff.reach-person", Answer(value="no"), key)
    save_answer(
        database, respondent, "handoff.reach-person", Answer(value="partly", note="2 steps"), key
    )
    with database.transaction() as session:
        rows = list(session.scalars(select(AnswerRow)))
    # A staff draft is sealed: the row holds neither the value nor the note in clear …
    assert [(r.value, r.note) for r in rows] == [(None, "")]
    assert "2 steps" not in rows[0].sealed and "partly" not in rows[0].sealed
    # … the link's key opens it, and any other key opens nothing.
    rubric = load_rubric("human-centred-automation", "hospitality")
    opened = rows_answers(rows, rubric, ("Value Inn", "hospitality"), "staff", key).answers
    assert (opened["handoff.reach-person"].value, opened["handoff.reach-person"].note) == (
        "partly",
        "2 steps",
    )
    other = draft_key("another link")
    assert rows_answers(rows, rubric, ("Value Inn", None), "staff", other).answers == {}
    delete_respondent(database, respondent, "advisor 1")
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(AnswerRow)) == 0
        assert session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert redeem(database, token) is None


WRITER = textwrap.dedent(
    """
    import sys
    from auditkit.answers.model import Answer
    from auditkit.server.database import open_database
    from auditkit.server.answering import save_answer

    database, _ = open_database(sys.argv[1])
    respondent, count = int(sys.argv[2]), int(sys.argv[3])
    for number in range(count):
        save_answer(database, respondent, f"q{number}", Answer(value="yes", note=str(number)))
        print(number, flush=True)  # acknowledged: committed before this line is written
    """
)


def _writer(location: str, respondent: int, count: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, location, str(respondent), str(count)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def _stored(database, respondent: int) -> set[str]:
    from sqlalchemy import select

    from auditkit.server.schema import AnswerRow

    with database.transaction() as session:
        return set(
            session.scalars(
                select(AnswerRow.question_id).where(AnswerRow.respondent_id == respondent)
            )
        )


def test_four_writers_at_once_lose_and_misfile_nothing(database, location):
    from auditkit.server.records import invite

    audit = _audit(database)
    respondents = [invite(database, audit, "owner")[0] for _ in range(4)]
    writers = [_writer(location, r, 25) for r in respondents]
    for writer in writers:
        assert writer.wait(timeout=120) == 0
    for respondent in respondents:
        assert _stored(database, respondent) == {f"q{n}" for n in range(25)}


def test_kill_9_mid_burst_loses_no_acknowledged_answer(database, location):
    from auditkit.server.records import invite

    audit = _audit(database)
    respondent = invite(database, audit, "owner")[0]
    writer = _writer(location, respondent, 10_000)
    acknowledged = [writer.stdout.readline() for _ in range(30)]
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    stored = _stored(database, respondent)
    assert {f"q{int(line)}" for line in acknowledged} <= stored


def test_an_acknowledged_answer_is_on_disk_not_only_in_the_page_cache(location):
    """kill -9 of the server loses nothing the operating system holds; a power cut or a
    kernel crash would lose what it had not yet written. So every commit is synced: SQLite
    in WAL mode with synchronous=FULL (NORMAL syncs the log only at checkpoints), and
    PostgreSQL with synchronous_commit on, even where its administrator made it off by
    default (fsync is the server's own setting, which the deployment guide names)."""
    from auditkit.server.database import open_database

    if location.startswith("postgresql"):
        import psycopg

        name = location.split("?")[0].rsplit("/", 1)[-1]
        with psycopg.connect(location, autocommit=True) as connection:
            connection.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    database, _ = open_database(location)
    try:
        with database.engine.connect() as connection:
            if database.dialect == "sqlite":
                assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            else:
                setting = connection.exec_driver_sql("SHOW synchronous_commit").scalar()
                assert setting == "on"
    finally:
        database.close()


def test_a_cut_postgresql_connection_costs_no_request_and_a_busy_one_no_ping(
    postgres_url, monkeypatch
):
    """A pooled connection that sat idle is tested before use: when the database ended it
    (a restart, a firewall's idle timeout) the pool opens another and the request goes on.
    A connection used a moment ago is not tested: under a workshop's load that would be
    one more round trip on every request."""
    import psycopg

    from auditkit.server import database as module

    database, _ = module.open_database(postgres_url)
    pings = []
    real_ping = database.engine.dialect.do_ping
    monkeypatch.setattr(
        database.engine.dialect, "do_ping", lambda c: pings.append(1) or real_ping(c)
    )
    try:
        for _ in range(5):  # busy: each connection back in the pool a moment ago
            with database.statements() as connection:
                assert connection.exec_driver_sql("SELECT 1").scalar() == 1
        assert pings == []
        with database.statements() as connection:
            pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with psycopg.connect(postgres_url, autocommit=True) as admin:  # the database ends it
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        monkeypatch.setattr(module, "PING_AFTER_IDLE_S", 0.0)  # as if idle for long
        with database.statements() as connection:
            assert connection.exec_driver_sql("SELECT pg_backend_pid()").scalar() != pid
        assert pings == [1]
    finally:
        database.close()


def test_the_lookups_every_request_makes_cost_no_transaction_on_postgresql(location):
    """Who is asking and their questionnaire are read in autocommit on PostgreSQL (no BEGIN
    and COMMIT round trips; under READ COMMITTED each statement sees the same as it would in
    a transaction), and the connection goes back to the pool transactional for the next
    write."""
    from auditkit.server.database import open_database

    database, _ = open_database(location)
    try:
        with database.reads() as connection:
            driver = connection.connection.dbapi_connection
            assert connection.exec_driver_sql("SELECT 1").scalar() == 1
            if database.dialect == "postgresql":
                assert driver.autocommit is True
        with database.statements() as connection:
            if database.dialect == "postgresql":
                assert connection.connection.dbapi_connection.autocommit is False
    finally:
        database.close()


def test_a_save_is_one_statement_and_on_postgresql_one_round_trip(database):
    """What every respondent waits for: the Save checks that they may still answer and writes
    in one statement; on PostgreSQL in autocommit (no BEGIN, no COMMIT round trips), its
    commit still durable. A refused Save says why."""
    from sqlalchemy import event

    from auditkit.errors import InputError
    from auditkit.server.answering import save_answer
    from auditkit.server.records import invite
    from auditkit.server.sealing import draft_key

    audit = _audit(database)
    owner = invite(database, audit, "owner")[0]
    staff, token = invite(database, audit, "staff")
    sent: list[str] = []

    def remember(connection, cursor, statement, parameters, context, many) -> None:
        sent.append(statement.split()[0].upper())

    event.listen(database.engine, "before_cursor_execute", remember)
    event.listen(database.engine, "commit", lambda connection: sent.append("COMMIT"))
    try:
        save_answer(database, owner, "handoff.reach-person", Answer(value="no"))
        save_answer(database, staff, "handoff.reach-person", Answer(value="yes"), draft_key(token))
    finally:
        event.remove(database.engine, "before_cursor_execute", remember)
    if database.dialect == "postgresql":
        assert sent == ["INSERT", "INSERT"]
    else:
        assert sent == ["INSERT", "COMMIT", "INSERT", "COMMIT"]
    with pytest.raises(InputError, match="only from their own link"):
        save_answer(database, staff, "handoff.reach-person", Answer(value="no"))
    # Every Save and every page then reads the questionnaire back: one query, with the answers.
    from auditkit.server.respondent_pages import _session

    newcomer = invite(database, audit, "staff")[0]
    sent.clear()
    event.listen(database.engine, "before_cursor_execute", remember)
    try:
        questionnaire, facts = _session(database, staff, draft_key(token))
        fresh, _ = _session(database, newcomer, None)
    finally:
        event.remove(database.engine, "before_cursor_execute", remember)
    assert [step for step in sent if step != "COMMIT"] == ["SELECT", "SELECT"]
    assert questionnaire.answers.answers["handoff.reach-person"].value == "yes"
    assert facts["role"] == "staff" and facts["business"] == "Value Inn" and facts["started"]
    assert fresh.answers.answers == {}


def test_a_save_racing_a_send_waits_for_it_and_is_refused(database):
    """A Save that arrives while the same person's Send is being written (another tab) must
    not leave a draft beside the counted answers: it waits for the Send and is refused."""
    import threading

    from sqlalchemy import func, select, update

    from auditkit.errors import InputError
    from auditkit.server.answering import save_answer
    from auditkit.server.records import invite
    from auditkit.server.schema import AnswerRow, Respondent
    from auditkit.server.sealing import draft_key

    audit = _audit(database)
    staff, token = invite(database, audit, "staff")
    outcome: list[object] = []

    def save() -> None:
        try:
            save_answer(
                database, staff, "handoff.reach-person", Answer(value="no"), draft_key(token)
            )
            outcome.append("saved")
        except Exception as error:  # the test reports what it was
            outcome.append(error)

    with database.transaction() as session:  # a Send, holding the respondent's row
        session.execute(select(Respondent).where(Respondent.id == staff).with_for_update()).first()
        session.execute(update(Respondent).where(Respondent.id == staff).values(submitted=True))
        session.flush()
        saver = threading.Thread(target=save)
        saver.start()
        saver.join(timeout=1.0)
        assert saver.is_alive(), "the Save did not wait for the Send"
    saver.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], InputError), outcome
    assert "can no longer change answers here" in str(outcome[0])
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(AnswerRow)) == 0


def test_two_staff_sending_at_once_are_both_counted(database, monkeypatch):
    """Each Send reads the audit's tally, adds one person and writes it back. Two staff who
    send at the same moment must both be counted: the second Send waits until the first has
    written, and then reads what it wrote (neither person's answers are lost, though both
    people's drafts are deleted)."""
    import threading

    from sqlalchemy import select

    from auditkit.answers.staff import StaffTally
    from auditkit.server import staff_answers
    from auditkit.server.answering import save_answer
    from auditkit.server.records import invite
    from auditkit.server.schema import StaffTally as TallyRow
    from auditkit.server.sealing import draft_key

    audit = _audit(database)
    staff = []
    for value in ("yes", "no", "yes"):
        respondent, token = invite(database, audit, "staff")
        save_answer(
            database, respondent, "handoff.reach-person", Answer(value=value), draft_key(token)
        )
        staff.append((respondent, draft_key(token)))
    staff_answers.submit(database, *staff[0])  # the tally's row exists from here on

    first_has_read, go_on = threading.Event(), threading.Event()
    counting = staff_answers.tally_one

    def slow_first(rubric, person):  # the first Send pauses after it read the tally
        if not first_has_read.is_set():
            first_has_read.set()
            assert go_on.wait(timeout=30)
        return counting(rubric, person)

    monkeypatch.setattr(staff_answers, "tally_one", slow_first)
    failures: list[BaseException] = []

    def send(respondent: int, key: bytes) -> None:
        try:
            staff_answers.submit(database, respondent, key)
        except BaseException as error:  # the test reports what it was
            failures.append(error)

    first = threading.Thread(target=send, args=staff[1])
    first.start()
    assert first_has_read.wait(timeout=30)
    second = threading.Thread(target=send, args=staff[2])
    second.start()
    second.join(timeout=1.0)
    assert second.is_alive(), "the second Send did not wait for the first"
    go_on.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert failures == []
    with database.transaction() as session:
        row = session.scalar(select(TallyRow).where(TallyRow.source == "links"))
        counted = [StaffTally.from_data(json.loads(t)) for t in (row.pending, row.released)]
    assert sum(tally.senders for tally in counted) == 3


def test_the_command_line_creates_migrates_adds_an_advisor_and_backs_up(tmp_path):
    db = str(tmp_path / "server.db")
    created = run_cli("server", "init", "--db", db)
    assert created.returncode == 0 and "created the database (schema 0007)" in created.stdout
    assert "up to date" in run_cli("server", "init", "--db", db).stdout
    secret = "correct horse battery staple"
    added = run_cli(
        "server", "add-advisor", "ana@example.org", "--db", db, env={"AUDITKIT_PASSWORD": secret}
    )
    assert added.returncode == 0 and secret not in added.stdout + added.stderr
    assert secret.encode() not in Path(db).read_bytes()
    copy = tmp_path / "copy.db"
    backed = run_cli("server", "backup", "--db", db, "-o", str(copy))
    assert backed.returncode == 0
    import sqlite3

    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT email FROM advisor").fetchall() == [("ana@example.org",)]
    weak = run_cli(
        "server", "add-advisor", "b@example.org", "--db", db, env={"AUDITKIT_PASSWORD": "short"}
    )
    assert weak.returncode == 2 and "at least 12 characters" in weak.stderr
    nowhere = run_cli("server", "init", "--db", str(tmp_path / "missing" / "x.db"))
    assert nowhere.returncode == 2 and "does not exist" in nowhere.stderr


def test_a_database_url_is_never_printed_with_its_password(tmp_path):
    failed = run_cli("server", "init", "--db", "postgresql://ana:s3cret-pw@127.0.0.1:1/nothing")
    assert failed.returncode == 2
    assert "s3cret-pw" not in failed.stdout + failed.stderr and "ana:***@" in failed.stderr


def test_export_from_the_command_line_gives_files_that_score(tmp_path):
    from auditkit.server.answering import import_answers
    from auditkit.server.database import open_database

    db = str(tmp_path / "server.db")
    database, _ = open_database(db)
    audit = _audit(database)
    rubric = load_rubric("human-centred-automation", "hospitality")
    for path in sorted(TEAM.glob("*.yaml")):
        import_answers(database, audit, load_answers(path)[0], "test", rubric)
    database.close()
    exported = run_cli("server", "export", str(audit), "--db", db, "-o", str(tmp_path / "out"))
    assert exported.returncode == 0, exported.stderr
    assert "Next: auditkit score" in exported.stdout
    assert run_cli("score", str(tmp_path / "out")).returncode == 0
    missing = run_cli("server", "export", "99", "--db", db, "-o", str(tmp_path / "none"))
    assert missing.returncode == 2 and "audit 99" in missing.stderr


def test_a_database_of_the_previous_schema_is_migrated_with_its_answers(location):
    """A server that ran auditkit with schema 0001 (answers, invitations) upgrades in place:
    everything it held is still there, and the new tables work."""
    from alembic import command
    from sqlalchemy import text

    from auditkit.server.access import open_session, visitor
    from auditkit.server.database import Database, _alembic_config, database_url, open_database
    from auditkit.server.records import add_advisor, add_audit, add_client, invite

    old = Database(database_url(location))
    with old.engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0001")
    with old.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO advisor (email, name, password_hash, created_at) "
                "VALUES ('ana@example.org', 'Ana', 'x', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO client (advisor_id, name, sector, created_at) "
                "VALUES (1, 'Value Inn', 'hospitality', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO audit (client_id, rubric, created_at) "
                "VALUES (1, 'human-centred-automation', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO respondent (audit_id, role, label, created_at) "
                "VALUES (1, 'owner', '', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO answer (respondent_id, question_id, value, note, na_reason, "
                "skipped, share_note, answered_at) VALUES (1, 'handoff.reach-person', 'yes', "
                "'by phone', '', false, false, '2026-01-02 10:00:00')"
            )
        )
    old.close()
    database, migration = open_database(location)
    assert (migration.before, migration.after) == ("0001", "0007")
    assert migration.sentence() == "migrated the database from schema 0001 to 0007"
    from auditkit.server.answering import audit_voices

    rubric = load_rubric("human-centred-automation", "hospitality")
    kept = audit_voices(database, 1, rubric)[0].answers.answers["handoff.reach-person"]
    assert (kept.value, kept.note) == ("yes", "by phone")
    advisor = add_advisor(database, "ben@example.org", "long enough words")
    audit = add_audit(database, add_client(database, advisor, "Harbour Bakery"), "x")
    respondent, _ = invite(database, audit, "staff")
    assert visitor(database, open_session(database, respondent_id=respondent)).audit_id == audit
    database.close()


def test_sent_submissions_of_schema_0003_become_counts_and_their_rows_go(location):
    """A server that kept one row per sent staff member (schema 0003) upgrades to counts:
    every submission is counted into its audit's tally, released by the rule (3 here), and
    the per-person tables are dropped with their rows."""
    from alembic import command
    from sqlalchemy import inspect, text

    from auditkit.server.database import Database, _alembic_config, database_url, open_database
    from auditkit.server.staff_answers import audit_staff

    old = Database(database_url(location))
    with old.engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0003")
    with old.engine.begin() as connection:
        for statement in (
            "INSERT INTO advisor (email, name, password_hash, created_at) "
            "VALUES ('ana@example.org', 'Ana', 'x', '2026-01-01 00:00:00')",
            "INSERT INTO client (advisor_id, name, sector, created_at) "
            "VALUES (1, 'Value Inn', 'hospitality', '2026-01-01 00:00:00')",
            "INSERT INTO audit (client_id, rubric, created_at) "
            "VALUES (1, 'human-centred-automation', '2026-01-01 00:00:00')",
        ):
            connection.execute(text(statement))
        for number, value in enumerate(("no", "no", "yes")):
            connection.execute(
                text("INSERT INTO submission (id, audit_id, role) VALUES (:i, 1, 'staff')"),
                {"i": f"s{number}"},
            )
            for question, answer, note, shared in (
                ("adopt.chatbot", "live", "", False),
                ("handoff.reach-person", value, f"private {number}", False),
            ):
                connection.execute(
                    text(
                        "INSERT INTO submitted_answer (submission_id, question_id, value, note, "
                        "na_reason, skipped, share_note) VALUES (:s, :q, :v, :n, '', false, :h)"
                    ),
                    {"s": f"s{number}", "q": question, "v": answer, "n": note, "h": shared},
                )
    old.close()
    database, migration = open_database(location)
    try:
        assert (migration.before, migration.after) == ("0003", "0007")
        with database.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
        assert "submission" not in tables and "submitted_answer" not in tables
        rubric = load_rubric("human-centred-automation", "hospitality")
        staff = audit_staff(database, 1, rubric)
        assert staff.senders == 3
        assert staff.cells["handoff.reach-person"].levels == {"no": 2, "yes": 1}
        assert staff.cells["handoff.reach-person"].notes == []  # unshared notes are gone
    finally:
        database.close()
