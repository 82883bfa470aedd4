"""Proxy warning: columns strongly associated with a protected group column.

A segmentation rule that never looks at language can still treat languages differently through
a postcode or a shop branch that goes with it. For every other low-cardinality column of the
log, Cramér's V with each group column is computed from one GROUPING SETS scan; columns at or
above the threshold (default 0.3) are reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditkit.bias.logs import LogSource
from auditkit.bias.model import ProxyWarning
from auditkit.bias.sql import quote
from auditkit.bias.stats import cramers_v

if TYPE_CHECKING:
    import duckdb

MAX_DISTINCT = 200  # identifiers and free text are not proxies worth a contingency table


def find_proxies(
    connection: duckdb.DuckDBPyConnection,
    source: LogSource,
    protected: tuple[str, ...],
    candidates: tuple[str, ...],
    threshold: float,
) -> tuple[ProxyWarning, ...]:
    candidates = tuple(c for c in candidates if c not in protected)
    if not candidates or not protected:
        return ()
    distinct_sql = ", ".join(f"approx_count_distinct({quote(c)})" for c in candidates)
    distinct = connection.execute(f"SELECT {distinct_sql} FROM {source.relation}").fetchone()
    usable = [c for c, d in zip(candidates, distinct, strict=True) if 2 <= d <= MAX_DISTINCT]
    warnings = []
    for group in protected:
        if not usable:
            break
        columns = [*usable, group]
        select = ", ".join(f"CAST({quote(c)} AS VARCHAR) AS {quote(c)}" for c in columns)
        grouping = ", ".join(f"GROUPING({quote(c)}) AS {quote('grouping__' + c)}" for c in usable)
        sets = ", ".join(f"({quote(c)}, {quote(group)})" for c in usable)
        sql = (
            f"SELECT {select}, {grouping}, COUNT(*) AS n FROM "
            f"(SELECT {', '.join(f'COALESCE(CAST({quote(c)} AS VARCHAR), {chr(39)}(missing){chr(39)}) AS {quote(c)}' for c in columns)} "
            f"FROM {source.relation}) GROUP BY GROUPING SETS ({sets})"
        )
        frame = connection.execute(sql).df()
        for column in usable:
            part = frame[frame["grouping__" + column] == 0]
            table = {(str(r[column]), str(r[group])): float(r["n"]) for _, r in part.iterrows()}
            v = cramers_v(table)
            if v is not None and v >= threshold:
                warnings.append(ProxyWarning(column=column, protected=group, cramers_v=round(v, 6)))
    return tuple(sorted(warnings, key=lambda w: (-w.cramers_v, w.column, w.protected)))
