"""The question form both browser front ends share (``serve`` and the practice server):
one POST acted on the session by the session's rules, as one change saved once.

It lives beside the session, not in a front end, so that the practice server does not depend
on the local app (``serve``)."""

from __future__ import annotations

from dataclasses import dataclass

from auditkit.i18n import _
from auditkit.questionnaire.session import AnswerError, SaveFailed, Session


def act(session: Session, form) -> str | None:
    """Carry out one form submission as one change, saved once (the answer with its note
    and, for staff, whether the note may be shown); a message when it cannot be."""
    action = str(form.get("action", "save"))
    note = str(form.get("note", ""))
    share = None
    if session.answers.speaks_as != "owner" and note.strip():
        # Staff: a note is shown (without a name) only when its author ticks the box.
        share = str(form.get("share_note", "")) == "yes"
    if action == "skip":
        previous = session.answer_of(session.current().id)
        typed = note if note.strip() != (previous.note if previous else "") else None
        try:
            session.skip(typed, share)
        except AnswerError as refused:
            return str(refused)
        return None
    value = str(form.get("value", ""))
    try:
        if value == "n/a":
            session.not_applicable(str(form.get("na_reason", "")), note, share)
        elif value:
            session.answer(value, note, share)
        else:
            if note.strip():
                session.note(note, share)
                return _("Your note is saved. Choose an answer, or press Skip to come back later.")
            return _("Choose an answer first, or press Skip to come back to this question later.")
    except AnswerError as refused:
        return str(refused)
    return None


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
