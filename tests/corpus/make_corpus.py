"""Write the hostile-input corpus (run from the repository root: python tests/corpus/make_corpus.py).

The files are committed; this script says how each was made, so a case can be read, changed
or added without a hex editor. Expectations live in ``expect.yaml`` beside them.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).parent
REPO = HERE.parent.parent
CHATBOT = REPO / "examples" / "logs" / "chatbot.csv"


def text(relative: str, content: str) -> None:
    path = HERE / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")


def raw(relative: str, content: bytes) -> None:
    path = HERE / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def folder(relative: str) -> None:
    """A directory where a file is expected (with a keep-file so git stores it)."""
    path = HERE / relative
    path.mkdir(parents=True, exist_ok=True)
    (path / ".keep").write_text("")


def junk(seed: int, size: int = 4096) -> bytes:
    return random.Random(seed).randbytes(size)


def workbook(
    relative: str | Path,
    rows: Iterable[list[object]],
    *,
    sheet: str = "Export",
    extra_parts: dict[str, bytes] | None = None,
    sheet_xml: bytes | None = None,
) -> None:
    """A minimal .xlsx written by hand, byte for byte the same on every run (openpyxl stamps
    the time). A cell is text, a number, or ("=FORMULA", saved value or None). ``rows`` may
    be a generator: the sheet is streamed into the zip, so a million rows are never held."""
    import zipfile
    from xml.sax.saxutils import escape

    from auditkit.spreadsheet import column_letter

    def cell(ref: str, value: object) -> str:
        if isinstance(value, tuple):
            formula, saved = value
            shown = "" if saved is None else f"<v>{saved}</v>"
            return f'<c r="{ref}"><f>{escape(formula.lstrip("="))}</f>{shown}</c>'
        if isinstance(value, int | float) and not isinstance(value, bool):
            return f'<c r="{ref}"><v>{value!r}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            b'.org/package/2006/content-types"><Default Extension="rels" ContentType="applicatio'
            b'n/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" Content'
            b'Type="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="applic'
            b'ation/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
            b'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{relations}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" '
            f'xmlns:r="{relations}"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{relations}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'
        ).encode(),
        **(extra_parts or {}),
    }
    path = relative if isinstance(relative, Path) else HERE / relative
    path.parent.mkdir(parents=True, exist_ok=True)

    def entry(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in list(parts.items())[:4]:
            archive.writestr(entry(name), data)
        with archive.open(entry("xl/worksheets/sheet1.xml"), "w", force_zip64=True) as stream:
            if sheet_xml is not None:
                stream.write(sheet_xml)
            else:
                stream.write(
                    f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}">'
                    "<sheetData>".encode()
                )
                letters: list[str] = []  # column letters, computed once a column
                batch: list[str] = []  # rows written a thousand at a time: same bytes, faster
                for r, row in enumerate(rows, start=1):
                    while len(letters) < len(row):
                        letters.append(column_letter(len(letters)))
                    cells = "".join(
                        cell(f"{letters[c]}{r}", v) for c, v in enumerate(row) if v != ""
                    )
                    batch.append(f'<row r="{r}">{cells}</row>')
                    if len(batch) == 1000:
                        stream.write("".join(batch).encode())
                        batch.clear()
                stream.write("".join(batch).encode())
                stream.write(b"</sheetData></worksheet>")
        for name, data in list(parts.items())[4:]:
            archive.writestr(entry(name), data)


def typed(cell: str) -> object:
    """A CSV cell as Excel would hold it: numbers as numbers, the rest as text."""
    try:
        number = float(cell)
    except ValueError:
        return cell
    return int(number) if number.is_integer() else number


def alias_bomb() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for index in range(1, 9):
        name, previous = chr(97 + index), chr(96 + index)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def deep_yaml() -> str:
    return "a: " + "[" * 3000 + "]" * 3000 + "\n"


RUBRIC = """\
id: corpus
version: "1.0.0"
title: Corpus rubric
scoring:
  threshold: 0.7
principles:
  - id: human-touch
    title: Human touch
    why: People keep customers.
    weight: 1
questions:
  - id: adopt.chatbot
    principle: human-touch
    kind: adoption
    phase: 2
    text: Do you use a chatbot?
    help: Any automated chat.
  - id: touch.reach
    principle: human-touch
    kind: safeguard
    phase: 2
    text: Can a customer reach a person?
    help: On every channel.
    recommendation: Offer a person on request.
"""


def rubrics() -> None:
    text("rubric/ok-minimal.yaml", RUBRIC)
    text("rubric/tab-indent.yaml", RUBRIC.replace("  threshold", "\tthreshold"))
    text(
        "rubric/colon-in-text.yaml", RUBRIC.replace("Do you use a chatbot?", "Chatbot: yes or no?")
    )
    text("rubric/unknown-key.yaml", RUBRIC.replace("    weight: 1\n", "    weigth: 1\n"))
    text(
        "rubric/duplicate-key.yaml",
        RUBRIC.replace("    weight: 1\n", "    weight: 1\n    weight: 2\n"),
    )
    text("rubric/weight-is-text.yaml", RUBRIC.replace("    weight: 1\n", "    weight: heavy\n"))
    text("rubric/weight-is-nan.yaml", RUBRIC.replace("    weight: 1\n", "    weight: .nan\n"))
    text("rubric/weight-is-infinite.yaml", RUBRIC.replace("    weight: 1\n", "    weight: .inf\n"))
    text(
        "rubric/phase-out-of-range.yaml",
        RUBRIC.replace("phase: 2\n    text: Do", "phase: 7\n    text: Do"),
    )
    text("rubric/impossible-date.yaml", RUBRIC.replace('version: "1.0.0"', "version: 2026-02-30"))
    text(
        "rubric/python-tag.yaml",
        RUBRIC.replace("title: Corpus rubric", "title: !!python/object/apply:os.system [id]"),
    )
    text("rubric/unclosed-quote.yaml", RUBRIC.replace('version: "1.0.0"', 'version: "1.0.0'))
    text("rubric/truncated.yaml", RUBRIC[: RUBRIC.index("recommendation") - 20])
    text("rubric/top-level-list.yaml", "- id: corpus\n- title: A list, not a rubric\n")
    text("rubric/only-a-comment.yaml", "# nothing here\n")
    text("rubric/html-in-title.yaml", RUBRIC.replace("Corpus rubric", "<script>alert(1)</script>"))
    text("rubric/alias-bomb.yaml", alias_bomb())
    text("rubric/deep-nesting.yaml", deep_yaml())
    raw("rubric/empty.yaml", b"")
    raw("rubric/binary-junk.yaml", junk(1))
    raw("rubric/nul-byte.yaml", RUBRIC.replace("Human touch\n", "Human\x00touch\n").encode())
    raw("rubric/utf16.yaml", RUBRIC.encode("utf-16"))
    folder("rubric/a-directory.yaml")


OVERLAY = """\
overlay: corpus-sector
extends: human-centred-automation
version: "1.0.0"
title: Corpus sector
questions:
  fairness.alternative-channels:
    weight: 3
add:
  - id: corpus.extra
    principle: human-touch
    kind: safeguard
    phase: 2
    weight: 1
    text: Is there an extra safeguard?
    help: Anything that helps.
    recommendation: Add one.
"""


def overlays() -> None:
    text("overlay/ok-overlay.yaml", OVERLAY)
    text(
        "overlay/extends-missing.yaml",
        OVERLAY.replace("extends: human-centred-automation", "extends: no-such-rubric"),
    )
    text(
        "overlay/extends-system-file.yaml",
        OVERLAY.replace("extends: human-centred-automation", "extends: /etc/passwd"),
    )
    text(
        "overlay/changes-unknown-question.yaml",
        OVERLAY.replace("fairness.alternative-channels", "fairness.no-such-question"),
    )
    text("overlay/adds-existing-id.yaml", OVERLAY.replace("corpus.extra", "handoff.reach-person"))
    text(
        "overlay/adds-to-unknown-principle.yaml",
        OVERLAY.replace("principle: human-touch", "principle: kindness"),
    )
    text(
        "overlay/when-unknown-question.yaml",
        OVERLAY.replace(
            "    weight: 1\n", "    weight: 1\n    when:\n      adopt.teleport: [live]\n"
        ),
    )
    text("overlay/weight-negative.yaml", OVERLAY.replace("weight: 3", "weight: -3"))
    text("overlay/alias-bomb.yaml", alias_bomb())
    raw("overlay/empty.yaml", b"")


ANSWERS = (REPO / "examples" / "bakery" / "answers.yaml").read_text(encoding="utf-8")


def answers() -> None:
    first = "  adopt.accounting:\n    answer: live\n"
    assert first in ANSWERS
    text("answers/ok-bakery.yaml", ANSWERS)
    text(
        "answers/note-with-html.yaml",
        ANSWERS.replace(first, first + "    note: '<script>alert(1)</script> & <b>bold</b>'\n"),
    )
    text(
        "answers/answer-not-on-scale.yaml",
        ANSWERS.replace(first, "  adopt.accounting:\n    answer: sometimes\n"),
    )
    text(
        "answers/unknown-question.yaml",
        ANSWERS.replace(first, "  adopt.teleport:\n    answer: live\n" + first),
    )
    text(
        "answers/impossible-date.yaml",
        ANSWERS.replace("answered_at: '2026-11-02T09:00:00+00:00'", "answered_at: 2026-02-30", 1),
    )
    text(
        "answers/python-tag.yaml",
        ANSWERS.replace("name: Korn & Krume Bakery", "name: !!python/object/apply:os.system [id]"),
    )
    text("answers/duplicate-key.yaml", ANSWERS.replace(first, first + "    answer: pilot\n"))
    text(
        "answers/na-without-reason.yaml",
        ANSWERS.replace(first, "  adopt.accounting:\n    answer: n/a\n"),
    )
    text(
        "answers/unknown-format.yaml",
        ANSWERS.replace("format: auditkit-answers/1", "format: auditkit-answers/9"),
    )
    text("answers/tab-indent.yaml", ANSWERS.replace("    answer: live\n", "\tanswer: live\n", 1))
    text(
        "answers/colon-in-note.yaml",
        ANSWERS.replace(first, first + "    note: Reorders: flour and butter\n"),
    )
    text(
        "answers/truncated.yaml", ANSWERS[: len(ANSWERS) // 2].rsplit("\n", 1)[0] + "\n  adopt.chat"
    )
    text(
        "answers/note-too-long.yaml",
        ANSWERS.replace(
            "    note: Flour and butter reorder automatically from the stock sheet.",
            "    note: " + "Flour and butter. " * 1200,
        ),
    )
    text("answers/a-list.yaml", "- adopt.accounting: live\n- adopt.inventory: live\n")
    text("answers/deep-nesting.yaml", deep_yaml())
    raw("answers/empty.yaml", b"")
    raw("answers/binary-junk.yaml", junk(2))
    folder("answers/a-directory.yaml")


BRAND = """\
name: Corpus Advisory
colors:
  primary: "#12355b"
  accent: "#d1603d"
contact: "advice@corpus.example"
footer: "Prepared for the named business only."
"""


def brands() -> None:
    text("brand/ok-brand.yaml", BRAND)
    text("brand/name-is-a-number.yaml", BRAND.replace("name: Corpus Advisory", "name: 5"))
    text(
        "brand/footer-is-a-list.yaml",
        BRAND.replace('footer: "Prepared for the named business only."', "footer: [a, b]"),
    )
    text(
        "brand/colour-breaks-css.yaml", BRAND.replace('"#12355b"', '"red; } body { display: none"')
    )
    text("brand/unknown-key.yaml", BRAND + "colour: blue\n")
    text("brand/unquoted-colour.yaml", BRAND.replace('"#12355b"', "#12355b"))
    text("brand/logo-missing.yaml", BRAND + "logo: no-such-logo.svg\n")
    text("brand/logo-not-an-image.yaml", BRAND + "logo: not-an-image.png\n")
    text("brand/not-an-image.png", "this is text, not a PNG\n")
    text("brand/font-outside-folder.yaml", BRAND + "fonts:\n  - file: ../../../../etc/passwd\n")
    text("brand/page-size-unknown.yaml", BRAND + "page_size: A0\n")
    text("brand/alias-bomb.yaml", alias_bomb())
    raw("brand/empty.yaml", b"")
    folder("brand/a-directory.yaml")


MAPPING = """\
columns:
  requested_human: requested_human
groups: [language]
"""


def mappings() -> None:
    text("mapping/ok-mapping.yaml", MAPPING)
    text("mapping/unknown-key.yaml", MAPPING + "treshold: 0.8\n")
    text(
        "mapping/column-not-in-log.yaml",
        MAPPING.replace("requested_human: requested_human", "requested_human: asked_for_person"),
    )
    text("mapping/groups-is-a-number.yaml", MAPPING.replace("groups: [language]", "groups: 5"))
    text("mapping/tolerance-reversed.yaml", MAPPING + "tolerance: [1.25, 0.8]\n")
    text("mapping/tab-indent.yaml", MAPPING.replace("  requested_human", "\trequested_human"))
    text("mapping/alias-bomb.yaml", alias_bomb())
    raw("mapping/binary-junk.yaml", junk(3))


def bias_json() -> None:
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "auditkit",
            "bias",
            "chatbot",
            "examples/logs/chatbot.csv",
            "-g",
            "language",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    good = json.loads(made.stdout)
    text("bias/not-json.json", "{'format': 'auditkit-bias/3',}\n")
    text("bias/trailing-garbage.json", '{"format": "auditkit-bias/3"} and more\n')
    text("bias/a-list.json", "[1, 2, 3]\n")
    text("bias/wrong-format.json", '{"format": "auditkit-bias/99", "checks": []}\n')
    text("bias/deep-nesting.json", "[" * 50_000 + "]" * 50_000 + "\n")
    text(
        "bias/infinite-value.json",
        json.dumps(good, indent=1).replace('"rows": 4000', '"rows": 1e999', 1),
    )
    text(
        "bias/nan-value.json", json.dumps(good, indent=1).replace('"rows": 4000', '"rows": NaN', 1)
    )
    raw("bias/empty.json", b"")
    raw("bias/binary-junk.json", junk(4))
    text("bias/ok-chatbot.json", json.dumps(good, indent=1))
    spoiled = json.loads(json.dumps(good))
    spoiled.pop("source", None)
    text("bias/missing-source.json", json.dumps(spoiled, indent=1))
    spoiled = json.loads(json.dumps(good))
    spoiled["metrics"] = [1, 2, 3]
    text("bias/metrics-are-numbers.json", json.dumps(spoiled, indent=1))


def counts() -> None:
    """Counts as --save-counts writes them for the chatbot preset grouped by language."""
    target = HERE / "counts" / "ok-counts.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "auditkit",
            "bias",
            "chatbot",
            "tests/corpus/logs/ok-chatbot.csv",
            "-g",
            "language",
            "--save-counts",
            str(target),
        ],
        capture_output=True,
        check=True,
        cwd=REPO,
    )
    good = target.read_text(encoding="utf-8").replace(".0,", ",").replace(".0\n", "\n")
    first = good.splitlines()[1].split(",")
    n_at = good.splitlines()[0].split(",").index("n")
    count = first[n_at]
    text("counts/ok-counts.csv", good)
    header, row = good.splitlines(keepends=True)[:2]

    def with_count(value: str) -> str:
        cells = row.rstrip("\n").split(",")
        cells[n_at] = value
        return good.replace(row, ",".join(cells) + "\n", 1)

    assert count.isdigit()
    text("counts/ok-counts.csv", good)
    text("counts/negative-count.csv", with_count("-" + count))
    text("counts/fractional-count.csv", with_count(count + ".5"))
    text("counts/count-is-text.csv", with_count("many"))
    text("counts/infinite-count.csv", with_count("inf"))
    text("counts/huge-count.csv", with_count("1e308"))
    text("counts/no-n-column.csv", good.replace(",n,", ",rows,", 1))
    text("counts/header-only.csv", header)
    text("counts/ragged-row.csv", good + "fr,true\n")
    text("counts/formula-group.csv", good.replace("\nde,", "\n=cmd|' /C calc'!A0,"))
    raw("counts/empty.csv", b"")
    raw("counts/binary-junk.csv", junk(5))


def logs() -> None:
    lines = CHATBOT.read_text(encoding="utf-8").splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    base = header + "".join(rows[:400])

    def replace_in_row(
        row_number: int, column: str, value: str, source: list[str] | None = None
    ) -> str:
        table = list(source or rows)
        names = header.rstrip("\n").split(",")
        cells = table[row_number - 1].rstrip("\n").split(",")
        cells[names.index(column)] = value
        table[row_number - 1] = ",".join(cells) + "\n"
        return header + "".join(table)

    text("logs/ok-chatbot.csv", base)
    text("logs/bad-boolean.csv", replace_in_row(5, "requested_human", "maybe", rows[:400]))
    text("logs/bad-number-late.csv", replace_in_row(3500, "wait_time", "twelve"))
    text("logs/missing-group-column.csv", base.replace(",language,", ",lang,", 1))
    text("logs/header-only.csv", header)
    text("logs/ragged-row.csv", replace_in_row(7, "channel", "web,extra,cells", rows[:400]))
    text("logs/html-group-values.csv", base.replace(",en,", ",<script>alert(1)</script>,"))
    text(
        "logs/quoted-newlines.csv",
        header.rstrip("\n")
        + ",remark\n"
        + "".join(r.rstrip("\n") + ',"line one\nline two"\n' for r in rows[:400]),
    )
    sql = header.replace("channel", 'channel"; DROP TABLE x; --')
    text("logs/column-named-like-sql.csv", sql + "".join(rows[:400]))
    raw(
        "logs/latin1.csv",
        (header + "".join(rows[:400])).replace(",en,", ",français,").encode("latin-1"),
    )
    raw("logs/utf8-bom.csv", b"\xef\xbb\xbf" + base.encode())
    spoken = (
        (header + "".join(rows[:400])).replace(",en,", ",español,").replace(",de,", ",français,")
    )
    raw(
        "logs/utf8-with-one-latin1-row.csv",  # one row pasted from a Latin-1 export
        spoken.encode() + rows[401].replace(",en,", ",français,").encode("latin-1"),
    )
    raw("logs/nan-markers.csv", base.replace(",,", ",nan,").replace(",\n", ",NA\n").encode())
    raw("logs/empty.csv", b"")
    raw("logs/binary-junk.csv", junk(6))
    raw(
        "logs/invalid-utf8-late.csv",
        (header + "".join(rows[:3000])).encode()
        + b"C-9,x@example.org,\xff\xfe,18-34,web,true,true,yes,,3\n",
    )
    folder("logs/a-directory.csv")

    import duckdb

    parquet = HERE / "logs" / "ok-chatbot.parquet"
    connection = duckdb.connect()
    connection.execute(
        f"COPY (SELECT * FROM read_csv('{HERE / 'logs' / 'ok-chatbot.csv'}', all_varchar=true)) TO '{parquet}' (FORMAT parquet)"
    )
    data = parquet.read_bytes()
    raw("logs/truncated.parquet", data[: len(data) // 2])
    raw("logs/empty.parquet", b"")
    raw("logs/csv-named-parquet.parquet", base.encode())
    spoiled = HERE / "logs" / "corrupt-page.parquet"
    middle = bytearray(data)
    for index in range(4, len(middle) * 2 // 3):  # every page, the footer intact
        middle[index] = 0xFF
    spoiled.write_bytes(bytes(middle))

    records = [
        dict(zip(header.rstrip("\n").split(","), r.rstrip("\n").split(","), strict=True))
        for r in rows[:400]
    ]
    jsonl = "".join(json.dumps(record) + "\n" for record in records)
    text("logs/ok-chatbot.jsonl", jsonl)
    broken = jsonl.splitlines(keepends=True)
    broken[2] = broken[2][:-20] + "\n"
    text("logs/broken-line.jsonl", "".join(broken))
    many = [json.dumps(record) + "\n" for record in records] * 6
    many[2100] = '{"conversation_id": "C-1", "language": \n'
    text("logs/broken-line-late.jsonl", "".join(many))
    cut = [json.dumps(record) + "\n" for record in records]
    cut[2] = cut[2][: cut[2].rindex('"', 0, -3)] + '"unfinished\n'  # line 3 ends inside a string
    text("logs/cut-inside-a-string.jsonl", "".join(cut))
    text(
        "logs/arrays-not-objects.jsonl",
        "".join(json.dumps(list(record.values())) + "\n" for record in records),
    )
    raw("logs/empty.jsonl", b"")
    workbooks(header, rows)


def workbooks(header: str, rows: list[str]) -> None:
    """Decision logs as Excel saves them, and workbooks built to hurt."""
    import csv
    import io

    table = list(csv.reader(io.StringIO(header + "".join(rows[:400]))))
    names = table[0]
    cells = [names] + [[typed(c) for c in row] for row in table[1:]]
    workbook("logs/ok-chatbot.xlsx", cells)
    wait = names.index("wait_time")
    with_formula = [list(r) for r in cells]
    with_formula[3][wait] = (f"=60+{with_formula[3][wait]}-60", with_formula[3][wait])
    workbook("logs/formula-with-saved-value.xlsx", with_formula)
    no_value = [list(r) for r in cells]
    no_value[3][wait] = ("=A1*2", None)
    workbook("logs/formula-without-value.xlsx", no_value)
    workbook(
        "logs/external-link.xlsx",
        with_formula,
        extra_parts={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"},
    )
    bomb = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>' + b" " * 50_000_000 + b"</sheetData></worksheet>"
    )
    workbook("logs/zip-bomb.xlsx", [], sheet_xml=bomb)
    stray = [list(r) for r in cells]
    stray[6] = [*stray[6], "", "note"]
    workbook("logs/stray-cell.xlsx", stray)
    text("logs/csv-named-xlsx.xlsx", header + "".join(rows[:50]))
    # Decimal commas: a ';' CSV as Excel saves it in much of Europe (read as it is), and the
    # same numbers quoted in a ',' CSV, where a comma cannot be guessed (refused, with a hint).
    halves = [[c if i != wait or not c else f"{c},5" for i, c in enumerate(r)] for r in table[1:]]
    for relative, delimiter in (
        ("logs/decimal-comma-semicolons.csv", ";"),
        ("logs/decimal-comma-in-commas.csv", ","),
    ):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
        writer.writerows([names, *halves])
        text(relative, buffer.getvalue())


def plans() -> None:
    """Edited plans of the bakery's audit, as spreadsheets save them."""
    import csv
    import io
    import subprocess
    import sys

    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "auditkit",
            "plan",
            str(REPO / "examples" / "bakery" / "answers.yaml"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = list(csv.DictReader(io.StringIO(made.removeprefix("\ufeff"))))

    def plan(relative: str, edited: list[dict], delimiter: str = ",") -> None:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(edited)
        text(relative, buffer.getvalue())

    decided = [dict(r) for r in rows]
    decided[0].update(owner="Ilse", due="2027-03-31", status="in progress")
    plan("plan/ok-plan.csv", decided)
    plan(
        "plan/semicolons-and-dotted-dates.csv",
        [{**decided[0], "due": "31.03.2027"}, *decided[1:]],
        delimiter=";",
    )
    plan("plan/duplicate-row.csv", [*decided, {**decided[0], "owner": "Bob", "status": "dropped"}])
    broken = [dict(r) for r in decided]
    broken[1].update(question_id="no.such", status="finished", due="2027-02-30")
    plan("plan/three-problems-in-a-row.csv", broken)
    plan("plan/ambiguous-date.csv", [{**decided[0], "due": "03/04/2027"}, *decided[1:]])
    names = list(rows[0])
    as_excel = [names] + [
        [typed(r[n]) if n == "priority" else r[n] for n in names] for r in decided
    ]
    workbook("plan/ok-plan.xlsx", as_excel, sheet="plan")
    wrong = [list(r) for r in as_excel]
    wrong[3][names.index("status")] = "finished"
    workbook("plan/status-wrong.xlsx", wrong, sheet="plan")


def main() -> None:
    for kind in (
        "rubric",
        "overlay",
        "answers",
        "brand",
        "mapping",
        "bias",
        "counts",
        "logs",
        "plan",
    ):
        shutil.rmtree(HERE / kind, ignore_errors=True)
    rubrics()
    overlays()
    answers()
    brands()
    mappings()
    bias_json()
    logs()
    counts()
    plans()
    count = sum(1 for path in HERE.glob("*/*") if path.name != ".keep")
    print(f"{count} cases written under {HERE}")


if __name__ == "__main__":
    main()
