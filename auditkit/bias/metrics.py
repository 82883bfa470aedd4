"""fairlearn metrics computed on counts, with each count cell weighted by its size.

fairlearn's ``MetricFrame`` runs on the few hundred cells of the counting query, with the cell
size as ``sample_weight``. A weighted selection rate over cells is exactly the selection rate
over the rows they stand for, so the numbers equal raw fairlearn on every row (a test checks
this to 1e-12) at a fraction of the time and memory.

What fairlearn 0.15 does on its own, and what happens here instead:
- a group with an empty denominator (nobody who asked, nobody selected): fairlearn's error
  rates return 0; here the rate is undefined (None), with the catalog's words for why;
- string outcomes: ``selection_rate`` silently returns 0 unless ``pos_label`` matches; here
  every value is classified as yes or no up front, and unknown values are an error;
- a missing outcome: counted as "not selected" by fairlearn; here the row leaves the metric and
  is reported as missing;
- a missing group value: fairlearn raises; here it becomes the explicit group "(missing)".

Error rates (``conditional`` metrics) are cells of the 2×2 table of truth against prediction:
true-positive, false-negative, false-positive and true-negative rates are fairlearn's functions,
precision is scikit-learn's ``precision_score``, and the false-discovery and false-omission
rates are their complements on the same weighted cells (aequitas' ``fdr`` and ``for``).
With ``--within``, every metric is computed again inside each stratum (``stratum=``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from auditkit.bias.counts import Counts
from auditkit.bias.presets import segment_direction
from auditkit.bias.spec import CheckSpec, MetricSpec
from auditkit.bias.sql import group_alias, outcome_alias

if TYPE_CHECKING:
    import pandas as pd

GroupKey = tuple[str, ...]


@dataclass
class GroupNumbers:
    """What one group (or everyone, for the overall row) contributes to a metric."""

    rows: int = 0  # rows of the group in the log, whatever their outcome
    denominator: float = 0.0  # rows that count for this metric
    successes: float = 0.0  # rates: rows where the event happened
    total: float = 0.0  # means: Σx
    total_squares: float = 0.0  # means: Σx²
    value: float | None = None  # fairlearn's number; None when undefined


@dataclass
class MetricNumbers:
    spec: MetricSpec
    id: str
    label: str
    direction: str
    groups: dict[GroupKey, GroupNumbers] = field(default_factory=dict)
    overall: GroupNumbers = field(default_factory=GroupNumbers)
    missing: int = 0  # rows left out because the outcome (or truth) was missing
    stratum: str | None = None  # the --within value these numbers are limited to


def _weighted_mean(y_true, y_pred, sample_weight):
    import numpy as np

    return float(np.average(y_pred, weights=sample_weight))


def _false_discovery_rate(y_true, y_pred, sample_weight):
    from sklearn.metrics import precision_score

    return 1.0 - precision_score(y_true, y_pred, sample_weight=sample_weight, zero_division=1.0)


def _false_omission_rate(y_true, y_pred, sample_weight):
    import numpy as np

    y_true, y_pred, weights = np.asarray(y_true), np.asarray(y_pred), np.asarray(sample_weight)
    negatives = weights[y_pred == 0].sum()
    return float(weights[(y_pred == 0) & (y_true == 1)].sum() / negatives) if negatives else 0.0


def _conditional_function(name: str):
    """The fairlearn (or scikit-learn) function a conditional metric matches."""
    from functools import partial

    from fairlearn import metrics
    from sklearn.metrics import precision_score

    return {
        "true_positive_rate": metrics.true_positive_rate,
        "false_negative_rate": metrics.false_negative_rate,
        "false_positive_rate": metrics.false_positive_rate,
        "true_negative_rate": metrics.true_negative_rate,
        "precision_score": partial(precision_score, zero_division=0.0),
        "1 − precision_score": _false_discovery_rate,
        "false omission rate (aequitas 'for')": _false_omission_rate,
    }[name]


def metric_frames(counts: Counts, spec: CheckSpec) -> dict:
    """fairlearn's own ``MetricFrame`` of every metric, on the counted cells (each weighted by
    its size): what ``compute`` read its numbers from, for those who want fairlearn's API.
    A metric with no cell to compute on (nobody asked for a person) has no frame."""
    frames: dict = {}
    compute(counts, spec, frames=frames)
    return frames


def compute(
    counts: Counts, spec: CheckSpec, stratum: str | None = None, frames: dict | None = None
) -> list[MetricNumbers]:
    """Every metric of ``spec`` per group and overall, from the counts (inside one stratum
    of ``spec.within`` when ``stratum`` is given); ``frames`` collects the MetricFrames."""
    frames = {} if frames is None else frames
    frame = counts.frame
    if stratum is not None:
        frame = frame[frame[group_alias(spec.within)] == stratum]
    group_columns = [group_alias(g) for g in spec.groups]
    rows = frame.groupby(group_columns, sort=True)["n"].sum()
    group_rows = {_key(key): int(value) for key, value in rows.items() if value > 0}
    results = []
    for metric in spec.metrics:
        kind = metric.kind
        if kind == "summary":
            continue  # derived from other metrics' verdicts
        if kind == "segment":
            column = outcome_alias(metric.outcome)
            for value in sorted(str(v) for v in counts.frame[column].dropna().unique()):
                numbers = MetricNumbers(
                    metric,
                    f"{metric.id}:{value}",
                    f"{metric.label}: {value}",
                    segment_direction(value, spec),
                    stratum=stratum,
                )
                frames[numbers.id] = _rate(
                    numbers, frame, spec, group_rows, column, lambda text, v=value: text == v
                )
                results.append(numbers)
            continue
        numbers = MetricNumbers(metric, metric.id, metric.label, metric.direction, stratum=stratum)
        if kind == "rate":
            binary = spec.binary_column(metric.outcome)
            frames[numbers.id] = _rate(
                numbers, frame, spec, group_rows, outcome_alias(metric.outcome), binary.classify
            )
        elif kind == "conditional":
            frames[numbers.id] = _conditional(numbers, frame, spec, group_rows)
        else:
            frames[numbers.id] = _mean(numbers, frame, spec, group_rows)
        results.append(numbers)
    return results


def _key(key: object) -> GroupKey:
    return tuple(str(k) for k in key) if isinstance(key, tuple) else (str(key),)


def _start(numbers: MetricNumbers, group_rows: dict[GroupKey, int]) -> None:
    numbers.groups = {key: GroupNumbers(rows=rows) for key, rows in sorted(group_rows.items())}
    numbers.overall = GroupNumbers(rows=sum(group_rows.values()))


def _features(frame: pd.DataFrame, spec: CheckSpec) -> pd.DataFrame:
    features = frame[[group_alias(g) for g in spec.groups]]
    return features.set_axis(list(spec.groups), axis=1)


def _metric_frame(metric, y_true, y_pred, weights, features):
    from fairlearn.metrics import MetricFrame

    return MetricFrame(
        metrics={"value": metric},
        y_true=y_true,
        y_pred=y_pred,
        sensitive_features=features,
        sample_params={"value": {"sample_weight": weights}},
    )


def _fill(
    numbers: MetricNumbers,
    cells: pd.DataFrame,
    spec: CheckSpec,
    successes: pd.Series,
    weights: pd.Series,
) -> None:
    group_columns = [group_alias(g) for g in spec.groups]
    by_group = (
        cells.assign(_w=weights, _s=successes).groupby(group_columns, sort=True)[["_w", "_s"]].sum()
    )
    for key, row in by_group.iterrows():
        numbers.groups[_key(key)].denominator = float(row["_w"])
        numbers.groups[_key(key)].successes = float(row["_s"])
    numbers.overall.denominator = float(weights.sum())
    numbers.overall.successes = float(successes.sum())


def _apply_values(numbers: MetricNumbers, metric_frame) -> None:
    for key, value in metric_frame.by_group["value"].items():
        # MetricFrame lists every combination of intersectional values, empty ones as NaN.
        group = numbers.groups.get(_key(key))
        if group is not None:
            group.value = float(value) if group.denominator > 0 else None
    numbers.overall.value = (
        float(metric_frame.overall["value"]) if numbers.overall.denominator > 0 else None
    )


def _rate(numbers, frame, spec, group_rows, column, is_yes):
    from fairlearn.metrics import selection_rate

    _start(numbers, group_rows)
    cells = frame[frame[column].notna()]
    numbers.missing = int(frame.loc[frame[column].isna(), "n"].sum())
    if cells.empty:
        return
    y = cells[column].map(lambda text: 1 if is_yes(str(text)) else 0).astype(int)
    weights = cells["n"].astype(float)
    _fill(numbers, cells, spec, y * weights, weights)
    frame = _metric_frame(selection_rate, y, y, weights, _features(cells, spec))
    _apply_values(numbers, frame)
    return frame


def _conditional(numbers, frame, spec, group_rows):
    """An error rate: among rows whose conditioning column has the given value, the share
    whose other column has the event value; fairlearn's function gives the value."""
    metric = numbers.spec
    definition = metric.definition
    truth, prediction = spec.binary_column(metric.truth), spec.binary_column(metric.prediction)
    _start(numbers, group_rows)
    t, p = outcome_alias(truth.name), outcome_alias(prediction.name)
    known = frame[t].notna() & frame[p].notna()
    numbers.missing = int(frame.loc[~known, "n"].sum())
    cells = frame[known]
    if cells.empty:
        return
    y_true = cells[t].map(lambda text: 1 if truth.classify(str(text)) else 0).astype(int)
    y_pred = cells[p].map(lambda text: 1 if prediction.classify(str(text)) else 0).astype(int)
    given, other = (y_true, y_pred) if definition.condition_on == "truth" else (y_pred, y_true)
    in_denominator = (given == int(definition.given_value)).astype(int)
    is_event = (other == int(definition.event_value)).astype(int)
    weights = cells["n"].astype(float)
    _fill(numbers, cells, spec, in_denominator * is_event * weights, in_denominator * weights)
    function = _conditional_function(definition.fairlearn)
    frame = _metric_frame(function, y_true, y_pred, weights, _features(cells, spec))
    _apply_values(numbers, frame)
    return frame


def _mean(numbers, frame, spec, group_rows):
    """A mean over the cells' Σx and n, among rows where ``among`` is yes when it is set
    (waiting time for a person is only measured for those who reached one)."""
    column = numbers.spec.outcome
    _start(numbers, group_rows)
    count, total, squares = f"n__{column}", f"sum__{column}", f"sumsq__{column}"
    if numbers.spec.among:
        among = spec.binary_column(numbers.spec.among)
        alias = outcome_alias(among.name)
        frame = frame[
            frame[alias].map(
                lambda text: text is not None and text == text and bool(among.classify(str(text)))
            )
        ]
    numbers.missing = int((frame["n"] - frame[count]).sum())
    cells = frame[frame[count] > 0]
    if cells.empty:
        return
    group_columns = [group_alias(g) for g in spec.groups]
    sums = cells.groupby(group_columns, sort=True)[[count, total, squares]].sum()
    for key, row in sums.iterrows():
        group = numbers.groups[_key(key)]
        group.denominator, group.total, group.total_squares = (
            float(row[count]),
            float(row[total]),
            float(row[squares]),
        )
    numbers.overall.denominator = float(cells[count].sum())
    numbers.overall.total = float(cells[total].sum())
    numbers.overall.total_squares = float(cells[squares].sum())
    weights = cells[count].astype(float)
    cell_means = cells[total].astype(float) / weights
    frame = _metric_frame(_weighted_mean, cell_means, cell_means, weights, _features(cells, spec))
    _apply_values(numbers, frame)
    return frame
