"""What a bias check measures: groups, outcome columns, metrics and the verdict thresholds.

A check is described by plain data before any row is read, so the same description drives the
DuckDB counting query, the portable SQL printed for a warehouse, and reading counts back. The
metrics come from the catalog (``catalog.py``) with the log's own column names filled in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from auditkit.bias.catalog import Direction, MetricDef

# Text values (compared case-insensitively) that boolean-like columns may hold.
TRUE_VALUES = frozenset({"true", "t", "yes", "y", "1", "1.0"})
FALSE_VALUES = frozenset({"false", "f", "no", "n", "0", "0.0"})
CORRECTIONS = ("holm", "bh", "none")


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def same_value(text: str, wanted: str) -> bool:
    """Whether a cell's text is the value the user typed: the same text, the same number
    (``1`` matches ``1.0``), or the same text ignoring case (``yes`` matches ``Yes``)."""
    if text == wanted:
        return True
    number, wanted_number = _number(text), _number(wanted)
    if number is not None and wanted_number is not None:
        return number == wanted_number
    return text.casefold() == wanted.casefold()


@dataclass(frozen=True)
class BinaryColumn:
    """A yes/no column. With ``positive`` set, that value is yes and every other value is no
    (matched by ``same_value``); without it the column must hold boolean-like values
    (true/false, yes/no, y/n, 1/0 in any case)."""

    name: str
    positive: str | None = None
    # A decision made by a cut-off on a score: ``name`` is "risk ≥ 7", ``column`` the score's
    # column and ``threshold`` the cut-off (selected when the score is at least it).
    column: str = ""
    threshold: float | None = None

    @property
    def source(self) -> str:
        """The log column this yes/no is read from."""
        return self.column or self.name

    def classify(self, text: str) -> bool | None:
        """True or False for a value, None for a value this column should not hold."""
        if self.threshold is not None:
            number = _number(text)
            return None if number is None else number >= self.threshold
        if self.positive is not None:
            return same_value(text, self.positive)
        lowered = text.strip().lower()
        if lowered in TRUE_VALUES:
            return True
        if lowered in FALSE_VALUES:
            return False
        return None

    def expected(self) -> str:
        from auditkit.errors import fill
        from auditkit.i18n import _

        if self.threshold is not None:
            return _("numbers (a score)")
        if self.positive is not None:
            return fill(_("any value; {value} counts as yes"), value=repr(self.positive))
        return _("true/false, yes/no or 1/0")


@dataclass(frozen=True)
class MetricSpec:
    """A catalog metric with the log's column names and its direction for this check."""

    definition: MetricDef
    direction: Direction
    label: str
    outcome: str = ""  # rate, mean, segment: the log column
    truth: str = ""  # conditional: who should be selected
    prediction: str = ""  # conditional: the decision
    among: str = ""  # mean: only rows where this column is yes
    variant: str = ""  # "@0.7" when several --threshold values each have these metrics

    @property
    def id(self) -> str:
        return self.definition.id + self.variant

    @property
    def kind(self) -> str:
        return self.definition.kind


def valid_tolerance(low: float, high: float) -> bool:
    """A tolerance band around equal treatment (ratio 1): LOW in (0, 1], HIGH at least 1."""
    return 0 < low <= 1 <= high


@dataclass(frozen=True)
class Thresholds:
    tolerance_low: float = 0.8
    tolerance_high: float = 1.25
    min_group_size: int = 30
    suppress_below: int = 10
    min_expected: float = 5.0  # events a rate needs in a group at the overall base rate
    alpha: float = 0.05  # family-wise (holm) or false-discovery (bh) rate
    correction: str = "holm"
    judge_missing: bool = False  # judge the "(missing)" group (rows with no group value)
    auc_band: float = 0.05  # AUC differences within ± this are equal ranking quality


@dataclass(frozen=True)
class CheckSpec:
    check: str  # chatbot | segmentation | check
    groups: tuple[str, ...]
    metrics: tuple[MetricSpec, ...]
    binary: tuple[BinaryColumn, ...] = ()
    numeric: tuple[str, ...] = ()
    categorical: tuple[str, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)
    reference: str | None = None  # largest (None) | best | rest | a group's name
    positive_is_adverse: bool = False  # being selected harms (``check``): directions flipped
    within: str | None = None  # a stratum column (channel, branch): compare inside each value
    favourable: tuple[str, ...] = ()  # segment values that are good for a customer
    unfavourable: tuple[str, ...] = ()
    proxy_candidates: tuple[str, ...] | None = None  # None: every other column, for segmentation
    notes: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()  # (metric id, why) for metrics not computed
    score: str | None = None  # --score: counted at each of its values (AUC, calibration)

    @property
    def outcome_columns(self) -> tuple[str, ...]:
        """Columns counted as text values (binary, categorical, the score), in a stable order."""
        score = (self.score,) if self.score else ()
        return tuple(dict.fromkeys([*(b.source for b in self.binary), *self.categorical, *score]))

    @property
    def group_columns(self) -> tuple[str, ...]:
        """The columns rows are grouped by: the groups, then the stratum (``--within``)."""
        return (*self.groups, self.within) if self.within else self.groups

    def binary_column(self, name: str) -> BinaryColumn:
        for column in self.binary:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the check reads: only these leave the file."""
        return tuple(dict.fromkeys([*self.group_columns, *self.outcome_columns, *self.numeric]))
