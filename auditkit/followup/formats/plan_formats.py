"""The action plan as CSV (for a spreadsheet), Markdown, or JSON (docs/plan.schema.json)."""

from __future__ import annotations

import csv
import io
import json

from auditkit import __version__
from auditkit.fileio import safe_cell
from auditkit.followup.formats.interface import PlanFormat
from auditkit.followup.model import Plan, PlanRow
from auditkit.followup.plan import COLUMNS
from auditkit.i18n import _
from auditkit.rubric.model import PHASE_NAMES
from auditkit.rubric.scales import owner_label
from auditkit.terminal import plain

PLAN_FORMAT = "auditkit-plan/1"


def _values(row: PlanRow) -> list[str]:
    return [
        str(row.priority),
        row.question_id,
        row.action,
        row.principle,
        row.question,
        row.answer,
        row.evidence,
        str(row.phase),
        "yes" if row.lifts_phase else "",
        row.rules,
        row.owner,
        row.due,
        row.status,
        row.note,
    ]


class CsvFormat(PlanFormat):
    """UTF-8 with a byte-order mark and one header row, so Excel and LibreOffice open it with
    the right characters; every text cell neutralised against formula injection."""

    def format(self, plan: Plan) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for row in plan.rows:
            writer.writerow([safe_cell(value) for value in _values(row)])
        return "\ufeff" + buffer.getvalue()


class MarkdownFormat(PlanFormat):
    def format(self, plan: Plan) -> str:
        def cell(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        lines = [
            _("# Action plan: {business} (audit of {date})").format(
                business=cell(plan.business), date=plan.audit_date or _("undated")
            ),
            "",
            "| # | {} |".format(
                " | ".join(
                    [_("Action"), _("Why"), _("Needed for"), _("Owner"), _("Due"), _("Status")]
                )
            ),
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for row in plan.rows:
            why = _("{principle}: {question} Answered: {answer}.").format(
                principle=row.principle, question=row.question, answer=owner_label(row.answer)
            )
            if row.evidence:
                why += f" {row.evidence}"
            if row.lifts_phase:
                why += " " + _("Needed for the next safeguard phase.")
            if row.rules:
                why += " " + _("Rules: {rules}.").format(rules=row.rules)
            lines.append(
                f"| {row.priority} | {cell(row.action)} | {cell(why)} | {_(PHASE_NAMES[row.phase])} | "
                f"{cell(row.owner)} | {row.due} | {row.status} |"
            )
        return plain("\n".join(lines) + "\n")


class JsonFormat(PlanFormat):
    def format(self, plan: Plan) -> str:
        data = {
            "format": PLAN_FORMAT,
            "auditkit_version": __version__,
            "business": plan.business,
            "audit_date": plan.audit_date,
            "actions": [
                dict(zip(COLUMNS, _values(row), strict=True))
                | {
                    "priority": row.priority,
                    "protects_phase": row.phase,
                    "lifts_safeguard_phase": row.lifts_phase,
                    "obligations": list(row.obligations),
                }
                for row in plan.rows
            ],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
