"""What the practice server does to its records, one transaction per call.

Advisors, clients, audits, respondents and invitations; answers saved one at a time (an upsert,
so a repeated POST stores one answer, not two); every respondent's answers as the ordinary
answers file and back; a respondent deleted with everything they gave. Each change the
advisor makes is written to the audit log in the same transaction, without secrets.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from auditkit.answers.model import Answer, AnswerSet
from auditkit.errors import InputError
from auditkit.rubric.model import ROLES, Rubric
from auditkit.server import identity
from auditkit.server.database import Database
from auditkit.server.schema import (
    Advisor,
    AnswerRow,
    Audit,
    AuditLogEntry,
    Client,
    Invitation,
    Respondent,
)

INVITATION_DAYS = 30


def _log(session, actor: str, action: str, target: str = "") -> None:
    session.add(AuditLogEntry(at=identity.now(), actor=actor, action=action, target=target))


def add_advisor(database: Database, email: str, password: str, name: str = "") -> int:
    from sqlalchemy import select

    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise InputError.single(
            email or "(empty)", "is not an e-mail address", fix="give NAME@DOMAIN"
        )
    problem = identity.password_problem(password, email)
    if problem:
        raise InputError.single("the password", problem)
    with database.transaction() as session:
        if session.scalar(select(Advisor.id).where(Advisor.email == email)) is not None:
            raise InputError.single(email, "already has an account on this server")
        advisor = Advisor(
            email=email,
            name=name,
            password_hash=identity.hash_password(password),
            created_at=identity.now(),
        )
        session.add(advisor)
        session.flush()
        _log(session, "command line", "advisor created", f"advisor {advisor.id}")
        return advisor.id


def sign_in(database: Database, email: str, password: str) -> int | None:
    """The advisor's id when the password matches; the hash is upgraded when it is old. The
    same work is done for an unknown e-mail, so timing does not tell which accounts exist."""
    from sqlalchemy import select

    with database.transaction() as session:
        advisor = session.scalar(select(Advisor).where(Advisor.email == email.strip().lower()))
        stored = advisor.password_hash if advisor else identity.hash_password("not an account")
        matches, upgraded = identity.check_password(stored, password)
        if advisor is None or not matches:
            return None
        if upgraded:
            advisor.password_hash = upgraded
        return advisor.id


def add_client(database: Database, advisor_id: int, name: str, sector: str | None = None) -> int:
    with database.transaction() as session:
        client = Client(
            advisor_id=advisor_id, name=name.strip(), sector=sector, created_at=identity.now()
        )
        session.add(client)
        session.flush()
        _log(session, f"advisor {advisor_id}", "client created", f"client {client.id}")
        return client.id


def add_audit(database: Database, client_id: int, rubric: str) -> int:
    with database.transaction() as session:
        audit = Audit(client_id=client_id, rubric=rubric, created_at=identity.now())
        session.add(audit)
        session.flush()
        _log(session, f"client {client_id}", "audit created", f"audit {audit.id}")
        return audit.id


def invite(
    database: Database, audit_id: int, role: str, label: str = "", days: int = INVITATION_DAYS
) -> tuple[int, str]:
    """A new respondent of ``audit_id`` and their invitation: (respondent id, the token). The
    token is returned once, to be put in the link, and never stored."""
    if role not in ROLES:
        raise InputError.single(role, "is not a role", expected=" or ".join(ROLES))
    token, digest = identity.new_token()
    created = identity.now()
    with database.transaction() as session:
        respondent = Respondent(audit_id=audit_id, role=role, label=label, created_at=created)
        session.add(respondent)
        session.flush()
        session.add(
            Invitation(
                respondent_id=respondent.id,
                token_hash=digest,
                created_at=created,
                expires_at=created + timedelta(days=days),
            )
        )
        _log(session, f"audit {audit_id}", "respondent invited", f"respondent {respondent.id}")
        return respondent.id, token


def redeem(database: Database, token: str) -> int | None:
    """The respondent a link's token opens, or None: unknown, expired or revoked all look the
    same to the person holding the link. The first use is recorded."""
    from sqlalchemy import select

    digest = identity.token_hash(token)
    with database.transaction() as session:
        invitation = session.scalar(select(Invitation).where(Invitation.token_hash == digest))
        moment = identity.now()
        if (
            invitation is None
            or invitation.revoked_at is not None
            or invitation.expires_at <= moment
        ):
            return None
        if invitation.used_at is None:
            invitation.used_at = moment
            invitation.respondent.started_at = invitation.respondent.started_at or moment
        return invitation.respondent_id


def revoke(database: Database, respondent_id: int, actor: str) -> None:
    from sqlalchemy import select

    with database.transaction() as session:
        for invitation in session.scalars(
            select(Invitation).where(Invitation.respondent_id == respondent_id)
        ):
            invitation.revoked_at = invitation.revoked_at or identity.now()
        _log(session, actor, "invitation revoked", f"respondent {respondent_id}")


def save_answer(database: Database, respondent_id: int, question_id: str, answer: Answer) -> None:
    """One answer, replacing any earlier one to the same question, in one transaction."""
    from sqlalchemy import select

    with database.transaction() as session:
        row = session.scalar(
            select(AnswerRow).where(
                AnswerRow.respondent_id == respondent_id, AnswerRow.question_id == question_id
            )
        )
        if row is None:
            row = AnswerRow(respondent_id=respondent_id, question_id=question_id)
            session.add(row)
        row.value = answer.value
        row.note = answer.note
        row.na_reason = answer.na_reason
        row.skipped = answer.skipped
        row.share_note = answer.share_note
        row.answered_at = identity.now()


def answer_set(database: Database, respondent_id: int, rubric: Rubric) -> AnswerSet:
    """The respondent's answers as an answers file holds them, in the rubric's order."""
    with database.transaction() as session:
        respondent = session.get(Respondent, respondent_id)
        if respondent is None:
            raise InputError.single(f"respondent {respondent_id}", "does not exist")
        client = respondent.audit.client
        rows = {row.question_id: row for row in respondent.answers}
        order = [q.id for q in rubric.questions if q.id in rows] + sorted(
            set(rows) - {q.id for q in rubric.questions}
        )
        answers = {
            question_id: Answer(
                value=rows[question_id].value,
                note=rows[question_id].note,
                na_reason=rows[question_id].na_reason,
                answered_at=rows[question_id].answered_at.isoformat() + "+00:00",
                skipped=rows[question_id].skipped,
                share_note=rows[question_id].share_note,
            )
            for question_id in order
        }
        times = [row.answered_at for row in rows.values()]
        return AnswerSet(
            rubric_id=rubric.id,
            rubric_version=rubric.version,
            rubric_sha256=rubric.sha256,
            sector=rubric.sector,
            business={"name": client.name, "sector": client.sector or ""},
            respondent={"speaks_as": respondent.role},  # no name: a staff answer stays anonymous
            started=(min(times).isoformat() + "+00:00") if times else "",
            updated=(max(times).isoformat() + "+00:00") if times else "",
            answers=answers,
            rubric_questions=tuple(q.id for q in rubric.questions),
        )


def export_audit(database: Database, audit_id: int, rubric: Rubric, folder: Path) -> list[Path]:
    """Every respondent's answers as answers files in ``folder``: ``owner.yaml`` (then
    ``owner-2.yaml``…), ``staff-1.yaml``…, ``other-1.yaml``…, numbered in an order that says
    nothing about who answered when. ``auditkit score FOLDER`` merges them."""
    import hashlib

    from sqlalchemy import select

    from auditkit.answers.store import save_answers

    with database.transaction() as session:
        respondents = list(
            session.scalars(select(Respondent).where(Respondent.audit_id == audit_id))
        )
        ids = [(r.role, r.id) for r in respondents]
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for role in ROLES:
        mine = sorted(
            (identifier for kind, identifier in ids if kind == role),
            key=lambda identifier: hashlib.sha256(f"{audit_id}:{identifier}".encode()).digest(),
        )
        for number, identifier in enumerate(mine, start=1):
            answers = answer_set(database, identifier, rubric)
            if not answers.answers:
                continue  # invited, never answered: nothing to score
            name = f"{role}.yaml" if role == "owner" and number == 1 else f"{role}-{number}.yaml"
            save_answers(answers, folder / name)
            written.append(folder / name)
    return written


def import_answers(database: Database, audit_id: int, answers: AnswerSet) -> int:
    """An answers file brought into an audit as a new respondent (their role from the file)."""
    role = answers.speaks_as if answers.speaks_as in ROLES else "owner"
    with database.transaction() as session:
        respondent = Respondent(
            audit_id=audit_id, role=role, label="imported", created_at=identity.now()
        )
        session.add(respondent)
        session.flush()
        for question_id, answer in answers.answers.items():
            session.add(
                AnswerRow(
                    respondent_id=respondent.id,
                    question_id=question_id,
                    value=answer.value,
                    note=answer.note,
                    na_reason=answer.na_reason,
                    skipped=answer.skipped,
                    share_note=answer.share_note,
                    answered_at=_moment(answer.answered_at),
                )
            )
        _log(session, f"audit {audit_id}", "answers imported", f"respondent {respondent.id}")
        return respondent.id


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


def delete_respondent(database: Database, respondent_id: int, actor: str) -> None:
    """A respondent and everything they gave (answers, invitations): staff answers are
    personal data, and deleting them is the advisor's right and duty on request."""
    with database.transaction() as session:
        respondent = session.get(Respondent, respondent_id)
        if respondent is not None:
            session.delete(respondent)
        _log(session, actor, "respondent deleted", f"respondent {respondent_id}")
