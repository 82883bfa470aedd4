"""Answers on the practice server: saved one at a time, sent, exported and imported.

* An answer is saved in its own transaction, as an upsert: a repeated POST keeps one answer.
* An owner's answers stay with the owner's invitation (the owner is named in the report).
* A staff member's answers stay with their invitation only while they answer, so that they
  can resume; when they send them, ``submit`` moves them, in one transaction, to a
  ``Submission`` with a random key and no times, and the invitation keeps only that it was
  used. From then on nobody can tell whose answers they are (issue 25's "anonymised
  responses").
* Every audit exports to the ordinary answers files (``owner.yaml``, ``staff-1.yaml`` …) and
  imports from them, so ``score``, ``report``, ``compare`` and ``plan`` work on the files.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

from auditkit.answers.model import Answer, AnswerSet
from auditkit.errors import InputError
from auditkit.rubric.model import ROLES, Rubric
from auditkit.server import identity
from auditkit.server.database import Database
from auditkit.server.records import log
from auditkit.server.schema import (
    AnswerColumns,
    AnswerRow,
    Audit,
    Respondent,
    Submission,
    SubmittedAnswer,
)


@functools.lru_cache(maxsize=32)
def rubric_named(rubric_id: str, sector: str | None) -> Rubric:
    """A shipped rubric with its sector's overlay, loaded once per worker: it never changes
    while the server runs, and parsing it on every answer would be most of the answer's time."""
    from auditkit.rubric import load_rubric

    return load_rubric(rubric_id, sector)


def audit_rubric(database: Database, audit_id: int) -> Rubric:
    """The rubric the audit asks: its own, with its client's sector."""
    with database.transaction() as session:
        audit = session.get(Audit, audit_id)
        if audit is None:
            raise InputError.single(f"audit {audit_id}", "is not on this server")
        rubric_id, sector = audit.rubric, audit.client.sector
    return rubric_named(rubric_id, sector)


def save_answer(database: Database, respondent_id: int, question_id: str, answer: Answer) -> None:
    """One answer, replacing any earlier one to the same question, in one transaction: an
    upsert, so two requests saving the same question at once keep one row, the later. An
    answer to a respondent who has sent their answers (or was deleted) is refused."""
    with database.transaction() as session:
        respondent = session.get(Respondent, respondent_id)
        if respondent is None or respondent.submitted:
            raise InputError.single(
                f"respondent {respondent_id}", "can no longer change answers here"
            )
        if database.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        values = {
            "value": answer.value,
            "note": answer.note,
            "na_reason": answer.na_reason,
            "skipped": answer.skipped,
            "share_note": answer.share_note,
            "answered_at": identity.now(),
        }
        statement = insert(AnswerRow).values(
            respondent_id=respondent_id, question_id=question_id, **values
        )
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["respondent_id", "question_id"], set_=values
            )
        )


def _copy_into(row: AnswerColumns, answer: Answer) -> None:
    row.value = answer.value
    row.note = answer.note
    row.na_reason = answer.na_reason
    row.skipped = answer.skipped
    row.share_note = answer.share_note


def _answer(row: AnswerColumns, answered_at: str = "") -> Answer:
    return Answer(
        value=row.value,
        note=row.note,
        na_reason=row.na_reason,
        answered_at=answered_at,
        skipped=row.skipped,
        share_note=row.share_note,
    )


def _stamp(moment) -> str:
    return moment.isoformat() + "+00:00"


def _answer_set(
    rubric: Rubric,
    business: tuple[str, str | None],
    role: str,
    answers: dict[str, Answer],
    times: list,
) -> AnswerSet:
    known = [q.id for q in rubric.questions]
    order = [q for q in known if q in answers] + sorted(set(answers) - set(known))
    return AnswerSet(
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        rubric_sha256=rubric.sha256,
        sector=rubric.sector,
        business={"name": business[0], "sector": business[1] or ""},
        respondent={"speaks_as": role},  # no name: a staff answer stays anonymous
        started=_stamp(min(times)) if times else "",
        updated=_stamp(max(times)) if times else "",
        answers={question_id: answers[question_id] for question_id in order},
        rubric_questions=tuple(known),
    )


def answer_set(database: Database, respondent_id: int, rubric: Rubric) -> AnswerSet:
    """The respondent's answers as an answers file holds them, in the rubric's order."""
    with database.transaction() as session:
        respondent = session.get(Respondent, respondent_id)
        if respondent is None:
            raise InputError.single(f"respondent {respondent_id}", "does not exist")
        client = respondent.audit.client
        business = (client.name, client.sector)
        return rows_answers(respondent.answers, rubric, business, respondent.role)


def rows_answers(
    rows: list[AnswerRow], rubric: Rubric, business: tuple[str, str | None], role: str
) -> AnswerSet:
    """An invited respondent's answer rows as an answers file holds them."""
    answers = {row.question_id: _answer(row, _stamp(row.answered_at)) for row in rows}
    times = [row.answered_at for row in rows]
    return _answer_set(rubric, business, role, answers, times)


def submit(database: Database, respondent_id: int) -> None:
    """The respondent has finished. An owner's answers stay where they are (marked finished);
    anyone else's move to an unlinkable ``Submission`` (see the module's docstring), and
    their browser sessions end."""
    from sqlalchemy import delete

    from auditkit.server.schema import WebSession

    with database.transaction() as session:
        respondent = session.get(Respondent, respondent_id)
        if respondent is None or respondent.submitted:
            return
        audit_id = respondent.audit_id
        if respondent.role == "owner":
            respondent.finished_at = identity.now()
            log(session, f"respondent {respondent_id}", "answers finished", f"audit {audit_id}")
            return
        answers = {row.question_id: _answer(row) for row in respondent.answers}  # no times
        session.add(_submission(audit_id, respondent.role, answers))
        session.execute(delete(AnswerRow).where(AnswerRow.respondent_id == respondent_id))
        session.execute(delete(WebSession).where(WebSession.respondent_id == respondent_id))
        respondent.submitted = True
        respondent.started_at = None  # a time on the invitation would pair it with the answers
        # The log says an answer set arrived for the audit, not from whom.
        log(session, f"a {respondent.role} respondent", "answers sent", f"audit {audit_id}")


def _submission(audit_id: int, role: str, answers: dict[str, Answer]) -> Submission:
    """Sent answers as nobody can trace them: a random key, and no time on any answer."""
    submission = Submission(id=secrets.token_hex(16), audit_id=audit_id, role=role)
    for question_id, answer in answers.items():
        copied = SubmittedAnswer(question_id=question_id)
        _copy_into(copied, answer)
        submission.answers.append(copied)
    return submission


@dataclass(frozen=True)
class Voice:
    """One answer set of an audit, as it is exported: an owner's, or a sent, unlinkable staff
    one. ``order_key`` numbers the exported files in an order that says nothing of who
    answered when."""

    role: str
    answers: AnswerSet
    order_key: bytes


def audit_voices(database: Database, audit_id: int, rubric: Rubric) -> list[Voice]:
    """What counts in an audit: every owner's (or manager's) answers as they stand, and every
    sent staff answer set. Staff still answering are not counted until they send."""
    from sqlalchemy import select

    voices = []
    with database.transaction() as session:
        audit = session.get(Audit, audit_id)
        if audit is None:
            raise InputError.single(f"audit {audit_id}", "is not on this server")
        for respondent in session.scalars(
            select(Respondent).where(Respondent.audit_id == audit_id, Respondent.role == "owner")
        ):
            rows = respondent.answers
            if not rows:
                continue
            answers = {row.question_id: _answer(row, _stamp(row.answered_at)) for row in rows}
            times = [row.answered_at for row in rows]
            key = hashlib.sha256(f"{audit_id}:{respondent.id}".encode()).digest()
            business = (audit.client.name, audit.client.sector)
            voices.append(
                Voice(
                    "owner",
                    _answer_set(rubric, business, "owner", answers, times),
                    key,
                )
            )
        for submission in session.scalars(
            select(Submission).where(Submission.audit_id == audit_id)
        ):
            answers = {row.question_id: _answer(row) for row in submission.answers}
            business = (audit.client.name, audit.client.sector)
            answer_set_ = _answer_set(rubric, business, submission.role, answers, [])
            voices.append(Voice(submission.role, answer_set_, submission.id.encode()))
    return voices


def export_audit(database: Database, audit_id: int, rubric: Rubric, folder: Path) -> list[Path]:
    """Every answer set that counts in the audit as answers files in ``folder``:
    ``owner.yaml`` (then ``owner-2.yaml``…), ``staff-1.yaml``…, ``other-1.yaml``…, numbered
    in an order that says nothing about who answered when. ``auditkit score FOLDER`` merges
    them."""
    from auditkit.answers.store import save_answers

    voices = audit_voices(database, audit_id, rubric)
    actions = planned_actions(database, audit_id)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for role in ROLES:
        mine = sorted((v for v in voices if v.role == role), key=lambda v: v.order_key)
        for number, voice in enumerate(mine, start=1):
            name = f"{role}.yaml" if role == "owner" and number == 1 else f"{role}-{number}.yaml"
            answers = voice.answers
            if name == "owner.yaml" and actions:
                answers = replace(answers, actions=actions)  # where 'plan import' puts them
            save_answers(answers, folder / name)
            written.append(folder / name)
    return written


def import_answers(database: Database, audit_id: int, answers: AnswerSet, actor: str) -> str:
    """An answers file brought into an audit: an owner's as a new owner respondent, anyone
    else's as a sent submission (it arrives already without a name). Returns what it became."""
    role = answers.speaks_as if answers.speaks_as in ROLES else "owner"
    with database.transaction() as session:
        if role == "owner":
            respondent = Respondent(
                audit_id=audit_id, role=role, label="imported", created_at=identity.now()
            )
            session.add(respondent)
            session.flush()
            for question_id, answer in answers.answers.items():
                row = AnswerRow(
                    respondent_id=respondent.id,
                    question_id=question_id,
                    answered_at=_moment(answer.answered_at),
                )
                _copy_into(row, answer)
                session.add(row)
            target = f"respondent {respondent.id}"
        else:
            session.add(_submission(audit_id, role, answers.answers))
            target = f"a {role} answer set"
        log(session, actor, "answers imported", f"audit {audit_id}: {target}")
        return target


def _moment(stamp: str):
    """An answers file's ``answered_at`` as the database keeps it (UTC, no zone); now when the
    file has none."""
    from datetime import UTC, datetime

    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return identity.now()
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def planned_actions(database: Database, audit_id: int) -> dict:
    """The audit's plan as the answers file keeps it: question id → ``PlannedAction``."""
    from sqlalchemy import select

    from auditkit.answers.model import PlannedAction as Planned
    from auditkit.server.schema import PlannedAction

    with database.transaction() as session:
        rows = session.scalars(
            select(PlannedAction)
            .where(PlannedAction.audit_id == audit_id)
            .order_by(PlannedAction.question_id)
        )
        return {
            row.question_id: Planned(owner=row.owner, due=row.due, status=row.status, note=row.note)
            for row in rows
        }


def replace_plan(database: Database, audit_id: int, actions: dict, actor: str) -> None:
    """The audit's plan replaced by a newly imported one, in one transaction."""
    from sqlalchemy import delete

    from auditkit.server.schema import PlannedAction

    with database.transaction() as session:
        session.execute(delete(PlannedAction).where(PlannedAction.audit_id == audit_id))
        for question_id, action in actions.items():
            session.add(
                PlannedAction(
                    audit_id=audit_id,
                    question_id=question_id,
                    owner=action.owner,
                    due=action.due,
                    status=action.status,
                    note=action.note,
                )
            )
        log(session, actor, "action plan imported", f"audit {audit_id}: {len(actions)} actions")
