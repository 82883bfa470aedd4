"""A bias check's result: aggregates and verdicts only, never a row of the log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Verdict = Literal["reference", "within tolerance", "disparity", "inconclusive", "insufficient data"]


@dataclass(frozen=True)
class GroupResult:
    group: str  # label, e.g. "pl" or "pl × 65+"
    values: tuple[str, ...]  # one value per group column
    n: int | None  # rows in the group; None when suppressed (shown as "<10")
    n_display: str
    denominator: int | None  # rows that count for this metric (those who asked, for a TPR)
    value: float | None  # rate or mean; None when suppressed or undefined
    ci: tuple[float, float] | None
    ratio: float | None  # value / reference value
    ratio_ci: tuple[float, float] | None
    difference: float | None  # value − reference value
    verdict: Verdict
    reason: str


@dataclass(frozen=True)
class MetricResult:
    id: str
    label: str
    kind: str  # rate | tpr | mean | segment
    outcome: str
    truth: str | None
    higher_is_better: bool
    reference_group: str
    overall: float | None
    overall_n: int
    missing: int  # rows left out because the outcome was missing
    groups: tuple[GroupResult, ...]

    @property
    def disparities(self) -> tuple[GroupResult, ...]:
        return tuple(g for g in self.groups if g.verdict == "disparity")


@dataclass(frozen=True)
class ProxyWarning:
    column: str
    protected: str
    cramers_v: float


@dataclass(frozen=True)
class BiasResult:
    check: str
    source: str  # the log, or the counts file
    source_kind: str  # log | counts
    source_sha256: str
    source_format: str
    rows: int
    groups: tuple[str, ...]
    tolerance: tuple[float, float]
    min_group_size: int
    suppress_below: int
    metrics: tuple[MetricResult, ...]
    proxies: tuple[ProxyWarning, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def disparity_count(self) -> int:
        return sum(len(m.disparities) for m in self.metrics)

    def summary(self) -> str:
        """One line for people: what was found."""
        found = [(m, g) for m in self.metrics for g in m.disparities]
        if not found:
            return f"No disparity found in {len(self.metrics)} metrics across {self.rows} rows."
        parts = [f"{m.label} for {g.group} ({g.ratio:.2f}×)" for m, g in found[:3]]
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        return (
            f"{len(found)} disparit{'y' if len(found) == 1 else 'ies'}: "
            + "; ".join(parts)
            + more
            + "."
        )
