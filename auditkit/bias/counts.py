"""Run the counting query (or read a warehouse's counts) and check what the counts reveal.

Checking on counts instead of rows keeps the scan single: unexpected outcome values, numbers
that are not numbers, a group column with one value, an empty log all show in the counts. Only
when a problem is found is the log read again, to name the first offending row.
"""

from __future__ import annotations

import math
import re
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from auditkit.bias.logs import LogSource, encoding_error, encoding_problem, first_row_where
from auditkit.bias.spec import BinaryColumn, CheckSpec, same_value
from auditkit.bias.sql import counting_sql, group_alias, outcome_alias, quote
from auditkit.errors import InputError, Problem, quoted_list
from auditkit.fileio import unsafe_cell

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

MAX_CATEGORIES = 50
SHOWN_VALUES = 10  # values an error message may list; beyond that only their number
IDENTIFIER_MIN = 50  # distinct values from which a group column may be an identifier
# Not a label: an e-mail address, a long number (phone, account) or words with spaces (a name,
# free text). Outcome labels are single words: yes, approved, vip, churn-risk.
PERSONAL = re.compile(r"@|\d{6,}|\s")


def shown_values(values) -> str:
    """A column's values for an error message, unless they may be personal data: a message is
    printed, logged and pasted into tickets, so it lists at most a few short single-word
    values, never anything that looks like a name, an e-mail address or a long number."""
    values = [str(v) for v in values]
    if len(values) > SHOWN_VALUES or any(len(v) > 24 or PERSONAL.search(v) for v in values):
        return f"{len(values)} different values (not shown: they may be personal data)"
    return quoted_list(values)


@dataclass
class Counts:
    frame: pd.DataFrame
    source: str  # the log or the counts file
    rows: int


def count_log(
    connection: duckdb.DuckDBPyConnection,
    source: LogSource,
    spec: CheckSpec,
    *,
    progress: bool = False,
) -> Counts:
    """One scan of the log: the counting query, with a progress line on long scans."""
    import duckdb

    sql = counting_sql(spec, source.relation, "duckdb", source.columns)
    try:
        frame = _run_with_progress(connection, sql, progress)
    except (duckdb.InvalidInputException, duckdb.ConversionException) as error:
        # Found late in the scan (a bad byte on row 25,000): as located as an early problem.
        if encoding_problem(error):
            raise encoding_error(source, error) from None
        raise InputError.single(
            str(source.path),
            f"cannot be read as {source.format}: {str(error).strip().splitlines()[0]}",
            fix="check the file around the line named, or pass --log-format",
        ) from None
    counts = Counts(
        frame=frame, source=str(source.path), rows=int(frame["n"].sum()) if len(frame) else 0
    )
    validate_counts(counts, spec, connection, source)
    return counts


def _run_with_progress(
    connection: duckdb.DuckDBPyConnection, sql: str, progress: bool
) -> pd.DataFrame:
    if not progress:
        return connection.execute(sql).df()
    result: dict[str, object] = {}

    def run() -> None:
        try:
            result["frame"] = connection.execute(sql).df()
        except BaseException as error:  # re-raised in the calling thread
            result["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    started = time.monotonic()
    worker.start()
    shown = False
    while worker.is_alive():
        worker.join(0.2)
        if worker.is_alive() and time.monotonic() - started > 1.0:
            done = connection.query_progress()
            if done >= 0:
                sys.stderr.write(f"\rcounting rows… {done:5.1f}%")
                sys.stderr.flush()
                shown = True
    if shown:
        sys.stderr.write("\r" + " " * 30 + "\r")
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["frame"]  # type: ignore[return-value]


def read_counts(path: Path, spec: CheckSpec) -> Counts:
    """Counts computed elsewhere (the query from --print-sql), as CSV."""
    import pandas as pd

    path = Path(path)
    if not path.exists():
        raise InputError.single(str(path), "file not found", fix="check the path of --counts")
    text_columns = [group_alias(g) for g in spec.group_columns] + [
        outcome_alias(o) for o in spec.outcome_columns
    ]
    number_columns = ["n"]
    for column in spec.numeric:
        number_columns += [f"n__{column}", f"sum__{column}", f"sumsq__{column}"]
    # Group values are text and may legitimately read 'NA' or 'null': only an empty cell is
    # missing. Numbers may come back from a warehouse as NULL when a cell had no values.
    missing_markers = {c: [""] for c in text_columns if c.startswith("o__")}
    missing_markers.update({c: ["", "NULL", "null", "NaN", "nan"] for c in number_columns})
    try:
        frame = pd.read_csv(
            path,
            dtype={c: "string" for c in text_columns},
            keep_default_na=False,
            na_values=missing_markers,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise InputError.single(str(path), f"cannot be read as CSV: {error}") from None
    needed = [*text_columns, *number_columns]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise InputError.single(
            str(path),
            f"the counts file lacks the columns {quoted_list(missing)}",
            expected=f"the columns of the counting query: {quoted_list(needed)}",
            found=f"columns {quoted_list(frame.columns)}",
            fix="produce the counts with the query from 'auditkit bias … --print-sql' and the same options",
        )
    for column in number_columns:
        try:
            frame[column] = pd.to_numeric(frame[column]).fillna(0)
        except (ValueError, TypeError):
            raise InputError.single(
                str(path),
                f"column {column!r} of the counts holds values that are not numbers",
                column_name=column,
            ) from None
        values = frame[column]
        counting = column == "n" or column.startswith("n__")
        bad = ~values.map(math.isfinite) | (
            (values < 0) | (values != values.round()) if counting else False
        )
        if bad.any():
            row = int(bad.idxmax()) + 1
            raise InputError.single(
                str(path),
                f"column {column!r} of the counts holds "
                + (
                    "a count that is not a whole number of rows, 0 or more"
                    if counting
                    else "a value that is not finite"
                ),
                line=row,
                column_name=column,
                expected="whole counts (0 or more)" if counting else "finite sums",
                fix="produce the counts with the query from 'auditkit bias … --print-sql' unchanged",
            )
    for column in text_columns:
        # --save-counts neutralised formula-looking values for spreadsheets: undo it.
        frame[column] = frame[column].map(lambda v: v if pd.isna(v) else unsafe_cell(v))
        if column.startswith("g__"):
            frame[column] = frame[column].fillna("(missing)").replace("", "(missing)")
    counts = Counts(frame=frame, source=str(path), rows=int(frame["n"].sum()) if len(frame) else 0)
    validate_counts(counts, spec, None, None)
    return counts


def validate_counts(
    counts: Counts,
    spec: CheckSpec,
    connection: duckdb.DuckDBPyConnection | None,
    source: LogSource | None,
) -> None:
    frame = counts.frame
    file = counts.source
    if counts.rows == 0:
        raise InputError.single(
            file, "the log has no data rows", expected="at least one row besides the header"
        )
    problems: list[Problem] = []

    def where(column: str, condition: str) -> dict:
        if connection is None or source is None:
            return {"column_name": column}
        row = first_row_where(connection, source, condition)
        return {"column_name": column, "line": row} if row else {"column_name": column}

    for binary in spec.binary:
        values = sorted(str(v) for v in frame[outcome_alias(binary.name)].dropna().unique())
        unexpected = [v for v in values if binary.classify(v) is None]
        if unexpected:
            first = unexpected[0].replace("'", "''")
            location = where(binary.name, f"CAST({quote(binary.name)} AS VARCHAR) = '{first}'")
            problems.append(
                Problem(
                    file,
                    f"column {binary.name!r} holds values other than yes/no values",
                    expected=binary.expected(),
                    found=shown_values(unexpected),
                    fix="map the values with --positive VALUE, or clean the column",
                    **location,
                )
            )
        elif binary.positive is not None and not any(
            same_value(v, binary.positive) for v in values
        ):
            problems.append(_missing_positive(file, binary, values))
    for column in spec.categorical:
        values = frame[outcome_alias(column)].dropna().unique()
        if len(values) > MAX_CATEGORIES:
            problems.append(
                Problem(
                    file,
                    f"column {column!r} has {len(values)} different values",
                    expected=f"a category with at most {MAX_CATEGORIES} values (segments, offers)",
                    found=shown_values(sorted(map(str, values))),
                    fix="check that this is the segment column",
                    column_name=column,
                )
            )
    for column in spec.numeric:
        bad = f"bad__{column}"
        if bad in frame.columns and frame[bad].sum() > 0:
            location = where(
                column,
                f"{quote(column)} IS NOT NULL AND TRY_CAST({quote(column)} AS DOUBLE) IS NULL",
            )
            problems.append(
                Problem(
                    file,
                    f"column {column!r} holds values that are not numbers",
                    expected="numbers (empty cells are fine: they count as missing)",
                    found=f"{int(frame[bad].sum())} values that are not numbers",
                    fix="clean the column, or leave the cells empty",
                    **location,
                )
            )
    for column in spec.group_columns:
        values = frame[group_alias(column)].unique()
        if len(values) >= IDENTIFIER_MIN and len(values) > 0.5 * counts.rows:
            problems.append(
                Problem(
                    file,
                    f"group column {column!r} has a different value in almost every row "
                    f"({len(values):,} values in {counts.rows:,} rows): it identifies people, it "
                    "does not group them, and comparing it would print every value",
                    expected="a column that puts customers in a few groups (language, age band, region)",
                    fix="choose another --group column",
                    column_name=column,
                )
            )
            continue
        if len(values) < 2:
            problems.append(
                Problem(
                    file,
                    f"group column {column!r} has one value only ({values[0]!r}): there is nothing to compare",
                    expected="a column that splits customers into two or more groups",
                    fix="choose another --group column",
                    column_name=column,
                )
            )
    if problems:
        raise InputError(problems)


def _missing_positive(file: str, binary: BinaryColumn, values: list[str]) -> Problem:
    return Problem(
        file,
        f"the positive value {binary.positive!r} never occurs in column {binary.name!r}",
        expected=f"--positive set to one of the column's values: {shown_values(values)}",
        found=repr(binary.positive),
        fix="check the spelling and case of --positive",
        column_name=binary.name,
    )
