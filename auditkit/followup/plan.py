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
import functools
import io
from pathlib import Path

from auditkit.answers.model import ACTION_STATUS_WORDS, ACTION_STATUSES, PlannedAction
from auditkit.errors import InputError, Problem, fill, quoted_list
from auditkit.fileio import unsafe_cell
from auditkit.followup.compare import audit_date
from auditkit.followup.model import Plan, PlanRow
from auditkit.i18n import N_, _
from auditkit.i18n.formatting import format_integer
from auditkit.scoring.model import Recommendation
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
    "rules",
    "owner",
    "due",
    "status",
    "note",
)


def build_plan(scored: ScoredFile) -> Plan:
    """The score's one list: "what to do first" in its order, then every other recommendation
    by rank, numbered as they come. A first step with no recommendation of its own (a
    safeguard answered "don't know": find out, then act) is planned with its rubric advice,
    so the plan never drops or reorders what the summary says to do first."""
    result = scored.result
    answers = scored.reconciliation.answers
    by_question = {rec.question_id: rec for rec in result.recommendations}
    first = [step.question_id for step in result.first_steps]
    steps = {step.question_id: step for step in result.first_steps}
    order = first + [r.question_id for r in result.recommendations if r.question_id not in steps]
    safeguards = {s.question_id: s for s in result.safeguards}
    rows = []
    named = {item.id: item for item in (result.obligations.items if result.obligations else ())}
    for priority, question_id in enumerate(order, start=1):
        action = answers.actions.get(question_id)
        rec = by_question.get(question_id)
        if rec is None:
            step, question = steps[question_id], scored.rubric.question(question_id)
            answer = safeguards[question_id].answer if question_id in safeguards else None
            rec = Recommendation(
                rank=priority,
                question_id=question_id,
                question=question.text,
                principle=question.principle,
                principle_title=step.principle_title,
                phase=question.phase,
                status=safeguards[question_id].status if question_id in safeguards else "missing",
                answer=answer,
                within_adoption=True,
                text=step.recommendation,
                moves_phase=step.lifts_phase,
                obligations=step.obligations,
            )
        rows.append(
            PlanRow(
                priority=priority,
                question_id=question_id,
                action=rec.text,
                principle=rec.principle_title,
                question=rec.question,
                answer=rec.answer or "Not answered",
                evidence=rec.because,
                phase=rec.phase,
                lifts_phase=rec.moves_phase,
                rules="; ".join(
                    f"{named[i].title} ({named[i].when})" for i in rec.obligations if i in named
                ),
                obligations=rec.obligations,
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


SEPARATORS = (",", ";", "\t")
DATE_ORDERS = ("dmy", "mdy")
MONTHS = {
    name.lower(): number
    for number, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sep", "Sept"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for name in names
}
# The German months as a German owner writes them in a plan ("2. August 2026", "15. März
# 2027", "1. Okt. 2027"; "Jänner" in Austria): those not spelt as in English.
# fmt: off
MONTHS.update({
    "januar": 1, "jänner": 1, "jän": 1, "februar": 2, "feber": 2, "märz": 3, "mär": 3,
    "maerz": 3, "mrz": 3, "mai": 5, "juni": 6, "juli": 7, "oktober": 10, "okt": 10,
    "dezember": 12, "dez": 12,
})
# fmt: on


def import_plan(
    path: Path,
    known_ids: set[str],
    *,
    date_order: str | None = None,
    shown_as: str | None = None,
) -> dict[str, PlannedAction]:
    """Actions from an edited plan (CSV, or the plan saved back from Excel as ``.xlsx``);
    every problem of every row, located, all at once. ``shown_as`` names the file in messages
    (an upload's own name).

    Rows are numbered as a spreadsheet shows them (the header is row 1; a workbook's rows as
    Excel shows them, with the sheet named). The separator of a CSV is whatever the
    spreadsheet wrote: ',' (the default), ';' (Excel in much of Europe) or a tab. A workbook's
    first sheet is read by ``auditkit.spreadsheet`` (formulas never run; a date cell reads as
    the date it shows).
    Rows without an owner, a due date, a note or a status other than "open" carry no decision
    and are left out. A question on two rows is refused with both rows named: one of the two
    decisions would otherwise be lost. Dates are read with ``read_date``.
    """
    from auditkit.fileio import read_text
    from auditkit.spreadsheet import is_spreadsheet

    file = shown_as or str(path)
    if is_spreadsheet(path):
        from auditkit.spreadsheet import read_sheet

        sheet = read_sheet(path, shown_as=file, what=_("an action plan"))
        rows = [dict(zip(sheet.header, row, strict=True)) for row in sheet.rows]
        return _check_rows(
            sheet.where, sheet.header, iter(rows), known_ids, date_order, sheet.header_row
        )
    text = read_text(
        path, expected=_("a CSV plan"), missing_fix=_("check the path of the plan")
    ).removeprefix("\ufeff")
    separator = _separator(text)
    # The whole file is in memory already: a cell may be as long as the file, so that a huge
    # one is named at its row with the note limit, not refused by the csv module's own limit.
    limit = csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    try:
        return _read_rows(file, text, separator, known_ids, date_order)
    finally:
        csv.field_size_limit(limit)


def _read_rows(
    file: str, text: str, separator: str, known_ids: set[str], date_order: str | None
) -> dict[str, PlannedAction]:
    reader = csv.DictReader(io.StringIO(text), delimiter=separator)
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as error:
        raise InputError.single(
            file, fill(_("the header row cannot be read as CSV ({reason})"), reason=error)
        ) from None
    return _check_rows(file, list(fieldnames), reader, known_ids, date_order)


def _check_rows(
    file: str,
    fieldnames: list[str],
    rows,
    known_ids: set[str],
    date_order: str | None,
    first_row: int = 1,
) -> dict[str, PlannedAction]:
    """Every row checked, numbered as a spreadsheet shows it (``first_row``: the header's)."""
    from auditkit.answers.model import NOTE_LIMIT

    missing = [c for c in ("question_id", "owner", "due", "status") if c not in fieldnames]
    if missing:
        raise InputError.single(
            file,
            fill(_("the plan lacks the columns {columns}"), columns=quoted_list(missing)),
            expected=fill(
                _(
                    "the columns 'auditkit plan --format csv' writes: {columns}, separated by "
                    "',', ';' or tabs"
                ),
                columns=quoted_list(COLUMNS),
            ),
            found=fill(_("columns {columns}"), columns=quoted_list(fieldnames)),
            fix=_("start from the CSV that 'auditkit plan' wrote and keep its header row"),
        )
    actions: dict[str, PlannedAction] = {}
    seen_on: dict[str, int] = {}
    problems: list[Problem] = []
    rows = iter(rows)
    row_number = first_row
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(
                Problem(
                    file,
                    fill(_("this row cannot be read as CSV ({reason})"), reason=error),
                    line=row_number + 1,
                )
            )
            break
        row_number += 1

        def problem(column: str, message: str, **details: str) -> None:
            problems.append(
                Problem(file, message, line=row_number, column_name=column, **details)  # noqa: B023
            )

        cells = {name: unsafe_cell((value or "").strip()) for name, value in row.items() if name}
        ok = True
        for column in ("owner", "note"):
            if len(cells.get(column, "")) > NOTE_LIMIT:
                problem(
                    column,
                    fill(
                        _("the cell is {count} characters long"),
                        count=format_integer(len(cells[column])),
                    ),
                    expected=fill(
                        _("at most {count} characters"), count=format_integer(NOTE_LIMIT)
                    ),
                    fix=_("shorten it: keep long evidence in a document and name it here"),
                )
                ok = False
        question_id = cells.get("question_id", "")
        if question_id not in known_ids:
            problem(
                "question_id",
                _("not a recommendation of this audit"),
                found=repr(question_id[:80]),
                fix=_("keep the question_id column as 'auditkit plan' wrote it"),
            )
            ok = False
        elif question_id in seen_on:
            problem(
                "question_id",
                fill(
                    _("{question} is on row {row} too"),
                    question=repr(question_id),
                    row=seen_on[question_id],
                ),
                expected=_("each action on one row"),
                fix=fill(
                    _(
                        "keep one of rows {first} and {second}: merge the two decisions into "
                        "it and delete the other"
                    ),
                    first=seen_on[question_id],
                    second=row_number,
                ),
            )
            ok = False
        else:
            seen_on[question_id] = row_number
        status = status_code(cells.get("status", ""))
        if status is None:
            shown = [_(ACTION_STATUS_WORDS[code]) for code in ACTION_STATUSES]
            problem(
                "status",
                _("not a status"),
                expected=fill(
                    _("one of {choices}"),
                    # The reader's own words first (a German owner reads "erledigt"), then
                    # the codes the plan files use, which are read in every language.
                    choices=quoted_list(dict.fromkeys([*shown, *ACTION_STATUSES])),
                ),
                found=repr(cells.get("status", "")[:80]),
            )
            ok = False
        due = cells.get("due", "")
        if due:
            try:
                due = read_date(due, date_order)
            except ValueError as refused:
                problem("due", str(refused), found=repr(due[:80]), fix=_date_fix(str(refused)))
                ok = False
        if not ok:
            continue
        action = PlannedAction(
            owner=cells.get("owner", ""), due=due, status=status, note=cells.get("note", "")
        )
        if action != PlannedAction():
            actions[question_id] = action
    if problems:
        raise InputError(problems)
    return actions


def status_code(text: str) -> str | None:
    """A plan's status cell as its code: the code itself ("done"), or how the report says it
    in any language auditkit speaks ("erledigt"), in any case; empty is "open"; None when it
    is neither."""
    said = " ".join(text.split()).lower()
    return _status_codes().get(said) if said else "open"


@functools.cache
def _status_codes() -> dict[str, str]:
    """Every way a status may be written, lower case, to its code: the codes, and their
    words in each shipped language. Built once: a plan has a status on every row."""
    from auditkit.i18n import available, use

    codes = {code: code for code in ACTION_STATUSES}
    for language in available():
        with use(language):
            codes.update({_(words).lower(): code for code, words in ACTION_STATUS_WORDS.items()})
    return codes


def _separator(text: str) -> str:
    """The separator of the header row: the one that splits it into a 'question_id' cell."""
    header = text.split("\n", 1)[0]
    for separator in SEPARATORS:
        if "question_id" in next(csv.reader([header], delimiter=separator), []):
            return separator
    return max(SEPARATORS, key=header.count)


def read_date(text: str, date_order: str | None = None) -> str:
    """A due date as ISO text, from what a person or a spreadsheet writes.

    Read without asking: 2027-05-15, 2027/05/15, 15.05.2027 (dots are day first), 15 May 2027,
    May 15, 2027, 15-May-2027 and the German 15. Mai 2027 (months in English or German, full
    or short). A date with slashes is read when only one order makes a real
    date (15/05/2027) or both give the same day (05/05/2027); 03/04/2027 is refused unless
    ``date_order`` ('dmy' or 'mdy') says which is meant. Raises ValueError saying why."""
    import re

    text = text.strip()
    found = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
    if found:
        return _iso(int(found[1]), int(found[2]), int(found[3]), text)
    found = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if found:
        return _iso(int(found[3]), int(found[2]), int(found[1]), text)
    found = re.fullmatch(r"(\d{1,2})\.?[-\s]+([^\W\d_]+)\.?,?[-\s]+(\d{4})", text) or None
    if found and found[2].lower() in MONTHS:
        return _iso(int(found[3]), MONTHS[found[2].lower()], int(found[1]), text)
    found = re.fullmatch(r"([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})", text)
    if found and found[1].lower() in MONTHS:
        return _iso(int(found[3]), MONTHS[found[1].lower()], int(found[2]), text)
    found = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if found:
        first, second, year = int(found[1]), int(found[2]), int(found[3])
        readings = {}
        for order, (day, month) in (("dmy", (first, second)), ("mdy", (second, first))):
            try:
                readings[order] = datetime.date(year, month, day).isoformat()
            except ValueError:
                continue
        if date_order in readings:
            return readings[date_order]
        if date_order is None and len(set(readings.values())) == 1:
            return next(iter(readings.values()))
        if date_order is None and len(readings) == 2:
            raise ValueError(_(AMBIGUOUS))
    raise ValueError(_("not a date"))


def _iso(year: int, month: int, day: int, text: str) -> str:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(_("not a real date")) from None


AMBIGUOUS = N_("an ambiguous date: day/month or month/day")


def _date_fix(reason: str) -> str:
    if reason == _(AMBIGUOUS):
        return _(
            "use {{date_order dmy}} (15/05/2027) or {{date_order mdy}} (05/15/2027), or write "
            "2027-05-15"
        )
    return _("write the date as 2027-05-15 or 15 May 2027 (a spreadsheet may have reformatted it)")
