"""Opening the practice server's database: SQLite by default, PostgreSQL by URL.

* **SQLite** (``sqlite:///server.db``, or a plain path) is the embedded default: one file, in
  WAL mode so that readers never wait for the writer, with foreign keys on and a busy timeout
  so that two workers queue instead of failing.
* **PostgreSQL** (``postgresql://…``, through psycopg 3) for a deployment with several workers.

``open_database`` migrates the schema to the newest revision before anything reads it, and
says what it did ("migrated from 0001 to 0002"), so an upgrade of auditkit never meets an old
schema. ``Database.transaction()`` (an ORM session) and ``Database.statements()`` (a Core
connection, for the answering path) are the only ways to write: every write is one
transaction, committed whole or not at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from auditkit.errors import InputError, fill
from auditkit.i18n import _

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 5000
POOL_SIZE = 20  # connections kept per worker process
# A pooled PostgreSQL connection idle longer than this is tested before use (one round trip),
# so that a database restarted or a connection cut by a firewall costs no one's request; one
# used a moment ago is not (under load every request would otherwise pay the round trip).
PING_AFTER_IDLE_S = 10.0


@dataclass(frozen=True)
class Migration:
    """What opening the database did to its schema."""

    before: str | None  # the revision found; None for an empty database
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def sentence(self) -> str:
        if not self.changed:
            return f"database schema {self.after}, up to date"
        if self.before is None:
            return f"created the database (schema {self.after})"
        return f"migrated the database from schema {self.before} to {self.after}"


def database_url(location: str) -> str:
    """A URL from what a user types: a URL as it is, a path as an SQLite file."""
    if "://" in location:
        if location.startswith("postgres://"):  # the spelling many hosts print
            location = "postgresql://" + location.removeprefix("postgres://")
        if location.startswith("postgresql://"):
            location = "postgresql+psycopg://" + location.removeprefix("postgresql://")
        return location
    return f"sqlite:///{Path(location).expanduser().resolve()}"


def upsert_insert(dialect: str):
    """``insert`` of ``dialect``'s SQLAlchemy module, the one with ``ON CONFLICT`` (both
    databases spell it alike): for the Save's upsert and the tally row made once."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _ping_when_idle(engine) -> None:
    """SQLAlchemy's ``pool_pre_ping``, but only for a connection that sat idle: a ping
    that fails (the database restarted, the connection was cut) makes the pool replace the
    connection and try again (``DisconnectionError``), so the request never sees it."""
    import time

    from sqlalchemy import event, exc

    @event.listens_for(engine, "checkin")
    def _idle_from(_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(connection, record, _proxy) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(connection)
        except Exception as error:
            raise exc.DisconnectionError(str(error)) from error


class Database:
    """An engine and its session factory; write only inside ``transaction()`` or
    ``statements()``."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine, event
        from sqlalchemy.orm import sessionmaker

        self.url = url
        if url.startswith("sqlite"):
            # A pool as large as the web worker's thread pool: connections are kept, not
            # opened (and set up) again under load.
            self.engine = create_engine(
                url,
                connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
                pool_size=POOL_SIZE,
                max_overflow=POOL_SIZE,
                future=True,
            )
            first = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                first.execute("PRAGMA journal_mode=WAL")  # kept in the file, for every connection
            finally:
                first.close()

            @event.listens_for(self.engine, "connect")
            def _pragmas(connection, _record) -> None:  # every new connection, every worker
                cursor = connection.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                # Every acknowledged answer is on disk: in WAL mode FULL syncs the log at each
                # commit (NORMAL would survive a crash of the server, not of the machine).
                cursor.execute("PRAGMA synchronous=FULL")
                # Deleted content is overwritten with zeros, not left in free pages: a draft
                # deleted at send is gone from the file, not only from the table.
                cursor.execute("PRAGMA secure_delete=ON")
                cursor.close()

        else:
            self.engine = create_engine(
                url, pool_size=POOL_SIZE, max_overflow=POOL_SIZE, future=True
            )
            _ping_when_idle(self.engine)

            @event.listens_for(self.engine, "connect")
            def _settings(connection, _record) -> None:
                # Every acknowledged answer is on disk: a commit returns once its log is
                # flushed, whatever default the database's administrator chose.
                with connection.cursor() as cursor:
                    cursor.execute("SET synchronous_commit = on")
                connection.commit()

        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self, *, lock: bool = False) -> Iterator:
        """A session whose work is committed when the block ends, rolled back if it raises.

        ``lock``: the block writes back what it read (a staff tally, one person added), so
        two such blocks must not interleave or one's write is lost. On SQLite the block
        takes the database's write lock before its first read (``BEGIN IMMEDIATE``; the
        driver would otherwise begin only at the first write, after the reads), and a second
        one waits for it (``busy_timeout``). On PostgreSQL the block locks the rows it will
        write back itself (``FOR UPDATE``), which waits only for blocks on the same rows."""
        with self.sessions.begin() as session:
            if lock and self.dialect == "sqlite":
                session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            yield session

    @contextmanager
    def statements(self) -> Iterator:
        """A Core connection in one transaction, committed when the block ends, rolled back
        if it raises: the same guarantee as ``transaction()``, without the ORM's unit of work.
        For the answering path's few prepared statements (who is asking, the questionnaire,
        the save), where the ORM session was most of a request's database time."""
        with self.engine.begin() as connection:
            yield connection

    @contextmanager
    def reads(self) -> Iterator:
        """A Core connection for reading only, for the lookups every request makes (who is
        asking, their questionnaire). On PostgreSQL it runs without a transaction of its own
        (autocommit): under its READ COMMITTED each statement sees what was committed when
        it began, as it would inside a transaction, and the BEGIN and COMMIT round trips are
        saved. On SQLite, an embedded library, there are no round trips to save: it is
        ``statements()``."""
        with self.single_statements() as connection:
            yield connection

    @contextmanager
    def single_statements(self) -> Iterator:
        """A Core connection whose every statement is its own transaction: for reads, and for
        a write that is one statement (the Save's upsert, which checks and writes at once).
        On PostgreSQL, autocommit: no BEGIN and COMMIT round trips, and a write's commit
        still waits for its log to be flushed (``synchronous_commit``). On SQLite, one
        transaction around the block (an embedded library has no round trips to save)."""
        if self.dialect == "sqlite":
            with self.engine.begin() as connection:
                yield connection
        else:
            with self.engine.connect() as connection:
                yield connection.execution_options(isolation_level="AUTOCOMMIT")

    def scrub(self) -> None:
        """After staff answers were deleted or counted: on SQLite, the write-ahead log is
        checkpointed into the file (where ``secure_delete`` zeroed what was deleted) and
        truncated to nothing, so it keeps no earlier copy of a page. A checkpoint that
        cannot finish now (a reader still in an old snapshot) is done at the next one.
        PostgreSQL keeps old row versions until VACUUM reuses their space and its own
        write-ahead log until it is recycled (docs/server.md says what that means)."""
        if self.dialect != "sqlite":
            return
        with self.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def close(self) -> None:
        self.engine.dispose()


def _alembic_config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def open_database(location: str) -> tuple[Database, Migration]:
    """The database at ``location``, migrated to the newest schema."""
    from alembic import command
    from sqlalchemy.exc import OperationalError

    url = database_url(location)
    if url.startswith("sqlite"):
        folder = Path(url.removeprefix("sqlite:///")).parent
        if not folder.is_dir():
            raise InputError.single(
                location,
                _("the folder for the database does not exist"),
                fix=fill(
                    _("create {folder} first, or give --db a path in an existing folder"),
                    folder=folder,
                ),
            )
    database = Database(url)
    try:
        before = database.revision()
        with database.engine.connect() as connection:
            if database.dialect == "sqlite":
                # A migration that rebuilds a table drops the old one: with foreign keys on,
                # that would cascade to every row pointing at it (answers!). SQLite's own
                # advice: keys off for the change (outside a transaction), checked after.
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            with connection.begin():
                command.upgrade(_alembic_config(connection), "head")
            if database.dialect == "sqlite":
                dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
                if dangling:
                    raise RuntimeError(f"the migration left rows without their parent: {dangling}")
    except OperationalError as error:
        database.close()
        raise InputError.single(
            _without_password(location),
            _("cannot open the database"),
            found=str(error.orig).splitlines()[0] if error.orig else type(error).__name__,
            fix=_("check --db: an SQLite file path, or postgresql://USER@HOST/DATABASE"),
        ) from None
    return database, Migration(before, database.revision() or head_revision())


def _without_password(location: str) -> str:
    """A URL as it may be printed: never with its password."""
    from sqlalchemy.engine import make_url

    if "://" not in location:
        return location
    try:
        return make_url(location).render_as_string(hide_password=True)
    except Exception:
        return location.split("://", 1)[0] + "://…"


def backup_sqlite(database: Database, target: Path) -> None:
    """A consistent copy of a live SQLite database (the online backup API: writers may go on
    while it runs), written next to ``target`` and renamed into place."""
    source_path = database.url.removeprefix("sqlite:///")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(source_path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    partial.replace(target)
