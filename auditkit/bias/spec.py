"""What a bias check measures: groups, outcome columns, metrics and the verdict thresholds.

A check is described by plain data before any row is read, so the same description drives the
DuckDB counting query, the portable SQL printed for a warehouse, and reading counts back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

MetricKind = Literal["rate", "tpr", "mean", "segment"]

# Text values (compared case-insensitively) that boolean-like columns may hold.
TRUE_VALUES = frozenset({"true", "t", "yes", "y", "1", "1.0"})
FALSE_VALUES = frozenset({"false", "f", "no", "n", "0", "0.0"})


@dataclass(frozen=True)
class BinaryColumn:
    """A yes/no column. With ``positive`` set, that exact value is yes and every other value
    is no; without it the column must hold boolean-like values (true/false, yes/no, 1/0)."""

    name: str
    positive: str | None = None

    def classify(self, text: str) -> bool | None:
        """True or False for a value, None for a value this column should not hold."""
        if self.positive is not None:
            return text == self.positive
        lowered = text.strip().lower()
        if lowered in TRUE_VALUES:
            return True
        if lowered in FALSE_VALUES:
            return False
        return None

    def expected(self) -> str:
        if self.positive is not None:
            return f"any value; {self.positive!r} counts as yes"
        return "true/false, yes/no or 1/0"


@dataclass(frozen=True)
class MetricSpec:
    """One metric, computed per group and overall.

    rate — share of rows where ``outcome`` is yes (fairlearn ``selection_rate``);
    tpr — among rows where ``truth`` is yes, the share where ``outcome`` is yes
    (fairlearn ``true_positive_rate``: "asked for a person and got one");
    mean — mean of a numeric column; segment — one-vs-rest share of each value of a category.
    """

    id: str
    label: str
    kind: MetricKind
    outcome: str
    truth: str | None = None
    higher_is_better: bool = True


@dataclass(frozen=True)
class Thresholds:
    tolerance_low: float = 0.8
    tolerance_high: float = 1.25
    min_group_size: int = 30
    suppress_below: int = 10


@dataclass(frozen=True)
class CheckSpec:
    check: str  # chatbot | segmentation | check
    groups: tuple[str, ...]
    metrics: tuple[MetricSpec, ...]
    binary: tuple[BinaryColumn, ...] = ()
    numeric: tuple[str, ...] = ()
    categorical: tuple[str, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)
    reference: str | None = None
    proxy_candidates: tuple[str, ...] | None = None  # None: every other column, for segmentation
    notes: tuple[str, ...] = ()

    @property
    def outcome_columns(self) -> tuple[str, ...]:
        """Columns counted as text values (binary and categorical), in a stable order."""
        return tuple(dict.fromkeys([*(b.name for b in self.binary), *self.categorical]))

    def binary_column(self, name: str) -> BinaryColumn:
        for column in self.binary:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the check reads: only these leave the file."""
        return tuple(dict.fromkeys([*self.groups, *self.outcome_columns, *self.numeric]))
