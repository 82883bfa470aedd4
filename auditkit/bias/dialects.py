"""What differs between SQL engines for the counting query, and nothing else.

The counting query (``bias/sql.py``) is written once; an engine contributes only how it quotes
a name, what its text and floating-point types are called, and how it turns text into a
number without failing on a bad value. Everything in the query is otherwise standard SQL that
every engine here accepts: ``CAST``, ``COALESCE``, ``NULLIF``, ``TRIM``, ``CASE``, ``COUNT``,
``SUM`` and ``GROUP BY`` on expressions (never positions, which SQL Server rejects).

Why hand-written rather than ibis: measured in the commit that introduced this module (ibis
compiles ``try_cast`` to a plain ``CAST`` on PostgreSQL and Snowflake, needs a live Spark
session to compile Spark SQL, and adds tens of MB and a slower start). The safe conversions
below are the point of the exercise, so they are written out and tested on the engines that
run here (DuckDB, PostgreSQL, Spark) and parsed back with sqlglot for the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A number as text: optional sign, digits with an optional decimal part, optional exponent.
# Used where the engine has no TRY_CAST (PostgreSQL 15): the CAST runs only on what matches,
# and the digit limits keep it below the double range (a CAST that overflows would fail too).
NUMBER_PATTERN = r"^[+-]?([0-9]{1,15}([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]{1,2})?$"
# Finite doubles only: 'nan' and 'inf' parse in several engines but are no measurement.
FINITE = "BETWEEN -1.7e308 AND 1.7e308"


@dataclass(frozen=True)
class Dialect:
    name: str
    title: str  # for help and headers
    text: str  # the type a value is cast to for comparison as text
    number: str  # double precision
    quotes: str  # opening and closing identifier quote
    safe_cast: str | None  # TRY_CAST / SAFE_CAST, or None: use NUMBER_PATTERN
    regex: str = ""  # how the engine tests a pattern, "{value} ~ '{pattern}'"
    fold: str | None = None  # 'upper': unquoted names are upper-cased (Snowflake)

    def quote(self, name: str) -> str:
        """A column or table name, quoted so that nothing in it is read as SQL.

        Snowflake stores unquoted names in upper case, so a table loaded without quotes has
        LANGUAGE, not language: a plain lower-case name is left unquoted there, to resolve the
        way the user's own SQL would. Any other name is quoted exactly as given."""
        if (
            self.fold == "upper"
            and re.fullmatch(r"[a-z_][a-z0-9_]*", name)
            and name not in _RESERVED
        ):
            return name
        opening, closing = self.quotes
        return opening + name.replace(closing, closing * 2) + closing

    def as_text(self, expression: str) -> str:
        return f"CAST({expression} AS {self.text})"

    def blank_is_null(self, expression: str) -> str:
        """Blank text and the usual missing-value markers (``NA``, ``nan``, ``NULL`` …) are a
        missing value in every source, as an empty CSV cell is, and as pandas reads them."""
        text = f"TRIM({self.as_text(expression)})"
        return f"CASE WHEN {text} IN ({MARKERS_SQL}) THEN NULL ELSE {text} END"

    def marker_is_null(self, expression: str) -> str:
        """An outcome's text as given, but NULL when blank or a missing-value marker."""
        text = self.as_text(expression)
        return f"CASE WHEN TRIM({text}) IN ({MARKERS_SQL}) THEN NULL ELSE {text} END"

    def safe_number(self, expression: str) -> str:
        """``expression`` as a finite double, or NULL when it is missing or not a number."""
        text = self.blank_is_null(expression)
        if self.safe_cast:
            value = f"{self.safe_cast}({text} AS {self.number})"
            return f"CASE WHEN {value} {FINITE} THEN {value} END"
        # The pattern admits only finite numbers well inside the double range.
        test = self.regex.format(value=text, pattern=NUMBER_PATTERN)
        return f"CASE WHEN {test} THEN CAST({text} AS {self.number}) END"


_RESERVED = frozenset(
    [
        "all",
        "and",
        "any",
        "as",
        "asc",
        "between",
        "by",
        "case",
        "cast",
        "check",
        "column",
        "constraint",
        "create",
        "cross",
        "current",
        "current_date",
        "current_time",
        "current_timestamp",
        "current_user",
        "default",
        "delete",
        "desc",
        "distinct",
        "drop",
        "else",
        "end",
        "exists",
        "false",
        "fetch",
        "for",
        "foreign",
        "from",
        "full",
        "grant",
        "group",
        "having",
        "in",
        "inner",
        "insert",
        "intersect",
        "into",
        "is",
        "join",
        "lateral",
        "left",
        "like",
        "limit",
        "minus",
        "natural",
        "not",
        "null",
        "of",
        "on",
        "or",
        "order",
        "primary",
        "qualify",
        "references",
        "right",
        "row",
        "rows",
        "sample",
        "select",
        "set",
        "some",
        "start",
        "table",
        "then",
        "to",
        "trigger",
        "true",
        "union",
        "unique",
        "update",
        "using",
        "values",
        "when",
        "where",
        "with",
    ]
)

# What pandas' read_csv reads as missing (its default na_values), and a blank cell: exporters
# such as pyarrow's CSV writer write a missing number as "nan".
MISSING_MARKERS = (
    "",
    "NA",
    "N/A",
    "n/a",
    "NaN",
    "nan",
    "-NaN",
    "-nan",
    "NULL",
    "null",
    "None",
    "<NA>",
    "#N/A",
    "#NA",
)
MARKERS_SQL = ", ".join(f"'{marker}'" for marker in MISSING_MARKERS)

DIALECTS: dict[str, Dialect] = {
    d.name: d
    for d in (
        Dialect("duckdb", "DuckDB", "VARCHAR", "DOUBLE", '""', "TRY_CAST"),
        Dialect(
            "postgres",
            "PostgreSQL",
            "TEXT",
            "DOUBLE PRECISION",
            '""',
            None,
            regex="{value} ~ '{pattern}'",
        ),
        Dialect("bigquery", "BigQuery", "STRING", "FLOAT64", "``", "SAFE_CAST"),
        Dialect("snowflake", "Snowflake", "VARCHAR", "DOUBLE", '""', "TRY_CAST", fold="upper"),
        Dialect("spark", "Spark SQL", "STRING", "DOUBLE", "``", "TRY_CAST"),
        Dialect("databricks", "Databricks", "STRING", "DOUBLE", "``", "TRY_CAST"),
        Dialect("trino", "Trino / Presto / Athena", "VARCHAR", "DOUBLE", '""', "TRY_CAST"),
        Dialect("tsql", "SQL Server / Fabric", "NVARCHAR(4000)", "FLOAT", "[]", "TRY_CAST"),
    )
}
