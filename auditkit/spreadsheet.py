"""Read the first sheet of an Excel workbook (``.xlsx``) as rows of text, safely.

Booking systems and tills export ``.xlsx``; plans come back from Excel as ``plan.xlsx``. Both
are read here, by python-calamine (imported only when a workbook is read), which parses the
file and never runs anything in it. Before it opens the workbook, the zip is checked:

- **Size.** Every part's size is read from the zip directory, and a part that expands more
  than ``MAX_RATIO`` times (a zip bomb) or beyond ``MAX_PART`` is refused before anything is
  decompressed. The sheet itself is then streamed once through Python's zip reader, which
  stops at the declared size and checks the CRC, so a part whose header lies is refused too.
- **Cells.** That stream counts the sheet's cells: above ``MAX_CELLS`` (1e6 rows of a few
  columns) the workbook is refused with a pointer to CSV, which has no such limit, before
  calamine holds the sheet in memory (about 80 bytes a cell).
- **Formulas are never evaluated.** A formula cell's value is the one Excel saved with the
  file (what Excel showed when it was saved, and what "Save as CSV" would write). A formula
  saved without a value (a file written by a program, never opened in Excel) is refused at
  its cell: it would otherwise read as an empty cell.
- **External links are never followed.** A workbook that takes values from another workbook
  (``xl/externalLinks/``) is refused: those values may be stale and auditkit will not open
  the other file.

The header is the first row as wide as the widest of the first 20: a title or a date above
the table is skipped. Cells become the text a CSV export would hold: whole numbers without ``.0``, other numbers
as the shortest text that reads back to the same value, TRUE/FALSE, dates as 2027-05-15,
durations in seconds. Rows are numbered as Excel shows them.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from auditkit.errors import InputError, fill
from auditkit.i18n import N_, _
from auditkit.i18n.formatting import format_integer

MAX_PART = 512 * 1024 * 1024  # one XML part, decompressed
MAX_RATIO = 200  # decompressed / compressed; real sheets stay far below (~10–40)
MAX_CELLS = 2_000_000  # about 160 MB while calamine holds the sheet
STREAM_BLOCK = 1 << 20
SPREADSHEET_SUFFIXES = (".xlsx",)
SAVE_AS = N_("save it from Excel as CSV (File → Save As → CSV UTF-8)")


@dataclass(frozen=True)
class Sheet:
    """A sheet's header and data rows, as text. ``header_row`` is the Excel row of the header,
    so data row ``i`` (0-based) is Excel row ``header_row + 1 + i``."""

    file: str
    name: str
    header: list[str]
    rows: list[list[str]]
    header_row: int

    @property
    def where(self) -> str:
        """The file and sheet, as messages name them."""
        return sheet_place(self.file, self.name)


def sheet_place(file: str, sheet: str) -> str:
    """A workbook's file and sheet as a message's location ("log.xlsx, sheet 'Export'")."""
    return fill(_("{file}, sheet {sheet}"), file=file, sheet=repr(sheet))


def column_letter(index: int) -> str:
    """Excel's letters for a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def is_spreadsheet(path: Path | str) -> bool:
    return Path(path).suffix.lower() in SPREADSHEET_SUFFIXES


def read_sheet(path: Path | str, *, shown_as: str | None = None, what: str | None = None) -> Sheet:
    """The first sheet of the workbook at ``path`` (the one Excel opens first), checked as
    the module says. ``shown_as`` names the file in messages (an upload's own name); ``what``
    what it should hold, already translated ("a decision log")."""
    path = Path(path)
    file = shown_as or str(path)
    what = what or _("a log")
    _part, name = _check_zip(path, file, what)
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        raw_rows = sheet.iter_rows()
        first_column = sheet.start[1] if sheet.start else 0
        # Text cells are most cells: kept as they are, without the type checks of _text.
        rows = [[cell if type(cell) is str else _text(cell) for cell in row] for row in raw_rows]
    except InputError:
        raise
    except Exception as error:  # calamine's own errors: a damaged or unusual workbook
        raise InputError.single(
            file,
            fill(
                _("cannot be read as an Excel workbook ({reason})"),
                reason=type(error).__name__,
            ),
            expected=fill(_("{what} saved by Excel as .xlsx"), what=what),
            fix=fill(_("open it in Excel and save it again, or {save_as}"), save_as=_(SAVE_AS)),
        ) from None
    name = getattr(sheet, "name", None) or name
    return _table(file, name, rows, first_column, what)


def _table(file: str, name: str, rows: list[list[str]], first_column: int, what: str) -> Sheet:
    where = sheet_place(file, name)
    header_index = _header_row(rows)
    if header_index is None:
        raise InputError.single(
            where,
            _("the sheet is empty"),
            expected=fill(_("{what}: a header row of column names"), what=what),
        )
    header = [cell.strip() for cell in rows[header_index]]
    while header and not header[-1]:
        header.pop()
    excel_row = header_index + 1
    seen: set[str] = set()
    for index, cell in enumerate(header):
        letter = column_letter(first_column + index)
        if not cell:
            raise InputError.single(
                where,
                fill(
                    _("Excel row {row}, column {letter}: the header cell is empty"),
                    row=excel_row,
                    letter=letter,
                ),
                expected=_("a name at the top of every column"),
                fix=_("type a column name there, or delete the empty column"),
            )
        if cell in seen:
            raise InputError.single(
                where,
                fill(
                    _("Excel row {row}, column {letter}: the header names {name} twice"),
                    row=excel_row,
                    letter=letter,
                    name=repr(cell),
                ),
                fix=_("rename one of the two columns"),
            )
        seen.add(cell)
    width = len(header)
    data = rows[header_index + 1 :]
    while data and not any(c.strip() for c in data[-1]):
        data.pop()  # formatting below the last row leaves empty rows behind
    for offset, row in enumerate(data):
        if len(row) == width:
            continue  # the usual row: nothing to check or pad
        stray = next((j for j in range(width, len(row)) if row[j].strip()), None)
        if stray is not None:
            raise InputError.single(
                where,
                fill(
                    _("Excel row {row}, column {letter}: a value in a column without a header"),
                    row=excel_row + 1 + offset,
                    letter=column_letter(first_column + stray),
                ),
                expected=fill(_("values only under the {count} named columns"), count=width),
                fix=_("name the column in the header row, or delete the value"),
            )
        if len(row) < width:
            row.extend([""] * (width - len(row)))
        elif len(row) > width:
            del row[width:]
    return Sheet(file, name, header, data, excel_row)


TITLE_ROWS = 20


def _header_row(rows: list[list[str]]) -> int | None:
    """The header: among the first rows with content, the first as wide as the widest.
    Exports often put a title ("Bookings, November") or a date above the table; those rows
    are narrower than the header and are skipped. None for an empty sheet."""
    from itertools import islice

    filled = list(
        islice(
            (
                (index, sum(1 for cell in row if cell.strip()))
                for index, row in enumerate(rows)
                if any(cell.strip() for cell in row)
            ),
            TITLE_ROWS,
        )
    )
    if not filled:
        return None
    widest = max(count for _, count in filled)
    return next(index for index, count in filled if count == widest)


def _text(cell: object) -> str:
    """A cell as the text a CSV export holds (see the module's docstring)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        if cell.is_integer() and abs(cell) < 1e15:
            return str(int(cell))
        return repr(cell)
    if isinstance(cell, datetime.datetime):
        if cell.time() == datetime.time():
            return cell.date().isoformat()
        return cell.isoformat(sep=" ")
    if isinstance(cell, datetime.date | datetime.time):
        return cell.isoformat()
    if isinstance(cell, datetime.timedelta):
        seconds = cell.total_seconds()
        return str(int(seconds)) if seconds.is_integer() else repr(seconds)
    return str(cell)


# ----------------------------------------------------------------------------- the zip checks
SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
ATTRIBUTE = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
PREFIX = re.compile(rb"<(\w+):worksheet\b")
FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
SAVED_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]+</(?:\w+:)?v>|<(?:\w+:)?is>")
CELL_START = re.compile(rb"<(?:\w+:)?c\b[^>]*\br=\"([A-Z]+)(\d+)\"")


def _check_zip(path: Path, file: str, what: str) -> tuple[str, str]:
    """The first sheet's part and name, after the size, link and formula checks."""
    if not zipfile.is_zipfile(path):
        raise InputError.single(
            file,
            _("is not an Excel workbook (.xlsx files are zip archives, and this is not one)"),
            expected=fill(_("{what} saved by Excel 2007 or later as .xlsx"), what=what),
            fix=_(
                "an old .xls or a CSV renamed to .xlsx: open it in Excel and save it as .xlsx, "
                "or give the CSV its .csv name"
            ),
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise InputError.single(
            file, fill(_("the workbook is damaged ({reason})"), reason=error)
        ) from None
    with archive:
        for info in archive.infolist():
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_PART or (info.file_size > STREAM_BLOCK and ratio > MAX_RATIO):
                raise InputError.single(
                    file,
                    fill(
                        _(
                            "a part of the workbook ({part}) expands to {size} MB, {ratio} "
                            "times its packed size: it is built to exhaust memory (a zip "
                            "bomb), not saved by Excel"
                        ),
                        part=info.filename,
                        size=format_integer(round(info.file_size / 1e6)),
                        ratio=format_integer(round(ratio)),
                    ),
                    expected=fill(_("{what} saved by Excel"), what=what),
                    fix=fill(
                        _("export the data again from the system that made it, or {save_as}"),
                        save_as=_(SAVE_AS),
                    ),
                )
        names = set(archive.namelist())
        if any(name.startswith("xl/externalLinks/") for name in names):
            raise InputError.single(
                file,
                _(
                    "the workbook takes values from other workbooks (external links); auditkit "
                    "does not open other files, and the values saved here may be out of date"
                ),
                fix=fill(
                    _("in Excel: Data → Edit Links → Break Link, then save; or {save_as}"),
                    save_as=_(SAVE_AS),
                ),
            )
        part, sheet_name = _first_sheet(archive, names, file, what)
        _scan_sheet(archive, part, sheet_place(file, sheet_name))
    return part, sheet_name


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > 16 * 1024 * 1024:
        raise InputError.single(name, _("is far larger than a workbook's index is"))
    return archive.read(name)


def _first_sheet(
    archive: zipfile.ZipFile, names: set[str], file: str, what: str
) -> tuple[str, str]:
    if "xl/workbook.xml" not in names:
        raise InputError.single(
            file,
            _("is a zip archive, not an Excel workbook (it has no xl/workbook.xml)"),
            expected=fill(_("{what} saved by Excel as .xlsx"), what=what),
            fix=_("Save it from Excel as CSV (File → Save As → CSV UTF-8)"),
        )
    entry = SHEET_ENTRY.search(_small_part(archive, "xl/workbook.xml"))
    if entry is None:
        raise InputError.single(
            file,
            _("the workbook has no sheet"),
            fix=_("Save it from Excel as CSV (File → Save As → CSV UTF-8)"),
        )
    attributes = {key.split(b":")[-1]: value for key, value in ATTRIBUTE.findall(entry.group())}
    sheet_name = _unescape(attributes.get(b"name", b"Sheet1").decode("utf-8", "replace"))
    target = None
    if "xl/_rels/workbook.xml.rels" in names and b"id" in attributes:
        rels = _small_part(archive, "xl/_rels/workbook.xml.rels")
        for relation in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
            found = dict(ATTRIBUTE.findall(relation))
            if found.get(b"Id") == attributes[b"id"]:
                target = found.get(b"Target", b"").decode("utf-8", "replace")
    if target is None:
        target = "worksheets/sheet1.xml"
    part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    part = re.sub(r"[^/]+/\.\./", "", part)
    if part not in names:
        raise InputError.single(
            file,
            fill(
                _("the workbook's first sheet {sheet} is missing from the file"),
                sheet=repr(sheet_name),
            ),
        )
    return part, sheet_name


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def _scan_sheet(archive: zipfile.ZipFile, part: str, where: str) -> None:
    """Stream the sheet's XML once: count its cells, and find a formula saved without a value.

    Python's zip reader stops at the declared size and checks the CRC at the end, so this is
    also the check that the part's header did not lie about its size."""
    cells = 0
    carry = b""
    tags: tuple[bytes, ...] = ()
    try:
        with archive.open(part) as stream:
            for block in _blocks(stream):
                buffer = carry + block
                if not tags:  # '<c ', '<c>'…, or '<x:c ' where the sheet uses a prefix
                    prefix = PREFIX.search(buffer)
                    lead = b"<" + (prefix.group(1) + b":" if prefix else b"")
                    tags = tuple(
                        lead + b"c" + end for end in (b" ", b">", b"/", b"\t", b"\n", b"\r")
                    )
                # bytes.count is far faster than a regex; a tag split between blocks is lost
                cells += sum(block.count(tag) for tag in tags)
                if cells > MAX_CELLS:
                    raise InputError.single(
                        where,
                        fill(
                            _(
                                "the sheet has more than {count} cells, more than auditkit "
                                "reads from a workbook"
                            ),
                            count=format_integer(MAX_CELLS),
                        ),
                        expected=_("a workbook of up to about a million rows of two columns"),
                        fix=fill(_("{save_as}: CSV logs have no size limit"), save_as=_(SAVE_AS)),
                    )
                if b"f>" in buffer or b"<f " in buffer or b":f " in buffer:
                    _refuse_formula_without_value(buffer, where)
                carry = buffer[-65536:]
    except zipfile.BadZipFile as error:
        raise InputError.single(
            where,
            fill(_("the workbook is damaged or its sizes are forged ({reason})"), reason=error),
        ) from None


def _blocks(stream) -> Iterator[bytes]:
    while block := stream.read(STREAM_BLOCK):
        yield block


def _refuse_formula_without_value(buffer: bytes, where: str) -> None:
    for formula in FORMULA.finditer(buffer):
        end = buffer.find(b"</c>", formula.end())
        if end < 0:
            continue  # the cell ends in the next block, which sees it again
        if SAVED_VALUE.search(buffer, formula.end(), end):
            continue
        starts = list(CELL_START.finditer(buffer, max(0, formula.start() - 4096), formula.start()))
        start = starts[-1] if starts else None
        message = (
            fill(
                _(
                    "Excel row {row}, column {letter}: a formula saved without its value; "
                    "auditkit never calculates formulas"
                ),
                row=int(start.group(2)),
                letter=start.group(1).decode(),
            )
            if start
            else _("a formula saved without its value; auditkit never calculates formulas")
        )
        raise InputError.single(
            where,
            message,
            expected=_("values, or formulas as Excel saves them (with the value they show)"),
            fix=_(
                "open the file in Excel and save it (Excel stores each formula's value), or "
                "copy the column and paste it as values"
            ),
        )
