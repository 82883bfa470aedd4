"""A bias result as JSON (docs/bias.schema.json), read by `auditkit score` and the report."""

from __future__ import annotations

import json
from typing import Any

from auditkit import __version__
from auditkit.bias.formats.interface import BiasFormat
from auditkit.bias.model import BiasResult, GroupResult, MetricResult

BIAS_FORMAT = "auditkit-bias/1"


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _pair(pair: tuple[float, float] | None) -> list[float] | None:
    return None if pair is None else [round(pair[0], 6), round(pair[1], 6)]


def _group(group: GroupResult) -> dict[str, Any]:
    return {
        "group": group.group,
        "values": list(group.values),
        "n": group.n if group.n is not None else group.n_display,
        "denominator": group.denominator,
        "value": _r(group.value),
        "ci": _pair(group.ci),
        "ratio": _r(group.ratio),
        "ratio_ci": _pair(group.ratio_ci),
        "difference": _r(group.difference),
        "verdict": group.verdict,
        "reason": group.reason,
    }


def _metric(metric: MetricResult) -> dict[str, Any]:
    return {
        "id": metric.id,
        "label": metric.label,
        "kind": metric.kind,
        "outcome": metric.outcome,
        "truth": metric.truth,
        "higher_is_better": metric.higher_is_better,
        "reference_group": metric.reference_group,
        "overall": _r(metric.overall),
        "overall_n": metric.overall_n,
        "missing": metric.missing,
        "groups": [_group(g) for g in metric.groups],
    }


def bias_to_dict(result: BiasResult) -> dict[str, Any]:
    return {
        "format": BIAS_FORMAT,
        "auditkit_version": __version__,
        "check": result.check,
        "source": {
            "file": result.source,
            "kind": result.source_kind,
            "format": result.source_format,
            "sha256": result.source_sha256,
            "rows": result.rows,
        },
        "groups": list(result.groups),
        "thresholds": {
            "tolerance": list(result.tolerance),
            "min_group_size": result.min_group_size,
            "suppress_below": result.suppress_below,
        },
        "summary": {"disparities": result.disparity_count, "text": result.summary()},
        "metrics": [_metric(m) for m in result.metrics],
        "proxies": [
            {"column": p.column, "protected": p.protected, "cramers_v": p.cramers_v}
            for p in result.proxies
        ],
        "notes": list(result.notes),
    }


def dumps(data: dict[str, Any]) -> str:
    """Bias result data as the file's text (one place decides indentation and encoding)."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


class JsonFormat(BiasFormat):
    def format(self, result: BiasResult) -> str:
        return dumps(bias_to_dict(result))
