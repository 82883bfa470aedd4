"""Suppression across the checks of one log shown together (in one report).

Each check hides its small groups and withholds its overall figures, so nothing hidden can be
rebuilt from that check alone (``verdicts.hidden_groups``). Two checks of the same log undo
that: every row of the log is in exactly one group of each check, so the groups of a race
check and of a race × sex check add up to the same thing. A shown ``Asian`` minus a shown
``Asian × Male`` is the hidden ``Asian × Female``; a sex check with no hidden group sums to the
log's total, which the race check withheld to protect its hidden groups.

The rule. For two checks A and B of one log that share a metric, let C be the group columns
they have in common (none: the whole log is one cell). Within each cell of C the rows are split
one way by A's groups and another way by B's: a hidden figure of A, or a sum of them, can be
rebuilt exactly when B shows every one of its groups in that cell (B's figures then add up to
the cell's total, and the cell's total minus A's shown groups is what A hid). So whenever one
check hides a group in a cell, the other must hide at least one of its own groups in the same
cell: its smallest, and never the reference when another group can go. This is repeated until
no pair needs more, and a check that hides a group this way withholds its overall figures, as
it does for its own small groups. A hidden reference takes every ratio of that metric with it.

Sizes are not outcomes: a group's row count stays shown where it is at or above the floor, so
the sizes of hidden groups can be worked out from shown ones, never their rates or means.
``tests/test_suppression.py`` checks the rule by brute force on two checks of one log.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from types import SimpleNamespace

from auditkit.bias.model import count_judged, count_not_judged, summary_text
from auditkit.i18n import ENGLISH, _, use

HIDDEN_HERE = (
    "suppressed: another check of the same log in this report would give it back "
    "(the two checks' groups add up to the same rows)"
)
REFERENCE_HIDDEN = (
    "the reference group's figures are suppressed in this report (another check of the same "
    "log would give them back): check this one on its own, or with another --reference"
)
COMPARISON_FIELDS = (
    "ratio",
    "ratio_ci",
    "complement_ratio",
    "complement_ratio_ci",
    "difference",
    "difference_ci",
    "p_value",
    "p_adjusted",
    "side",
    "detectable",
)


def suppress_across(results: Iterable[dict]) -> list[dict]:
    """The bias results (JSON as 'auditkit bias' writes it) with groups hidden so that no
    figure any of them hides can be rebuilt from them together; a check that had to hide more
    says so in its notes. The inputs are not changed."""
    results = [copy.deepcopy(r) for r in results]
    hidden = [_hidden_groups(r) for r in results]
    added: list[set[tuple[str, ...]]] = [set() for _ in results]
    changed = True
    while changed:
        changed = False
        for a, first in enumerate(results):
            for b, second in enumerate(results):
                if a == b or _log(first) != _log(second) or not _shared_metrics(first, second):
                    continue
                common = [c for c in first["groups"] if c in second["groups"]]
                hiding_too = _cells_hiding(second, hidden[b], common)
                for cell in _cells_hiding(first, hidden[a], common) - hiding_too:
                    chosen = _smallest_in(second, common, cell, hidden[b])
                    hidden[b].add(chosen)
                    added[b].add(chosen)
                    changed = True
    for result, more in zip(results, added, strict=True):
        if more:
            _hide(result, more)
            labels = sorted(" × ".join(values) for values in more)
            result.setdefault("notes", []).append(
                _(
                    "{groups}: hidden in this report, because another check of the same log in "
                    "it would give the hidden figures back."
                ).format(groups=", ".join(labels))
            )
    return results


def _log(result: dict) -> str:
    source = result.get("source", {})
    if source.get("sha256"):
        return str(source["sha256"])
    return json.dumps({k: v for k, v in source.items() if k != "rows"}, sort_keys=True)


def _metric_key(metric: dict) -> tuple:
    return metric.get("id"), metric.get("outcome"), metric.get("truth")


def _shared_metrics(first: dict, second: dict) -> bool:
    keys = {_metric_key(m) for m in first.get("metrics", []) if m.get("kind") != "summary"}
    return any(_metric_key(m) in keys for m in second.get("metrics", []))


def _groups(result: dict) -> dict[tuple[str, ...], int | None]:
    """Every group of the check (by its values) with its shown size (None under the floor)."""
    sizes: dict[tuple[str, ...], int | None] = {}
    for metric in result.get("metrics", []):
        for group in metric.get("groups", []):
            sizes.setdefault(tuple(group["values"]), group.get("n"))
    return sizes


def _hidden_groups(result: dict) -> set[tuple[str, ...]]:
    return {
        tuple(group["values"])
        for metric in result.get("metrics", [])
        for group in metric.get("groups", [])
        if group.get("n") is None or str(group.get("reason", "")).startswith("suppressed")
    }


def _cell(result: dict, values: tuple[str, ...], common: list[str]) -> tuple[str, ...]:
    columns = result["groups"]
    return tuple(values[columns.index(c)] for c in common)


def _cells_hiding(result: dict, hidden: set, common: list[str]) -> set[tuple[str, ...]]:
    return {_cell(result, values, common) for values in hidden}


def _smallest_in(
    result: dict, common: list[str], cell: tuple[str, ...], hidden: set
) -> tuple[str, ...]:
    references = {
        tuple(g["values"])
        for m in result.get("metrics", [])
        for g in m.get("groups", [])
        if g.get("verdict") == "reference"
    }
    candidates = [
        (values in references, size if size is not None else 0, values)
        for values, size in _groups(result).items()
        if _cell(result, values, common) == cell and values not in hidden
    ]
    return min(candidates)[2]


def _hide(result: dict, hide: set[tuple[str, ...]]) -> None:
    labels = {" × ".join(values) for values in hide}
    dropped = set()  # metrics whose reference is hidden: no ratio, so no finding
    for metric in result.get("metrics", []):
        reference_hidden = False
        for group in metric.get("groups", []):
            if tuple(group["values"]) in hide:
                reference_hidden |= group.get("verdict") == "reference"
                _clear(group, HIDDEN_HERE)
        if reference_hidden:
            dropped.add(metric.get("id"))
            for group in metric.get("groups", []):
                if not str(group.get("reason", "")).startswith("suppressed"):
                    _clear(group, REFERENCE_HIDDEN)
        metric["overall"] = None
        metric["overall_n"] = None
        metric["within"] = [
            e
            for e in metric.get("within", [])
            if e.get("group") not in labels and not reference_hidden
        ]
    result["findings"] = [
        f
        for f in result.get("findings", [])
        if f.get("group") not in labels and f.get("metric") not in dropped
    ]
    _resummarise(result)


def _clear(group: dict, reason: str) -> None:
    for name in ("value", "ci", *COMPARISON_FIELDS):
        group[name] = None
    group["verdict"] = "insufficient data"
    group["reason"] = reason


def _resummarise(result: dict) -> None:
    thresholds = result.get("thresholds", {})
    judged = count_judged(
        (m.get("kind", ""), g.get("verdict", ""))
        for m in result.get("metrics", [])
        for g in m.get("groups", [])
    )
    not_judged = count_not_judged(
        (m.get("kind", ""), m.get("complement_of"), g.get("verdict", ""), g.get("reason", ""))
        for m in result.get("metrics", [])
        for g in m.get("groups", [])
    )
    findings = [SimpleNamespace(**f) for f in result.get("findings", [])]
    # Written again in the language of the file's own sentences (its findings'), not the
    # report's: one summary is never half in one language and half in another.
    written_in = result.get("summary", {}).get("language", ENGLISH)
    with use(written_in):
        text = summary_text(
            judged,
            thresholds.get("min_group_size", 0),
            findings,
            thresholds.get("comparisons", 0),
            thresholds.get("correction", ""),
            not_judged=not_judged,
        )
    result["summary"] = {
        "disparities": sum(1 for f in findings if f.side == "disadvantaged" and f.established),
        "judged": judged,
        "not_judged": {"total": sum(not_judged.values()), **not_judged},
        "text": text,
        "language": written_in,
    }
