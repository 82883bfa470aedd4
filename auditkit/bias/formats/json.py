"""A bias result as JSON (docs/bias.schema.json), read by `auditkit score` and the report."""

from __future__ import annotations

import json
import math
from typing import Any

from auditkit import __version__
from auditkit.bias.formats.interface import BiasFormat
from auditkit.bias.model import BiasResult, GroupResult, MetricResult
from auditkit.i18n import current

BIAS_FORMAT = "auditkit-bias/3"


def _pair(pair: tuple[float, float] | None) -> list[float | None] | None:
    """Full-precision floats (JSON has no infinity: an unbounded end is null)."""
    if pair is None:
        return None
    return [v if math.isfinite(v) else None for v in pair]


def _number(value: float | None) -> float | None:
    return value if value is None or math.isfinite(value) else None


def _group(group: GroupResult) -> dict[str, Any]:
    return {
        "group": group.group,
        "values": list(group.values),
        "n": group.n if group.n is not None else group.n_display,
        "denominator": group.denominator,
        "value": group.value,
        "ci": _pair(group.ci),
        "ratio": _number(group.ratio),
        "ratio_ci": _pair(group.ratio_ci),
        "complement_ratio": _number(group.complement_ratio),
        "complement_ratio_ci": _pair(group.complement_ratio_ci),
        "difference": group.difference,
        "difference_ci": _pair(group.difference_ci),
        "p_value": group.p_value,
        "p_adjusted": group.p_adjusted,
        "side": group.side,
        "detectable": group.detectable,
        "events": group.events,
        "test": group.test,
        "verdict": group.verdict,
        "reason": group.reason,
    }


# How each interval is computed, by metric kind (AUC, calibration) or by what a metric is
# judged on: (value, ratio, difference). The test is named per comparison (``test``).
METHODS = {
    "auc": ("Hanley–McNeil", "none", "Hanley–McNeil z"),
    "calibration": ("Wilson score", "Mantel–Haenszel over score bands, Greenland–Robins", "none"),
    "ratio and complement": ("Wilson score", "Miettinen–Nurminen score", "Newcombe hybrid score"),
    "ratio": ("gamma (shape capped at 1)", "F on the gamma approximation", "Welch t"),
    "difference": ("Student t", "none", "Welch t"),
}
# Test contacts are judged by pair (contacts/check.py, bias/paired.py).
PAIRED_METHODS = {
    "ratio and complement": ("Wilson score", "Bonett–Price (paired)", "Agresti–Min (paired)"),
    "ratio": ("none", "delta method on the paired log means, Student t", "none"),
}


def _methods(metric: MetricResult, paired: bool = False) -> dict[str, str] | None:
    """How each interval of the metric is computed; None for equalized odds (a summary)."""
    if metric.kind == "summary":
        return None
    if paired:
        return dict(
            zip(
                ("value_ci", "ratio_ci", "difference_ci"),
                PAIRED_METHODS[metric.judged_on],
                strict=True,
            )
        )
    key = metric.kind if metric.kind in METHODS else metric.judged_on
    return dict(zip(("value_ci", "ratio_ci", "difference_ci"), METHODS[key], strict=True))


def _metric(metric: MetricResult, units: dict[str, str], paired: bool = False) -> dict[str, Any]:
    return {
        "id": metric.id,
        "label": metric.label,
        "unit": units.get(metric.id.partition("@")[0], "") if metric.kind == "mean" else "",
        "kind": metric.kind,
        "direction": metric.direction,
        "higher_is_better": metric.direction == "higher",
        "denominator": metric.denominator_label,
        "judged_on": metric.judged_on,
        "methods": _methods(metric, paired),
        "band_unit": metric.band_unit,
        "bands": [
            {
                "above": _number(band["above"]),
                "up_to": _number(band["up_to"]),
                "groups": [{**g, "ci": _pair(g["ci"])} for g in band["groups"]],
            }
            for band in metric.bands
        ],
        "outcome": metric.outcome,
        "truth": metric.truth,
        "reference_group": metric.reference_group,
        "reference_worst_off": metric.reference_worst_off,
        "complement_of": metric.complement_of,
        "overall": metric.overall,
        "overall_n": metric.overall_n,
        "missing": metric.missing,
        "groups": [_group(g) for g in metric.groups],
        "within": [
            {
                "group": e.group,
                "crude_ratio": _number(e.crude_ratio),
                "pooled_ratio": _number(e.pooled_ratio),
                "pooled_ci": _pair(e.pooled_ci),
                "pooled_method": "Mantel–Haenszel risk ratio, Greenland–Robins interval",
                "p_value": e.p_value,
                "p_adjusted": e.p_adjusted,
                "test": "Cochran–Mantel–Haenszel",
                "heterogeneity_p": e.heterogeneity_p,
                "heterogeneity_p_adjusted": e.heterogeneity_p_adjusted,
                "heterogeneity_test": "likelihood ratio (one common risk ratio)",
                "strata_used": e.strata_used,
                "effect": e.effect,
                "strata": [
                    {
                        "value": s.value,
                        "ratio": _number(s.ratio),
                        "ratio_ci": _pair(s.ci),
                        "verdict": s.verdict,
                    }
                    for s in e.strata
                ],
            }
            for e in metric.within
        ],
    }


def _gate(result: BiasResult, fail_on: str | None) -> dict[str, Any]:
    """What ``--fail-on`` would count under each rule, and whether the one given fired."""
    return {
        "fail_on": fail_on,
        "fired": bool(result.breaches(fail_on)),
        "disparity": len(result.breaches("disparity")),
        "established": len(result.breaches("established")),
    }


def bias_to_dict(result: BiasResult, fail_on: str | None = None) -> dict[str, Any]:
    return {
        "format": BIAS_FORMAT,
        "auditkit_version": __version__,
        "check": result.check,
        "source": {**result.source_info, "rows": result.rows},
        "groups": list(result.groups),
        "within": result.within,
        "thresholds": {
            "tolerance": list(result.tolerance),
            "min_group_size": result.min_group_size,
            "suppress_below": result.suppress_below,
            "alpha": result.alpha,
            "correction": result.correction,
            "ci_level": result.ci_level,
            "comparisons": result.comparisons,
            "min_expected": result.min_expected,
            "reference": result.reference_asked,
            "judge_missing": result.judge_missing,
            "auc_band": result.auc_band,
        },
        "positives": [
            {"column": column, "value": value, "threshold": threshold}
            for column, value, threshold in result.positives
        ],
        "positive_is_adverse": result.positive_is_adverse,
        "gate": _gate(result, fail_on),
        "summary": {
            "disparities": result.disparity_count,
            "judged": result.judged,
            "not_judged": {"total": sum(result.not_judged.values()), **result.not_judged},
            "text": result.summary(),
            "language": current(),  # of "text" and the findings' "sentence"s
        },
        "findings": [
            {
                "metric": f.metric,
                "metric_label": f.metric_label,
                "group": f.group,
                "side": f.side,
                "established": f.established,
                "ratio": _number(f.ratio),
                "reference_group": f.reference,
                "sentence": f.sentence,
            }
            for f in result.findings
        ],
        "labels": dict(sorted(result.labels.items())),
        **({"labels_guessed": list(result.labels_guessed)} if result.labels_guessed else {}),
        "metrics": [_metric(m, result.units, result.contacts is not None) for m in result.metrics],
        "skipped": [{"metric": m, "reason": why} for m, why in result.skipped],
        "proxies": [
            {
                "column": p.column,
                "protected": p.protected,
                "cramers_v": p.cramers_v,
                "v_ci": _pair(p.v_ci),
                "values": p.values,
                "rows": p.rows,
                "p_value": p.p_value,
                "p_adjusted": p.p_adjusted,
                "test": p.test,
                "verdict": p.verdict,
            }
            for p in result.proxies
        ],
        "notes": list(result.notes),
        **({"contacts": result.contacts} if result.contacts is not None else {}),
    }


def dumps(data: dict[str, Any]) -> str:
    """Bias result data as the file's text (one place decides indentation and encoding)."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


class JsonFormat(BiasFormat):
    def format(self, result: BiasResult) -> str:
        return dumps(bias_to_dict(result, self.fail_on))
