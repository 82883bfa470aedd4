"""Read and write the answers file.

Saving is atomic (temporary file in the same folder, flush, fsync, rename, fsync of the
folder): a crash or a ``kill -9`` at any moment leaves either the previous file or the new one,
never a torn one. The questionnaire saves after every single answer, so this must be cheap
(see ``benchmarks/save.py``).
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import yaml

from auditkit.answers.model import (
    ACTION_STATUSES,
    FORMAT,
    NOTE_LIMIT,
    Answer,
    AnswerSet,
    PlannedAction,
)
from auditkit.errors import InputError, Problem, fill
from auditkit.fields import Fields
from auditkit.fileio import write_to
from auditkit.i18n import _
from auditkit.i18n.formatting import format_integer
from auditkit.rubric.model import ROLES
from auditkit.rubric.scales import normalise_answer
from auditkit.yamlsource import YamlDocument, load_yaml

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

HEADER = (
    "# auditkit answers file. You may edit it by hand; check it with\n"
    "#   auditkit answers validate {name}\n"
    "# Each answer is a value of the question's scale, or n/a with an na_reason.\n"
)
TOP_KEYS = (
    "format",
    "rubric",
    "business",
    "respondent",
    "started",
    "updated",
    "answers",
    "actions",
    "rubric_questions",
)
ANSWER_KEYS = ("answer", "note", "na_reason", "answered_at", "skipped", "share_note")
ACTION_KEYS = ("owner", "due", "status", "note")


def to_data(answer_set: AnswerSet) -> dict[str, Any]:
    """The answers as plain data, in the file's order."""
    rubric: dict[str, Any] = {
        "id": answer_set.rubric_id,
        "version": answer_set.rubric_version,
        "sha256": answer_set.rubric_sha256,
        "sector": answer_set.sector,
    }
    if answer_set.rubric_file:
        rubric["file"] = answer_set.rubric_file
    answers = {}
    for question_id, answer in answer_set.answers.items():
        entry: dict[str, Any] = {"answer": answer.value}
        if answer.skipped:
            entry["skipped"] = True
        if answer.na_reason:
            entry["na_reason"] = answer.na_reason
        if answer.note:
            entry["note"] = answer.note
        if answer.share_note:
            entry["share_note"] = True
        if answer.answered_at:
            entry["answered_at"] = answer.answered_at
        answers[question_id] = entry
    data = {
        "format": FORMAT,
        "rubric": rubric,
        "business": dict(answer_set.business),
        "respondent": dict(answer_set.respondent),
        "started": answer_set.started,
        "updated": answer_set.updated,
        "answers": answers,
    }
    if answer_set.actions:
        data["actions"] = {
            question_id: {
                key: value
                for key, value in (
                    ("owner", action.owner),
                    ("due", action.due),
                    ("status", action.status),
                    ("note", action.note),
                )
                if value
            }
            for question_id, action in answer_set.actions.items()
        }
    if answer_set.rubric_questions:
        data["rubric_questions"] = list(answer_set.rubric_questions)
    return data


def dump_answers(answer_set: AnswerSet, name: str = "answers.yaml") -> str:
    body = yaml.dump(
        to_data(answer_set), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )
    # The name goes into a comment line: a newline in it would end the comment and make the
    # rest of the name YAML.
    return HEADER.format(name=re.sub(r"[\x00-\x1f\x7f-\x9f]", "?", name)) + body


def save_answers(answer_set: AnswerSet, path: Path) -> None:
    write_to(Path(path), dump_answers(answer_set, Path(path).name))


def load_answers(path: Path | str) -> tuple[AnswerSet, YamlDocument]:
    """Read an answers file, checking its structure (not yet its answers against a rubric)."""
    return answers_from_document(load_yaml(path))


def answers_from_document(document: YamlDocument) -> tuple[AnswerSet, YamlDocument]:
    """An answers file already parsed (from disk, or the copy inside an audit record)."""
    problems: list[Problem] = []
    top = Fields(document, (), problems, _("the answers file"))
    if not top.ok:
        raise InputError(problems)
    top.check_keys(TOP_KEYS, required=("rubric", "answers"))
    fmt = top.get("format", str, FORMAT)
    if fmt != FORMAT:
        top.problem(
            ("format",),
            _("unsupported answers-file format"),
            expected=repr(FORMAT),
            found=repr(fmt),
        )
    rubric = Fields(document, ("rubric",), problems, "'rubric'") if "rubric" in top.data else None
    answer_set = AnswerSet(rubric_id="")
    if rubric and rubric.ok:
        rubric.check_keys(("id", "version", "sha256", "sector", "file"), required=("id",))
        answer_set.rubric_id = rubric.get("id", str, "")
        answer_set.rubric_version = str(rubric.get("version", (str, int, float), ""))
        answer_set.rubric_sha256 = rubric.get("sha256", str, "")
        answer_set.sector = rubric.get("sector", str, None)
        answer_set.rubric_file = rubric.get("file", str, None)
    for key in ("business", "respondent"):
        mapping = top.get(key, dict, {}) or {}
        setattr(answer_set, key, {str(k): "" if v is None else str(v) for k, v in mapping.items()})
    answer_set.started = str(top.get("started", str, "") or "")
    answer_set.updated = str(top.get("updated", str, "") or "")
    answer_set.rubric_questions = tuple(str(q) for q in top.get("rubric_questions", list, []) or [])
    answers = top.get("answers", dict, {}) or {}
    for question_id in answers:
        entry = Fields(
            document,
            ("answers", question_id),
            problems,
            fill(_("the answer to {question}"), question=repr(question_id)),
        )
        if not entry.ok:
            continue
        entry.check_keys(ANSWER_KEYS)
        raw = entry.data.get("answer")
        answer_set.answers[str(question_id)] = Answer(
            value=None if raw is None else normalise_answer(raw),
            note=_limited(entry, "note"),
            na_reason=_limited(entry, "na_reason"),
            answered_at=str(entry.data.get("answered_at") or ""),
            skipped=entry.boolean("skipped", False),
            share_note=entry.boolean("share_note", False),
        )
    speaks_as = answer_set.respondent.get("speaks_as")
    if speaks_as and speaks_as not in ROLES:
        Fields(document, ("respondent",), problems, "'respondent'").problem(
            ("speaks_as",),
            _("'speaks_as' says which voice the respondent speaks with"),
            expected=fill(_("one of {choices}"), choices=", ".join(ROLES)),
            found=repr(speaks_as),
            fix=_("owner for the owner or a manager, staff for front-line staff, other otherwise"),
        )
    actions = top.get("actions", dict, {}) or {}
    for question_id in actions:
        entry = Fields(
            document,
            ("actions", question_id),
            problems,
            fill(_("the action for {question}"), question=repr(question_id)),
        )
        if not entry.ok:
            continue
        entry.check_keys(ACTION_KEYS)
        answer_set.actions[str(question_id)] = PlannedAction(
            owner=entry.text("owner", allow_empty=True),
            due=_due_date(entry),
            status=entry.choice("status", ACTION_STATUSES, "open") or "open",
            note=entry.text("note", allow_empty=True),
        )
    if problems:
        raise InputError(problems)
    return answer_set, document


def _limited(entry: Fields, key: str) -> str:
    """A note or reason, held to the one limit the questionnaires enforce as it is typed."""
    text = entry.text(key, allow_empty=True)
    if len(text) > NOTE_LIMIT:
        entry.problem(
            (key,),
            fill(
                _("{what}: the text of {key} is {count} characters long"),
                what=entry.what,
                key=repr(key),
                count=format_integer(len(text)),
            ),
            expected=fill(_("at most {count} characters"), count=format_integer(NOTE_LIMIT)),
            fix=_("shorten it: keep the evidence itself in a document and name the document here"),
        )
    return text


def _due_date(entry: Fields) -> str:
    """A due date as ISO text; YAML may already have read it as a date."""
    raw = entry.data.get("due")
    if raw is None or raw == "":
        return ""
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    try:
        return datetime.date.fromisoformat(str(raw)).isoformat()
    except ValueError:
        entry.problem(
            ("due",),
            fill(_("{what}: the due date is not a date"), what=entry.what),
            expected=_("a date as YYYY-MM-DD, e.g. 2027-03-31"),
            found=repr(str(raw)),
        )
        return ""
