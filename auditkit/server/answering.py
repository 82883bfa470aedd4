"""Answers on the practice server: saved one at a time, sent, released, exported, imported.

* An answer is saved in its own transaction, as an upsert: a repeated POST keeps one answer.
* An owner's answers stay with the owner's invitation (the owner is named in the report).
* A staff member's answers are drafts while they answer, sealed under a key only their link
  holds (``sealing``), so that they can resume and nobody else can read them. Sending,
  releasing and reading staff answers are in ``staff_answers``. When they send,
  one transaction counts them into the audit's *pending* tally (``answers.staff``: counts
  per question, shared notes; no person, no time, no unshared note), deletes the drafts and
  the browser's session, and marks the invitation sent. Nothing of it is shown until a
  *release*: as soon as at least the floor of people sent since the last one, every question
  with at least the floor of new answers joins the released tally at once. Pages, files,
  reports and exports read the released tally only, through ``answers.staff.publish``.
* Staff answers come either through links or from imported files, never both in one audit
  (files could otherwise reach the floor for one real person).
* Every audit exports to ordinary files (``owner.yaml`` and the staff's ``staff.yaml``), so
  ``score``, ``report``, ``compare`` and ``plan`` work on the files.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from auditkit.answers.model import ANONYMITY_FLOOR, Answer, AnswerSet
from auditkit.errors import InputError, fill
from auditkit.i18n import _
from auditkit.rubric.model import ROLES, Rubric
from auditkit.server import identity, sealing
from auditkit.server.database import Database
from auditkit.server.records import log
from auditkit.server.schema import AnswerColumns, AnswerRow, Audit, Respondent


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
            raise InputError.single(fill(_("audit {id}"), id=audit_id), _("is not on this server"))
        rubric_id, sector = audit.rubric, audit.client.sector
    return rubric_named(rubric_id, sector)


def save_answer(
    database: Database,
    respondent_id: int,
    question_id: str,
    answer: Answer,
    key: bytes | None = None,
) -> None:
    """One answer (with its note), replacing any earlier one to the same question: one
    statement, which writes only while the respondent may still answer, so that the check
    and the write cannot be split by a Send (on PostgreSQL it waits for a Send holding the
    respondent's row, then sees it sent). An upsert, so two requests saving the same
    question at once keep one row, the later. The owner's answer is stored as given; anyone
    else's only from their link, sealed under its ``key``. A refused answer (sent, deleted,
    or no key) raises InputError. This is the Save every respondent waits for: on
    PostgreSQL one round trip (autocommit), where a check, an upsert and a commit were four."""
    upsert = _save_statement(database.dialect, key is not None)
    if key is None:
        values = {
            "value": answer.value,
            "note": answer.note,
            "na_reason": answer.na_reason,
            "skipped": answer.skipped,
            "share_note": answer.share_note,
            "sealed": None,
        }
    else:
        values = {
            "value": None,
            "note": "",
            "na_reason": "",
            "skipped": False,
            "share_note": False,
            "sealed": sealing.seal(key, respondent_id, question_id, answer),
        }
    fields = {
        "respondent": respondent_id,
        "question_id": question_id,
        "answered_at": identity.now(),
        **values,
    }
    with database.single_statements() as connection:
        result = connection.execute(upsert, fields)
        if result.first() if result.returns_rows else result.rowcount:
            return
        refused = connection.execute(
            select_respondent_state(), {"respondent": respondent_id}
        ).first()
    if refused is not None and not refused.submitted and key is None:
        why = _("can answer only from their own link")
    else:
        why = _("can no longer change answers here")
    raise InputError.single(fill(_("respondent {id}"), id=respondent_id), why)


SAVED_COLUMNS = ("value", "note", "na_reason", "skipped", "share_note", "sealed", "answered_at")


@functools.cache
def select_respondent_state():
    """Whether a respondent has sent, and their role: why a Save was refused."""
    from sqlalchemy import bindparam, select

    return select(Respondent.submitted, Respondent.role).where(
        Respondent.id == bindparam("respondent")
    )


@functools.cache
def _save_statement(dialect: str, sealed: bool):
    """The Save for ``dialect``, built once per process: ``INSERT … SELECT … FROM respondent
    WHERE`` the respondent has not sent (and is the owner, for an answer in clear, or anyone
    else, for a sealed one) ``ON CONFLICT (respondent_id, question_id) DO UPDATE`` with the
    new values (``excluded``). On PostgreSQL the respondent's row is read ``FOR SHARE``: a
    Send that holds it is waited for and its outcome seen; SQLite takes its write lock before
    the statement reads."""
    from sqlalchemy import bindparam, false, select

    from auditkit.server.database import upsert_insert

    insert = upsert_insert(dialect)
    owner = Respondent.role == "owner"
    columns = ["respondent_id", "question_id", "answered_at"]
    columns += [name for name in SAVED_COLUMNS if name != "answered_at"]
    table = AnswerRow.__table__
    source = (
        # Typed parameters: PostgreSQL casts them to the columns' types in the SELECT list.
        select(Respondent.id, *(bindparam(name, type_=table.c[name].type) for name in columns[1:]))
        .where(
            Respondent.id == bindparam("respondent"),
            Respondent.submitted == false(),
            ~owner if sealed else owner,
        )
        .with_for_update(read=True)
    )
    statement = insert(AnswerRow).from_select(columns, source)
    upsert = statement.on_conflict_do_update(
        index_elements=["respondent_id", "question_id"],
        set_={name: statement.excluded[name] for name in SAVED_COLUMNS},
    )
    # Whether a row was written: psycopg gives no row count for this INSERT, so PostgreSQL
    # returns the row; SQLite's count is exact (and RETURNING needs SQLite 3.35).
    return upsert.returning(AnswerRow.id) if dialect == "postgresql" else upsert


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
    person: tuple[str, str] = ("", ""),
) -> AnswerSet:
    """``person`` is the owner's (name, role) as given on the welcome page; staff have none."""
    known = [q.id for q in rubric.questions]
    order = [q for q in known if q in answers] + sorted(set(answers) - set(known))
    return AnswerSet(
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        rubric_sha256=rubric.sha256,
        sector=rubric.sector,
        business={"name": business[0], "sector": business[1] or ""},
        # No name for staff: a staff answer stays anonymous (``person`` is the owner's only).
        respondent={"speaks_as": role}
        | ({"name": person[0]} if person[0] else {})
        | ({"role": person[1]} if person[1] else {}),
        started=_stamp(min(times)) if times else "",
        updated=_stamp(max(times)) if times else "",
        answers={question_id: answers[question_id] for question_id in order},
        rubric_questions=tuple(known),
    )


def rows_answers(
    rows: Sequence[Any],
    rubric: Rubric,
    business: tuple[str, str | None],
    role: str,
    key: bytes | None = None,
) -> AnswerSet:
    """An invited respondent's answer rows as an answers file holds them; a staff member's
    sealed drafts opened with ``key`` (rows it does not open are left out). ``rows``: the
    answer table's rows, as ``AnswerRow`` objects or as Core rows (the answering path reads
    them without the ORM): anything with its columns as attributes."""
    answers = {}
    for row in rows:
        if row.sealed is None:
            answers[row.question_id] = _answer(row, _stamp(row.answered_at))
            continue
        opened = sealing.unseal(key, row.respondent_id, row.question_id, row.sealed)
        if opened is not None:
            answers[row.question_id] = replace(opened, answered_at=_stamp(row.answered_at))
    times = [row.answered_at for row in rows]
    return _answer_set(rubric, business, role, answers, times)


@dataclass(frozen=True)
class Voice:
    """An owner's answer set of an audit, as it is exported. ``order_key`` numbers several
    owners' files in an order that says nothing of who answered when."""

    role: str
    answers: AnswerSet
    order_key: bytes


def audit_voices(database: Database, audit_id: int, rubric: Rubric) -> list[Voice]:
    """Every owner's (or manager's) answers as they stand. Staff are not voices: they leave
    only as their aggregate (``audit_staff``)."""
    from sqlalchemy import select

    voices = []
    with database.transaction() as session:
        audit = session.get(Audit, audit_id)
        if audit is None:
            raise InputError.single(fill(_("audit {id}"), id=audit_id), _("is not on this server"))
        business = (audit.client.name, audit.client.sector)
        for respondent in session.scalars(
            select(Respondent).where(Respondent.audit_id == audit_id, Respondent.role == "owner")
        ):
            rows = respondent.answers
            if not rows:
                continue
            answers = {row.question_id: _answer(row, _stamp(row.answered_at)) for row in rows}
            times = [row.answered_at for row in rows]
            key = hashlib.sha256(f"{audit_id}:{respondent.id}".encode()).digest()
            voices.append(
                Voice(
                    "owner",
                    _answer_set(
                        rubric,
                        business,
                        "owner",
                        answers,
                        times,
                        (respondent.person_name, respondent.person_role),
                    ),
                    key,
                )
            )
    return voices


def export_audit(
    database: Database,
    audit_id: int,
    rubric: Rubric,
    folder: Path,
    floor: int = ANONYMITY_FLOOR,
) -> list[Path]:
    """What may leave the server about an audit, as files in ``folder``: ``owner.yaml`` (then
    ``owner-2.yaml``… for several owners or managers) and ``staff.yaml``, the staff's released
    answers counted together, floored per question. ``auditkit score FOLDER`` merges them.
    No staff member's own answers are ever written. With no owner's answers, only
    ``staff.yaml`` (which ``score`` refuses alone: it needs the owner)."""
    from auditkit.answers.staff_file import save_staff
    from auditkit.answers.store import save_answers
    from auditkit.server.staff_answers import audit_staff

    voices = sorted(audit_voices(database, audit_id, rubric), key=lambda v: v.order_key)
    staff = audit_staff(database, audit_id, rubric, floor)
    actions = planned_actions(database, audit_id)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, voice in enumerate(voices, start=1):
        name = "owner.yaml" if number == 1 else f"owner-{number}.yaml"
        answers = voice.answers
        if number == 1 and actions:
            answers = replace(answers, actions=actions)  # where 'plan import' puts them
        save_answers(answers, folder / name)
        written.append(folder / name)
    if staff is not None:
        save_staff(staff, folder / "staff.yaml")
        written.append(folder / "staff.yaml")
    return written


def import_answers(
    database: Database, audit_id: int, answers: AnswerSet, actor: str, rubric: Rubric
) -> str:
    """An answers file brought into an audit: an owner's as a new owner respondent; anyone
    else's counted into the audit's staff tally from files, never with answers sent through
    links: an audit that invited staff refuses staff files (they could make up the floor
    around one real person). Returns what it became."""

    role = answers.speaks_as if answers.speaks_as in ROLES else "owner"
    with database.transaction(lock=role != "owner") as session:  # staff: a tally written back
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
            from auditkit.server.staff_answers import count_imported

            count_imported(session, audit_id, rubric, answers)
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
