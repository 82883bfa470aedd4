"""Signed-in browsers and the sign-in throttle, kept in the database so that every worker of
a deployment sees the same.

* A web session is a random key in a cookie; the database holds only the key's SHA-256, who
  it belongs to (an advisor, or a respondent opened from their link), its form key (CSRF)
  and when it expires. A copy of the database signs nobody in.
* Sign-in is throttled per account and per address: after ``ACCOUNT_LIMIT`` failures for an
  e-mail address, or ``ADDRESS_LIMIT`` from one network address, within ``WINDOW``, further
  attempts are refused (before any password is checked) until the oldest failure leaves the
  window. Passwords are not guessed faster by spreading guesses over accounts or addresses.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from auditkit.server import identity
from auditkit.server.database import Database
from auditkit.server.schema import Respondent, SignInFailure, WebSession

ADVISOR_HOURS = 12
RESPONDENT_DAYS = 30
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Visitor:
    """Who a request comes from, resolved once per request from its cookie."""

    advisor_id: int | None = None
    respondent_id: int | None = None
    audit_id: int | None = None  # the respondent's audit
    csrf: str = ""


ANONYMOUS = Visitor()


def open_session(
    database: Database, *, advisor_id: int | None = None, respondent_id: int | None = None
) -> str:
    """A new web session; the key for the cookie is returned once and never stored."""
    key, digest = identity.new_token()
    created = identity.now()
    lasting = (
        timedelta(hours=ADVISOR_HOURS)
        if advisor_id is not None
        else timedelta(days=RESPONDENT_DAYS)
    )
    from sqlalchemy import delete

    with database.transaction() as session:
        # Expired sessions go as new ones come: the table holds only live ones.
        session.execute(delete(WebSession).where(WebSession.expires_at <= created))
        session.add(
            WebSession(
                key_hash=digest,
                advisor_id=advisor_id,
                respondent_id=respondent_id,
                csrf=secrets.token_urlsafe(24),
                created_at=created,
                expires_at=created + lasting,
            )
        )
    return key


def visitor(database: Database, key: str) -> Visitor:
    """The visitor a cookie's key belongs to; anonymous when it is unknown or expired, or
    when the respondent's invitation was revoked or expired since. One query."""
    if not key:
        return ANONYMOUS
    from sqlalchemy import exists, select

    from auditkit.server.schema import Invitation

    moment = identity.now()
    live_invitation = (
        exists()
        .where(
            Invitation.respondent_id == WebSession.respondent_id,
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > moment,
        )
        .correlate(WebSession)
    )
    with database.transaction() as session:
        found = session.execute(
            select(
                WebSession.advisor_id,
                WebSession.respondent_id,
                WebSession.csrf,
                Respondent.audit_id,
                live_invitation,
            )
            .outerjoin(Respondent, Respondent.id == WebSession.respondent_id)
            .where(WebSession.key_hash == identity.token_hash(key), WebSession.expires_at > moment)
        ).first()
    if found is None:
        return ANONYMOUS
    advisor_id, respondent_id, csrf, audit_id, live = found
    if respondent_id is not None:
        return Visitor(None, respondent_id, audit_id, csrf) if live else ANONYMOUS
    return Visitor(advisor_id, None, None, csrf)


def close_session(database: Database, key: str) -> None:
    from sqlalchemy import delete

    with database.transaction() as session:
        session.execute(delete(WebSession).where(WebSession.key_hash == identity.token_hash(key)))


def throttled(database: Database, email: str, address: str) -> timedelta | None:
    """How long until another attempt is allowed, or None when one is allowed now."""
    from sqlalchemy import select

    moment = identity.now()
    since = moment - WINDOW
    waits = []
    with database.transaction() as session:
        for key, limit in ((_account(email), ACCOUNT_LIMIT), (_address(address), ADDRESS_LIMIT)):
            times = sorted(
                session.scalars(
                    select(SignInFailure.at).where(
                        SignInFailure.key == key, SignInFailure.at > since
                    )
                )
            )
            if len(times) >= limit:
                waits.append(times[-limit] + WINDOW - moment)
    return max(waits) if waits else None


def record_failure(database: Database, email: str, address: str) -> None:
    from sqlalchemy import delete

    moment = identity.now()
    with database.transaction() as session:
        session.execute(delete(SignInFailure).where(SignInFailure.at <= moment - WINDOW))
        session.add(SignInFailure(key=_account(email), at=moment))
        session.add(SignInFailure(key=_address(address), at=moment))


def forget_failures(database: Database, email: str) -> None:
    """A successful sign-in clears its account's failures (never an address's)."""
    from sqlalchemy import delete

    with database.transaction() as session:
        session.execute(delete(SignInFailure).where(SignInFailure.key == _account(email)))


def _account(email: str) -> str:
    return "account:" + email.strip().lower()[:250]


def _address(address: str) -> str:
    return "address:" + address[:250]


def minutes(wait: timedelta) -> int:
    return max(1, -(-int(wait.total_seconds()) // 60))
