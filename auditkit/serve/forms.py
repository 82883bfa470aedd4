"""What both browser front ends share: the question form, the review, the templates.

``auditkit serve`` (one answers file on this computer) and the practice server (a respondent's
rows in a database) ask the same questions through the same ``Session`` and draw them with the
same templates; only where answers are kept, and the page around them, differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditkit.answers.model import NOTE_LIMIT, UNKNOWN_LABEL
from auditkit.questionnaire.session import AnswerError, SaveFailed, Session

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def web_templates(*folders: Path):
    """The questionnaire's templates, with ``folders`` searched first (the server's own
    pages); autoescaped, so everything a person typed is shown as text."""
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

    return Environment(
        loader=ChoiceLoader([FileSystemLoader(folder) for folder in (*folders, TEMPLATES)]),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


# A note at the limit, URL-encoded, is at most 12 bytes a character; the form may be larger
# than that by a little (the other fields), never by megabytes.
FORM_LIMIT = NOTE_LIMIT * 12 + 64 * 1024


def attachment(name: str) -> str:
    """A Content-Disposition header that no file name can break: an ASCII fallback of
    letters, digits, dots, dashes and underscores, and the real name in RFC 5987 form."""
    from urllib.parse import quote

    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "report"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def act(session: Session, form) -> str | None:
    """Carry out one form submission; a message for the owner when it cannot be."""
    action = str(form.get("action", "save"))
    note = str(form.get("note", ""))
    if session.answers.speaks_as != "owner" and note.strip():
        # Staff: a note is shown (without a name) only when its author ticks the box.
        session.share_note(str(form.get("share_note", "")) == "yes")
    if action == "skip":
        previous = session.answer_of(session.current().id)
        try:
            if note.strip() != (previous.note if previous else ""):
                session.note(note)  # a note typed before skipping is kept
        except AnswerError as refused:
            return str(refused)
        session.skip()
        return None
    value = str(form.get("value", ""))
    try:
        if value == "n/a":
            session.not_applicable(str(form.get("na_reason", "")), note)
        elif value:
            session.answer(value, note)
        else:
            if note.strip():
                session.note(note)
                return "Your note is saved. Choose an answer, or press Skip to come back later."
            return "Choose an answer first, or press Skip to come back to this question later."
    except AnswerError as refused:
        return str(refused)
    return None


def question_context(session: Session, question_id: str) -> dict[str, Any]:
    asked = session.questions()
    question = session.current()
    assert question is not None and question.id == question_id
    progress = session.progress(question)
    counts = session.summary()
    answer = session.answer_of(question.id)
    return {
        "question": question,
        "number": asked.index(question) + 1,
        "total": len(asked),
        "progress": progress,
        "answered": counts.given,
        "answer": answer,
        "staff": session.answers.speaks_as != "owner",
        "version": session.fingerprint(question.id),
        "has_previous": asked.index(question) > 0,
    }


def review_rows(session: Session) -> list[dict[str, Any]]:
    """Every question asked, with the answer as the review shows it."""
    rows = []
    for number, question in enumerate(session.questions(), start=1):
        answer = session.answer_of(question.id)
        if answer is None or answer.value is None:
            shown, kind = (
                ("Skipped", "skipped") if answer and answer.skipped else ("Not answered", "open")
            )
        elif answer.is_na:
            shown, kind = f"Not applicable: {answer.na_reason}", "na"
        elif answer.is_unknown:
            shown, kind = UNKNOWN_LABEL, "unknown"
        else:
            shown, kind = question.scale.level(answer.value).label, "given"
        rows.append(
            {
                "number": number,
                "question": question,
                "shown": shown,
                "kind": kind,
                "note": answer.note if answer else "",
                "na_reason": answer.na_reason if answer else "",
            }
        )
    return rows


@dataclass(frozen=True)
class Submitted:
    """What a question page's form led to: a redirect (a path below the front end's root),
    or the question shown again with a notice or an error and its status."""

    redirect: str | None = None
    status: int = 200
    notice: str = ""
    error: str = ""


def submit_question(
    session: Session,
    question_id: str,
    form,
    *,
    from_review: bool,
    changed_elsewhere: str,
    save_failed_status: int,
) -> Submitted:
    """One POST to a question's page, acted on ``question_id`` whatever else moved the
    session: refused (409) when the answer changed since the page was shown
    (``changed_elsewhere`` says where it could have), Back, or the answer, note or skip. The
    session must already point at ``question_id``."""
    if str(form.get("version", "")) != session.fingerprint(question_id):
        return Submitted(status=409, notice=changed_elsewhere)
    action = str(form.get("action"))
    if action == "back":
        previous = session.previous_of(question_id)
        return Submitted(f"/q/{previous.id}" if previous else f"/q/{question_id}")
    try:
        error = act(session, form)
    except SaveFailed as failed:
        return Submitted(status=save_failed_status, error=str(failed))
    if error:
        return Submitted(status=400, error=error)
    if from_review and action in ("save", "skip"):
        return Submitted("/review")
    target = session.current()
    return Submitted(f"/q/{target.id}" if target else "/review")
