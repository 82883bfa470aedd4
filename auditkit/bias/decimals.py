"""Numbers written with a decimal comma (``169,5``), as Excel in much of Europe saves them.

A log's numeric columns (wait times, satisfaction, scores) are read as text and converted in
the counting query. With a decimal comma, ``169,5`` would be "not a number" and 4,000 rows of
wait times would be refused with no word about why. So:

- ``decimal=","`` (``--decimal ,``): every text number column is read with a decimal comma;
  a point then separates thousands (``1.234,5`` is 1234.5), as it does where the comma is
  the decimal mark.
- ``decimal="."``: numbers are read as written in English; nothing is guessed.
- Not given: detected per column, only where the file's own separator cannot be the comma
  (a ``;`` or tab CSV, or a workbook's text cells): a column whose numbers have commas and
  none of which has a decimal point is read with a decimal comma. In a ``,`` CSV a comma
  inside a number is ambiguous (``"1,234"`` is a thousand in English), so nothing is guessed
  and a refused column that looks like decimal-comma numbers gets that hint.

The conversion is DuckDB SQL over the file's text (file logs only: an engine's table holds
typed numbers).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from auditkit.bias.sql import quote

if TYPE_CHECKING:
    import duckdb

    from auditkit.bias.logs import LogSource

# 169,5 · -0,25 · 1.234,5 · 12: a decimal-comma number (a point only between thousands).
COMMA_NUMBER = r"[+-]?([0-9]{1,3}([.][0-9]{3})+|[0-9]+)(,[0-9]+)?"
WITH_COMMA = r"[+-]?([0-9]{1,3}([.][0-9]{3})+|[0-9]+),[0-9]+"
WITH_POINT = r"[+-]?[0-9]*[.][0-9]+([eE][+-]?[0-9]+)?"
MARKS = {".": ".", ",": ",", "point": ".", "comma": ","}


def comma_to_point(expression: str) -> str:
    """A DuckDB expression: the text of ``expression`` with a decimal comma made a point
    (and thousands points removed) when it is a decimal-comma number; otherwise unchanged."""
    text = f"TRIM(CAST({expression} AS VARCHAR))"
    return (
        f"CASE WHEN regexp_full_match({text}, '{COMMA_NUMBER}') "
        f"THEN REPLACE(REPLACE({text}, '.', ''), ',', '.') ELSE {text} END"
    )


def decimal_mark(value: str | None) -> str | None:
    """The decimal mark asked for: '.', ',' or None (detect); anything else is refused."""
    from auditkit.errors import InputError
    from auditkit.i18n import _

    if value is None or value == "":
        return None
    mark = MARKS.get(str(value).strip().lower())
    if mark is None:
        raise InputError.single(
            "{{decimal}}",
            _("is the mark between whole numbers and decimals: '.' or ','"),
            found=repr(value),
            fix=_("use {{decimal ,}} for numbers written 169,5, or {{decimal .}} for 169.5"),
        )
    return mark


def with_decimal_comma(
    connection: duckdb.DuckDBPyConnection, source: LogSource, numeric: tuple[str, ...]
) -> LogSource:
    """``source`` with the text number columns that are read with a decimal comma."""
    text_columns = [c for c in numeric if c in source.columns and c not in source.numeric]
    if source.decimal == "," or not text_columns:
        return replace(source, decimal_comma=frozenset(text_columns))
    if source.decimal == "." or source.format not in ("csv", "xlsx"):
        return source
    if source.format == "csv" and source.delimiter == ",":
        return source
    comma = frozenset(c for c in text_columns if _marks(connection, source, c) == (True, False))
    return replace(source, decimal_comma=comma)


def looks_decimal_comma(
    connection: duckdb.DuckDBPyConnection, source: LogSource, column: str
) -> bool:
    """Whether a column refused as "not numbers" holds decimal-comma numbers (for a hint)."""
    return _marks(connection, source, column)[0]


def _marks(connection, source: LogSource, column: str) -> tuple[bool, bool]:
    """(has a decimal-comma number, has a decimal-point number) in ``column``."""
    text = f"TRIM(CAST({quote(column)} AS VARCHAR))"
    found = connection.execute(
        f"SELECT bool_or(regexp_full_match({text}, '{WITH_COMMA}')), "
        f"bool_or(regexp_full_match({text}, '{WITH_POINT}')) FROM {source.relation}"
    ).fetchone()
    return bool(found and found[0]), bool(found and found[1])
