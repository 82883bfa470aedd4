"""fairlearn's own ``MetricFrame`` of each metric, built on the counted cells.

A check computes its values from the cells' sums (``auditkit.bias.metrics``) and never imports
fairlearn. This module is for those who want fairlearn's API on the same numbers (the Python
API's ``metric_frame``) and for the tests, which use these frames as the oracle: each counted
cell is one row weighted by its size, so a weighted fairlearn metric over the cells is the
metric over the rows they stand for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditkit.bias.metrics import FrameInputs, compute

if TYPE_CHECKING:
    from auditkit.bias.counts import Counts
    from auditkit.bias.spec import CheckSpec


def metric_frames(counts: Counts, spec: CheckSpec) -> dict:
    """Every metric's ``MetricFrame`` by metric id; a metric with no cell to compute on
    (nobody asked for a person) has None."""
    inputs: dict[str, FrameInputs | None] = {}
    compute(counts, spec, frame_inputs=inputs)
    return {id: None if given is None else metric_frame(given) for id, given in inputs.items()}


def metric_frame(given: FrameInputs):
    from fairlearn.metrics import MetricFrame

    return MetricFrame(
        metrics={"value": _function(given.function)},
        y_true=given.y_true,
        y_pred=given.y_pred,
        sensitive_features=given.features,
        sample_params={"value": {"sample_weight": given.weights}},
    )


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


def _function(name: str):
    """The fairlearn (or scikit-learn) function a metric's value matches."""
    from functools import partial

    from fairlearn import metrics
    from sklearn.metrics import precision_score

    return {
        "selection_rate": metrics.selection_rate,
        "mean": _weighted_mean,
        "true_positive_rate": metrics.true_positive_rate,
        "false_negative_rate": metrics.false_negative_rate,
        "false_positive_rate": metrics.false_positive_rate,
        "true_negative_rate": metrics.true_negative_rate,
        "precision_score": partial(precision_score, zero_division=0.0),
        "1 − precision_score": _false_discovery_rate,
        "false omission rate (aequitas 'for')": _false_omission_rate,
        "roc_auc_score": _roc_auc,
    }[name]


def _roc_auc(y_true, y_pred, sample_weight):
    """scikit-learn's AUC; NaN for a group of one truth value (scikit-learn raises)."""
    import numpy as np
    from sklearn.metrics import roc_auc_score

    if len(np.unique(np.asarray(y_true))) < 2:
        return float("nan")
    return float(roc_auc_score(y_true, y_pred, sample_weight=sample_weight))
