"""Open a decision log with DuckDB, straight from the file, and check its columns.

Logs come as CSV, Parquet or JSON Lines; the type comes from the extension or ``--format``.
Nothing is loaded into Python: DuckDB reads only the columns a check names. Errors name the
file, the row and the column, and list what exists with the closest match.
"""

from __future__ import annotations

import re
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


ENCODINGS = ("utf-8", "utf-16", "latin-1")
ENCODING_ALIASES = {
    "utf8": "utf-8",
    "utf16": "utf-16",
    "latin1": "latin-1",
    "iso-8859-1": "latin-1",
    "windows-1252": "latin-1",
    "cp1252": "latin-1",
}
SAMPLE_BYTES = 4 * 1024 * 1024


def detect_encoding(path: Path) -> str:
    """A CSV's encoding: a byte-order mark says UTF-16 or UTF-8; otherwise UTF-8 when the first
    4 MB decode as UTF-8, else Latin-1 (Excel's "CSV" in much of Europe is Windows-1252, read
    here as Latin-1: letters with accents come out right, the euro sign does not)."""
    with open(path, "rb") as stream:
        sample = stream.read(SAMPLE_BYTES)
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    for cut in range(4):  # the sample may end inside a multi-byte character
        try:
            sample[: len(sample) - cut].decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError as error:
            if error.start < len(sample) - 4:
                break
    return "latin-1"


@dataclass(frozen=True)
class LogSource:
    path: Path
    format: str  # csv | parquet | jsonl
    columns: dict[str, str]  # name → DuckDB type
    encoding: str = "utf-8"  # CSV only

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
        encoding = "" if self.encoding == "utf-8" else f", encoding = '{self.encoding}'"
        return f"read_csv({literal}, header = true, all_varchar = true{encoding})"

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
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    explicit_format: str | None = None,
    encoding: str | None = None,
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
    if encoding is not None:
        encoding = ENCODING_ALIASES.get(encoding.lower(), encoding.lower())
        if encoding not in ENCODINGS:
            raise InputError.single(
                "--encoding",
                f"auditkit reads logs in {', '.join(ENCODINGS)}",
                found=repr(encoding),
                fix="save the log as UTF-8, or name one of those (windows-1252 reads as latin-1)",
            )
    source = LogSource(
        path, fmt, {}, encoding or (detect_encoding(path) if fmt == "csv" else "utf-8")
    )
    try:
        described = connection.execute(f"DESCRIBE SELECT * FROM {source.relation}").fetchall()
    except duckdb.Error as error:
        if encoding_problem(error):
            raise encoding_error(source, error) from None
        raise InputError.single(
            str(path),
            f"cannot be read as {fmt}: {_first_line(error)}",
            fix=f"check that the file really is {fmt}, or pass --log-format",
        ) from None
    return LogSource(path, fmt, {row[0]: row[1] for row in described}, source.encoding)


def encoding_problem(error: Exception) -> bool:
    text = str(error).lower()
    return "unicode" in text or "encoding" in text or "utf-8" in text


def encoding_error(source: LogSource, error: Exception) -> InputError:
    """A byte that is not valid in the encoding used: say so, where, and how to fix it —
    without quoting the line (it may hold personal data)."""
    line = re.search(r"line:?\s*(\d+)", str(error), re.IGNORECASE)
    return InputError.single(
        str(source.path),
        f"is not valid {source.encoding} text" + (f" (at line {line.group(1)})" if line else ""),
        line=int(line.group(1)) if line else None,
        expected=f"a CSV log in {source.encoding}",
        fix="pass the file's encoding with --encoding latin-1 (or utf-16), or save it as UTF-8",
    )


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
