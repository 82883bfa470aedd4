"""Engines are only read: every known way to make a ``--query`` write, run a second statement
or reach the network is exit 2, and the engine is left exactly as it was.

PostgreSQL runs with a role that holds INSERT, DELETE, UPDATE and CREATE grants, as an
analyst's role often does: the walls are auditkit's, not the role's. DuckDB is watched for
files written and for connections to a listener on 127.0.0.1. Spark is refused the same way.
"""

from __future__ import annotations

import socket
import threading

import pytest

from auditkit.bias.engines.readonly import checked_query
from auditkit.errors import InputError
from tests.conftest import run_cli
from tests.engines import start_postgres

# Each tries to write to the canary table, create a table, or run outside the transaction.
ESCAPES = [
    "SELECT * FROM chats) AS x; COMMIT; DELETE FROM canary WHERE id = 1; SELECT * FROM (SELECT * FROM chats",
    "SELECT * FROM chats) AS x; COMMIT; CREATE TABLE pwned (a int); SELECT * FROM (SELECT * FROM chats",
    "SELECT * FROM chats; DELETE FROM canary",
    "SELECT * FROM chats;; DELETE FROM canary;",
    "WITH gone AS (DELETE FROM canary RETURNING *) SELECT * FROM chats",
    "SELECT * FROM chats WHERE id IN (WITH g AS (DELETE FROM canary RETURNING id) SELECT id FROM g)",
    "SELECT c.*, nextval('canary_seq') AS n FROM chats c",
    "SELECT $q$ ) $q$ AS a FROM chats) AS x; DELETE FROM canary; SELECT * FROM (SELECT 1",
    "COPY canary TO PROGRAM 'touch /tmp/auditkit-pwned'",
    "SET TRANSACTION READ WRITE",
    "SET default_transaction_read_only = off",
    "DELETE FROM canary",
    "INSERT INTO canary VALUES (99)",
    "CREATE TABLE pwned AS SELECT * FROM chats",
    "SELECT set_config('default_transaction_read_only', 'off', false)",
    "SELECT pg_sleep(30)",
    "SELECT * FROM chats WHERE language = 'en' UNION SELECT * FROM chats; DROP TABLE canary",
]


# Reads whose ')' or ';' sits in a comment or a quoted string: they count, and write nothing.
HARMLESS = [
    "SELECT * FROM chats -- ) AS x; DELETE FROM canary\n",
    "SELECT * FROM chats -- ) AS x; DELETE FROM canary",
    "SELECT * FROM chats /* ) AS x; DELETE FROM canary; */",
    "SELECT $$ ) AS x; DELETE FROM canary; $$ AS a, * FROM chats",
    "SELECT ') AS x; DELETE FROM canary; --' AS a, * FROM chats",
]


@pytest.fixture(scope="module")
def writer_postgres():
    """A server with a log, a canary table and a role that may write both."""
    url, stop = start_postgres()
    import psycopg

    with psycopg.connect(url) as connection:
        connection.execute("CREATE TABLE chats (id int, language text, requested_human text)")
        connection.execute(
            "INSERT INTO chats SELECT g, CASE WHEN g % 3 = 0 THEN 'de' ELSE 'en' END, "
            "CASE WHEN g % 2 = 0 THEN 'true' ELSE 'false' END FROM generate_series(1, 300) g"
        )
        connection.execute("CREATE TABLE canary (id int)")
        connection.execute("INSERT INTO canary VALUES (1), (2), (3)")
        connection.execute("CREATE SEQUENCE canary_seq")
        connection.execute("CREATE ROLE analyst LOGIN")
        connection.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON chats, canary TO analyst")
        connection.execute("GRANT USAGE, UPDATE ON SEQUENCE canary_seq TO analyst")
        connection.execute("GRANT CREATE ON SCHEMA public TO analyst")
    analyst = url.replace("postgresql://postgres@", "postgresql://analyst@", 1)
    yield url, analyst
    stop()


def state_of(url: str) -> tuple:
    import psycopg

    with psycopg.connect(url) as connection:
        rows = connection.execute("SELECT id FROM canary ORDER BY id").fetchall()
        tables = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall()
        sequence = connection.execute("SELECT last_value, is_called FROM canary_seq").fetchone()
    return rows, tables, sequence


def count(connection: str, query: str):
    return run_cli(
        "bias", "check", "--connection", connection, "--query", query,
        "-g", "language", "--outcome", "requested_human", "--positive", "true",
    )  # fmt: skip


@pytest.mark.parametrize("query", ESCAPES, ids=range(len(ESCAPES)))
def test_no_query_writes_to_postgresql(writer_postgres, query):
    admin, analyst = writer_postgres
    before = state_of(admin)
    result = count(analyst, query)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "bug in auditkit" not in result.stderr
    assert "--query" in result.stderr
    assert state_of(admin) == before


@pytest.mark.parametrize("query", HARMLESS, ids=range(len(HARMLESS)))
def test_a_bracket_in_a_comment_or_a_string_is_only_text(writer_postgres, query):
    admin, analyst = writer_postgres
    before = state_of(admin)
    result = count(analyst, query)
    assert result.returncode == 0, result.stderr
    assert state_of(admin) == before


def test_a_read_only_query_still_counts_on_postgresql_15(writer_postgres):
    _, analyst = writer_postgres
    result = count(
        analyst, "WITH recent AS (SELECT * FROM chats WHERE id > 0) SELECT * FROM recent;"
    )
    assert result.returncode == 0, result.stderr
    assert "300 rows" in result.stdout


def test_the_session_stays_read_only_even_after_a_commit(writer_postgres):
    """The second wall alone: an engine connection refuses a write after COMMIT too."""
    from auditkit.bias.engines import open_engine

    admin, analyst = writer_postgres
    engine = open_engine(analyst)
    try:
        with engine.connection.cursor() as cursor:
            cursor.execute("COMMIT")
            with pytest.raises(Exception, match="read-only transaction"):
                cursor.execute("DELETE FROM canary")
    finally:
        engine.connection.rollback()
        engine.close()
    assert state_of(admin)[0] == [(1,), (2,), (3,)]


def test_a_password_in_the_url_is_warned_about_and_never_printed(writer_postgres):
    admin, _ = writer_postgres
    with_password = admin.replace("postgresql://postgres@", "postgresql://postgres:s3cret-pw@")
    result = count(with_password, "SELECT * FROM chats")
    assert "visible to other users" in result.stderr and "PGPASSWORD" in result.stderr
    assert "s3cret-pw" not in result.stderr + result.stdout


# --- DuckDB -----------------------------------------------------------------------------------


@pytest.fixture
def duckdb_file(tmp_path):
    import duckdb

    database = tmp_path / "logs.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute(
            "CREATE TABLE chats AS SELECT i AS id, CASE WHEN i % 3 = 0 THEN 'de' ELSE 'en' END "
            "AS language, CASE WHEN i % 2 = 0 THEN 'true' ELSE 'false' END AS requested_human "
            "FROM range(300) t(i)"
        )
        connection.execute("CREATE TABLE canary AS SELECT 1 AS id")
    return database


@pytest.fixture
def listener():
    """A plain TCP listener on 127.0.0.1 that records whether anything connected."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    seen: list[bool] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            seen.append(True)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join(timeout=2)
    server.close()


def duckdb_escapes(folder, port) -> list[str]:
    copied = folder / "copied.csv"
    return [
        f"SELECT * FROM chats) AS x; COPY chats TO '{copied}'; SELECT * FROM (SELECT * FROM chats",
        f"COPY chats TO '{copied}'",
        f"EXPORT DATABASE '{folder / 'exported'}'",
        f"ATTACH '{folder / 'other.duckdb'}' AS other",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "PRAGMA enable_profiling",
        f"SELECT * FROM read_csv('http://127.0.0.1:{port}/log.csv')",
        f"SELECT * FROM chats WHERE id IN (SELECT id FROM read_parquet('https://127.0.0.1:{port}/x'))",
        "SELECT * FROM chats; DROP TABLE canary",
        "CREATE TABLE pwned AS SELECT * FROM chats",
    ]


def test_no_query_writes_or_reaches_the_network_from_duckdb(duckdb_file, tmp_path, listener):
    port, seen = listener
    before = sorted(p.name for p in tmp_path.iterdir())
    for query in duckdb_escapes(tmp_path, port):
        result = count(f"duckdb://{duckdb_file}", query)
        assert result.returncode == 2, (query, result.stderr)
        assert "Traceback" not in result.stderr and "bug in auditkit" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not seen, "a query reached the network"


def test_a_local_file_and_a_plain_query_still_count_on_duckdb(duckdb_file, tmp_path):
    log = tmp_path / "more.csv"
    log.write_text("language,requested_human\nen,true\nde,false\n" * 50)
    assert count(f"duckdb://{duckdb_file}", "SELECT * FROM chats WHERE id >= 0").returncode == 0
    local = count(f"duckdb://{duckdb_file}", f"SELECT * FROM read_csv('{log}')")
    assert local.returncode == 0, local.stderr


# --- Spark and every dialect ------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark_session(spark_engine):
    spark_engine.session.createDataFrame(
        [(i, "en" if i % 3 else "de", "true" if i % 2 else "false") for i in range(300)],
        ["id", "language", "requested_human"],
    ).createOrReplaceTempView("chats")
    return spark_engine


def test_spark_refuses_what_is_not_one_select(spark_session):
    from auditkit.bias.engines.source import open_source

    for query in [
        "SELECT * FROM chats; DROP TABLE chats",
        "INSERT INTO chats VALUES (1, 'x', 'y')",
        "CREATE TABLE pwned AS SELECT * FROM chats",
        "SET spark.sql.ansi.enabled=false",
    ]:
        with pytest.raises(InputError):
            open_source(spark_session, None, query)
    assert spark_session.session.sql("SELECT count(*) AS n FROM chats").collect()[0].n == 300
    source = open_source(spark_session, None, "SELECT * FROM chats WHERE id >= 0")
    assert set(source.columns) == {"id", "language", "requested_human"}


@pytest.mark.parametrize(
    "dialect",
    ["duckdb", "postgres", "bigquery", "snowflake", "spark", "databricks", "trino", "tsql"],
)
def test_every_dialect_gets_one_checked_select_with_an_aliased_derived_table(dialect):
    import sqlglot

    from auditkit.bias.presets import CheckOptions
    from auditkit.bias.run import print_sql

    sql = print_sql(
        "chatbot", CheckOptions(groups=["language"]), None, "SELECT * FROM chats -- note", dialect
    )
    body = "\n".join(line for line in sql.splitlines() if not line.startswith("--"))
    parsed = sqlglot.parse_one(body, read=dialect)
    for derived in parsed.find_all(sqlglot.exp.Subquery):
        assert derived.alias, f"an unnamed derived table in {dialect}: {derived.sql()[:60]}"
    with pytest.raises(InputError, match="statements"):
        checked_query("SELECT 1; SELECT 2", dialect)
