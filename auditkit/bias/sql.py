"""The counting query: one GROUP BY over groups × outcome values, in several SQL dialects.

This one scan is all that touches rows. DuckDB runs it on a local file; for logs too big for one
machine, ``--print-sql`` prints the same query for a warehouse, and ``--counts`` reads its result
back. The counts it returns are the only input to the metrics, so both paths give the same
numbers.

Columns of the result:
  g__<group>            the group value as text, '(missing)' when empty
  o__<outcome>          the outcome value as text (NULL when missing)
  n                     rows in the cell
  n__<x>, sum__<x>, sumsq__<x>   count, Σx and Σx² of numeric column x
  bad__<x>              (DuckDB only) values of x that are not numbers
"""

from __future__ import annotations

from auditkit.bias.spec import CheckSpec

MISSING = "(missing)"
DIALECTS = ("duckdb", "postgres", "bigquery", "spark")

_TEXT = {"duckdb": "VARCHAR", "postgres": "VARCHAR", "bigquery": "STRING", "spark": "STRING"}
_FLOAT = {
    "duckdb": "DOUBLE",
    "postgres": "DOUBLE PRECISION",
    "bigquery": "FLOAT64",
    "spark": "DOUBLE",
}


def quote(name: str, dialect: str = "duckdb") -> str:
    if dialect in ("bigquery", "spark"):
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'


def group_alias(column: str) -> str:
    return f"g__{column}"


def outcome_alias(column: str) -> str:
    return f"o__{column}"


NUMERIC_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "FLOAT",
    "DOUBLE",
    "REAL",
    "DECIMAL",
)


def counting_sql(
    spec: CheckSpec, table: str, dialect: str = "duckdb", types: dict[str, str] | None = None
) -> str:
    """The counting query over ``table`` (a table name or a table expression).

    Rows are first grouped by the raw column values, and only the few resulting cells are cast
    to text: casting every row first would cost more than the scan itself. ``types`` (DuckDB's
    column types, when known) lets numeric columns skip the checked cast.
    """
    text, number = _TEXT[dialect], _FLOAT[dialect]
    q = lambda name: quote(name, dialect)  # noqa: E731
    keys = [*spec.group_columns, *spec.outcome_columns]
    inner = [f"{q(column)} AS {q(f'k{i}')}" for i, column in enumerate(keys)]
    inner.append("COUNT(*) AS n")
    outer = [
        f"COALESCE(CAST({q(f'k{i}')} AS {text}), '{MISSING}') AS {q(group_alias(c))}"
        for i, c in enumerate(spec.group_columns)
    ]
    outer += [
        f"CAST({q(f'k{i}')} AS {text}) AS {q(outcome_alias(c))}"
        for i, c in enumerate(spec.outcome_columns, start=len(spec.group_columns))
    ]
    outer.append("SUM(n) AS n")
    for column in spec.numeric:
        known_number = types is not None and types.get(column, "").split("(")[0] in NUMERIC_TYPES
        checked = dialect == "duckdb" and not known_number
        # Blank text is a missing value in every format, as an empty CSV cell is.
        value = (
            f"TRY_CAST(NULLIF(TRIM(CAST({q(column)} AS {text})), '') AS {number})"
            if checked
            else f"CAST({q(column)} AS {number})"
        )
        parts = [
            ("n__", f"COUNT({value})"),
            ("sum__", f"SUM({value})"),
            ("sumsq__", f"SUM({value} * {value})"),
        ]
        if checked:
            parts.append(
                (
                    "bad__",
                    f"SUM(CASE WHEN NULLIF(TRIM(CAST({q(column)} AS {text})), '') IS NOT NULL "
                    f"AND {value} IS NULL THEN 1 ELSE 0 END)",
                )
            )
        for prefix, expression in parts:
            inner.append(f"{expression} AS {q(prefix + column)}")
            outer.append(f"SUM({q(prefix + column)}) AS {q(prefix + column)}")
    inner_keys = ", ".join(str(i) for i in range(1, len(keys) + 1))
    outer_keys = inner_keys
    return "\n".join(
        [
            "SELECT",
            "  " + ",\n  ".join(outer),
            "FROM (",
            "  SELECT",
            "    " + ",\n    ".join(inner),
            f"  FROM {table}",
            f"  GROUP BY {inner_keys}",
            ") AS cells",
            f"GROUP BY {outer_keys}",
            f"ORDER BY {outer_keys}",
        ]
    )
