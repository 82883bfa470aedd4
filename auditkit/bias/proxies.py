"""Proxy warning: columns strongly associated with a protected group column.

A segmentation rule that never looks at language can still treat languages differently through
a postcode or a shop branch that goes with it. For every other column with 2–200 values, one
GROUPING SETS scan gives its contingency table with each group column. A column is reported as
a **proxy** only when both hold:

* the association is strong: Bergsma's bias-corrected Cramér's V at or above the threshold
  (default 0.3) — plain V is biased upward for many values and few rows (600 rows and 100
  random postcodes give V ≈ 0.4 from noise alone);
* it is not chance: a test of independence, significant after the check's correction over all
  candidate pairs (one family for the proxy tests, corrected the same way as the metrics). The
  test is Pearson's χ² when every expected cell is at least 5, otherwise a permutation test of
  the same statistic (999 shuffles, fixed seed: the same log gives the same answer).

A column with fewer than ``MIN_ROWS_PER_VALUE`` rows per value on average is "cannot tell",
never "no proxy". The association is reported with a 95 % interval (from the noncentral χ²),
the number of values and the rows behind it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from auditkit.bias.logs import LogSource
from auditkit.bias.model import ProxyResult
from auditkit.bias.sql import quote
from auditkit.bias.stats import adjust, bias_corrected_cramers_v

if TYPE_CHECKING:
    import duckdb

MAX_DISTINCT = 200  # identifiers and free text are not proxies worth a contingency table
MIN_ROWS_PER_VALUE = 5
PERMUTATIONS = 999
PERMUTATION_MAX_ROWS = 200_000  # above this, expected cells are large enough for χ² anyway


def find_proxies(
    connection: duckdb.DuckDBPyConnection,
    source: LogSource,
    protected: tuple[str, ...],
    candidates: tuple[str, ...],
    threshold: float,
    correction: str = "holm",
    alpha: float = 0.05,
) -> tuple[ProxyResult, ...]:
    """Every (candidate, protected) pair, with its verdict, strongest association first."""
    candidates = tuple(c for c in candidates if c not in protected)
    if not candidates or not protected:
        return ()
    distinct_sql = ", ".join(f"approx_count_distinct({quote(c)})" for c in candidates)
    distinct = connection.execute(f"SELECT {distinct_sql} FROM {source.relation}").fetchone()
    usable = [c for c, d in zip(candidates, distinct, strict=True) if 2 <= d <= MAX_DISTINCT]
    tables: list[tuple[str, str, dict[tuple[str, str], float]]] = []
    for group in protected:
        if not usable:
            break
        columns = [*usable, group]
        select = ", ".join(f"{quote(c)}" for c in columns)
        grouping = ", ".join(f"GROUPING({quote(c)}) AS {quote('grouping__' + c)}" for c in usable)
        sets = ", ".join(f"({quote(c)}, {quote(group)})" for c in usable)
        missing = "'(missing)'"
        inner = ", ".join(
            f"COALESCE(CAST({quote(c)} AS VARCHAR), {missing}) AS {quote(c)}" for c in columns
        )
        sql = (
            f"SELECT {select}, {grouping}, COUNT(*) AS n FROM (SELECT {inner} FROM "
            f"{source.relation}) GROUP BY GROUPING SETS ({sets})"
        )
        frame = connection.execute(sql).df()
        for column in usable:
            part = frame[frame["grouping__" + column] == 0]
            table = {(str(r[column]), str(r[group])): float(r["n"]) for _, r in part.iterrows()}
            tables.append((column, group, table))
    return judge_proxies(tables, threshold, correction, alpha)


def judge_proxies(
    tables: list[tuple[str, str, dict[tuple[str, str], float]]],
    threshold: float,
    correction: str = "holm",
    alpha: float = 0.05,
) -> tuple[ProxyResult, ...]:
    """Verdicts for contingency tables (candidate column, protected column, counts); pure."""
    measured = []
    for column, group, table in tables:
        values = len({row for row, _ in table})
        rows = int(sum(table.values()))
        association = bias_corrected_cramers_v(table)
        if association is None or rows / max(values, 1) < MIN_ROWS_PER_VALUE:
            measured.append((column, group, values, rows, association, None, "none"))
            continue
        p_value, test = _independence_p_value(table, association[1])
        measured.append((column, group, values, rows, association, p_value, test))
    tested = [index for index, m in enumerate(measured) if m[5] is not None]
    adjusted = dict(zip(tested, adjust([measured[i][5] for i in tested], correction), strict=True))
    results = []
    for index, (column, group, values, rows, association, p_value, test) in enumerate(measured):
        if p_value is None:
            results.append(
                ProxyResult(
                    column, group, None, None, values, rows, None, None, test, "cannot tell"
                )
            )
            continue
        v, chi2, r, k = association
        p_adjusted = adjusted[index]
        verdict = "proxy" if p_adjusted <= alpha and v >= threshold else "no proxy shown"
        results.append(
            ProxyResult(
                column,
                group,
                v,
                _v_interval(chi2, rows, r, k),
                values,
                rows,
                p_value,
                p_adjusted,
                test,
                verdict,
            )
        )
    order = {"proxy": 0, "cannot tell": 1, "no proxy shown": 2}
    return tuple(
        sorted(
            results, key=lambda p: (order[p.verdict], -(p.cramers_v or 0), p.column, p.protected)
        )
    )


def _independence_p_value(table: dict[tuple[str, str], float], chi2: float) -> tuple[float, str]:
    """χ² when every expected cell is ≥ 5, else a permutation test of the same statistic."""
    import numpy as np
    from scipy.special import chdtrc  # χ²'s upper tail

    rows = sorted({r for r, _ in table})
    cols = sorted({c for _, c in table})
    counts = np.array([[table.get((r, c), 0.0) for c in cols] for r in rows])
    total = counts.sum()
    expected = np.outer(counts.sum(axis=1), counts.sum(axis=0)) / total
    df = (len(rows) - 1) * (len(cols) - 1)
    if expected.min() >= 5 or total > PERMUTATION_MAX_ROWS:
        return float(chdtrc(df, chi2)), "chi-square"
    # Rebuild row-level labels from the counts, shuffle one side, recount.
    row_index = np.repeat(np.repeat(np.arange(len(rows)), len(cols)), counts.astype(int).ravel())
    col_index = np.repeat(np.tile(np.arange(len(cols)), len(rows)), counts.astype(int).ravel())
    generator = np.random.default_rng(20261123)
    shape = (len(rows), len(cols))
    at_least = 0
    for _ in range(PERMUTATIONS):
        shuffled = generator.permutation(col_index)
        observed = np.bincount(row_index * len(cols) + shuffled, minlength=shape[0] * shape[1])
        observed = observed.reshape(shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            statistic = np.nansum((observed - expected) ** 2 / expected)
        if statistic >= chi2 - 1e-9:
            at_least += 1
    return (at_least + 1) / (PERMUTATIONS + 1), "permutation"


def _v_interval(chi2: float, rows: int, r: int, k: int) -> tuple[float, float] | None:
    """95 % interval for (uncorrected) V from the noncentral χ²'s noncentrality."""
    from scipy.special import chndtr  # the noncentral χ²'s distribution function

    df = (r - 1) * (k - 1)
    scale = rows * (min(r, k) - 1)
    if scale <= 0:
        return None

    def noncentrality(probability: float) -> float:
        # The distribution function falls as the noncentrality grows: bisect for the root.
        f = lambda lam: float(chndtr(chi2, df, lam)) - probability  # noqa: E731
        if f(0.0) < 0:
            return 0.0
        low, high = 0.0, max(10.0, chi2 * 4 + 100)
        while f(high) > 0:
            low, high = high, high * 2
        while high - low > 1e-9 * max(1.0, high):
            middle = (low + high) / 2
            low, high = (middle, high) if f(middle) > 0 else (low, middle)
        return (low + high) / 2

    low, high = noncentrality(0.975), noncentrality(0.025)
    return (min(1.0, math.sqrt(low / scale)), min(1.0, math.sqrt(high / scale)))
