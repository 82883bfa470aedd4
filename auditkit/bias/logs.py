"""Open a decision log with DuckDB, straight from the file, and check its columns.

Logs come as CSV, Parquet, JSON Lines or an Excel workbook (``.xlsx``); the type comes from
the extension or ``--log-format``. CSV, Parquet and JSON Lines are never loaded into Python:
DuckDB reads only the columns a check names. A workbook's first sheet is read by
``auditkit.spreadsheet`` (checked for zip bombs, formulas without values and external links,
at most 2 million cells) and handed to DuckDB as a table of text, so it is counted exactly as
its CSV export would be. Errors name the file (and sheet), the row and the column, and list
what exists with the closest match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from auditkit.errors import InputError, Problem, did_you_mean, fill, quoted_list
from auditkit.i18n import _

if TYPE_CHECKING:
    import duckdb

    from auditkit.bias.presets import Need

FORMATS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".xlsx": "xlsx",
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
    if b"\x00" in sample:
        raise InputError.single(
            str(path),
            _("holds binary data (NUL bytes), not CSV text"),
            expected=_("a CSV text file"),
            fix=_(
                "if it is Parquet, JSON Lines or an Excel workbook, give it its extension "
                "(.parquet, .jsonl, .xlsx) or use {{log_format}}"
            ),
        )
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    for cut in range(4):  # the sample may end inside a multi-byte character
        try:
            sample[: len(sample) - cut].decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError as error:
            if error.start < len(sample) - 4:
                bad = error.start
                break
    else:
        return "utf-8"
    if UTF8_SEQUENCE.search(sample, 0, bad):
        # Valid multi-byte UTF-8 before the bad byte: a UTF-8 file with bad bytes, not a
        # Latin-1 one (re-read as Latin-1, every 'ñ' would become 'Ã±' without a word).
        line = sample.count(b"\n", 0, bad) + 1
        raise InputError.single(
            str(path),
            fill(
                _("is UTF-8 text with a byte that is not UTF-8 (line {line}, byte {byte})"),
                line=line,
                byte=bad,
            ),
            line=line,
            expected=_("one encoding for the whole file"),
            fix=_(
                "correct that line (it was probably pasted from another program), or, if the "
                "whole file really is Latin-1, use {{encoding latin-1}}"
            ),
        )
    return "latin-1"


# A multi-byte UTF-8 character: in a Latin-1 file these byte pairs would be text such as "Ã©",
# which real Latin-1 text practically never holds.
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


@dataclass(frozen=True)
class LogSource:
    path: Path
    format: str  # csv | parquet | jsonl | xlsx | frame
    columns: dict[str, str]  # name → DuckDB type
    encoding: str = "utf-8"  # CSV only
    delimiter: str = ","  # CSV only
    sheet: str | None = None  # xlsx: the sheet read
    row_offset: int = 0  # added to a data row's number to give the row a user sees (Excel's)
    decimal: str | None = None  # the decimal mark asked for: '.', ',' or None (detected)
    decimal_comma: frozenset[str] = frozenset()  # text columns read with a decimal comma

    @property
    def shown(self) -> str:
        """The file as messages name it: with its sheet for a workbook."""
        if not self.sheet:
            return str(self.path)
        return fill(_("{file}, sheet {sheet}"), file=self.path, sheet=repr(self.sheet))

    @property
    def relation(self) -> str:
        """The table expression DuckDB reads the log through."""
        if self.format in ("frame", "xlsx"):  # an in-memory table registered under this name
            return f'"{FRAME_VIEW}"'
        literal = sql_text(str(self.path))
        if self.format == "parquet":
            return f"read_parquet({literal})"
        if self.format == "jsonl":
            return f"read_json({literal}, format = 'newline_delimited')"
        # The header is read here, not sniffed: every column is the file's own text ('--positive
        # Yes' matches 'Yes', a postcode '01' stays '01'; numbers are converted, and bad ones
        # counted, in the counting query), and a row with too many or too few cells is an
        # error at its line instead of a failed guess at the dialect.
        columns = ", ".join(f"{sql_text(name)}: 'VARCHAR'" for name in self.columns)
        encoding = "" if self.encoding == "utf-8" else f", encoding = '{self.encoding}'"
        return (
            f"read_csv({literal}, header = true, auto_detect = false, "
            f"delim = {sql_text(self.delimiter)}, quote = '\"', escape = '\"', "
            f"columns = {{{columns}}}{encoding})"
        )

    @property
    def numeric(self) -> frozenset[str]:
        """Columns DuckDB already reads as numbers (Parquet, JSON): no checked conversion."""
        from auditkit.bias.engines.duckdb_file import is_numeric

        return frozenset(name for name, kind in self.columns.items() if is_numeric(kind))


def sql_text(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


DELIMITERS = (",", ";", "\t", "|")
MAX_HEADER = 1024 * 1024


def csv_header(path: Path, encoding: str) -> tuple[str, list[str]]:
    """The delimiter and column names from a CSV's first line. The delimiter is the candidate
    that occurs most often in the header (Excel writes ';' where ',' is the decimal mark)."""
    import csv

    codec = {"utf-8": "utf-8-sig", "utf-16": "utf-16", "latin-1": "latin-1"}[encoding]
    try:
        with open(path, encoding=codec, newline="") as stream:
            line = stream.readline(MAX_HEADER)
    except UnicodeDecodeError as error:
        raise InputError.single(
            str(path),
            fill(
                _("is not valid {encoding} text (byte {byte} of the header)"),
                encoding=encoding,
                byte=error.start,
            ),
            line=1,
            fix=_(
                "give the file's encoding with {{encoding latin-1}} (or utf-16), or save it as "
                "UTF-8"
            ),
        ) from None
    if len(line) >= MAX_HEADER:
        raise InputError.single(
            str(path),
            _("the first line is over 1 MB long: it is not a CSV header"),
            line=1,
            expected=_("a header row of column names"),
            fix=_("check that the file really is CSV, or use {{log_format}}"),
        )
    delimiter = "\t" if path.suffix.lower() == ".tsv" else max(DELIMITERS, key=line.count)
    names = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
    if not any(name.strip() for name in names):
        raise InputError.single(
            str(path),
            _("the first line is empty"),
            line=1,
            expected=_("a header row of column names"),
        )
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name in seen:
            raise InputError.single(
                str(path),
                fill(_("the header names column {column} twice"), column=repr(name)),
                line=1,
                column=index + 1,
                fix=_("rename one of the two columns"),
            )
        seen.add(name)
    return delimiter, names


def read_error(source: LogSource, error: Exception) -> InputError:
    """What DuckDB could not read, located and in our words, never quoting the file's content
    (DuckDB's messages include the whole offending line, which may hold personal data)."""
    text = str(error)
    if encoding_problem(error):
        return encoding_error(source, error)
    ragged = re.search(
        r"CSV Error on Line: (\d+).*?Expected Number of Columns: (\d+) Found: (\d+)", text, re.S
    )
    if ragged:
        line, expected, found = (int(group) for group in ragged.groups())
        return InputError.single(
            str(source.path),
            fill(
                _("this line has {found} cells where the header has {expected}"),
                found=found,
                expected=expected,
            ),
            line=line,
            expected=fill(
                _("{count} cells, separated by {separator}"),
                count=expected,
                separator=repr(source.delimiter),
            ),
            fix=_("quote cells that contain the separator, or remove the extra separators"),
        )
    line = re.search(r"(?:CSV Error on Line|in line):? (\d+)", text)
    if "Maximum line size" in text:
        return _too_long(source.path, int(line.group(1)) if line else None)
    if source.format == "parquet":
        fix = _("the file looks damaged or cut short: export it again")
    elif source.format == "jsonl":
        fix = _("each line must be one complete JSON object; check the line named")
    else:
        fix = _("check the file around the line named, or use {{log_format}}")
    reason = re.sub(r'(file|File) "[^"]*"', "file", _first_line(error))
    reason = re.sub(r"^[A-Z][\w ]* Error: |Original Line:.*", "", reason).strip(" :")
    # The engine's own reason stays in its words (English): it is quoted, not translated.
    reason = re.sub(r'"[^"]*"|\'[^\']*\'', _("(value not shown)"), reason)  # personal?
    reason = re.sub(r",? ?(at byte \d+ )?in line \d+", "", reason)  # the line is named apart
    at = int(line.group(1)) if line else None
    if source.format == "jsonl" and at is not None:
        at = _first_bad_json_line(source.path, at)
    return InputError.single(
        str(source.path),
        fill(_("cannot be read as {format} ({reason})"), format=source.format, reason=reason)
        if reason
        else fill(_("cannot be read as {format}"), format=source.format),
        line=at,
        fix=fix,
    )


def _first_bad_json_line(path: Path, reported: int) -> int:
    """The first line up to DuckDB's ``reported`` one that is not a JSON object.

    DuckDB names the line where its parser gave up: a line cut short inside a string is
    reported as the next one (the newline is read as part of the string). Reading the lines
    before it again with the standard parser finds the line a person must fix."""
    import json

    with open(path, "rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if number > reported:
                break
            if not raw.strip():
                continue
            try:
                if not isinstance(json.loads(raw), dict):
                    return number
            except ValueError:
                return number
    return reported


MAX_LINE = 2_000_000  # DuckDB's limit on one CSV line


def _too_long(path: Path, line: int | None) -> InputError:
    return InputError.single(
        str(path),
        fill(
            _("this line is over {size} MB long: no decision-log row is that long")
            if line
            else _("a line is over {size} MB long: no decision-log row is that long"),
            size=MAX_LINE // 1_000_000,
        ),
        line=line,
        expected=_("one decision per line"),
        fix=_(
            "check the quoting around that line (an unclosed quote joins lines), "
            "or that the file really is CSV"
        ),
    )


def check_last_line(path: Path) -> None:
    """DuckDB drops a last line longer than its limit without a word (seen with DuckDB 2.0):
    a row lost silently would change the counts, so look for it ourselves."""
    size = path.stat().st_size
    if size <= MAX_LINE:
        return
    with open(path, "rb") as stream:
        stream.seek(size - MAX_LINE - 2)
        tail = stream.read().rstrip(b"\r\n")
    if b"\n" not in tail[-MAX_LINE:]:  # only now is the whole file read, to name the line
        lines, last = 0, b""
        with open(path, "rb") as stream:
            while chunk := stream.read(1 << 24):
                lines, last = lines + chunk.count(b"\n"), chunk[-1:]
        raise _too_long(path, lines if last == b"\n" else lines + 1)


def log_format(path: Path, explicit: str | None) -> str:
    if explicit:
        return explicit
    suffix = path.suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    if suffix in (".xls", ".xlsm", ".xlsb", ".ods", ".numbers"):
        raise InputError.single(
            str(path),
            fill(
                _("is a {suffix} spreadsheet; auditkit reads Excel workbooks saved as .xlsx"),
                suffix=suffix,
            ),
            expected=_("a .csv, .tsv, .xlsx, .parquet or .jsonl file"),
            fix=_("open it and save it as an Excel workbook (.xlsx) or as CSV UTF-8"),
        )
    raise InputError.single(
        str(path),
        fill(_("cannot tell the log's type from its extension {suffix}"), suffix=repr(suffix))
        if suffix
        else _("cannot tell the log's type: its name has no extension"),
        expected=_("a .csv, .tsv, .xlsx, .parquet or .jsonl file"),
        fix=_("give the file the extension of its type, or use {{log_format}}"),
    )


FRAME_VIEW = "auditkit_log"
FRAME_KINDS = {
    ("pandas", "DataFrame"): "pandas DataFrame",
    ("polars", "DataFrame"): "polars DataFrame",
    ("polars", "LazyFrame"): "polars LazyFrame",
    ("pyarrow", "Table"): "Arrow table",
    ("pyarrow", "RecordBatchReader"): "Arrow stream",
    ("duckdb", "DuckDBPyRelation"): "DuckDB relation",
}


def frame_kind(data: object) -> str | None:
    """What kind of in-memory table ``data`` is, in words; None when it is none DuckDB reads."""
    module = type(data).__module__.split(".", 1)[0]
    return FRAME_KINDS.get((module, type(data).__name__))


def open_frame(connection: duckdb.DuckDBPyConnection, data: object) -> LogSource:
    """A DataFrame or Arrow table as a log: registered with DuckDB, which reads it in place
    (no copy), and described by its columns' types."""
    kind = frame_kind(data)
    if kind is None:
        raise InputError.single(
            "data",
            fill(
                _("auditkit cannot read a {kind}"),
                kind=f"{type(data).__module__}.{type(data).__name__}",
            ),
            expected=_("a path, a pandas or polars DataFrame, or a pyarrow Table"),
            fix=_("pass the log's path, or convert it with pandas.DataFrame(…)"),
        )
    if kind == "polars LazyFrame":
        data = data.collect()
    connection.register(FRAME_VIEW, data)
    described = connection.execute(f'DESCRIBE SELECT * FROM "{FRAME_VIEW}"').fetchall()
    if not described:
        raise InputError.single(fill(_("the {kind}"), kind=kind), _("has no columns"))
    return LogSource(
        Path(fill(_("the {kind}"), kind=kind)), "frame", {row[0]: row[1] for row in described}
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
    decimal: str | None = None,
) -> LogSource:
    """Describe the log's columns without reading its rows (beyond what sniffing needs)."""
    import duckdb

    path = Path(path)
    if not path.exists():
        raise InputError.single(str(path), _("file not found"), fix=_("check the path of the log"))
    if path.is_dir():
        raise InputError.single(str(path), _("is a folder, expected a log file"))
    if path.stat().st_size == 0:
        raise InputError.single(
            str(path),
            _("the log is empty"),
            expected=_("a header row and at least one data row"),
        )
    fmt = log_format(path, explicit_format)
    if fmt == "xlsx":
        return _open_workbook(connection, path, decimal)
    if encoding is not None:
        encoding = ENCODING_ALIASES.get(encoding.lower(), encoding.lower())
        if encoding not in ENCODINGS:
            raise InputError.single(
                "{{encoding}}",
                fill(_("auditkit reads logs in {encodings}"), encodings=", ".join(ENCODINGS)),
                found=repr(encoding),
                fix=_(
                    "save the log as UTF-8, or name one of those (windows-1252 reads as latin-1)"
                ),
            )
    if fmt == "csv":
        encoding = encoding or detect_encoding(path)
        delimiter, names = csv_header(path, encoding)
        check_last_line(path)
        source = LogSource(
            path, fmt, dict.fromkeys(names, "VARCHAR"), encoding, delimiter, decimal=decimal
        )
    else:
        source = LogSource(path, fmt, {})
    try:
        described = connection.execute(f"DESCRIBE SELECT * FROM {source.relation}").fetchall()
        if fmt == "csv":  # DESCRIBE reads no rows: check the first ones parse
            connection.execute(f"SELECT * FROM {source.relation} LIMIT 2").fetchall()
    except duckdb.Error as error:
        raise read_error(source, error) from None
    columns = {row[0]: row[1] for row in described}
    if fmt == "jsonl" and list(columns) == ["json"]:  # DuckDB's name for lines that are no objects
        raise InputError.single(
            str(path),
            _("the lines are not JSON objects"),
            line=1,
            expected=_('one object per line, column names as keys: {"language": "en", …}'),
            fix=_("export the log as JSON Lines of objects, or as CSV"),
        )
    return replace(source, columns=columns)


def encoding_problem(error: Exception) -> bool:
    text = str(error).lower()
    return "unicode" in text or "encoding" in text or "utf-8" in text


def encoding_error(source: LogSource, error: Exception) -> InputError:
    """A byte that is not valid in the encoding used: say so, where, and how to fix it —
    without quoting the line (it may hold personal data)."""
    line = re.search(r"line:?\s*(\d+)", str(error), re.IGNORECASE)
    return InputError.single(
        str(source.path),
        fill(
            _("is not valid {encoding} text (at line {line})")
            if line
            else _("is not valid {encoding} text"),
            encoding=source.encoding,
            line=line.group(1) if line else None,
        ),
        line=int(line.group(1)) if line else None,
        expected=fill(_("a CSV log in {encoding}"), encoding=source.encoding),
        fix=_(
            "give the file's encoding with {{encoding latin-1}} (or utf-16), or save it as UTF-8"
        ),
    )


def _open_workbook(
    connection: duckdb.DuckDBPyConnection, path: Path, decimal: str | None
) -> LogSource:
    """A workbook's first sheet as a table of text registered with DuckDB: every cell is the
    text its CSV export holds, so the counts are the CSV twin's."""
    import pandas as pd

    from auditkit.spreadsheet import read_sheet

    sheet = read_sheet(path, what=_("a decision log"))
    table = pd.DataFrame(sheet.rows, columns=sheet.header, dtype=object)
    connection.register(FRAME_VIEW, table)
    return LogSource(
        path,
        "xlsx",
        dict.fromkeys(sheet.header, "VARCHAR"),
        sheet=sheet.name,
        row_offset=sheet.header_row,
        decimal=decimal,
    )


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def check_columns(
    source: str,
    columns: Iterable[str],
    wanted: dict[str, Need | str],
    named_at: dict[str, str] | None = None,
    numeric: frozenset[str] | None = None,
) -> None:
    """Every column in ``wanted`` (column → why it is needed) must exist in the log. A column
    named in a mapping file (``named_at``: column → "file:line:column") is reported there too:
    that is where the user corrects it.

    The fix names the option that names the column (``-g`` for a group column, ``--column
    ROLE=…`` for a preset's), and a suggestion is only ever a column no other option uses,
    numeric where a number is expected (when the log says its types): suggesting the
    chatbot's ``requested_human`` for a renamed ``reached_human`` would silently compute the
    wrong metric. ``numeric``: the log's number columns, when its format says (Parquet, JSON,
    a DataFrame, an engine's table); None for CSV and workbooks, whose cells are all text."""
    from auditkit.bias.presets import Need

    named_at = named_at or {}
    columns = list(columns)
    problems = []
    for column, need in wanted.items():
        if column in columns:
            continue
        if isinstance(need, str):
            need = Need(need, "column")
        free = [
            c
            for c in columns
            if c not in wanted and not (need.numeric and numeric is not None and c not in numeric)
        ]
        guess = did_you_mean(column, free)
        problems.append(
            Problem(
                source,
                fill(
                    _("the log has no column {column} ({purpose})"),
                    column=repr(column),
                    purpose=need.purpose,
                ),
                expected=fill(
                    _("one of its columns: {columns}"), columns=quoted_list(columns, limit=30)
                ),
                found=fill(_("no {column}"), column=repr(column)),
                fix=_missing_column_fix(need, guess),
            )
        )
        if column in named_at:
            file, line, place = named_at[column].rsplit(":", 2)
            problems.append(
                Problem(
                    file,
                    fill(
                        _("column {column} is named here, in the mapping file"),
                        column=repr(column),
                    ),
                    line=int(line),
                    column=int(place),
                    fix=fill(_("write {guess}, the log's column"), guess=repr(guess))
                    if guess
                    else _("correct the name"),
                )
            )
    if problems:
        raise InputError(problems)


def _missing_column_fix(need: Need, guess: str | None) -> str:
    """Name the column with the option that names it, in the interface's words."""
    if need.option == "column":
        if guess:
            return fill(
                _("if the log's {guess} holds it, map it: {{column {role}={name}}}"),
                guess=repr(guess),
                role=need.role,
                name=guess,
            )
        return fill(
            _("map the log's column that holds it: {{column {role}=COLUMN}}"), role=need.role
        )
    if guess:
        return fill(
            _("did you mean {guess}? Use {{{option} {name}}}"),
            guess=repr(guess),
            option=need.option,
            name=guess,
        )
    return fill(_("name one of the log's columns: {{{option} COLUMN}}"), option=need.option)


def first_row_where(
    connection: duckdb.DuckDBPyConnection, source: LogSource, condition: str
) -> int | None:
    """The 1-based number of the first data row matching a SQL ``condition``, for messages."""
    sql = (
        f"SELECT rn FROM (SELECT row_number() OVER () AS rn, * FROM {source.relation}) "
        f"WHERE {condition} ORDER BY rn LIMIT 1"
    )
    found = connection.execute(sql).fetchone()
    return int(found[0]) + source.row_offset if found else None
