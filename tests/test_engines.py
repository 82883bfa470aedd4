"""Count where the log lives: DuckDB databases, PostgreSQL and Spark give the file's numbers.

One log, with intersectional groups, missing values, a boolean, a yes/no text and numeric
columns, is counted from a CSV file (the reference), from a DuckDB database, from PostgreSQL
tables (typed, and all-text with '' for "no value", as a CSV load leaves them) and from Spark.
Every metric must agree with the file to 1e-12. The printed query of every dialect parses
with sqlglot, and the DuckDB, PostgreSQL and Spark ones run on those engines and give the
same cells.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random

import pytest

from auditkit.bias.formats.json import bias_to_dict
from auditkit.bias.presets import CheckOptions
from auditkit.bias.run import print_sql, run_check
from auditkit.bias.sql import DIALECT_NAMES
from tests.conftest import REPO, run_cli, run_cli_process, write
from tests.engines import start_postgres

COLUMNS = [
    "conversation_id",
    "language",
    "age_band",
    "requested_human",
    "reached_human",
    "resolved",
    "satisfaction",
    "wait_time",
]
OPTIONS = {"groups": ["language", "age_band"]}


def log_rows(count: int = 3000, seed: int = 7) -> list[dict[str, str]]:
    """The test log as text, '' where a value is missing. Polish speakers reach a person less."""
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        language = rng.choices(["en", "de", "pl", "uk", ""], [50, 25, 15, 2, 3])[0]
        asked = rng.random() < 0.4
        reached = rng.random() < (0.2 if language == "pl" else 0.45) * (1.5 if asked else 0.6)
        rows.append(
            {
                "conversation_id": f"C-{index:05d}",
                "language": language,
                "age_band": rng.choice(["18-34", "35-54", "55+"]),
                "requested_human": "true" if asked else "false",
                "reached_human": "true" if reached else "false",
                "resolved": rng.choice(["yes", "no", "yes", ""]),
                "satisfaction": "" if rng.random() < 0.4 else str(rng.randint(1, 5)),
                "wait_time": "" if not reached else f"{rng.uniform(5, 900):.3f}",
            }
        )
    return rows


ROWS = log_rows()


def as_csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def results(**where) -> dict:
    """The check's JSON without its provenance, which names the source and so differs."""
    data = bias_to_dict(
        run_check("chatbot", where.pop("log", None), CheckOptions(**OPTIONS), **where)
    )
    data.pop("source")
    return data


def assert_same(actual, expected, path="") -> None:
    """Equal structure, and every number equal to 1e-12 (relative or absolute)."""
    if isinstance(expected, float) and isinstance(actual, int | float):
        assert math.isclose(actual, expected, rel_tol=1e-12, abs_tol=1e-12) or (
            math.isnan(actual) and math.isnan(expected)
        ), f"{path}: {actual} != {expected}"
    elif isinstance(expected, dict):
        assert actual.keys() == expected.keys(), path
        for key in expected:
            assert_same(actual[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), path
        for index, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same(a, e, f"{path}[{index}]")
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


@pytest.fixture(scope="module")
def log_file(tmp_path_factory):
    return write(tmp_path_factory.mktemp("log") / "chats.csv", as_csv(ROWS))


@pytest.fixture(scope="module")
def expected(log_file):
    return results(log=log_file)


def counts_from(frame_rows: list[tuple], names: list[str], path) -> None:
    """Write what a warehouse returned as the counts CSV an auditor would export."""
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(names)
        writer.writerows(["" if v is None else v for v in row] for row in frame_rows)


# --- DuckDB database file --------------------------------------------------------------------


def test_a_duckdb_database_gives_the_files_numbers(log_file, expected, tmp_path):
    import duckdb

    database = tmp_path / "logs.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute(f"CREATE TABLE chats AS SELECT * FROM read_csv('{log_file}')")
        types = dict(
            connection.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'chats'"
            ).fetchall()
        )
    assert types["requested_human"] == "BOOLEAN" and types["wait_time"] == "DOUBLE"
    url = f"duckdb://{database}"  # duckdb:///tmp/…: three slashes before an absolute path
    assert_same(results(connection=url, table="chats"), expected)
    query = "SELECT * FROM chats WHERE conversation_id IS NOT NULL"
    assert_same(results(connection=url, query=query), expected)


# --- PostgreSQL ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def postgres():
    url, stop = start_postgres()
    import psycopg

    with psycopg.connect(url) as connection:
        text_columns = ", ".join(f"{c} TEXT" for c in COLUMNS)
        connection.execute(f"CREATE TABLE chats_text ({text_columns})")
        with connection.cursor().copy(f"COPY chats_text ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in ROWS:
                copy.write_row([row[c] for c in COLUMNS])  # '' stays '': a CSV load's blanks
        connection.execute(
            """CREATE TABLE chats_typed AS SELECT conversation_id,
                   NULLIF(language, '') AS language, age_band,
                   requested_human::boolean AS requested_human,
                   reached_human::boolean AS reached_human,
                   NULLIF(resolved, '') AS resolved,
                   NULLIF(satisfaction, '')::integer AS satisfaction,
                   NULLIF(wait_time, '')::double precision AS wait_time
               FROM chats_text"""
        )
        connection.execute("CREATE ROLE auditor LOGIN PASSWORD 'hunter2-secret'")
        connection.execute("GRANT SELECT ON chats_text, chats_typed TO auditor")
    yield url
    stop()


@pytest.mark.parametrize("table", ["chats_text", "chats_typed"])
def test_postgres_tables_give_the_files_numbers(postgres, expected, table):
    assert_same(results(connection=postgres, table=table), expected)


def test_the_printed_postgres_query_run_there_gives_the_same_numbers(postgres, expected, tmp_path):
    import psycopg

    sql = print_sql("chatbot", CheckOptions(**OPTIONS), "chats_text", None, "postgres")
    with psycopg.connect(postgres) as connection, connection.cursor() as cursor:
        cursor.execute(sql)
        counts_from(cursor.fetchall(), [c.name for c in cursor.description], tmp_path / "c.csv")
    assert_same(results(counts_file=tmp_path / "c.csv"), expected)


def test_text_that_is_no_number_is_counted_and_reported_on_postgres(postgres, tmp_path):
    import psycopg

    with psycopg.connect(postgres) as connection:
        connection.execute("CREATE TABLE chats_bad AS SELECT * FROM chats_text")
        connection.execute(
            "UPDATE chats_bad SET wait_time = 'soon' WHERE conversation_id = 'C-00007'"
        )
        connection.execute(
            "UPDATE chats_bad SET wait_time = '1e999' WHERE conversation_id = 'C-00008'"
        )
    result = run_cli(
        "bias", "chatbot", "--connection", postgres, "--table", "chats_bad", "-g", "language"
    )
    assert result.returncode == 2, result.stderr
    assert "column 'wait_time': holds text where numbers are expected" in result.stderr
    assert "2 values that are not numbers" in result.stderr
    assert "soon" not in result.stderr  # values are never quoted: they may be personal data


def test_the_command_line_never_shows_the_password(postgres, tmp_path):
    socket = postgres.split("host=")[1]
    url = f"postgresql://auditor:hunter2-secret@/postgres?host={socket}"
    out = tmp_path / "bias.json"
    table = run_cli(
        "bias", "chatbot", "--connection", url, "--table", "chats_typed", "-g", "language"
    )
    written = run_cli(
        "bias",
        "chatbot",
        "--connection",
        url,
        "--table",
        "chats_typed",
        "-g",
        "language",
        "--format",
        "json",
        "-o",
        str(out),
    )
    wrong = run_cli("bias", "chatbot", "--connection", url, "--table", "nope", "-g", "language")
    report = run_cli(
        "report",
        str(REPO / "examples" / "bakery" / "answers.yaml"),
        "--bias",
        str(out),
        "-o",
        str(tmp_path / "report.html"),
    )
    assert [table.returncode, written.returncode, wrong.returncode, report.returncode] == [
        0,
        0,
        2,
        0,
    ]
    source = json.loads(out.read_text())["source"]
    assert source == {
        "kind": "table",
        "engine": "PostgreSQL",
        "location": f"postgresql://auditor@/postgres?host={socket}",
        "table": "chats_typed",
        "rows": 3000,
    }
    assert "no such table" in wrong.stderr and 'relation "nope" does not exist' in wrong.stderr
    html = (tmp_path / "report.html").read_text()
    assert f"counted on PostgreSQL (postgresql://auditor@/postgres?host={socket})" in html
    for text in (table.stdout, table.stderr, written.stderr, wrong.stderr, out.read_text(), html):
        assert "hunter2" not in text


def test_an_unreachable_server_and_a_missing_column_are_input_errors(postgres):
    down = run_cli(
        "bias",
        "chatbot",
        "--connection",
        "postgresql://auditor:pw@127.0.0.1:9/x",
        "--table",
        "t",
        "-g",
        "language",
    )
    assert down.returncode == 2 and "cannot connect (PostgreSQL" in down.stderr
    assert ":pw@" not in down.stderr
    missing = run_cli(
        "bias", "chatbot", "--connection", postgres, "--table", "chats_typed", "-g", "lang"
    )
    assert missing.returncode == 2
    assert "no column 'lang'" in missing.stderr and "'language'" in missing.stderr


def test_the_query_only_reads(postgres):
    result = run_cli(
        "bias",
        "chatbot",
        "--connection",
        postgres,
        "-g",
        "language",
        "--query",
        "SELECT * FROM chats_text; DROP TABLE chats_text",
    )
    assert result.returncode == 2
    import psycopg

    with psycopg.connect(postgres) as connection:
        assert connection.execute("SELECT count(*) FROM chats_text").fetchone() == (3000,)


# --- Spark -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark(spark_engine):
    from pyspark.sql.types import StringType, StructField, StructType

    schema = StructType([StructField(c, StringType()) for c in COLUMNS])
    rows = [tuple(r[c] for c in COLUMNS) for r in ROWS]
    spark_engine.session.createDataFrame(rows, schema).createOrReplaceTempView("chats")
    return spark_engine


def test_a_spark_table_gives_the_files_numbers(spark, expected):
    assert_same(results(connection="spark://local[1]", table="chats"), expected)
    query = "SELECT * FROM chats WHERE conversation_id LIKE 'C-%'"
    assert_same(results(connection="spark://local[1]", query=query), expected)


def test_the_printed_spark_query_run_there_gives_the_same_numbers(spark, expected, tmp_path):
    sql = print_sql("chatbot", CheckOptions(**OPTIONS), "chats", None, "spark")
    frame = spark.session.sql(sql.rstrip().rstrip(";"))
    counts_from([tuple(r) for r in frame.collect()], frame.columns, tmp_path / "c.csv")
    assert_same(results(counts_file=tmp_path / "c.csv"), expected)


def test_spark_from_the_command_line_reads_a_lake_folder(spark, log_file, expected, tmp_path):
    """A separate process with its own session, reading Parquet files as a lake would hold them
    (a real process: in this one the CLI would find the tests' session already running, and
    the JVM it starts must keep quiet on the process's own standard error)."""
    lake = tmp_path / "lake"
    spark.session.table("chats").write.parquet(str(lake))
    out = tmp_path / "bias.json"
    result = run_cli_process(
        "bias",
        "chatbot",
        "--connection",
        "spark://local[1]",
        "-g",
        "language",
        "-g",
        "age_band",
        "--query",
        f"SELECT * FROM parquet.`{lake}`",
        "--format",
        "json",
        "-o",
        str(out),
        timeout=600,  # its own JVM: over two minutes to start on a busy 2-core machine
    )
    assert result.returncode == 0, result.stderr
    assert "log4j" not in result.stderr and "WARN" not in result.stderr  # the JVM stays quiet
    data = json.loads(out.read_text())
    assert data.pop("source")["kind"] == "query"
    assert_same(data, expected)


# --- Every dialect ---------------------------------------------------------------------------


@pytest.mark.parametrize("dialect", DIALECT_NAMES)
def test_every_printed_dialect_parses_back(dialect):
    import sqlglot

    sql = print_sql("chatbot", CheckOptions(**OPTIONS), "shop.chats", None, dialect)
    body = "\n".join(line for line in sql.splitlines() if not line.startswith("--"))
    parsed = sqlglot.parse_one(body, read=dialect, error_level=sqlglot.ErrorLevel.RAISE)
    assert parsed is not None
    assert "GROUP BY 1" not in sql  # expressions, never positions (SQL Server refuses them)
    safe = {"postgres": "~ '^", "bigquery": "SAFE_CAST("}.get(dialect, "TRY_CAST(")
    assert safe in sql and "CAST(CASE WHEN TRIM(" in sql.replace("SAFE_CAST", "CAST").replace(
        "TRY_CAST", "CAST"
    )
    assert "'nan', '-NaN'" in sql  # missing-value markers count as missing on every engine


def test_snowflake_resolves_plain_names_as_its_own_sql_would():
    sql = print_sql(
        "chatbot", CheckOptions(groups=["language", "Age Band"]), "chats", None, "snowflake"
    )
    assert " language AS " in sql  # unquoted: matches LANGUAGE, as a table loaded unquoted has
    assert '"Age Band" AS ' in sql  # anything else exactly as given


def test_the_printed_duckdb_query_runs_on_duckdb(log_file, expected, tmp_path):
    import duckdb

    sql = print_sql("chatbot", CheckOptions(**OPTIONS), "chats", None, "duckdb")
    with duckdb.connect() as connection:
        connection.execute(
            f"CREATE TABLE chats AS SELECT * FROM read_csv('{log_file}', all_varchar = true)"
        )
        result = connection.execute(sql.rstrip().rstrip(";"))
        counts_from(result.fetchall(), [d[0] for d in result.description], tmp_path / "c.csv")
    assert_same(results(counts_file=tmp_path / "c.csv"), expected)
