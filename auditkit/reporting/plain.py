"""A bias check in an owner's words: groups named, numbers with units, no statistics.

The annex "For your auditor" shows the intervals, ratios, corrections and p-values. What the
owner reads says who is worse off, on what, by how much, in words ("Polish speakers reach a
person about half as often as English speakers: 31% against 55% of conversations"). The
sentences are built from the bias JSON, so a result saved last month reads the same today.

Group codes become words through the check's ``labels`` (``--labels``, or a mapping file's
``labels:``) and the report's own ``--labels``; a code without a label is shown as it is.
"""

from __future__ import annotations

from typing import Any

from auditkit.bias.catalog import CHECKS
from auditkit.bias.words import amount, capitalised, group_name, in_minutes, ratio_words


def _metric_row(data: dict[str, Any], metric_id: str, group: str) -> tuple[dict, dict] | None:
    for metric in data["metrics"]:
        if metric["id"] != metric_id:
            continue
        row = next((g for g in metric["groups"] if g["group"] == group), None)
        return (metric, row) if row is not None else None
    return None


def finding_sentences(data: dict[str, Any], labels: dict[str, str]) -> list[str]:
    """One sentence per group shown clearly worse off (established or not), worst first."""
    return [sentence for _, sentence in _findings(data, labels)]


def worse_off(data: dict[str, Any], labels: dict[str, str]) -> list[dict[str, Any]]:
    """The findings under the group each is worse for, in the order of the worst: a log where
    Polish speakers reach a person less often and English speakers wait longer lists Polish
    speakers with theirs, then English speakers with theirs, so the owner sees whom to help
    on what (never an advantage read as a second group needing help)."""
    groups: dict[str, list[str]] = {}
    for who, sentence in _findings(data, labels):
        groups.setdefault(who, []).append(sentence)
    return [{"who": who, "sentences": sentences} for who, sentences in groups.items()]


def _findings(data: dict[str, Any], labels: dict[str, str]) -> list[tuple[str, str]]:
    """(the group worse off, in words; its sentence), worst first."""
    sentences = []
    findings = [f for f in data.get("findings", []) if f["side"] == "disadvantaged"]
    # Established findings first, then the largest gap (a ratio furthest from 1).
    findings.sort(key=lambda f: (not f["established"], -abs((f["ratio"] or 1) - 1)))
    for finding in findings:
        found = _metric_row(data, finding["metric"], finding["group"])
        if found is None:
            continue
        metric, row = found
        compared, ratio = finding["reference_group"], finding["ratio"]
        if finding["group"] == compared:
            # The largest group is the worse off: say it against the best-off group.
            better = [
                f
                for f in data["findings"]
                if f["metric"] == finding["metric"] and f["side"] == "advantaged" and f["ratio"]
            ]
            if not better:
                continue
            best = max(better, key=lambda f: abs(f["ratio"] - 1))
            compared, ratio = best["group"], 1 / best["ratio"]
        reference = next((g for g in metric["groups"] if g["group"] == compared), None)
        kind, unit = metric["kind"], metric.get("unit", "")
        who = capitalised(group_name(finding["group"], labels))
        other = group_name(compared, labels) if compared != "all others" else "all other customers"
        minutes = in_minutes([row["value"], reference and reference["value"]], kind, unit)
        value = amount(row["value"], kind, unit, minutes)
        reference_value = amount(reference["value"], kind, unit, minutes) if reference else ""
        label = metric["label"]
        phrase = _phrase(data["check"], finding["metric"])
        if phrase and ratio is not None and metric["judged_on"] != "difference":
            how = ratio_words(ratio, kind, unit)
            joint = " as " if how.endswith(("as often", "as long", "as much")) else " than "
            sentence = f"{who} {phrase} {how}{joint}{other} ({value} against {reference_value})."
        elif ratio is not None and metric["judged_on"] != "difference":
            how = ratio_words(ratio, kind, unit)
            sentence = (
                f"{who}, on “{label}”: {value} against {reference_value} for {other} ({how})."
            )
        else:
            sentence = f"{who}, on “{label}”: {value} against {reference_value} for {other}."
        if not finding["established"]:
            sentence = sentence[:-1] + "; the size of the gap is not yet certain."
        sentences.append((who, sentence))
    return sentences


def _phrase(check: str, metric_id: str) -> str:
    """The preset's verb for a metric ("reach a person"); none for a generic check."""
    definition = CHECKS.get(check)
    base = metric_id.partition("@")[0].partition(":")[0]
    if definition is None:
        return ""
    found = next((m for m in definition.metrics if m.id == base), None)
    return found.phrase if found else ""


def thin_groups(data: dict[str, Any], labels: dict[str, str]) -> list[str]:
    """The groups the log is too thin to judge on every metric (too few, or hidden as small)."""
    judged: dict[str, bool] = {}
    for metric in data["metrics"]:
        for group in metric["groups"]:
            thin = isinstance(group["n"], str) or group["verdict"] == "insufficient data"
            judged[group["group"]] = judged.get(group["group"], False) or not thin
    return [group_name(code, labels) for code, seen in judged.items() if not seen]


def undecided(data: dict[str, Any], labels: dict[str, str]) -> list[str]:
    """Where the log cannot yet tell either way: "German speakers on “Issue resolved”"."""
    found = []
    for metric in data["metrics"]:
        for group in metric["groups"]:
            if group["verdict"] == "inconclusive":
                found.append(f"{group_name(group['group'], labels)} on “{metric['label']}”")
    return found


def check_sentence(data: dict[str, Any], labels: dict[str, str], what: str) -> str:
    """The check in one sentence for the owner summary: the worst finding, or that none."""
    sentences = finding_sentences(data, labels)
    thin = thin_groups(data, labels)
    if sentences:
        more = len(sentences) - 1
        tail = (
            f" {more} more difference{'s' if more != 1 else ''} in “Fair treatment”."
            if more
            else ""
        )
        return f"In the {what}: {sentences[0]}{tail}"
    unsure = thin + [u for u in undecided(data, labels) if u.split(" on “")[0] not in thin]
    if unsure:
        listed = ", ".join(unsure[:-1]) + " and " + unsure[-1] if len(unsure) > 1 else unsure[0]
        return (
            f"In the {what}, no group is clearly worse off, but the log is too thin to tell "
            f"for {listed}."
        )
    return f"In the {what}, every group is served within the tolerated margin of the others."


def table(data: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """Groups as rows, metrics as columns, each cell the value in words and a mark for the
    groups clearly worse off: the whole check at a glance, without statistics."""
    metrics = [m for m in data["metrics"] if m["kind"] not in ("summary",)]
    groups: dict[str, None] = {}
    for metric in metrics:
        for group in metric["groups"]:
            groups[group["group"]] = None
    worse = {
        (f["metric"], f["group"]) for f in data.get("findings", []) if f["side"] == "disadvantaged"
    }
    rows = []
    for code in groups:
        cells = []
        for metric in metrics:
            row = next((g for g in metric["groups"] if g["group"] == code), None)
            if row is None:
                cells.append({"text": "–", "worse": False})
            elif isinstance(row["n"], str):
                cells.append({"text": f"fewer than {row['n'].lstrip('<')}", "worse": False})
            elif row["verdict"] == "insufficient data" or row["value"] is None:
                cells.append({"text": "too few to tell", "worse": False})
            else:
                cells.append(
                    {
                        "text": amount(
                            row["value"],
                            metric["kind"],
                            metric.get("unit", ""),
                            in_minutes(
                                [g["value"] for g in metric["groups"]],
                                metric["kind"],
                                metric.get("unit", ""),
                            ),
                        ),
                        "worse": (metric["id"], code) in worse,
                    }
                )
        rows.append({"group": capitalised(group_name(code, labels)), "cells": cells})
    return {"metrics": [m["label"] for m in metrics], "rows": rows}
