"""A hiring or staffing log's result as the tables NYC Local Law 144 asks for, then the
tool's own verdicts (the table format) beside them.

Built from the selection metric's cells (``auditkit bias check … --outcome … -g sex -g
race``). The law's tables publish every category's count, so they are printed only when no
group is suppressed (``--suppress-below 1``); otherwise a note says why and how, and nothing a
suppressed group holds can be worked out from what is shown.
"""

from __future__ import annotations

import textwrap

from auditkit.bias.formats.interface import BiasFormat
from auditkit.bias.formats.table import TableFormat
from auditkit.bias.ll144 import FOUR_FIFTHS, Cell, Table, ll144_tables
from auditkit.bias.model import BiasResult
from auditkit.terminal import plain

HEURISTIC = (
    "The four-fifths figure (an impact ratio under 0.80, marked '<4/5') is a rule of thumb "
    "from the EEOC's Uniform Guidelines, not a threshold Local Law 144 sets: the law asks for "
    "the ratios to be published and sets no pass mark. The tool's own verdicts, which weigh "
    "uncertainty and many comparisons, follow."
)


class Ll144Format(BiasFormat):
    def format(self, result: BiasResult) -> str:
        own = TableFormat(color=self.color, fail_on=self.fail_on).format(result)
        return plain(self.tables(result)) + "\n" + own  # group values are the log's text

    def tables(self, result: BiasResult) -> str:
        metric = next((m for m in result.metrics if m.id == "selection"), None)
        head = "NYC Local Law 144 bias audit tables (6 RCNY § 5-301)"
        if metric is None:
            note = (
                f"{head}: not available for the {result.check} check; they need a selection "
                "(run 'auditkit bias check LOG --outcome COLUMN --positive VALUE -g sex -g "
                "race')."
            )
            return "\n".join(textwrap.wrap(note, 100)) + "\n"
        if any(g.n is None for g in metric.groups):
            note = (
                f"{head}: not printed. They publish every category's count, and some groups "
                f"here are under --suppress-below {result.suppress_below} (shown '<"
                f"{result.suppress_below}'). For a published audit run again with "
                "--suppress-below 1."
            )
            return "\n".join(textwrap.wrap(note, 100)) + "\n"
        cells = [Cell(g.values, g.n or 0, g.events or 0.0) for g in metric.groups]
        scored = any(threshold is not None for _c, _v, threshold in result.positives)
        rate_name = "scoring rate" if scored else "selection rate"
        individuals = sum(c.applicants for c in cells)
        left_out = f" ({metric.missing} without an outcome left out)" if metric.missing else ""
        lines = [f"{head} · {result.source} · {individuals} individuals{left_out}"]
        lines += textwrap.wrap(
            f"{rate_name.capitalize()}: {'scored at or above the cut' if scored else 'selected'} "
            "÷ applicants in the category; impact ratio: the category's rate ÷ the highest "
            "rate in its table.",
            100,
        )
        if scored:
            lines += textwrap.wrap(
                "The law's scoring rate counts those scoring above the sample's median: set "
                "--threshold to that median for the table to be the law's.",
                100,
            )
        small_seen = False
        for table in ll144_tables(cells, result.groups):
            lines.append("")
            lines += self._table(table, rate_name, result.labels)
            small_seen = small_seen or any(r.under_two_percent for r in table.rows)
        if small_seen:
            lines += textwrap.wrap(
                "* under 2 % of the data: left out of the impact ratios, as 6 RCNY § 5-301(d) "
                "allows; its count and rate are shown.",
                100,
            )
        lines.append("")
        lines += textwrap.wrap(HEURISTIC, 100)
        return "\n".join(lines) + "\n"

    @staticmethod
    def _table(table: Table, rate_name: str, labels: dict[str, str]) -> list[str]:
        def name(category: str) -> str:
            return " × ".join(labels.get(part, part) for part in category.split(" × "))

        header = (table.title, "applicants", "selected", rate_name, "impact ratio")
        rows = []
        for row in table.rows:
            if row.under_two_percent:
                ratio = "excluded*"
            elif row.impact_ratio is None:
                ratio = "–"
            else:
                flag = "  <4/5" if row.impact_ratio < FOUR_FIFTHS else ""
                ratio = f"{row.impact_ratio:.2f}{flag}"
            rows.append(
                (
                    name(row.category),
                    str(row.applicants),
                    f"{row.selected:g}",
                    f"{row.rate:.1%}",
                    ratio,
                )
            )
        width = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
        out = [
            "  ".join(
                cell.ljust(width[i]) if i == 0 else cell.rjust(width[i])
                for i, cell in enumerate(line)
            ).rstrip()
            for line in (header, *rows)
        ]
        out.append(f"Unknown {table.title} (not in the calculations): {table.unknown}")
        return out
