"""The recording sheet: one row per test contact, as CSV or ``.xlsx``; its templates.

Fields (the sheet's header, in this order): date, channel, persona, scenario, pair,
disclosed_first_turn, turns_to_person, minutes_to_person, context_kept, answer_right,
optout_offered, notes. Yes/no fields take yes/no (also y/n, true/false, 1/0, ja/nein, oui/non,
tak/nie); an empty cell means "not recorded" (the scenario did not ask it) and leaves the pair
out of that outcome only. Turns and minutes take a number, or ``never`` when no person
answered. ``notes`` is free text for the tester: it is read past, never copied anywhere.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from auditkit.contacts.model import CHANNELS
from auditkit.errors import InputError, Problem, fill
from auditkit.i18n import _, ngettext

FIELDS = (
    "date",
    "channel",
    "persona",
    "scenario",
    "pair",
    "disclosed_first_turn",
    "turns_to_person",
    "minutes_to_person",
    "context_kept",
    "answer_right",
    "optout_offered",
    "notes",
)
REQUIRED = ("date", "channel", "persona", "pair")
YES_NO = ("disclosed_first_turn", "context_kept", "answer_right", "optout_offered")
NUMBERS = ("turns_to_person", "minutes_to_person")
NEVER = "never"
_YES = {"yes", "y", "true", "1", "ja", "oui", "tak", "si", "sí"}
_NO = {"no", "n", "false", "0", "nein", "non", "nie"}
HEADINGS = {
    "date": "date (YYYY-MM-DD)",
    "disclosed_first_turn": "told it was automated at the first turn (yes/no)",
    "turns_to_person": "steps to a person (number or never)",
    "minutes_to_person": "minutes to a person (number or never)",
    "context_kept": "person knew what was said (yes/no)",
    "answer_right": "answer right (yes/no)",
    "optout_offered": "opt-out or contest offered (yes/no)",
}


@dataclass(frozen=True)
class Contact:
    row: int  # the row a spreadsheet shows (the header is row 1)
    date: str
    channel: str
    persona: str
    scenario: str
    pair: str
    outcomes: dict  # field → bool | float | "never" ; absent when not recorded

    def value(self, metric: str) -> bool | float | None:
        """An outcome; ``reached_person`` is derived: a number of steps or minutes is yes,
        ``never`` no, nothing recorded None."""
        if metric == "reached_person":
            times = [self.outcomes.get(f) for f in NUMBERS if f in self.outcomes]
            if not times:
                return None
            return any(t != NEVER for t in times)
        value = self.outcomes.get(metric)
        return None if value == NEVER else value


def read_contacts(path: Path | str) -> tuple[list[Contact], list[tuple[int, str]]]:
    """The recorded contacts, and (row, why) for each row left incomplete (a required field
    empty). A value that cannot be read is an InputError at its row and column."""
    path = Path(path)
    rows = _xlsx_rows(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(path)
    if not rows:
        raise InputError.single(
            str(path), _("is empty"), expected=_("a header row and one row per contact")
        )
    header = [_field(h) for h in rows[0]]
    missing = [f for f in REQUIRED + YES_NO + NUMBERS if f not in header]
    if missing:
        raise InputError.single(
            str(path),
            fill(
                ngettext("lacks the column {columns}", "lacks the columns {columns}", len(missing)),
                columns=", ".join(missing),
            ),
            line=1,
            expected=fill(
                _("the header of the recording template: {columns}"), columns=", ".join(FIELDS)
            ),
            fix=_("start from 'auditkit contacts template' and keep its first row"),
        )
    contacts, incomplete, problems = [], [], []
    for number, cells in enumerate(rows[1:], start=2):
        record = {
            name: (cells[i].strip() if i < len(cells) and cells[i] is not None else "")
            for i, name in enumerate(header)
        }
        if not any(record.get(f) for f in FIELDS if f != "notes"):
            continue  # an empty line
        empty = [f for f in REQUIRED if not record.get(f)]
        if empty:
            incomplete.append((number, f"no {', '.join(empty)}"))
            continue
        if not any(record.get(f) for f in YES_NO + NUMBERS):
            incomplete.append((number, "no outcome recorded (a template row not filled in?)"))
            continue
        outcomes = {}
        for name in YES_NO + NUMBERS:
            text = record.get(name, "")
            if not text:
                continue
            parsed = _parse(name, text)
            if parsed is None:
                problems.append(_bad(path, number, name, text))
            else:
                outcomes[name] = parsed
        channel = record["channel"].lower()
        if channel not in CHANNELS:
            problems.append(
                Problem(
                    str(path),
                    fill(_("unknown channel {channel}"), channel=repr(record["channel"])),
                    line=number,
                    column_name="channel",
                    expected=", ".join(CHANNELS),
                    fix=_("write the channel as the plan names it"),
                )
            )
        date = _date(record["date"])
        if date is None:
            problems.append(
                Problem(
                    str(path),
                    fill(_("{value} is not a date"), value=repr(record["date"])),
                    line=number,
                    column_name="date",
                    expected=_("a date as YYYY-MM-DD, e.g. 2026-11-03"),
                    fix=_("write the date of the contact as 2026-11-03"),
                )
            )
        contacts.append(
            Contact(
                number,
                date or "",
                channel,
                record["persona"],
                record.get("scenario", ""),
                record["pair"],
                outcomes,
            )
        )
    if problems:
        raise InputError(problems[:20])
    return contacts, incomplete


def _field(heading: object) -> str:
    """A header cell as a field name: the field itself, or the template's longer heading
    (any case; "date (YYYY-MM-DD)" is date)."""
    text = str(heading or "").strip().lower()
    for name, words in HEADINGS.items():
        if text == words.lower():
            return name
    return text.split(" (")[0].strip().replace(" ", "_")


def _parse(name: str, text: str) -> bool | float | str | None:
    lowered = text.lower()
    if name in YES_NO:
        return True if lowered in _YES else False if lowered in _NO else None
    if lowered == NEVER:
        return NEVER
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if value >= 0 else None


def _bad(path: Path, row: int, name: str, text: str) -> Problem:
    if name in YES_NO:
        return Problem(
            str(path),
            fill(_("{value} is not yes or no"), value=repr(text)),
            line=row,
            column_name=name,
            expected=_("yes or no (or leave it empty when the scenario did not ask it)"),
            fix=_("write yes or no"),
        )
    return Problem(
        str(path),
        fill(
            _("{value} is not a number of turns")
            if name.startswith("turns")
            else _("{value} is not a number of minutes")
            if name.startswith("minutes")
            else _("{value} is not a number"),
            value=repr(text),
        ),
        line=row,
        column_name=name,
        expected=_("a number ≥ 0, or never when no person answered"),
        fix=_("write e.g. 3, or never"),
    )


def _date(text: str) -> str | None:
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return None


def _csv_rows(path: Path) -> list[list[str]]:
    from auditkit.fileio import read_text

    text = read_text(
        path,
        expected=_("a recording sheet (CSV)"),
        missing_fix=_("check the path of the contacts file"),
    )
    dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=",;\t")
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(path: Path) -> list[list[str]]:
    """The first sheet's cells as text (dates as YYYY-MM-DD); openpyxl imported here only."""
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    except FileNotFoundError:
        raise InputError.single(
            str(path), _("file not found"), fix=_("check the path of the contacts file")
        ) from None
    except Exception as error:  # openpyxl raises many types for a file that is not a workbook
        raise InputError.single(
            str(path),
            fill(_("cannot be read as an .xlsx workbook ({reason})"), reason=type(error).__name__),
            fix=_("save the sheet as .xlsx (Excel 2007+) or CSV"),
        ) from None
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append([_cell(v) for v in row])
    return rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ------------------------------------------------------------------ templates


def template_rows(plan) -> list[list[str]]:
    """One row per planned contact, in schedule order, with its date, channel, persona,
    scenario and pair filled in and the outcomes left for the tester."""
    rows = []
    for pair in plan.pairs:
        second = pair.variant if pair.first == plan.reference.id else plan.reference.id
        for persona in (pair.first, second):
            rows.append([pair.date, pair.channel, persona, pair.scenario, pair.pair] + [""] * 7)
    return rows


def template_csv(plan) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIELDS)
    writer.writerows(template_rows(plan))
    return buffer.getvalue()


def template_xlsx(plan) -> bytes:
    """The same sheet as ``.xlsx``, with yes/no drop-downs and a frozen header."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "contacts"
    sheet.append([HEADINGS.get(f, f) for f in FIELDS])
    for row in template_rows(plan):
        sheet.append(row)
    last = max(sheet.max_row, 2)
    yes_no = DataValidation(type="list", formula1='"yes,no"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    for name in YES_NO:
        letter = chr(ord("A") + FIELDS.index(name))
        yes_no.add(f"{letter}2:{letter}{last}")
    sheet.freeze_panes = "A2"
    for index, name in enumerate(FIELDS):
        sheet.column_dimensions[chr(ord("A") + index)].width = max(
            12, min(40, len(HEADINGS.get(name, name)) + 2)
        )
    fixed = dt.datetime(2000, 1, 1)
    book.properties.created = book.properties.modified = fixed
    buffer = io.BytesIO()
    book.save(buffer)
    return _without_times(buffer.getvalue())


def _without_times(workbook: bytes) -> bytes:
    """The same zip with every member's time fixed: the same plan, the same bytes."""
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data
                )
            target.writestr(fixed, data)
    return out.getvalue()
