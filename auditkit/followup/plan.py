"""Recommendations as an action plan, and the plan back into the answers file.

The plan lists the recommendations in the order scoring gives them, with what to do, why, the
phase each protects, and ``owner``, ``due``, ``status`` and ``note`` for the business to fill
in — from the answers file's ``actions:`` when it already has them. After the spreadsheet has
been edited, ``import_plan`` reads it back, validates every row (located by CSV row and column)
and returns the actions to store.
"""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

from auditkit.answers.model import ACTION_STATUSES, PlannedAction
from auditkit.errors import InputError, Problem, quoted_list
from auditkit.fileio import unsafe_cell
from auditkit.followup.compare import audit_date
from auditkit.followup.model import Plan, PlanRow
from auditkit.scoring.run import ScoredFile

COLUMNS = (
    "priority",
    "question_id",
    "action",
    "principle",
    "question",
    "current_answer",
    "evidence",
    "protects_phase",
    "lifts_safeguard_phase",
    "owner",
    "due",
    "status",
    "note",
)


def build_plan(scored: ScoredFile) -> Plan:
    result = scored.result
    answers = scored.reconciliation.answers
    rows = []
    for rec in result.recommendations:
        action = answers.actions.get(rec.question_id)
        rows.append(
            PlanRow(
                priority=rec.rank,
                question_id=rec.question_id,
                action=rec.text,
                principle=rec.principle_title,
                question=rec.question,
                answer=rec.answer or "Not answered",
                evidence=rec.because,
                phase=rec.phase,
                lifts_phase=rec.moves_phase,
                owner=action.owner if action else "",
                due=action.due if action else "",
                status=action.status if action else "",
                note=action.note if action else "",
            )
        )
    return Plan(
        business=answers.business.get("name") or "(business not named)",
        audit_date=audit_date(answers),
        rows=tuple(rows),
    )


def import_plan(path: Path, known_ids: set[str]) -> dict[str, PlannedAction]:
    """Actions from an edited plan CSV; every problem located by row and column, all at once.

    Rows without an owner, a due date, a note or a status other than "open" carry no decision
    and are left out. Dates must be YYYY-MM-DD (spreadsheets may reformat them: set the column
    to text, or type the date that way).
    """
    file = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError.single(file, "file not found", fix="check the path of the plan") from None
    except UnicodeDecodeError as error:
        raise InputError.single(
            file,
            f"is not UTF-8 text (byte {error.start})",
            fix="save the spreadsheet as 'CSV UTF-8'",
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [
        c for c in ("question_id", "owner", "due", "status") if c not in (reader.fieldnames or [])
    ]
    if missing:
        raise InputError.single(
            file,
            f"the plan lacks the columns {quoted_list(missing)}",
            expected=f"the columns 'auditkit plan --format csv' writes: {quoted_list(COLUMNS)}",
            found=f"columns {quoted_list(reader.fieldnames or [])}",
            fix="start from the CSV that 'auditkit plan' wrote and keep its header row",
        )
    actions: dict[str, PlannedAction] = {}
    problems: list[Problem] = []
    for row_number, row in enumerate(reader, start=1):
        cells = {name: unsafe_cell((value or "").strip()) for name, value in row.items() if name}
        question_id = cells.get("question_id", "")
        if question_id not in known_ids:
            problems.append(
                Problem(
                    file,
                    "not a recommendation of this audit",
                    line=row_number,
                    column_name="question_id",
                    found=repr(question_id),
                    fix="keep the question_id column as 'auditkit plan' wrote it",
                )
            )
            continue
        status = cells.get("status", "").lower() or "open"
        if status not in ACTION_STATUSES:
            problems.append(
                Problem(
                    file,
                    "not a status",
                    line=row_number,
                    column_name="status",
                    expected=f"one of {quoted_list(ACTION_STATUSES)}",
                    found=repr(cells.get("status", "")),
                )
            )
            continue
        due = cells.get("due", "")
        if due:
            try:
                due = datetime.date.fromisoformat(due).isoformat()
            except ValueError:
                problems.append(
                    Problem(
                        file,
                        "not a date",
                        line=row_number,
                        column_name="due",
                        expected="YYYY-MM-DD, e.g. 2027-03-31",
                        found=repr(due),
                        fix="type the date as YYYY-MM-DD (a spreadsheet may have reformatted it)",
                    )
                )
                continue
        action = PlannedAction(
            owner=cells.get("owner", ""), due=due, status=status, note=cells.get("note", "")
        )
        if action != PlannedAction():
            actions[question_id] = action
    if problems:
        raise InputError(problems)
    return actions
