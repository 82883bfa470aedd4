"""Open a decision log with DuckDB, straight from the file, and check its columns.

Logs come as CSV, Parquet or JSON Lines; the type comes from the extension or ``--format``.
Nothing is loaded into Python: DuckDB reads only the columns a check names. Errors name the
file, the row and the column, and list what exists with the closest match.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from auditkit.errors import InputError, Problem, did_you_mean, quoted_list

if TYPE_CHECKING:
    import duckdb

FORMATS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}


@dataclass(frozen=True)
class LogSource:
    path: Path
    format: str  # csv | parquet | jsonl
    columns: dict[str, str]  # name → DuckDB type

    @property
    def relation(self) -> str:
        """The table expression DuckDB reads the log through."""
        literal = "'" + str(self.path).replace("'", "''") + "'"  # a SQL string literal
        if self.format == "parquet":
            return f"read_parquet({literal})"
        if self.format == "jsonl":
            return f"read_json({literal}, format = 'newline_delimited')"
        # Every column as the file's own text: '--positive Yes' matches 'Yes', a postcode
        # '01' stays '01'; numbers are converted (and bad ones counted) in the counting query.
        return f"read_csv({literal}, header = true, all_varchar = true)"

    def row_label(self, row: int) -> str:
        """How a user finds a data row: CSV rows are shown with their line number too."""
        if self.format == "csv":
            return f"row {row} (line {row + 1})"
        return f"row {row}"


def log_format(path: Path, explicit: str | None) -> str:
    if explicit:
        return explicit
    suffix = path.suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    raise InputError.single(
        str(path),
        f"cannot tell the log's type from its extension {suffix or '(none)'!r}",
        expected="a .csv, .parquet or .jsonl file",
        fix="rename the file, or pass --log-format csv|parquet|jsonl",
    )


def connect() -> duckdb.DuckDBPyConnection:
    import duckdb

    connection = duckdb.connect(config={"threads": 2, "preserve_insertion_order": True})
    return connection


def open_log(
    connection: duckdb.DuckDBPyConnection, path: Path, explicit_format: str | None = None
) -> LogSource:
    """Describe the log's columns without reading its rows (beyond what sniffing needs)."""
    import duckdb

    path = Path(path)
    if not path.exists():
        raise InputError.single(str(path), "file not found", fix="check the path of the log")
    if path.is_dir():
        raise InputError.single(str(path), "is a folder, expected a log file")
    if path.stat().st_size == 0:
        raise InputError.single(
            str(path), "the log is empty", expected="a header row and at least one data row"
        )
    fmt = log_format(path, explicit_format)
    source = LogSource(path, fmt, {})
    try:
        described = connection.execute(f"DESCRIBE SELECT * FROM {source.relation}").fetchall()
    except duckdb.Error as error:
        raise InputError.single(
            str(path),
            f"cannot be read as {fmt}: {_first_line(error)}",
            fix=f"check that the file really is {fmt}, or pass --log-format",
        ) from None
    return LogSource(path, fmt, {row[0]: row[1] for row in described})


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def check_columns(source: LogSource, wanted: dict[str, str]) -> None:
    """Every column in ``wanted`` (column → what it is for) must exist in the log."""
    problems = []
    for column, purpose in wanted.items():
        if column in source.columns:
            continue
        guess = did_you_mean(column, source.columns)
        problems.append(
            Problem(
                str(source.path),
                f"the log has no column {column!r} ({purpose})",
                expected=f"one of its columns: {quoted_list(source.columns, limit=30)}",
                found=f"no {column!r}",
                fix=f"did you mean {guess!r}? Map it with --column"
                if guess
                else "map the right column with --column NAME=COLUMN",
            )
        )
    if problems:
        raise InputError(problems)


def first_row_where(
    connection: duckdb.DuckDBPyConnection, source: LogSource, condition: str
) -> int | None:
    """The 1-based number of the first data row matching a SQL ``condition``, for messages."""
    sql = (
        f"SELECT rn FROM (SELECT row_number() OVER () AS rn, * FROM {source.relation}) "
        f"WHERE {condition} ORDER BY rn LIMIT 1"
    )
    found = connection.execute(sql).fetchone()
    return int(found[0]) if found else None
