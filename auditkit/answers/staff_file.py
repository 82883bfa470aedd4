"""The staff aggregate's file, ``staff.yaml`` (format ``auditkit-staff-answers/1``,
docs/answers-format.md): written by the practice server's export, read by ``score``,
``report``, ``plan`` and ``compare`` beside the owner's answers file.

Reading it is strict in the one direction that matters: a question listed with fewer answers
than the file's floor is refused at its line, so a hand edit can only show less.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import yaml

from auditkit.answers.model import ANONYMITY_FLOOR, UNKNOWN
from auditkit.answers.staff import SOURCES, STAFF_FORMAT, Cell, StaffAggregate, counted_questions
from auditkit.errors import InputError, Problem, fill
from auditkit.fields import Fields
from auditkit.fileio import write_to
from auditkit.i18n import _
from auditkit.rubric.model import Rubric
from auditkit.rubric.scales import normalise_answer
from auditkit.yamlsource import YamlDocument

HEADER = (
    "# auditkit staff answers, counted together: nobody's own answers are in this file.\n"
    "# A question is listed only when at least {floor} staff answered it (the floor).\n"
)
TOP_KEYS = ("format", "rubric", "business", "floor", "staff", "source", "released", "questions")


def dump_staff(aggregate: StaffAggregate) -> str:
    questions: dict[str, Any] = {}
    for question_id, cell in aggregate.cells.items():
        entry: dict[str, Any] = {"answered": cell.answered, "answers": dict(cell.levels)}
        if cell.notes:
            entry["notes"] = sorted(cell.notes)
        questions[question_id] = entry
    data = {
        "format": STAFF_FORMAT,
        "rubric": {
            "id": aggregate.rubric_id,
            "version": aggregate.rubric_version,
            "sha256": aggregate.rubric_sha256,
            "sector": aggregate.sector,
        },
        "business": dict(aggregate.business),
        "floor": aggregate.floor,
        "staff": aggregate.senders,
        "source": aggregate.source,
        "released": aggregate.released,
        "questions": questions,
    }
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    return HEADER.format(floor=aggregate.floor) + body


def save_staff(aggregate: StaffAggregate, path: Path) -> None:
    write_to(Path(path), dump_staff(aggregate))


def is_staff_document(document: YamlDocument) -> bool:
    data = document.data
    return isinstance(data, dict) and data.get("format") == STAFF_FORMAT


def staff_from_document(document: YamlDocument, path: Path) -> StaffAggregate:
    """A ``staff.yaml`` read back, every problem located; a cell below the file's own floor
    (a hand edit) is refused, since showing it would show too few people."""
    problems: list[Problem] = []
    top = Fields(document, (), problems, _("the staff answers file"))
    if not top.ok:
        raise InputError(problems)
    top.check_keys(TOP_KEYS, required=("rubric", "staff", "questions"))
    rubric = Fields(document, ("rubric",), problems, "'rubric'")
    rubric_id = version = sha = ""
    sector = None
    if rubric.ok:
        rubric.check_keys(("id", "version", "sha256", "sector"), required=("id",))
        rubric_id = rubric.get("id", str, "")
        version = str(rubric.get("version", (str, int, float), ""))
        sha = rubric.get("sha256", str, "")
        sector = rubric.get("sector", str, None)
    business = {str(k): str(v or "") for k, v in (top.get("business", dict, {}) or {}).items()}
    floor = top.integer("floor", low=ANONYMITY_FLOOR, high=10_000)
    floor = ANONYMITY_FLOOR if floor is None else floor
    senders = top.integer("staff", low=0, high=10_000_000) or 0
    source = top.choice("source", SOURCES, "links") or "links"
    released = top.get("released", (str, datetime.date), "") or ""
    if isinstance(released, datetime.date):
        released = released.isoformat()
    elif released and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", released):
        top.problem(("released",), _("'released' is a day"), expected="YYYY-MM-DD")
    cells = {}
    for question_id in top.get("questions", dict, {}) or {}:
        entry = Fields(document, ("questions", question_id), problems, f"{question_id!r}")
        if not entry.ok:
            continue
        entry.check_keys(("answered", "answers", "notes"), required=("answers",))
        raw = entry.get("answers", dict, {}) or {}
        levels = {normalise_answer(k): v for k, v in raw.items()}  # yes: true is "yes"
        if not all(isinstance(v, int) and v >= 0 for v in levels.values()):
            entry.problem(
                ("answers",), _("each answer's count is a whole number"), expected=_("0 or more")
            )
            continue
        notes = [str(n) for n in entry.get("notes", list, []) or []]
        cell = Cell({k: v for k, v in levels.items() if v}, sorted(notes))
        if cell.answered < floor:
            entry.problem(
                ("answers",),
                fill(
                    _("{count} staff answered {question}, fewer than the floor ({floor})"),
                    count=cell.answered,
                    question=repr(question_id),
                    floor=floor,
                ),
                expected=fill(_("at least {floor} answers, or the question left out"), floor=floor),
                fix=_("leave the question out: fewer answers than the floor are never shown"),
            )
            continue
        cells[str(question_id)] = cell
    if problems:
        raise InputError(problems)
    return StaffAggregate(
        rubric_id, business, senders, floor, source, released, cells, version, sha, sector, path
    )


def check_against(aggregate: StaffAggregate, rubric: Rubric) -> None:
    """Every cell is a staff question of ``rubric`` and every value on its scale."""
    known = {q.id: q for q in counted_questions(rubric)}
    where = str(aggregate.path or "staff.yaml")
    for question_id, cell in aggregate.cells.items():
        question = known.get(question_id)
        if question is None:
            raise InputError.single(
                where,
                fill(
                    _(
                        "counts answers to {question}, which the rubric {rubric} does not put "
                        "to staff"
                    ),
                    question=repr(question_id),
                    rubric=repr(rubric.id),
                ),
                fix=_("export the staff answers again from the same audit"),
            )
        scale = {level.value for level in question.scale.levels} | {UNKNOWN}
        strange = sorted(set(cell.levels) - scale)
        if strange:
            raise InputError.single(
                where,
                fill(
                    _("counts {answer} for {question}, which is not on its scale"),
                    answer=repr(strange[0]),
                    question=repr(question_id),
                ),
                expected=", ".join(sorted(scale)),
            )
