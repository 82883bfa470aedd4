"""The counting query: one GROUP BY over groups × outcome values, the same for every engine.

This one scan is all that touches rows. It runs on DuckDB for a local file, on the engine that
holds the log for ``--connection``, or is printed with ``--print-sql`` for a warehouse, whose
result ``--counts`` reads back. Its result, a few hundred cells, is the only input to the
metrics, so every path gives the same numbers. What differs between engines is kept in
``bias/dialects.py``.

Columns of the result:
  g__<group>            the group value as text, '(missing)' when empty or blank
  o__<outcome>          the outcome value as text (NULL when missing, blank or a marker
                        such as NA, nan or NULL: dialects.MISSING_MARKERS)
  n                     rows in the cell
  n__<x>, sum__<x>, sumsq__<x>   count, Σx and Σx² of numeric column x
  bad__<x>              values of x that are not numbers (blank text and the missing
                        markers count as missing)
"""

from __future__ import annotations

from auditkit.bias.dialects import DIALECTS, FINITE
from auditkit.bias.spec import CheckSpec

MISSING = "(missing)"
DIALECT_NAMES = tuple(DIALECTS)


def quote(name: str, dialect: str = "duckdb") -> str:
    return DIALECTS[dialect].quote(name)


def group_alias(column: str) -> str:
    return f"g__{column}"


def outcome_alias(column: str) -> str:
    return f"o__{column}"


def _written(column: str, decimal_comma: bool) -> str:
    """A key column as counted: a score written with a decimal comma ("0,73") as "0.73"."""
    if not decimal_comma:
        return column
    from auditkit.bias.decimals import comma_to_point

    return comma_to_point(column)


def counting_sql(
    spec: CheckSpec,
    table: str,
    dialect: str = "duckdb",
    numeric: frozenset[str] = frozenset(),
    decimal_comma: frozenset[str] = frozenset(),
) -> str:
    """The counting query over ``table`` (a quoted table name or a parenthesised query).

    Three levels, innermost first: each row's keys and its numbers converted once (``rows``);
    the rows grouped by the raw key values (``cells``); and only those few cells cast to text,
    since casting every row first would cost more than the scan itself. Columns in ``numeric``
    are numbers on the engine already and skip the checked conversion; text columns in
    ``decimal_comma`` are read with a decimal comma (DuckDB only: ``bias/decimals.py``).
    """
    d = DIALECTS[dialect]
    q = d.quote
    keys = [*spec.group_columns, *spec.outcome_columns]
    key_names = [q(f"k{i}") for i in range(len(keys))]
    row_columns = [
        f"{_written(q(column), column in decimal_comma and column in spec.outcome_columns)} "
        f"AS {name}"
        for column, name in zip(keys, key_names, strict=True)
    ]
    inner = [*key_names, f"COUNT(*) AS {q('n')}"]
    outer: list[str] = []
    shown: list[tuple[str, str]] = [  # (expression, alias) of the outer query's keys
        (f"COALESCE(NULLIF({d.as_text(name)}, ''), '{MISSING}')", group_alias(column))
        for column, name in zip(spec.group_columns, key_names, strict=False)
    ]
    shown += [
        (d.marker_is_null(name), outcome_alias(column))
        for column, name in zip(
            spec.outcome_columns, key_names[len(spec.group_columns) :], strict=True
        )
    ]
    outer += [f"{expression} AS {q(alias)}" for expression, alias in shown]
    outer.append(f"SUM({q('n')}) AS {q('n')}")
    for index, column in enumerate(spec.numeric):
        value, given = q(f"v{index}"), q(f"t{index}")
        checked = column not in numeric
        if checked:
            written = q(column)
            if column in decimal_comma:
                from auditkit.bias.decimals import comma_to_point

                written = comma_to_point(written)
            row_columns.append(f"{d.safe_number(written)} AS {value}")
            row_columns.append(f"{d.blank_is_null(q(column))} AS {given}")
        else:  # stored as a number: only finite values count (a NaN in Arrow or Parquet is none)
            cast = f"CAST({q(column)} AS {d.number})"
            row_columns.append(f"CASE WHEN {cast} {FINITE} THEN {cast} END AS {value}")
        parts = [
            ("n__", f"COUNT({value})"),
            ("sum__", f"SUM({value})"),
            ("sumsq__", f"SUM({value} * {value})"),
        ]
        if checked:
            parts.append(
                (
                    "bad__",
                    f"SUM(CASE WHEN {given} IS NOT NULL AND {value} IS NULL THEN 1 ELSE 0 END)",
                )
            )
        for prefix, expression in parts:
            inner.append(f"{expression} AS {q(prefix + column)}")
            outer.append(f"SUM({q(prefix + column)}) AS {q(prefix + column)}")
    return "\n".join(
        [
            "SELECT",
            "  " + ",\n  ".join(outer),
            "FROM (",
            "  SELECT",
            "    " + ",\n    ".join(inner),
            "  FROM (",
            "    SELECT",
            "      " + ",\n      ".join(row_columns),
            f"    FROM {table} {q('src')}",  # a derived table needs a name (PostgreSQL 15, T-SQL)
            f"  ) {q('log_rows')}",
            f"  GROUP BY {', '.join(key_names)}",
            f") {q('cells')}",
            f"GROUP BY {', '.join(expression for expression, _ in shown)}",
            f"ORDER BY {', '.join(q(alias) for _, alias in shown)}",
        ]
    )
