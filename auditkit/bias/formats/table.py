"""A bias result as terminal tables: the findings first, then one table per metric."""

from __future__ import annotations

import math
import textwrap

from auditkit.bias.formats.interface import BiasFormat
from auditkit.bias.model import OVERALL_WITHHELD, BiasResult, GroupResult, MetricResult
from auditkit.terminal import Styler

VERDICT_COLOURS = {
    "disadvantaged": "red",
    "disadvantaged (size uncertain)": "red",
    "inconclusive": "yellow",
    "insufficient data": "yellow",
}


def _value(metric: MetricResult, value: float | None) -> str:
    if value is None:
        return "–"
    if metric.kind == "auc":
        return f"{value:.3f}"
    return f"{value:.1%}" if metric.kind not in ("mean",) else f"{value:.2f}"


def _any_suppressed(metric: MetricResult) -> bool:
    return any(g.reason.startswith("suppressed") for g in metric.groups)


def _ratio(value: float | None) -> str:
    if value is None:
        return "–"
    return "∞" if math.isinf(value) else f"{value:.2f}"


def _level(level: float) -> str:
    return f"{level * 100:.4g}%"


class TableFormat(BiasFormat):
    def style(self, text: str, **styles: object) -> str:
        return self.styler.style(text, **styles)

    def format(self, result: BiasResult) -> str:
        self.styler = Styler(self.color)
        low, high = result.tolerance
        correction = {
            "holm": "Holm (chance of any false alarm ≤ 5%)",
            "bh": "Benjamini–Hochberg (false discoveries ≤ 5%)",
            "none": "none (each comparison at 5%)",
        }[result.correction]
        lines = [
            self.style(f"Bias check: {result.check}", bold=True)
            + f" · {result.source}"
            + (
                f" (read as {result.source_info['encoding']})"
                if result.source_info.get("encoding")
                else ""
            )
            + f" · {result.rows} rows · groups: {' × '.join(result.groups)}"
            + (f" · within: {result.within}" if result.within else ""),
            *textwrap.wrap(
                f"Tolerance {low:g}–{high:g} of the reference group · correction: {correction} "
                f"over {result.comparisons} comparisons, ratio intervals at "
                f"{_level(result.ci_level)} · verdicts need ≥ {result.min_group_size} in each "
                f"denominator · groups under {result.suppress_below} suppressed",
                100,
            ),
        ]
        colour = "red" if result.disparity_count else ("yellow" if result.findings else "green")
        lines += [
            self.style(line, bold=True, fg=colour) for line in textwrap.wrap(result.summary(), 100)
        ]
        if result.labels_guessed:
            from auditkit.wording import speak

            named = ", ".join(f"{code} = {result.labels[code]}" for code in result.labels_guessed)
            lines += textwrap.wrap(
                speak(
                    f"Reports name the groups from their codes: {named}. If that is not who "
                    "they are, name them yourself ({{labels}}).",
                    self.interface,
                )
                or "",
                100,
            )
        for metric_id, why in result.skipped:
            lines.append(self.style(f"Skipped: {metric_id} — {why}", fg="yellow"))
        for note in result.notes:
            if "skipped" not in note:
                lines.append(f"note: {note}")
        for metric in result.metrics:
            lines += ["", *self._metric(metric, result)]
        if result.proxies:
            lines += ["", self.style("Proxy check", bold=True) + " (bias-corrected Cramér's V)"]
            lines.append(
                f"  {'COLUMN ~ GROUP':28} {'V':>5} {'95% INTERVAL':>13} {'VALUES':>6} "
                f"{'ROWS':>7} {'P-ADJ':>7}  VERDICT"
            )
            for proxy in result.proxies:
                v = "–" if proxy.cramers_v is None else f"{proxy.cramers_v:.2f}"
                ci = "" if proxy.v_ci is None else f"{proxy.v_ci[0]:.2f}–{proxy.v_ci[1]:.2f}"
                p = "" if proxy.p_adjusted is None else f"{proxy.p_adjusted:.3g}"
                lines.append(
                    f"  {proxy.column + ' ~ ' + proxy.protected:28} {v:>5} {ci:>13} "
                    f"{proxy.values:>6} {proxy.rows:>7} {p:>7}  {proxy.verdict}"
                )
        return self.styler.finish("\n".join(line.rstrip() for line in lines) + "\n")

    def _metric(self, metric: MetricResult, result: BiasResult) -> list[str]:
        overall = _value(metric, metric.overall)
        header = self.style(metric.label, bold=True)
        if metric.kind != "summary" and metric.overall is None and _any_suppressed(metric):
            header += f" — overall {OVERALL_WITHHELD}"
        elif metric.kind == "auc":
            header += f" — overall {overall} over {metric.overall_n} {metric.denominator_label}"
        elif metric.kind != "summary":
            header += f" — overall {overall} of {metric.overall_n} {metric.denominator_label}"
        if metric.missing:
            header += f" ({metric.missing} rows with a missing value left out)"
        header += f" · reference: {metric.reference_group}"
        lines = [header]
        if metric.kind == "auc":
            lines.append(
                f"  judged on the difference of AUCs (±{result.auc_band:g} counts as equal), "
                "Hanley–McNeil"
            )
        elif metric.kind == "calibration":
            lines.append(
                f"  the rate of “{metric.truth}” at the same score, pooled over "
                f"{len(metric.bands)} score bands (Mantel–Haenszel)"
            )
        elif metric.judged_on == "difference":
            lines.append("  judged on the difference of means (a scale without a true zero)")
        elif metric.judged_on == "ratio and complement" and metric.complement_label:
            lines.append(f"  judged on the ratio and on the ratio of “{metric.complement_label}”")
        elif metric.judged_on == "ratio and complement":
            lines.append(
                "  judged on the ratio and on the ratio of the complement (100% minus the rate), "
                "so a small gap near 100% counts too"
            )
        width = max([len("GROUP"), *(len(g.group) for g in metric.groups)])
        ratio_head = f"RATIO ({_level(result.ci_level)})"
        lines.append(
            f"  {'GROUP':{width}} {'N':>12} {'VALUE':>7} {'95% INTERVAL':>15} "
            f"{ratio_head:>22} {'DIFF':>8} {'P-ADJ':>7}  VERDICT"
        )
        for group in metric.groups:
            lines.append(self._row(metric, group, width))
        for effect in metric.within:
            lines += self._within(effect, result)
        for band in metric.bands:
            above, up_to = band["above"], band["up_to"]
            where = f"score ≤ {up_to:g}" if above is None else f"{above:g} < score ≤ {up_to:g}"
            rates = " · ".join(
                f"{g['group']} {'–' if g['rate'] is None else format(g['rate'], '.0%')}"
                for g in band["groups"]
            )
            lines.append(f"  {where}: {rates}")
        return lines

    def _within(self, effect, result: BiasResult) -> list[str]:
        """One line per group: crude against pooled, with the pooled interval and the two
        tests; the per-stratum ratios when the strata disagree."""
        pooled = _ratio(effect.pooled_ratio)
        if effect.pooled_ci:
            pooled += f" ({_ratio(effect.pooled_ci[0])}–{_ratio(effect.pooled_ci[1])})"
        tests = []
        if effect.p_adjusted is not None:
            tests.append(f"CMH p-adj {effect.p_adjusted:.2g}")
        if effect.heterogeneity_p_adjusted is not None:
            tests.append(f"strata agree? p-adj {effect.heterogeneity_p_adjusted:.2g}")
        said = {
            "holds": "the gap holds",
            "reverses": "the gap reverses (Simpson's paradox)",
            "disappears": "the gap disappears",
            "appears": "a gap appears",
            "differs by stratum": "the gap differs by stratum",
            "unclear": "unclear whether the gap holds",
            "none": "no gap either way",
        }[effect.effect]
        line = (
            f"  within {result.within}: {effect.group} {_ratio(effect.crude_ratio)}× overall, "
            f"{pooled}× inside the strata"
            + (f" ({'; '.join(tests)})" if tests else "")
            + f" — {said}"
        )
        lines = textwrap.wrap(line, 100, subsequent_indent="    ")
        if effect.effect == "differs by stratum":
            for stratum in effect.strata:
                ratio = _ratio(stratum.ratio)
                if stratum.ci:
                    ratio += f" ({_ratio(stratum.ci[0])}–{_ratio(stratum.ci[1])})"
                lines.append(f"    {result.within} = {stratum.value}: {ratio} · {stratum.verdict}")
        return lines

    def _row(self, metric: MetricResult, group: GroupResult, width: int) -> str:
        interval = (
            ""
            if group.ci is None
            else f"{_value(metric, group.ci[0])}–{_value(metric, group.ci[1])}"
        )
        if group.n is None:
            n = group.n_display
        elif group.denominator is not None and group.denominator != group.n:
            n = f"{group.denominator} of {group.n}"
        else:
            n = str(group.n)
        ratio = ""
        if group.ratio is not None and group.verdict != "reference":
            ratio = _ratio(group.ratio)
            if group.ratio_ci:
                ratio += f" ({_ratio(group.ratio_ci[0])}–{_ratio(group.ratio_ci[1])})"
        elif group.verdict == "reference" and metric.judged_on != "difference":
            ratio = "1.00"
        if group.difference is None:
            difference = ""
        elif metric.kind == "mean":
            difference = f"{group.difference:+.2f}"
        elif metric.kind == "auc":
            difference = f"{group.difference:+.3f}"
        else:
            difference = f"{group.difference * 100:+.1f}pp"
        p = "" if group.p_adjusted is None else f"{group.p_adjusted:.2g}"
        verdict = group.verdict
        if group.detectable is not None:
            verdict += f" · could see {_ratio(group.detectable)}×"
        verdict = self.style(verdict, fg=VERDICT_COLOURS.get(group.verdict))
        return (
            f"  {group.group:{width}} {n:>12} {_value(metric, group.value):>7} {interval:>15} "
            f"{ratio:>22} {difference:>8} {p:>7}  {verdict}"
        )
