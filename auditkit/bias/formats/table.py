"""A bias result as terminal tables: the findings first, then one table per metric.

Every word goes through the catalog (the run's language); group values, column names and
metric ids are the log's and stay as they are. Column widths follow the translated headings.
"""

from __future__ import annotations

import textwrap

from auditkit.bias.formats.interface import BiasFormat
from auditkit.bias.model import OVERALL_WITHHELD, BiasResult, GroupResult, MetricResult
from auditkit.bias.words import figure, p_value, ratio_number, signed, verdict_words
from auditkit.i18n import N_, _, ngettext
from auditkit.terminal import Styler

VERDICT_COLOURS = {
    "disadvantaged": "red",
    "disadvantaged (size uncertain)": "red",
    "inconclusive": "yellow",
    "insufficient data": "yellow",
}

CORRECTIONS = {
    "holm": N_("Holm (chance of any false alarm ≤ 5%)"),
    "bh": N_("Benjamini–Hochberg (false discoveries ≤ 5%)"),
    "none": N_("none (each comparison at 5%)"),
}

WITHIN_EFFECTS = {
    "holds": N_("the gap holds"),
    "reverses": N_("the gap reverses (Simpson's paradox)"),
    "disappears": N_("the gap disappears"),
    "appears": N_("a gap appears"),
    "differs by stratum": N_("the gap differs by stratum"),
    "unclear": N_("unclear whether the gap holds"),
    "none": N_("no gap either way"),
}


# Prose lines wrap at this width (and at a narrower terminal's): files and pipes always get
# the same lines.
WIDTH = 100


def _width(to_terminal: bool) -> int:
    """The width prose is wrapped to: 100, or the terminal's when the table is shown on a
    narrower one (never under 40)."""
    if not to_terminal:
        return WIDTH
    import shutil

    return max(40, min(WIDTH, shutil.get_terminal_size((WIDTH, 24)).columns))


def _value(metric: MetricResult, value: float | None) -> str:
    return figure(value, metric.kind)


def _any_suppressed(metric: MetricResult) -> bool:
    return any(g.reason.startswith("suppressed") for g in metric.groups)


def _ratio(value: float | None) -> str:
    return "–" if value is None else ratio_number(value)


def _level(level: float) -> str:
    from auditkit.i18n.formatting import format_number, percent_sign

    # Four significant digits: "99.77%", "99.5%".
    return percent_sign(format_number(float(f"{level * 100:.4g}")))


class TableFormat(BiasFormat):
    def style(self, text: str, **styles: object) -> str:
        return self.styler.style(text, **styles)

    def format(self, result: BiasResult) -> str:
        self.styler = Styler(self.color)
        self.width = _width(self.color)
        title = [self._title(result)]
        if self.width < WIDTH:
            title = self._wrapped(title, _("Bias check: {check}").format(check=result.check))
        lines = [*title, *textwrap.wrap(self._settings(result), self.width)]
        colour = "red" if result.disparity_count else ("yellow" if result.findings else "green")
        lines += [
            self.style(line, bold=True, fg=colour)
            for line in textwrap.wrap(result.summary(), self.width)
        ]
        if result.labels_guessed:
            from auditkit.wording import speak

            named = ", ".join(f"{code} = {result.labels[code]}" for code in result.labels_guessed)
            lines += textwrap.wrap(
                speak(
                    _(
                        "Reports name the groups from their codes: {named}. If that is not who "
                        "they are, name them yourself ({{labels}})."
                    ).replace("{named}", named),
                    self.interface,
                )
                or "",
                self.width,
            )
        for metric_id, why in result.skipped:
            lines.append(
                self.style(
                    _("Skipped: {metric} — {why}").format(metric=metric_id, why=why), fg="yellow"
                )
            )
        said = {
            _("{metric} skipped: {why}").format(metric=metric_id, why=why)
            for metric_id, why in result.skipped
        }
        for note in result.notes:
            if "skipped" not in note and note not in said:
                lines.append(_("note: {note}").format(note=note))
        for metric in result.metrics:
            lines += ["", *self._metric(metric, result)]
        if result.proxies:
            lines += ["", *self._proxies(result)]
        return self.styler.finish("\n".join(line.rstrip() for line in lines) + "\n")

    def _title(self, result: BiasResult) -> str:
        """ "Bias check: chatbot · chats.csv · 4000 rows · groups: language"."""
        parts = [result.source]
        if result.source_info.get("encoding"):
            parts = [
                _("{source} (read as {encoding})").format(
                    source=result.source, encoding=result.source_info["encoding"]
                )
            ]
        parts.append(ngettext("{count} row", "{count} rows", result.rows).format(count=result.rows))
        parts.append(_("groups: {groups}").format(groups=" × ".join(result.groups)))
        if result.within:
            parts.append(_("within: {column}").format(column=result.within))
        return (
            self.style(_("Bias check: {check}").format(check=result.check), bold=True)
            + " · "
            + " · ".join(parts)
        )

    def _settings(self, result: BiasResult) -> str:
        from auditkit.i18n.formatting import format_number

        low, high = result.tolerance
        return ngettext(
            "Tolerance {low}–{high} of the reference group · correction: {correction} over "
            "{count} comparison, ratio intervals at {level} · verdicts need ≥ {size} in each "
            "denominator · groups under {floor} suppressed",
            "Tolerance {low}–{high} of the reference group · correction: {correction} over "
            "{count} comparisons, ratio intervals at {level} · verdicts need ≥ {size} in each "
            "denominator · groups under {floor} suppressed",
            result.comparisons,
        ).format(
            low=format_number(low),
            high=format_number(high),
            correction=_(CORRECTIONS[result.correction]),
            count=result.comparisons,
            level=_level(result.ci_level),
            size=result.min_group_size,
            floor=result.suppress_below,
        )

    def _wrapped(self, lines: list[str], label: str) -> list[str]:
        """The metric's title and how it is judged, wrapped to the terminal; the title's
        bold kept on its label."""
        styled = self.style(label, bold=True)
        wrapped = []
        for number, line in enumerate(lines):
            plain = line.replace(styled, label, 1) if number == 0 else line
            parts = textwrap.wrap(plain, self.width, subsequent_indent="  ")
            if number == 0 and parts and parts[0].startswith(label):
                parts[0] = styled + parts[0][len(label) :]
            wrapped += parts
        return wrapped

    def _header(self, metric: MetricResult) -> str:
        """The metric's title line: its overall figure, rows left out, the reference."""
        overall = _value(metric, metric.overall)
        who = _(metric.denominator_label)
        parts = [self.style(_(metric.label), bold=True)]
        if metric.kind != "summary" and metric.overall is None and _any_suppressed(metric):
            parts.append("— " + _("overall {value}").format(value=_(OVERALL_WITHHELD)))
        elif metric.kind == "auc":
            parts.append(
                "— "
                + _("overall {value} over {count} {who}").format(
                    value=overall, count=metric.overall_n, who=who
                )
            )
        elif metric.kind != "summary":
            parts.append(
                "— "
                + _("overall {value} of {count} {who}").format(
                    value=overall, count=metric.overall_n, who=who
                )
            )
        if metric.missing:
            parts.append(
                ngettext(
                    "({count} row with a missing value left out)",
                    "({count} rows with a missing value left out)",
                    metric.missing,
                ).format(count=metric.missing)
            )
        return (
            " ".join(parts) + " · " + _("reference: {group}").format(group=metric.reference_group)
        )

    def _judged_on(self, metric: MetricResult, result: BiasResult) -> str | None:
        """How the metric is judged, when it is not the plain ratio."""
        if metric.kind == "auc":
            return _(
                "judged on the difference of AUCs (±{band} counts as equal), Hanley–McNeil"
            ).format(band=ratio_number(result.auc_band, 2))
        if metric.kind == "calibration":
            return ngettext(
                "the rate of “{truth}” at the same score, pooled over {count} score band "
                "(Mantel–Haenszel)",
                "the rate of “{truth}” at the same score, pooled over {count} score bands "
                "(Mantel–Haenszel)",
                len(metric.bands),
            ).format(truth=metric.truth, count=len(metric.bands))
        if metric.judged_on == "difference":
            return _("judged on the difference of means (a scale without a true zero)")
        if metric.judged_on == "ratio and complement" and metric.complement_label:
            return _("judged on the ratio and on the ratio of “{complement}”").format(
                complement=_(metric.complement_label)
            )
        if metric.judged_on == "ratio and complement":
            return _(
                "judged on the ratio and on the ratio of the complement (100% minus the rate), "
                "so a small gap near 100% counts too"
            )
        return None

    def _metric(self, metric: MetricResult, result: BiasResult) -> list[str]:
        lines = [self._header(metric)]
        how = self._judged_on(metric, result)
        if how:
            lines.append("  " + how)
        if self.width < WIDTH:  # a narrow terminal: its words wrapped, never cut mid-word
            lines = self._wrapped(lines, _(metric.label))
        rows = [self._cells(metric, group) for group in metric.groups]
        heads = [
            _("GROUP"),
            _("N"),
            _("VALUE"),
            _("95% INTERVAL"),
            _("RATIO ({level})").format(level=_level(result.ci_level)),
            _("DIFF"),
            _("P-ADJ"),
        ]
        least = (0, 12, 7, 15, 22, 8, 7)
        widths = [
            max(minimum, len(head), *(len(row[i]) for row in rows))
            for i, (head, minimum) in enumerate(zip(heads, least, strict=True))
        ]
        head = [f"{heads[0]:{widths[0]}}"] + [
            f"{text:>{width}}" for text, width in zip(heads[1:], widths[1:], strict=True)
        ]
        lines.append("  " + " ".join(head) + "  " + _("VERDICT"))
        for group, row in zip(metric.groups, rows, strict=True):
            cells = [f"{row[0]:{widths[0]}}"] + [
                f"{text:>{width}}" for text, width in zip(row[1:7], widths[1:], strict=True)
            ]
            verdict = self.style(row[7], fg=VERDICT_COLOURS.get(group.verdict))
            lines.append("  " + " ".join(cells) + "  " + verdict)
        for effect in metric.within:
            lines += self._within(effect, result)
        for band in metric.bands:
            above, up_to = band["above"], band["up_to"]
            where = (
                _("score ≤ {up_to}").format(up_to=f"{up_to:g}")
                if above is None
                else _("{above} < score ≤ {up_to}").format(above=f"{above:g}", up_to=f"{up_to:g}")
            )
            rates = " · ".join(
                f"{g['group']} {'–' if g['rate'] is None else figure(g['rate'], 'rate')}"
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
            tests.append(_("CMH p-adj {p}").format(p=p_value(effect.p_adjusted)))
        if effect.heterogeneity_p_adjusted is not None:
            tests.append(
                _("strata agree? p-adj {p}").format(p=p_value(effect.heterogeneity_p_adjusted))
            )
        line = _("within {column}: {group} {crude}× overall, {pooled}× inside the strata").format(
            column=result.within,
            group=effect.group,
            crude=_ratio(effect.crude_ratio),
            pooled=pooled,
        )
        if tests:
            line += f" ({'; '.join(tests)})"
        line += " — " + _(WITHIN_EFFECTS[effect.effect])
        lines = textwrap.wrap("  " + line, self.width, subsequent_indent="    ")
        if effect.effect == "differs by stratum":
            for stratum in effect.strata:
                ratio = _ratio(stratum.ratio)
                if stratum.ci:
                    ratio += f" ({_ratio(stratum.ci[0])}–{_ratio(stratum.ci[1])})"
                lines.append(
                    f"    {result.within} = {stratum.value}: {ratio} · "
                    f"{verdict_words(stratum.verdict)}"
                )
        return lines

    def _cells(self, metric: MetricResult, group: GroupResult) -> list[str]:
        """A group's row: group, n, value, interval, ratio, difference, p, verdict."""
        interval = (
            ""
            if group.ci is None
            else f"{_value(metric, group.ci[0])}–{_value(metric, group.ci[1])}"
        )
        if group.n is None:
            n = group.n_display
        elif group.denominator is not None and group.denominator != group.n:
            n = _("{part} of {whole}").format(part=group.denominator, whole=group.n)
        else:
            n = str(group.n)
        ratio = ""
        if group.ratio is not None and group.verdict != "reference":
            ratio = _ratio(group.ratio)
            if group.ratio_ci:
                ratio += f" ({_ratio(group.ratio_ci[0])}–{_ratio(group.ratio_ci[1])})"
        elif group.verdict == "reference" and metric.judged_on != "difference":
            ratio = ratio_number(1.0)
        if group.difference is None:
            difference = ""
        elif metric.kind == "mean":
            difference = signed(group.difference, 2)
        elif metric.kind == "auc":
            difference = signed(group.difference, 3)
        else:
            difference = _("{difference}pp").format(difference=signed(group.difference * 100, 1))
        p = "" if group.p_adjusted is None else p_value(group.p_adjusted)
        verdict = verdict_words(group.verdict)
        if group.detectable is not None:
            verdict += " · " + _("could see {factor}×").format(factor=_ratio(group.detectable))
        return [
            group.group,
            n,
            _value(metric, group.value),
            interval,
            ratio,
            difference,
            p,
            verdict,
        ]

    def _proxies(self, result: BiasResult) -> list[str]:
        """The proxy check: each candidate column against each group column."""
        lines = [self.style(_("Proxy check"), bold=True) + " " + _("(bias-corrected Cramér's V)")]
        heads = [_("COLUMN ~ GROUP"), "V", _("95% INTERVAL"), _("VALUES"), _("ROWS"), _("P-ADJ")]
        rows = []
        for proxy in result.proxies:
            rows.append(
                [
                    proxy.column + " ~ " + proxy.protected,
                    _ratio(proxy.cramers_v),
                    ""
                    if proxy.v_ci is None
                    else f"{_ratio(proxy.v_ci[0])}–{_ratio(proxy.v_ci[1])}",
                    str(proxy.values),
                    str(proxy.rows),
                    "" if proxy.p_adjusted is None else p_value(proxy.p_adjusted),
                    verdict_words(proxy.verdict),
                ]
            )
        least = (28, 5, 13, 6, 7, 7)
        widths = [
            max(minimum, len(head), *(len(row[i]) for row in rows))
            for i, (head, minimum) in enumerate(zip(heads, least, strict=True))
        ]
        for cells in [[*heads, _("VERDICT")], *rows]:
            laid = [f"{cells[0]:{widths[0]}}"] + [
                f"{text:>{width}}" for text, width in zip(cells[1:6], widths[1:], strict=True)
            ]
            lines.append("  " + " ".join(laid) + "  " + cells[6])
        return lines
