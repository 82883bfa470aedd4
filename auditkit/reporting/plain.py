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
from auditkit.bias.words import (
    amount,
    capitalised,
    comparison,
    group_name,
    in_minutes,
    ratio_words,
)
from auditkit.i18n import ENGLISH, N_, _, current, ngettext

# An owner's finding, one whole sentence per preset measure (its ``phrase`` in the bias
# catalog), so that each language puts the verb, the comparison and the other group where
# its grammar wants them: "Polish speakers reach a person about half as often as English
# speakers (31% against 55%)." / "Polnischsprachige erreichen einen Menschen nur etwa halb so
# oft wie Englischsprachige (31 % gegenüber 55 %)." ``{how}`` is ``words.comparison``.
FINDINGS = {
    "reach a person": N_("{who} reach a person {how} {other} ({value} against {reference_value})."),
    "reach a person when they ask": N_(
        "{who} reach a person when they ask {how} {other} ({value} against {reference_value})."
    ),
    "have their issue resolved": N_(
        "{who} have their issue resolved {how} {other} ({value} against {reference_value})."
    ),
    "rate the conversation": N_(
        "{who} rate the conversation {how} {other} ({value} against {reference_value})."
    ),
    "wait for a person": N_(
        "{who} wait for a person {how} {other} ({value} against {reference_value})."
    ),
    "are told at once that they are talking to a machine": N_(
        "{who} are told at once that they are talking to a machine {how} {other} ({value} "
        "against {reference_value})."
    ),
    "find the person already knows what they said": N_(
        "{who} find the person already knows what they said {how} {other} ({value} against "
        "{reference_value})."
    ),
    "get the right answer": N_(
        "{who} get the right answer {how} {other} ({value} against {reference_value})."
    ),
    "are offered a way to opt out or contest": N_(
        "{who} are offered a way to opt out or contest {how} {other} ({value} against "
        "{reference_value})."
    ),
    "need steps to reach a person": N_(
        "{who} need steps to reach a person {how} {other} ({value} against {reference_value})."
    ),
}


def _metric_row(data: dict[str, Any], metric_id: str, group: str) -> tuple[dict, dict] | None:
    for metric in data["metrics"]:
        if metric["id"] != metric_id:
            continue
        row = next((g for g in metric["groups"] if g["group"] == group), None)
        return (metric, row) if row is not None else None
    return None


def finding_sentences(data: dict[str, Any], labels: dict[str, str]) -> list[str]:
    """One sentence per group shown clearly worse off (established or not), worst first."""
    return [sentence for _who, sentence in _findings(data, labels)]


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
        other = (
            group_name(compared, labels) if compared != "all others" else _("all other customers")
        )
        minutes = in_minutes([row["value"], reference and reference["value"]], kind, unit)
        value = amount(row["value"], kind, unit, minutes)
        reference_value = amount(reference["value"], kind, unit, minutes) if reference else ""
        label = _(metric["label"])
        phrase = _phrase(data["check"], finding["metric"])
        by_ratio = ratio is not None and metric["judged_on"] != "difference"
        if by_ratio and phrase in FINDINGS:
            sentence = _(FINDINGS[phrase]).format(
                who=who,
                how=comparison(ratio, kind, unit),
                other=other,
                value=value,
                reference_value=reference_value,
            )
        elif by_ratio and current() == ENGLISH:
            # The gap in words after the numbers; another language reads the numbers alone
            # (its comparison needs the other group after it: FINDINGS' sentences).
            how = ratio_words(ratio, kind, unit)
            sentence = _(
                "{who}, on “{label}”: {value} against {reference_value} for {other} ({how})."
            ).format(
                who=who,
                label=label,
                value=value,
                reference_value=reference_value,
                other=other,
                how=how,
            )
        else:
            sentence = _(
                "{who}, on “{label}”: {value} against {reference_value} for {other}."
            ).format(
                who=who, label=label, value=value, reference_value=reference_value, other=other
            )
        if not finding["established"]:
            sentence = sentence[:-1] + _("; the size of the gap is not yet certain.")
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
                found.append(
                    _("{group} on “{label}”").format(
                        group=group_name(group["group"], labels), label=_(metric["label"])
                    )
                )
    return found


def check_sentence(data: dict[str, Any], labels: dict[str, str], what: str) -> str:
    """The check in one sentence for the owner summary: the worst finding, or that none."""
    sentences = finding_sentences(data, labels)
    thin = thin_groups(data, labels)
    if sentences:
        more = len(sentences) - 1
        tail = (
            " "
            + ngettext(
                "{count} more difference in “Fair treatment”.",
                "{count} more differences in “Fair treatment”.",
                more,
            ).format(count=more)
            if more
            else ""
        )
        return _("In the {what}: {finding}").format(what=what, finding=sentences[0]) + tail
    thin_names = set(thin)
    unsure = thin + [u for group, u in undecided_by_group(data, labels) if group not in thin_names]
    if unsure:
        listed = (
            _("{first} and {last}").format(first=", ".join(unsure[:-1]), last=unsure[-1])
            if len(unsure) > 1
            else unsure[0]
        )
        return _(
            "In the {what}, no group is clearly worse off, but the log is too thin to tell for "
            "{listed}."
        ).format(what=what, listed=listed)
    return _(
        "In the {what}, every group is served within the tolerated margin of the others."
    ).format(what=what)


def undecided_by_group(data: dict[str, Any], labels: dict[str, str]) -> list[tuple[str, str]]:
    """``undecided`` with each entry's group name beside it (to leave out the thin ones
    without taking a translated sentence apart)."""
    found = []
    for metric in data["metrics"]:
        for group in metric["groups"]:
            if group["verdict"] == "inconclusive":
                name = group_name(group["group"], labels)
                found.append(
                    (name, _("{group} on “{label}”").format(group=name, label=_(metric["label"])))
                )
    return found


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
                cells.append(
                    {
                        "text": _("fewer than {floor}").format(floor=row["n"].lstrip("<")),
                        "worse": False,
                    }
                )
            elif row["verdict"] == "insufficient data" or row["value"] is None:
                cells.append({"text": _("too few to tell"), "worse": False})
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
    return {"metrics": [_(m["label"]) for m in metrics], "rows": rows}
