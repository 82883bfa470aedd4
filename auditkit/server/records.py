"""What the practice server does to its records, one transaction per call.

Advisors, clients, audits, respondents and invitations; a respondent deleted with everything
they gave. Each change is written to the audit log in the same transaction, without secrets.
Answers themselves are in ``answering``.
"""

from __future__ import annotations

from datetime import timedelta

from auditkit.errors import InputError
from auditkit.i18n import _
from auditkit.rubric.model import ROLES
from auditkit.server import identity
from auditkit.server.database import Database
from auditkit.server.schema import Advisor, Audit, AuditLogEntry, Client, Invitation, Respondent

INVITATION_DAYS = 30


def log(session, actor: str, action: str, target: str = "") -> None:
    session.add(AuditLogEntry(at=identity.now(), actor=actor, action=action, target=target))


def add_advisor(database: Database, email: str, password: str, name: str = "") -> int:
    from sqlalchemy import select

    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise InputError.single(
            email or _("(empty)"), _("is not an e-mail address"), fix=_("give NAME@DOMAIN")
        )
    problem = identity.password_problem(password, email)
    if problem:
        raise InputError.single(_("the password"), problem)
    with database.transaction() as session:
        if session.scalar(select(Advisor.id).where(Advisor.email == email)) is not None:
            raise InputError.single(email, _("already has an account on this server"))
        advisor = Advisor(
            email=email,
            name=name,
            password_hash=identity.hash_password(password),
            created_at=identity.now(),
        )
        session.add(advisor)
        session.flush()
        log(session, "command line", "advisor created", f"advisor {advisor.id}")
        return advisor.id


def sign_in(database: Database, email: str, password: str) -> int | None:
    """The advisor's id when the password matches; the hash is upgraded when it is old. The
    same work is done for an unknown e-mail, so timing does not tell which accounts exist."""
    from sqlalchemy import select

    with database.transaction() as session:
        advisor = session.scalar(select(Advisor).where(Advisor.email == email.strip().lower()))
        stored = advisor.password_hash if advisor else identity.dummy_hash()
        matches, upgraded = identity.check_password(stored, password)
        if advisor is None or not matches:
            return None
        if upgraded:
            advisor.password_hash = upgraded
        return advisor.id


def advisor_of(database: Database, email: str) -> int | None:
    """The id of the advisor with this e-mail address, if any."""
    from sqlalchemy import select

    with database.transaction() as session:
        return session.scalar(select(Advisor.id).where(Advisor.email == email.strip().lower()))


def add_client(database: Database, advisor_id: int, name: str, sector: str | None = None) -> int:
    with database.transaction() as session:
        client = Client(
            advisor_id=advisor_id, name=name.strip(), sector=sector, created_at=identity.now()
        )
        session.add(client)
        session.flush()
        log(session, f"advisor {advisor_id}", "client created", f"client {client.id}")
        return client.id


def add_audit(database: Database, client_id: int, rubric: str, language: str | None = None) -> int:
    """A new audit of the client; ``language``: its reports' (``server.report_language``;
    none: the server's --lang)."""
    with database.transaction() as session:
        audit = Audit(
            client_id=client_id,
            rubric=rubric,
            created_at=identity.now(),
            report_language=language,
        )
        session.add(audit)
        session.flush()
        log(session, f"client {client_id}", "audit created", f"audit {audit.id}")
        return audit.id


def invite(
    database: Database, audit_id: int, role: str, label: str = "", days: int = INVITATION_DAYS
) -> tuple[int, str]:
    """A new respondent of ``audit_id`` and their invitation: (respondent id, the token). The
    token is returned once, to be put in the link, and never stored. ``tester``: a link to
    the audit's recording form of test contacts (``server.contacts``), not the questionnaire."""
    if role not in (*ROLES, "tester"):
        raise InputError.single(role, _("is not a role"), expected=", ".join((*ROLES, "tester")))
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
        log(session, f"audit {audit_id}", "respondent invited", f"respondent {respondent.id}")
        return respondent.id, token


def reissue(
    database: Database, respondent_id: int, actor: str, days: int = INVITATION_DAYS
) -> str | None:
    """A new link for a respondent whose link was never opened, and the old one revoked, in
    one transaction: the token, or None when the link was opened, sent, finished or is
    withdrawn (then a new link would not help: a started staff member's drafts are sealed
    under the old link, and an advisor must not be able to step into them).

    Why re-issue rather than show the old link again: the server keeps a token only as its
    SHA-256, so the old link cannot be shown; keeping the plain token until first use (even
    encrypted with a key the server holds) would put a working link in every backup."""
    from sqlalchemy import select

    token, digest = identity.new_token()
    moment = identity.now()
    with database.transaction() as session:
        respondent = session.get(Respondent, respondent_id)
        if respondent is None or respondent.submitted or respondent.finished_at is not None:
            return None
        invitations = list(
            session.scalars(select(Invitation).where(Invitation.respondent_id == respondent_id))
        )
        live = [i for i in invitations if i.revoked_at is None and i.expires_at > moment]
        if not live or any(i.used_at is not None for i in invitations):
            return None
        for invitation in live:
            invitation.revoked_at = moment
        session.add(
            Invitation(
                respondent_id=respondent_id,
                token_hash=digest,
                created_at=moment,
                expires_at=moment + timedelta(days=days),
            )
        )
        log(session, actor, "invitation re-issued", f"respondent {respondent_id}")
        return token


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
        return invitation.respondent_id


def revoke(database: Database, respondent_id: int, actor: str) -> None:
    from sqlalchemy import select

    with database.transaction() as session:
        for invitation in session.scalars(
            select(Invitation).where(Invitation.respondent_id == respondent_id)
        ):
            invitation.revoked_at = invitation.revoked_at or identity.now()
        log(session, actor, "invitation revoked", f"respondent {respondent_id}")


def delete_respondent(database: Database, respondent_id: int, actor: str) -> None:
    """A respondent and everything they gave (answers, invitations): staff answers are
    personal data, and deleting them is the advisor's right and duty on request."""
    with database.transaction() as session:
        respondent = session.get(Respondent, respondent_id)
        if respondent is not None:
            session.delete(respondent)
        log(session, actor, "respondent deleted", f"respondent {respondent_id}")
