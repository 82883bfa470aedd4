"""The counts path gives exactly what raw fairlearn gives on every row (to 1e-12).

For a grid of random logs — intersectional groups, missing outcomes and group values, empty
group combinations, all three file types — each metric is computed twice: by auditkit (DuckDB
counts, fairlearn on weighted cells) and by fairlearn's MetricFrame on the full rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, selection_rate, true_positive_rate

from auditkit.bias.counts import count_log
from auditkit.bias.logs import connect, open_log
from auditkit.bias.metrics import compute
from auditkit.bias.presets import CheckOptions, build_spec

GROUPS = ["language", "age_band"]


def random_log(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(150, 1500))
    language = rng.choice(["en", "de", "pl", "tr"], n, p=[0.45, 0.3, 0.15, 0.1]).astype(object)
    age_band = rng.choice(["18-34", "35-54", "55+"], n).astype(object)
    language[rng.random(n) < 0.05] = None  # missing group values
    age_band[(language == "tr") & (age_band == "55+")] = "35-54"  # an empty combination

    def flags(p: float, missing: float) -> np.ndarray:
        values = np.where(rng.random(n) < p, "true", "false").astype(object)
        values[rng.random(n) < missing] = None
        return values

    satisfaction = rng.integers(1, 6, n).astype(float)
    satisfaction[rng.random(n) < 0.5] = np.nan
    requested = flags(0.35, 0.05)
    requested[language == "de"] = "false"  # nobody in 'de' asks: an undefined rate
    segment = rng.choice(["vip", "standard", "discount"], n).astype(object)
    segment[rng.random(n) < 0.03] = None
    return pd.DataFrame(
        {
            "language": language,
            "age_band": age_band,
            "requested_human": requested,
            "reached_human": flags(0.4, 0.05),
            "resolved": flags(0.7, 0.1),
            "satisfaction": satisfaction,
            "wait_time": rng.integers(0, 900, n).astype(float),
            "segment": segment,
        }
    )


def write_log(frame: pd.DataFrame, path) -> None:
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    elif path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_json(path, orient="records", lines=True)


def raw_by_group(metric, y_true, y_pred, features) -> dict[tuple, float]:
    frame = MetricFrame(metrics=metric, y_true=y_true, y_pred=y_pred, sensitive_features=features)
    return {
        tuple(str(k) for k in key): float(v) for key, v in frame.by_group.items() if not pd.isna(v)
    }


def auditkit_numbers(path, check: str):
    connection = connect()
    source = open_log(connection, path)
    spec, _ = build_spec(check, CheckOptions(groups=GROUPS), source.columns)
    return {numbers.id: numbers for numbers in compute(count_log(connection, source, spec), spec)}


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_counts_path_equals_raw_fairlearn(tmp_path, seed, suffix):
    rows = random_log(seed)
    path = tmp_path / f"log{suffix}"
    write_log(rows, path)
    ours = auditkit_numbers(path, "chatbot")
    ours.update(auditkit_numbers(path, "segmentation"))
    features = rows[GROUPS].fillna("(missing)")
    yes = lambda column: (rows[column] == "true").astype(int)  # noqa: E731

    expected = {}
    for metric_id, column in (("reached_human", "reached_human"), ("resolved", "resolved")):
        known = rows[column].notna()
        expected[metric_id] = raw_by_group(
            selection_rate, yes(column)[known], yes(column)[known], features[known]
        )
    known = rows["reached_human"].notna() & rows["requested_human"].notna()
    expected["human_when_requested"] = raw_by_group(
        true_positive_rate,
        yes("requested_human")[known],
        yes("reached_human")[known],
        features[known],
    )
    for column in ("satisfaction", "wait_time"):
        known = rows[column].notna()
        if column == "wait_time":  # waiting for a person: among those who reached one
            known &= rows["reached_human"] == "true"
        expected[column] = raw_by_group(
            lambda t, p: float(np.mean(p)),
            rows[column][known],
            rows[column][known],
            features[known],
        )
    known = rows["segment"].notna()
    for value in ("discount", "standard", "vip"):
        y = (rows["segment"][known] == value).astype(int)
        expected[f"segment:{value}"] = raw_by_group(selection_rate, y, y, features[known])

    for metric_id, raw in expected.items():
        numbers = ours[metric_id]
        computed = {key: g.value for key, g in numbers.groups.items() if g.value is not None}
        if metric_id == "human_when_requested":
            # fairlearn reports 0 where nobody asked; auditkit reports the rate as undefined.
            undefined = {key for key, g in numbers.groups.items() if g.value is None and g.rows}
            assert undefined and all(raw.pop(key, 0.0) == 0.0 for key in undefined)
        assert computed.keys() == raw.keys(), metric_id
        for key, value in raw.items():
            assert abs(computed[key] - value) <= 1e-12, (metric_id, key, computed[key], value)
