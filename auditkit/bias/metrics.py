"""fairlearn's metrics per group, computed from the cells of the counting query.

Every value is what fairlearn's ``MetricFrame`` gives on the raw rows (a test checks each
metric to 1e-12 against fairlearn on every row): a selection rate, an error rate or a mean is
a ratio of two sums over the group's cells — events over the rows that count, or Σx over n —
so it is computed from those sums directly. Importing fairlearn pulls in scikit-learn and
SciPy's statistics (about 2.5 s, more than counting ten million rows), so a check does not;
``metric_frames`` builds fairlearn's own ``MetricFrame`` on the same cells for those who want
its API, and the tests use it as the oracle.

What fairlearn 0.15 does on its own, and what happens here instead:
- a group with an empty denominator (nobody who asked, nobody selected): fairlearn's error
  rates return 0; here the rate is undefined (None), with the catalog's words for why;
- string outcomes: ``selection_rate`` silently returns 0 unless ``pos_label`` matches; here
  every value is classified as yes or no up front, and unknown values are an error;
- a missing outcome: counted as "not selected" by fairlearn; here the row leaves the metric and
  is reported as missing;
- a missing group value: fairlearn raises; here it becomes the explicit group "(missing)".

Error rates (``conditional`` metrics) are cells of the 2×2 table of truth against prediction:
true-positive, false-negative, false-positive and true-negative rates match fairlearn's
functions, precision scikit-learn's ``precision_score``, and the false-discovery and
false-omission rates are their complements on the same cells (aequitas' ``fdr`` and ``for``).
With ``--within``, every metric is computed again inside each stratum (``stratum=``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from auditkit.bias.counts import Counts
from auditkit.bias.presets import segment_direction
from auditkit.bias.spec import CheckSpec, MetricSpec
from auditkit.bias.sql import group_alias, outcome_alias
from auditkit.i18n import _

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
    # Scores (AUC, calibration): (score, rows with the truth yes, rows with it no) by score,
    # ascending. Never shown: the AUC and the banded rates are computed from it.
    scores: tuple[tuple[float, float, float], ...] = ()


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
    # Calibration: the upper edges of the score bands (the last is the highest score).
    bands: tuple[float, ...] = ()


BANDS = 10  # calibration: the score's own values when it has at most this many, else deciles


def auc(scores: tuple[tuple[float, float, float], ...]) -> float | None:
    """The area under the ROC curve from (score, positives, negatives) by ascending score: the
    chance that a random positive scores above a random negative, ties counting half — what
    scikit-learn's ``roc_auc_score`` gives with the counts as sample weights. None without
    both truth values."""
    positives = sum(p for _, p, _ in scores)
    negatives = sum(n for _, _, n in scores)
    if positives <= 0 or negatives <= 0:
        return None
    below = area = 0.0
    for _score, p, n in scores:
        area += p * (below + n / 2)
        below += n
    return area / (positives * negatives)


def banded(
    scores: tuple[tuple[float, float, float], ...], bands: tuple[float, ...]
) -> list[tuple[float, float]]:
    """(positives, rows) in each score band: band i holds scores above edge i − 1, up to i."""
    cells = [[0.0, 0.0] for _ in bands]
    index = 0
    for score, p, n in scores:
        while index < len(bands) - 1 and score > bands[index]:
            index += 1
        cells[index][0] += p
        cells[index][1] += p + n
    return [(p, rows) for p, rows in cells]


def merge_scores(
    parts: list[tuple[tuple[float, float, float], ...]],
) -> tuple[tuple[float, float, float], ...]:
    """Histograms of several groups as one (``--reference rest`` pools the other groups)."""
    merged: dict[float, list[float]] = {}
    for part in parts:
        for score, p, n in part:
            cell = merged.setdefault(score, [0.0, 0.0])
            cell[0] += p
            cell[1] += n
    return tuple((score, p, n) for score, (p, n) in sorted(merged.items()))


def _band_edges(scores: tuple[tuple[float, float, float], ...]) -> tuple[float, ...]:
    """Band edges from everyone's scores: each value when there are at most ``BANDS``, else
    the weighted deciles (a score's ties stay in one band)."""
    if len(scores) <= BANDS:
        return tuple(score for score, _, _ in scores)
    total = sum(p + n for _, p, n in scores)
    edges, running, step = [], 0.0, 1
    for score, p, n in scores:
        running += p + n
        while step < BANDS and running >= total * step / BANDS:
            if not edges or edges[-1] != score:
                edges.append(score)
            step += 1
    if edges[-1] != scores[-1][0]:
        edges.append(scores[-1][0])
    return tuple(edges)


@dataclass
class FrameInputs:
    """What fairlearn's ``MetricFrame`` of one metric is built from: the counted cells as
    rows, each weighted by its size (``function`` names the fairlearn or scikit-learn metric
    that the value matches; see ``auditkit.bias.frames``)."""

    function: str
    y_true: pd.Series
    y_pred: pd.Series
    weights: pd.Series
    features: pd.DataFrame


def compute(
    counts: Counts,
    spec: CheckSpec,
    stratum: str | None = None,
    frame_inputs: dict | None = None,
) -> list[MetricNumbers]:
    """Every metric of ``spec`` per group and overall, from the counts (inside one stratum
    of ``spec.within`` when ``stratum`` is given); ``frame_inputs`` collects, per metric id, the
    inputs of fairlearn's MetricFrame (``auditkit.bias.frames`` builds them)."""
    frames = {} if frame_inputs is None else frame_inputs
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
                    # In the run's language: "Assigned: vip" / "Zugewiesen: vip".
                    _("{label}: {segment}").format(label=_(metric.label), segment=value),
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
                numbers, frame, spec, group_rows, outcome_alias(binary.source), binary.classify
            )
        elif kind == "conditional":
            frames[numbers.id] = _conditional(numbers, frame, spec, group_rows)
        elif kind in ("auc", "calibration"):
            frames[numbers.id] = _scored(numbers, frame, spec, group_rows)
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


def _fill(
    numbers: MetricNumbers,
    cells: pd.DataFrame,
    spec: CheckSpec,
    successes: pd.Series,
    weights: pd.Series,
) -> None:
    """Each group's rate as events over the rows that count (None when no row counts)."""
    group_columns = [group_alias(g) for g in spec.groups]
    by_group = (
        cells.assign(_w=weights, _s=successes).groupby(group_columns, sort=True)[["_w", "_s"]].sum()
    )
    for key, row in by_group.iterrows():
        group = numbers.groups[_key(key)]
        group.denominator, group.successes = float(row["_w"]), float(row["_s"])
    numbers.overall.denominator = float(weights.sum())
    numbers.overall.successes = float(successes.sum())
    for group in [*numbers.groups.values(), numbers.overall]:
        group.value = group.successes / group.denominator if group.denominator > 0 else None


def _rate(numbers, frame, spec, group_rows, column, is_yes) -> FrameInputs | None:
    _start(numbers, group_rows)
    cells = frame[frame[column].notna()]
    numbers.missing = int(frame.loc[frame[column].isna(), "n"].sum())
    if cells.empty:
        return None
    y = cells[column].map(lambda text: 1 if is_yes(str(text)) else 0).astype(int)
    weights = cells["n"].astype(float)
    _fill(numbers, cells, spec, y * weights, weights)
    return FrameInputs("selection_rate", y, y, weights, _features(cells, spec))


def _conditional(numbers, frame, spec, group_rows) -> FrameInputs | None:
    """An error rate: among rows whose conditioning column has the given value, the share
    whose other column has the event value."""
    metric = numbers.spec
    definition = metric.definition
    truth, prediction = spec.binary_column(metric.truth), spec.binary_column(metric.prediction)
    _start(numbers, group_rows)
    t, p = outcome_alias(truth.source), outcome_alias(prediction.source)
    cells = _known(numbers, frame, t, p)
    if cells.empty:
        return None
    y_true = cells[t].map(lambda text: 1 if truth.classify(str(text)) else 0).astype(int)
    y_pred = cells[p].map(lambda text: 1 if prediction.classify(str(text)) else 0).astype(int)
    given, other = (y_true, y_pred) if definition.condition_on == "truth" else (y_pred, y_true)
    in_denominator = (given == int(definition.given_value)).astype(int)
    is_event = (other == int(definition.event_value)).astype(int)
    weights = cells["n"].astype(float)
    _fill(numbers, cells, spec, in_denominator * is_event * weights, in_denominator * weights)
    return FrameInputs(definition.fairlearn, y_true, y_pred, weights, _features(cells, spec))


def _known(numbers: MetricNumbers, frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The cells where every one of ``columns`` has a value; the rest count as missing."""
    known = frame[list(columns)].notna().all(axis=1)
    numbers.missing = int(frame.loc[~known, "n"].sum())
    return frame[known]


def _scored(numbers, frame, spec, group_rows) -> FrameInputs | None:
    """A score against the truth: each group's histogram of (score, truth yes, truth no), its
    AUC (``auc``) or its rate of truth yes (``calibration``, compared band by band)."""
    metric = numbers.spec
    truth = spec.binary_column(metric.truth)
    _start(numbers, group_rows)
    s, t = outcome_alias(metric.outcome), outcome_alias(truth.source)
    cells = _known(numbers, frame, s, t)
    if cells.empty:
        return None
    score = cells[s].map(lambda text: float(text)).astype(float)
    y_true = cells[t].map(lambda text: 1 if truth.classify(str(text)) else 0).astype(int)
    weights = cells["n"].astype(float)
    group_columns = [group_alias(g) for g in spec.groups]
    table = cells[group_columns].assign(_s=score, _p=weights * y_true, _n=weights * (1 - y_true))
    per_score = table.groupby([*group_columns, "_s"], sort=True)[["_p", "_n"]].sum()
    histograms: dict[GroupKey, list] = {}
    for key, row in per_score.iterrows():
        *group, value = key if isinstance(key, tuple) else (key,)
        histograms.setdefault(_key(tuple(group)), []).append(
            (float(value), float(row["_p"]), float(row["_n"]))
        )
    for key, histogram in histograms.items():
        _fill_scores(numbers.groups[key], tuple(histogram), metric.kind)
    _fill_scores(numbers.overall, merge_scores(list(histograms.values())), metric.kind)
    numbers.bands = _band_edges(numbers.overall.scores)
    if metric.kind == "calibration":
        return FrameInputs("selection_rate", y_true, y_true, weights, _features(cells, spec))
    return FrameInputs("roc_auc_score", y_true, score, weights, _features(cells, spec))


def _fill_scores(group: GroupNumbers, histogram, kind: str) -> None:
    group.scores = histogram
    group.successes = sum(p for _, p, _ in histogram)
    group.denominator = sum(p + n for _, p, n in histogram)
    if kind == "auc":
        group.value = auc(histogram)
    else:
        group.value = group.successes / group.denominator if group.denominator else None


def _mean(numbers, frame, spec, group_rows) -> FrameInputs | None:
    """A mean over the cells' Σx and n, among rows where ``among`` is yes when it is set
    (waiting time for a person is only measured for those who reached one)."""
    column = numbers.spec.outcome
    _start(numbers, group_rows)
    count, total, squares = f"n__{column}", f"sum__{column}", f"sumsq__{column}"
    if numbers.spec.among:
        among = spec.binary_column(numbers.spec.among)
        alias = outcome_alias(among.source)
        frame = frame[
            frame[alias].map(
                lambda text: text is not None and text == text and bool(among.classify(str(text)))
            )
        ]
    numbers.missing = int((frame["n"] - frame[count]).sum())
    cells = frame[frame[count] > 0]
    if cells.empty:
        return None
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
    for group in [*numbers.groups.values(), numbers.overall]:
        group.value = group.total / group.denominator if group.denominator > 0 else None
    weights = cells[count].astype(float)
    cell_means = cells[total].astype(float) / weights
    return FrameInputs("mean", cell_means, cell_means, weights, _features(cells, spec))
