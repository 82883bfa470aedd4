"""A bias result as terminal tables: one per metric, group by group."""

from __future__ import annotations

import click

from auditkit.bias.formats.interface import BiasFormat
from auditkit.bias.model import BiasResult, GroupResult, MetricResult

VERDICT_COLOURS = {"disparity": "red", "inconclusive": "yellow", "insufficient data": "yellow"}


def _value(metric: MetricResult, value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1%}" if metric.kind != "mean" else f"{value:.2f}"


class TableFormat(BiasFormat):
    def style(self, text: str, **styles: object) -> str:
        return click.style(text, **styles) if self.color else text

    def format(self, result: BiasResult) -> str:
        low, high = result.tolerance
        lines = [
            self.style(f"Bias check: {result.check}", bold=True)
            + f" · {result.source} · {result.rows} rows · groups: {' × '.join(result.groups)}",
            f"Tolerance {low:g}–{high:g} of the reference group · verdicts need ≥ {result.min_group_size} "
            f"rows · groups under {result.suppress_below} suppressed",
            self.style(
                result.summary(), bold=True, fg="red" if result.disparity_count else "green"
            ),
        ]
        for note in result.notes:
            lines.append(f"note: {note}")
        for metric in result.metrics:
            lines += ["", self._metric_header(metric)]
            width = max([len("GROUP"), *(len(g.group) for g in metric.groups)])
            lines.append(
                f"  {'GROUP':{width}} {'N':>8} {'VALUE':>8} {'95% INTERVAL':>17} {'RATIO':>6} {'DIFF':>8}  VERDICT"
            )
            for group in metric.groups:
                lines.append(self._row(metric, group, width))
        if result.proxies:
            lines += [
                "",
                self.style("Possible proxies", bold=True)
                + " (Cramér's V ≥ threshold with a group column)",
            ]
            for proxy in result.proxies:
                lines.append(f"  {proxy.column} ~ {proxy.protected}: V = {proxy.cramers_v:.2f}")
        return "\n".join(line.rstrip() for line in lines) + "\n"

    def _metric_header(self, metric: MetricResult) -> str:
        overall = _value(metric, metric.overall)
        header = self.style(metric.label, bold=True) + f" — overall {overall} of {metric.overall_n}"
        if metric.missing:
            header += f" ({metric.missing} rows with a missing value left out)"
        return header + f" · reference: {metric.reference_group}"

    def _row(self, metric: MetricResult, group: GroupResult, width: int) -> str:
        interval = (
            ""
            if group.ci is None
            else f"{_value(metric, group.ci[0])}–{_value(metric, group.ci[1])}"
        )
        ratio = "" if group.ratio is None else f"{group.ratio:.2f}"
        if group.difference is None:
            difference = ""
        elif metric.kind == "mean":
            difference = f"{group.difference:+.2f}"
        else:
            difference = f"{group.difference * 100:+.1f}pp"
        verdict = self.style(group.verdict, fg=VERDICT_COLOURS.get(group.verdict))
        return (
            f"  {group.group:{width}} {group.n_display:>8} {_value(metric, group.value):>8} {interval:>17} "
            f"{ratio:>6} {difference:>8}  {verdict}"
        )
