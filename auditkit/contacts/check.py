"""Recorded test contacts, analysed as pairs, into the bias result object.

Each variant persona is compared with the reference persona on the pairs where both recorded
an outcome: exact McNemar (a sign test on the discordant pairs) for yes/no outcomes, the exact
Wilcoxon signed-rank test for steps and minutes (``bias/paired.py``). All comparisons of a
round form one family, corrected together as the log checks' are (Holm by default, ``adjust``),
and read at the same simultaneous interval level; the verdict words, the direction (who is
worse off), the findings and the summary are the log checks' own (``bias/verdicts.py``,
``bias/model.py``). A comparison with fewer than ``min_pairs`` pairs is "insufficient data";
one that is neither shown nor ruled out says what gap it could have seen. A persona with fewer
than ``suppress_below`` pairs is shown as "<N" without numbers, and the overall figures go
with it (they would give its numbers back). Contacts that cannot be paired, and rows left
incomplete, are listed with their row and why — never silently dropped.
"""

from __future__ import annotations

from pathlib import Path

from auditkit.bias.catalog import (
    CONTACTS,
)
from auditkit.bias.model import BiasResult, GroupResult, MetricResult
from auditkit.bias.paired import (
    PairedTable,
    complement_table,
    detectable_mean_ratio_paired,
    detectable_paired_ratio,
    mcnemar_exact_p_value,
    paired_difference_interval,
    paired_mean_ratio,
    paired_ratio_interval,
    paired_table,
    wilcoxon_exact_p_value,
)
from auditkit.bias.reference import EDGE, verdict_words
from auditkit.bias.stats import adjust, wilson_interval, z_for
from auditkit.bias.verdicts import _findings
from auditkit.contacts.model import Plan
from auditkit.contacts.pairing import Pairing, pair_contacts
from auditkit.contacts.record import Contact
from auditkit.contacts.round import notes, round_block
from auditkit.fileio import sha256_file

MIN_PAIRS = 10
SUPPRESS_BELOW = 5


def check_contacts(
    contacts: list[Contact],
    incomplete: list[tuple[int, str]],
    plan: Plan,
    *,
    source: Path,
    plan_path: Path,
    tolerance: tuple[float, float] = (0.8, 1.25),
    alpha: float = 0.05,
    correction: str = "holm",
    min_pairs: int = MIN_PAIRS,
    suppress_below: int = SUPPRESS_BELOW,
) -> BiasResult:
    pairing = pair_contacts(contacts, incomplete, plan)
    variants = [p.id for p in plan.personas if p.cue != "reference"]
    pairs_of = {v: [p for p in pairing.pairs if p[1] == v] for v in variants}
    hidden = {v for v, pairs in pairs_of.items() if 0 < len(pairs) < suppress_below}
    metrics = list(CONTACTS.metrics)
    # The family: every comparison with enough pairs, whatever it shows.
    pending = {}
    for metric in metrics:
        for variant in variants:
            if variant in hidden:
                continue
            data = _paired_values(metric.id, pairs_of[variant])
            if len(data) >= min_pairs:
                pending[(metric.id, variant)] = _p_value(metric.kind, data)
    keys = list(pending)
    adjusted = dict(zip(keys, adjust([pending[k] for k in keys], correction), strict=True))
    family = len(keys)
    level = 1 - alpha if correction == "none" or not family else 1 - alpha / family
    if correction == "bh" and family:
        level = 1 - alpha * max(1, sum(p <= alpha for p in adjusted.values())) / family
    results = []
    for metric in metrics:
        groups = [_reference_group(metric, plan, pairing.pairs, suppress_below)]
        for variant in variants:
            data = _paired_values(metric.id, pairs_of[variant])
            groups.append(
                _variant_group(
                    metric,
                    variant,
                    data,
                    len(pairs_of[variant]),
                    variant in hidden,
                    pending.get((metric.id, variant)),
                    adjusted.get((metric.id, variant)),
                    level,
                    tolerance,
                    alpha,
                    min_pairs,
                    suppress_below,
                )
            )
        results.append(_metric_result(metric, plan, pairing, groups, bool(hidden)))
    findings = _findings(results)
    return BiasResult(
        check="contacts",
        source=str(source),
        source_info={
            "file": str(source),
            "kind": "contacts",
            "format": source.suffix.lstrip(".").lower() or "csv",
            "sha256": sha256_file(source),
        },
        rows=len(contacts) + len(incomplete),
        groups=("persona",),
        tolerance=tolerance,
        min_group_size=min_pairs,
        suppress_below=suppress_below,
        correction=correction,
        alpha=alpha,
        ci_level=level,
        comparisons=family,
        metrics=tuple(results),
        findings=tuple(findings),
        notes=notes(pairing),
        min_expected=0.0,
        reference_asked=plan.reference.id,
        labels={p.id: p.label[:60] for p in plan.personas},
        units={m.id: m.unit for m in metrics if m.unit},
        contacts=round_block(contacts, pairing, plan, plan_path, bool(hidden)),
    )


def _paired_values(metric: str, pairs) -> list[tuple]:
    """(reference value, variant value) where both are recorded; times only where both
    reached a person."""
    values = []
    for _, _, reference, variant in pairs:
        r, v = reference.value(metric), variant.value(metric)
        if r is not None and v is not None:
            values.append((r, v))
    return values


def _p_value(kind: str, data: list[tuple]) -> float:
    if kind == "rate":
        table = paired_table(data)
        return mcnemar_exact_p_value(table.b, table.c)
    return wilcoxon_exact_p_value([v - r for r, v in data])


def _reference_group(metric, plan: Plan, pairs, floor: int) -> GroupResult:
    values = [ref.value(metric.id) for _, _, ref, _ in pairs]
    values = [v for v in values if v is not None]
    n = len(pairs)
    value = sum(values) / len(values) if values else None
    shown = n >= floor or n == 0
    return GroupResult(
        group=plan.reference.id,
        values=(plan.reference.id,),
        n=n if shown else None,
        n_display=str(n) if shown else f"<{floor}",
        denominator=len(values) if shown else None,
        value=value if shown else None,
        ci=(
            wilson_interval(sum(values), len(values))
            if metric.kind == "rate" and values and shown
            else None
        ),
        ratio=None,
        ratio_ci=None,
        complement_ratio=None,
        complement_ratio_ci=None,
        difference=None,
        difference_ci=None,
        p_value=None,
        p_adjusted=None,
        side=None,
        detectable=None,
        verdict="reference",
        reason="the reference persona: every pair has it",
        events=float(sum(values)) if metric.kind == "rate" and values and shown else None,
    )


def _variant_group(
    metric,
    variant,
    data,
    pair_count,
    hidden,
    p,
    p_adjusted,
    level,
    tolerance,
    alpha,
    min_pairs,
    floor,
) -> GroupResult:
    base = dict(
        group=variant,
        values=(variant,),
        ratio=None,
        ratio_ci=None,
        complement_ratio=None,
        complement_ratio_ci=None,
        difference=None,
        difference_ci=None,
        p_value=None,
        p_adjusted=None,
        side=None,
        detectable=None,
        events=None,
        test="exact mcnemar" if metric.kind == "rate" else "wilcoxon signed-rank",
    )
    if hidden:
        return GroupResult(
            **base,
            n=None,
            n_display=f"<{floor}",
            denominator=None,
            value=None,
            ci=None,
            verdict="insufficient data",
            reason=f"suppressed: fewer than {floor} pairs, so no figure is shown",
        )
    n = len(data)
    values = [v for _, v in data]
    value = sum(values) / n if n else None
    base.update(n=pair_count, n_display=str(pair_count), denominator=n, value=value)
    if metric.kind == "rate":
        base["ci"] = wilson_interval(sum(values), n) if n else None
        base["events"] = float(sum(values))
    else:
        base["ci"] = None
    if p is None:
        return GroupResult(
            **base,
            verdict="insufficient data",
            reason=f"{n} pair{'s' if n != 1 else ''} recorded this outcome for both personas; {min_pairs} are needed",
        )
    z = z_for(level)
    low, high = tolerance
    if metric.kind == "rate":
        table = paired_table(data)
        ratio, ratio_ci = _rate_ratio(table), paired_ratio_interval(table, z)
        complement = complement_table(table)
        scales = [
            (ratio, ratio_ci),
            (_rate_ratio(complement), paired_ratio_interval(complement, z)),
        ]
        base.update(
            ratio=ratio,
            ratio_ci=ratio_ci,
            complement_ratio=scales[1][0],
            complement_ratio_ci=scales[1][1],
            difference=(table.variant_rate or 0) - (table.reference_rate or 0),
            difference_ci=paired_difference_interval(table, z),
        )
        difference = base["difference"]
    else:
        ratio, ratio_ci = paired_mean_ratio([r for r, _ in data], values, level)
        scales = [(ratio, ratio_ci)]
        difference = sum(v - r for r, v in data) / n
        base.update(ratio=ratio, ratio_ci=ratio_ci, difference=difference)
    base.update(p_value=p, p_adjusted=p_adjusted)
    side = (
        "neither"
        if difference == 0
        else (
            "disadvantaged" if (difference < 0) == (metric.direction == "higher") else "advantaged"
        )
    )
    present = [(e, ci) for e, ci in scales if e is not None and ci is not None]
    significant = p_adjusted is not None and p_adjusted <= alpha
    point_out = any(not (low - EDGE <= e <= high + EDGE) for e, _ in present)
    beyond = any(ci[1] < low - EDGE or ci[0] > high + EDGE for _, ci in present)
    inside = bool(present) and all(
        low - EDGE <= ci[0] and ci[1] <= high + EDGE for _, ci in present
    )
    base["side"] = side if point_out or significant else None
    verdict, reason = verdict_words(
        side,
        significant=significant,
        beyond=beyond,
        point_out=point_out,
        all_inside=inside,
        percent=f"{level * 100:.4g} %",
        significance="significant after correction (paired test)",
    )
    if verdict in ("within tolerance", "inconclusive"):
        if metric.kind == "rate":
            reference_rate = sum(r for r, _ in data) / n
            base["detectable"] = (
                detectable_paired_ratio(n, reference_rate, 1 - level) if reference_rate else None
            )
        else:
            base["detectable"] = detectable_mean_ratio_paired(
                [r for r, _ in data], values, 1 - level, True
            )
    return GroupResult(**base, verdict=verdict, reason=reason)  # type: ignore[arg-type]


def _rate_ratio(table: PairedTable) -> float | None:
    """Variant rate / reference rate over the same pairs; None when the reference's is 0."""
    if not table.n or not table.reference_rate:
        return None
    return (table.variant_rate or 0.0) / table.reference_rate


def _metric_result(metric, plan: Plan, pairing: Pairing, groups, withheld: bool) -> MetricResult:
    values = [
        value
        for _, _, reference, variant in pairing.pairs
        for value in (reference.value(metric.id), variant.value(metric.id))
        if value is not None
    ]
    rate = metric.kind == "rate"
    return MetricResult(
        id=metric.id,
        label=metric.label,
        kind=metric.kind,
        direction=metric.direction,
        denominator_label=metric.denominator,
        outcome=metric.id,
        truth=None,
        reference_group=plan.reference.id,
        overall=None if withheld or not values else sum(values) / len(values),
        overall_n=None if withheld else len(values),
        missing=sum(
            1
            for _, _, reference, variant in pairing.pairs
            for contact in (reference, variant)
            if contact.value(metric.id) is None
        ),
        judged_on="ratio and complement" if rate else "ratio",
        groups=tuple(groups),
        complement_label=metric.complement,
    )
