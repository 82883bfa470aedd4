"""The tables New York City's Local Law 144 asks a bias audit of a hiring tool to publish.

6 RCNY § 5-301 (DCWP's rules) asks, for a tool that selects candidates: the selection rate of
each category (selected ÷ applicants in it) and its impact ratio (its rate ÷ the rate of the
most selected category), separately for sex, for race/ethnicity and for their intersections;
the number of individuals left out because their category is unknown; and lets the auditor
leave a category under 2 % of the data out of the impact ratios, reporting its count and rate.
For a tool that scores, the same table uses the scoring rate (the share scoring above the
sample's median), which this computes when the check's cut score is that median.

Pure functions of counts, with their edge cases:

- a category whose value is missing in the log (``(missing)``) is *unknown*: counted, never in a
  rate or a ratio; in the intersection table a row missing any of its values is unknown;
- "the data being used" for the 2 % rule is every individual with an outcome, unknown included;
- the reference rate is the highest among the categories not under 2 %; when every category is
  under 2 % (or none is known) there is no reference and no ratio;
- a highest rate of zero (nobody selected) leaves every ratio undefined (``None``), never 0/0.

The four-fifths figure (a ratio under 0.80) is the EEOC's rule of thumb; the law sets no pass
mark, and outputs say so wherever they flag it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

MISSING = "(missing)"
SMALL_SHARE = 0.02  # 6 RCNY § 5-301(d): a category under 2 % of the data may be excluded
FOUR_FIFTHS = 0.8  # a heuristic (EEOC Uniform Guidelines), not a threshold the law sets


@dataclass(frozen=True)
class Cell:
    """One intersection of the group columns: its values, applicants and selected."""

    values: tuple[str, ...]
    applicants: int
    selected: float


@dataclass(frozen=True)
class Row:
    category: str
    applicants: int
    selected: float
    rate: float
    impact_ratio: float | None  # None: excluded (under 2 %) or undefined (highest rate 0)
    under_two_percent: bool


@dataclass(frozen=True)
class Table:
    title: str  # the group column, or the columns joined by " × "
    rows: tuple[Row, ...]
    unknown: int  # individuals not in the calculations: their category is unknown
    reference: str | None  # the most selected category the ratios are taken against


def ll144_tables(cells: Sequence[Cell], columns: Sequence[str]) -> tuple[Table, ...]:
    """One table per group column, then (with two or more) one for their intersections."""
    total = sum(cell.applicants for cell in cells)
    tables = [_table(column, cells, [i], total) for i, column in enumerate(columns)]
    if len(columns) > 1:
        tables.append(_table(" × ".join(columns), cells, list(range(len(columns))), total))
    return tuple(tables)


def _table(title: str, cells: Sequence[Cell], indexes: list[int], total: int) -> Table:
    applicants: dict[str, int] = defaultdict(int)
    selected: dict[str, float] = defaultdict(float)
    unknown = 0
    for cell in cells:
        values = [cell.values[i] for i in indexes]
        if MISSING in values:
            unknown += cell.applicants
            continue
        key = " × ".join(values)
        applicants[key] += cell.applicants
        selected[key] += cell.selected
    rates = {key: selected[key] / applicants[key] for key in applicants if applicants[key]}
    small = {key for key in rates if total and applicants[key] / total < SMALL_SHARE}
    counted = {key: rate for key, rate in rates.items() if key not in small}
    reference = max(sorted(counted), key=lambda k: counted[k]) if counted else None
    top = counted[reference] if reference is not None else 0.0
    rows = tuple(
        Row(
            category=key,
            applicants=applicants[key],
            selected=selected[key],
            rate=rate,
            impact_ratio=rate / top if key not in small and top > 0 else None,
            under_two_percent=key in small,
        )
        for key, rate in sorted(rates.items())
    )
    return Table(title=title, rows=rows, unknown=unknown, reference=reference)
