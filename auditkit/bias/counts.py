"""Run the counting query (or read a warehouse's counts) and check what the counts reveal.

Checking on counts instead of rows keeps the scan single: unexpected outcome values, numbers
that are not numbers, a group column with one value, an empty log all show in the counts. Only
when a problem is found is the log read again, to name the first offending row.
"""

from __future__ import annotations

import io
import math
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from auditkit.bias.logs import LogSource, first_row_where, read_error
from auditkit.bias.spec import BinaryColumn, CheckSpec, same_value
from auditkit.bias.sql import counting_sql, group_alias, outcome_alias, quote
from auditkit.errors import InputError, Problem, fill, quoted_list
from auditkit.fileio import read_text, unsafe_cell
from auditkit.i18n import N_, _, ngettext
from auditkit.i18n.formatting import format_decimal, format_integer, percent_sign

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from auditkit.bias.engines.source import EngineSource

MAX_CATEGORIES = 50
SHOWN_VALUES = 10  # values an error message may list; beyond that only their number
IDENTIFIER_MIN = 50  # distinct values from which a group column may be an identifier
# Not a label: an e-mail address, a long number (phone, account) or words with spaces (a name,
# free text). Outcome labels are single words: yes, approved, vip, churn-risk.
PERSONAL = re.compile(r"@|\d{6,}|\s")


UNCHANGED = N_("produce the counts with the query from 'auditkit bias … --print-sql' unchanged")


def shown_values(values) -> str:
    """A column's values for an error message, unless they may be personal data: a message is
    printed, logged and pasted into tickets, so it lists at most a few short single-word
    values, never anything that looks like a name, an e-mail address or a long number."""
    values = [str(v) for v in values]
    if len(values) > SHOWN_VALUES or any(len(v) > 24 or PERSONAL.search(v) for v in values):
        return fill(
            _("{count} different values (not shown: they may be personal data)"),
            count=len(values),
        )
    return quoted_list(values)


@dataclass
class Counts:
    frame: pd.DataFrame
    source: str  # the log or the counts file
    rows: int
    decimal_comma: frozenset[str] = frozenset()  # text columns read with a decimal comma


def count_log(
    connection: duckdb.DuckDBPyConnection,
    source: LogSource,
    spec: CheckSpec,
    *,
    progress: bool = False,
) -> Counts:
    """One scan of a log file: the counting query on DuckDB, with a progress line."""
    import duckdb

    from auditkit.bias.decimals import looks_decimal_comma, with_decimal_comma

    # A score cut by --threshold is a number too: "0,73" in a ';' CSV is read as 0.73.
    scores = tuple(b.source for b in spec.binary if b.threshold is not None)
    source = with_decimal_comma(connection, source, tuple(dict.fromkeys([*spec.numeric, *scores])))
    sql = counting_sql(spec, source.relation, "duckdb", source.numeric, source.decimal_comma)

    def percent() -> float | None:
        done = connection.query_progress()
        return done if done >= 0 else None

    try:
        frame = run_with_progress(lambda: connection.execute(sql).df(), percent, progress)
    except (duckdb.BinderException, duckdb.ParserException, duckdb.CatalogException):
        raise  # our query is wrong, not the file: an internal error
    except duckdb.Error as error:  # a bad byte, a broken JSON line, a corrupt Parquet page
        # Found late in the scan (row 25,000): as located as an early problem.
        raise read_error(source, error) from None
    counts = Counts(
        frame=frame, source=source.shown, rows=int(frame["n"].sum()) if len(frame) else 0
    )
    hints = frozenset(
        column
        for column in spec.numeric
        if frame.get(f"bad__{column}") is not None
        and frame[f"bad__{column}"].sum() > 0
        and column not in source.decimal_comma
        and looks_decimal_comma(connection, source, column)
    )
    validate_counts(
        counts,
        spec,
        lambda condition: first_row_where(connection, source, condition),
        decimal_comma=source.decimal_comma,
        comma_hint=hints,
    )
    counts.source = str(source.path)
    counts.decimal_comma = source.decimal_comma
    return counts


def count_on_engine(source: EngineSource, spec: CheckSpec, *, progress: bool = False) -> Counts:
    """The counting query on the engine that holds the log; only its cells come back."""
    import pandas as pd

    engine = source.engine
    sql = counting_sql(spec, source.relation, engine.dialect, source.numeric)
    with engine.translating():
        frame = run_with_progress(
            lambda: engine.run(sql),
            engine.progress,
            progress,
            _("counting on {engine}").format(engine=engine.title),
        )
    # Engines return sums as their own types (PostgreSQL's numeric comes back as Decimal):
    # the same floats and texts as the file path, so the metrics cannot tell the two apart.
    for column in frame.columns:
        if column.startswith(("g__", "o__")):
            frame[column] = frame[column].map(lambda v: None if pd.isna(v) else str(v))
        else:
            frame[column] = pd.to_numeric(frame[column]).astype(float)
    counts = Counts(
        frame=frame, source=source.label, rows=int(frame["n"].sum()) if len(frame) else 0
    )
    validate_counts(counts, spec, None)
    return counts


def run_with_progress(
    run: Callable[[], pd.DataFrame],
    percent: Callable[[], float | None],
    progress: bool,
    what: str | None = None,
) -> pd.DataFrame:
    """``run()``, with a line on standard error after the first second: the percentage where
    the engine reports one, the elapsed time always."""
    if not progress:
        return run()
    result: dict[str, object] = {}

    def work() -> None:
        try:
            result["frame"] = run()
        except BaseException as error:  # re-raised in the calling thread
            result["error"] = error

    counting = _("counting rows")  # said in the caller's language, outside the worker
    worker = threading.Thread(target=work, daemon=True)
    started = time.monotonic()
    worker.start()
    width = 0
    while worker.is_alive():
        worker.join(0.2)
        elapsed = time.monotonic() - started
        if worker.is_alive() and elapsed > 1.0:
            try:
                done = percent()
            except Exception:  # a progress probe never fails the count
                done = None
            line = f"{what or counting}… {elapsed:4.0f} s" + (
                f" · {percent_sign(f'{format_decimal(done, 1):>5}')}" if done is not None else ""
            )
            sys.stderr.write("\r" + line)
            sys.stderr.flush()
            width = len(line)
    if width:
        sys.stderr.write("\r" + " " * width + "\r")
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["frame"]  # type: ignore[return-value]


# Counts above 2**53 are no longer exact as floating-point numbers (and no log has that many
# rows); sums beyond 1e150 would overflow when squared for a variance.
MAX_COUNT = 2**53
MAX_SUM = 1e150


def read_counts(path: Path, spec: CheckSpec) -> Counts:
    """Counts computed elsewhere (the query from --print-sql), as CSV."""
    import pandas as pd

    path = Path(path)
    # Read once: the shape check and pandas both work on this text (encodings, a BOM and
    # binary junk are handled by the project's reader, with the line named).
    text = read_text(path, expected=_("a counts CSV"), missing_fix=_("check the path of --counts"))
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
    _check_shape(path, text)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype={c: "string" for c in text_columns},
            keep_default_na=False,
            na_values=missing_markers,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InputError.single(
            str(path), fill(_("cannot be read as CSV: {reason}"), reason=error)
        ) from None
    needed = [*text_columns, *number_columns]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise InputError.single(
            str(path),
            fill(_("the counts file lacks the columns {columns}"), columns=quoted_list(missing)),
            expected=fill(
                _("the columns of the counting query: {columns}"), columns=quoted_list(needed)
            ),
            found=fill(_("columns {columns}"), columns=quoted_list(frame.columns)),
            fix=_(
                "produce the counts with the query from 'auditkit bias … --print-sql' and the "
                "same options"
            ),
        )
    incomplete = frame["n"].isna() | (frame["n"].astype("string").str.strip() == "")
    if incomplete.any():
        raise InputError.single(
            str(path),
            _("a row of the counts has no count 'n' (a line cut short?)"),
            line=int(incomplete.idxmax()) + 1,
            column_name="n",
            fix=_(UNCHANGED),
        )
    for column in number_columns:
        converted = pd.to_numeric(frame[column], errors="coerce")
        text = converted.isna() & frame[column].notna()
        if text.any():
            raise InputError.single(
                str(path),
                _("holds text where a number is expected"),
                line=int(text.idxmax()) + 1,
                column_name=column,
                expected=_("numbers, as the counting query returns them"),
                fix=_(UNCHANGED),
            )
        frame[column] = converted.fillna(0)
        values = frame[column]
        counting = column == "n" or column.startswith("n__")
        bad = ~values.map(math.isfinite) | (
            (values < 0) | (values != values.round()) | (values > MAX_COUNT)
            if counting
            else values.abs() > MAX_SUM
        )
        if bad.any():
            row = int(bad.idxmax()) + 1
            raise InputError.single(
                str(path),
                fill(
                    _(
                        "column {column} of the counts holds a count that is not a whole "
                        "number of rows from 0 to {limit}"
                    )
                    if counting
                    else _(
                        "column {column} of the counts holds a value that is not finite or "
                        "beyond ±{limit}"
                    ),
                    column=repr(column),
                    limit=f"{MAX_COUNT:.0e}" if counting else f"{MAX_SUM:.0e}",
                ),
                line=row,
                column_name=column,
                expected=_("whole counts (0 or more)") if counting else _("finite sums"),
                fix=_(UNCHANGED),
            )
    frame = frame[frame["n"] > 0].reset_index(drop=True)  # an empty cell is no group
    for column in text_columns:
        # --save-counts neutralised formula-looking values for spreadsheets: undo it.
        frame[column] = frame[column].map(lambda v: v if pd.isna(v) else unsafe_cell(v))
        if column.startswith("g__"):
            frame[column] = frame[column].fillna("(missing)").replace("", "(missing)")
    counts = Counts(frame=frame, source=str(path), rows=int(frame["n"].sum()) if len(frame) else 0)
    validate_counts(counts, spec, None)
    return counts


def _check_shape(path: Path, text: str) -> None:
    """Every line of a counts file has the header's number of cells. (pandas would quietly
    turn a line with extra cells into an index, or drop them.) Counts files are small."""
    import csv
    import io

    try:
        rows = csv.reader(io.StringIO(text, newline=""))
        header = next(rows, None)
        if not header:
            raise InputError.single(
                str(path), _("the counts file is empty"), expected=_("a header and counts")
            )
        for row in rows:
            if row and len(row) != len(header):
                raise InputError.single(
                    str(path),
                    fill(
                        _("this line has {found} cells where the header has {expected}"),
                        found=len(row),
                        expected=len(header),
                    ),
                    line=rows.line_num,
                    fix=_(UNCHANGED),
                )
    except csv.Error as error:
        raise InputError.single(
            str(path), fill(_("cannot be read as CSV: {reason}"), reason=error)
        ) from None


def validate_counts(
    counts: Counts,
    spec: CheckSpec,
    locate: Callable[[str], int | None] | None,
    *,
    decimal_comma: frozenset[str] = frozenset(),
    comma_hint: frozenset[str] = frozenset(),
) -> None:
    """What the counts reveal about the log. ``locate`` finds the first row matching a DuckDB
    condition, to name it (files only: an engine's table has no row numbers to give).
    ``decimal_comma``: columns read with a decimal comma; ``comma_hint``: refused columns
    whose values look like decimal-comma numbers, whose fix says so."""
    frame = counts.frame
    file = counts.source
    if counts.rows == 0:
        raise InputError.single(
            file, _("the log has no data rows"), expected=_("at least one row besides the header")
        )
    problems: list[Problem] = []

    def where(column: str, condition: str) -> dict:
        row = locate(condition) if locate else None
        return {"column_name": column, "line": row} if row else {"column_name": column}

    checked: set[str] = set()
    for binary in spec.binary:
        if binary.source in checked:
            continue  # several --threshold values on one score: one column to check
        checked.add(binary.source)
        column = binary.source
        values = sorted(str(v) for v in frame[outcome_alias(column)].dropna().unique())
        unexpected = [v for v in values if binary.classify(v) is None]
        if unexpected:
            first = unexpected[0].replace("'", "''")
            location = where(column, f"CAST({quote(column)} AS VARCHAR) = '{first}'")
            scored = binary.threshold is not None
            problems.append(
                Problem(
                    file,
                    _("holds text where a score (a number) is expected")
                    if scored
                    else _("holds values other than yes/no values"),
                    expected=binary.expected(),
                    found=shown_values(unexpected),
                    fix=_("clean the column, or leave the cells empty")
                    if scored
                    else _("map the values with {{positive VALUE}}, or clean the column"),
                    **location,
                )
            )
        elif binary.positive is not None and _a_score(values):
            problems.append(_positive_on_a_score(file, binary, values))
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
                    fill(
                        _("column {column} has {count} different values"),
                        column=repr(column),
                        count=len(values),
                    ),
                    expected=fill(
                        _("a category with at most {count} values (segments, offers)"),
                        count=MAX_CATEGORIES,
                    ),
                    found=shown_values(sorted(map(str, values))),
                    fix=_("check that this is the segment column"),
                    column_name=column,
                )
            )
    for column in spec.numeric:
        bad = f"bad__{column}"
        if bad in frame.columns and frame[bad].sum() > 0:
            written = quote(column)
            if column in decimal_comma:
                from auditkit.bias.decimals import comma_to_point

                written = comma_to_point(written)
            location = where(
                column,
                f"TRIM(CAST({quote(column)} AS VARCHAR)) <> '' "
                f"AND TRY_CAST({written} AS DOUBLE) IS NULL",
            )
            if column in comma_hint:
                fix = _(
                    "these look like numbers written with a decimal comma (169,5): "
                    "read them so with {{decimal ,}}"
                )
            elif column in decimal_comma:
                fix = _("the column is read with a decimal comma (169,5): clean the other values")
            else:
                fix = _("clean the column, or leave the cells empty")
            problems.append(
                Problem(
                    file,
                    _("holds text where numbers are expected"),
                    expected=_(
                        "numbers, written with a decimal comma (empty cells and blank text are "
                        "fine: they count as missing)"
                    )
                    if column in decimal_comma
                    else _("numbers (empty cells and blank text are fine: they count as missing)"),
                    found=_values_not_numbers(int(frame[bad].sum())),
                    fix=fix,
                    **location,
                )
            )
    for column in spec.group_columns:
        values = frame[group_alias(column)].unique()
        if len(values) >= IDENTIFIER_MIN and len(values) > 0.5 * counts.rows:
            problems.append(
                Problem(
                    file,
                    fill(
                        _(
                            "group column {column} has a different value in almost every row "
                            "({values} values in {rows} rows): it identifies people, it does "
                            "not group them, and comparing it would print every value"
                        ),
                        column=repr(column),
                        values=format_integer(len(values)),
                        rows=format_integer(counts.rows),
                    ),
                    expected=_(
                        "a column that puts customers in a few groups (language, age band, region)"
                    ),
                    fix=_("choose another group column ({{group}})"),
                    column_name=column,
                )
            )
            continue
        if len(values) < 2:
            problems.append(
                Problem(
                    file,
                    fill(
                        _(
                            "group column {column} has one value only ({value}): there is "
                            "nothing to compare"
                        ),
                        column=repr(column),
                        value=repr(values[0]),
                    ),
                    expected=_("a column that splits customers into two or more groups"),
                    fix=_("choose another group column ({{group}})"),
                    column_name=column,
                )
            )
    if problems:
        raise InputError(problems)


def _values_not_numbers(count: int) -> str:
    return fill(
        ngettext(
            "{count} value that is not a number", "{count} values that are not numbers", count
        ),
        count=format_integer(count),
    )


SCORE_VALUES = 5  # a numeric column with more values than this is a score, not a label


def _a_score(values: list[str]) -> bool:
    numbers = set()
    for value in values:
        try:
            numbers.add(float(value))
        except ValueError:
            return False
    return len(numbers) > SCORE_VALUES


def _positive_on_a_score(file: str, binary: BinaryColumn, values: list[str]) -> Problem:
    """``--positive 7`` on a 1–10 risk score would count only the rows that are exactly 7."""
    return Problem(
        file,
        fill(
            _(
                "holds {count} different numbers: it looks like a score, and a positive value "
                "of {value} would count only the rows equal to {value}"
            ),
            count=len(values),
            value=binary.positive,
        ),
        expected=_("a yes/no decision, or a score checked at a cut-off"),
        found=shown_values(values),
        fix=fill(
            _(
                "check decisions made by a cut-off with the generic check's "
                "{{score {column}}} {{threshold {value}}} (selected when the score is at "
                "least the threshold; several thresholds may be given)"
            ),
            column=binary.name,
            value=binary.positive,
        ),
        column_name=binary.name,
    )


def _missing_positive(file: str, binary: BinaryColumn, values: list[str]) -> Problem:
    return Problem(
        file,
        fill(
            _("the positive value {value} never occurs in column {column}"),
            value=repr(binary.positive),
            column=repr(binary.name),
        ),
        expected=fill(
            _("{{positive}} set to one of the column's values: {values}"),
            values=shown_values(values),
        ),
        found=repr(binary.positive),
        fix=_("check the spelling and case of {{positive}}"),
        column_name=binary.name,
    )
