"""Signed-in browsers and the sign-in throttle, kept in the database so that every worker of
a deployment sees the same.

* A web session is a random key in a cookie; the database holds only the key's SHA-256, who
  it belongs to (an advisor, or a respondent opened from their link), its form key (CSRF)
  and when it expires. A copy of the database signs nobody in.
* Sign-in is throttled so that guessing is slow and nobody can lock the advisor out. Within
  ``WINDOW``: ``PAIR_LIMIT`` failures for one account from one network address, ``ADDRESS_LIMIT``
  from one address whatever the accounts, and ``ACCOUNT_LIMIT`` for one account from anywhere
  stop further attempts (before any password is checked) until the oldest failure leaves the
  window. A *trusted device*, a browser the advisor signed in from before (a random key in a
  long-lived cookie for the sign-in page, stored as its SHA-256), is held only by its own
  failures (``DEVICE_LIMIT``): a stranger failing on purpose from many addresses blocks new
  devices for the account, never the advisor's own.
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from datetime import timedelta

from auditkit.server import identity
from auditkit.server.database import Database
from auditkit.server.schema import Respondent, SignInFailure, WebSession

ADVISOR_HOURS = 12
RESPONDENT_DAYS = 30
PAIR_LIMIT = 5  # one account from one address
ADDRESS_LIMIT = 20  # one address, any accounts
ACCOUNT_LIMIT = 10  # one account from any address but its trusted devices
DEVICE_LIMIT = 5  # a trusted device's own failures
WINDOW = timedelta(minutes=15)
DEVICE_DAYS = 180
COOKIE_JOIN = "."  # the cookie: the session's key, then (respondents) the draft key


@dataclass(frozen=True)
class Visitor:
    """Who a request comes from, resolved once per request from its cookie."""

    advisor_id: int | None = None
    respondent_id: int | None = None
    audit_id: int | None = None  # the respondent's audit
    csrf: str = ""
    draft_key: bytes | None = None  # a staff respondent's key for their sealed drafts
    role: str = ""  # the respondent's role (a tester's link opens the recording form only)


def split_cookie(value: str) -> tuple[str, bytes | None]:
    """(the session's key, the draft key it carries, if any)."""
    from auditkit.server.sealing import decode_key

    key, _, draft = value.partition(COOKIE_JOIN)
    return key, decode_key(draft) if draft else None


def session_cookie(key: str, draft_key: bytes | None) -> str:
    from auditkit.server.sealing import encode_key

    return key if draft_key is None else key + COOKIE_JOIN + encode_key(draft_key)


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


def visitor(database: Database, cookie: str) -> Visitor:
    """The visitor a cookie belongs to; anonymous when it is unknown or expired, or when the
    respondent's invitation was revoked or expired since. One prepared query (every request
    asks it)."""
    key, draft_key = split_cookie(cookie)
    if not key:
        return ANONYMOUS
    with database.reads() as connection:
        found = connection.execute(
            _visitor_query(), {"key_hash": identity.token_hash(key), "moment": identity.now()}
        ).first()
    if found is None:
        return ANONYMOUS
    advisor_id, respondent_id, csrf, audit_id, live, role = found
    if respondent_id is not None:
        return Visitor(None, respondent_id, audit_id, csrf, draft_key, role) if live else ANONYMOUS
    return Visitor(advisor_id, None, None, csrf)


@functools.cache
def _visitor_query():
    """The session with its respondent's audit and role, and whether their invitation is
    still live; built once per process (``key_hash`` and ``moment`` are bound per request)."""
    from sqlalchemy import bindparam, exists, select

    from auditkit.server.schema import Invitation

    moment = bindparam("moment")
    live_invitation = (
        exists()
        .where(
            Invitation.respondent_id == WebSession.respondent_id,
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > moment,
        )
        .correlate(WebSession)
    )
    return (
        select(
            WebSession.advisor_id,
            WebSession.respondent_id,
            WebSession.csrf,
            Respondent.audit_id,
            live_invitation,
            Respondent.role,
        )
        .outerjoin(Respondent, Respondent.id == WebSession.respondent_id)
        .where(WebSession.key_hash == bindparam("key_hash"), WebSession.expires_at > moment)
    )


def close_session(database: Database, key: str) -> None:
    from sqlalchemy import delete

    with database.transaction() as session:
        session.execute(delete(WebSession).where(WebSession.key_hash == identity.token_hash(key)))


def trusted_advisor(database: Database, device: str) -> int | None:
    """The advisor whose trusted device this cookie's key is, if it is one and still live."""
    if not device:
        return None
    from sqlalchemy import select

    from auditkit.server.schema import TrustedDevice

    with database.transaction() as session:
        return session.scalar(
            select(TrustedDevice.advisor_id).where(
                TrustedDevice.key_hash == identity.token_hash(device),
                TrustedDevice.expires_at > identity.now(),
            )
        )


def trust_device(database: Database, advisor_id: int, device: str) -> str:
    """The device's key after a successful sign-in: the one it had when it was this
    advisor's already, a new one otherwise (returned once, for the cookie)."""
    from sqlalchemy import delete

    from auditkit.server.schema import TrustedDevice

    if device and trusted_advisor(database, device) == advisor_id:
        return device
    key, digest = identity.new_token()
    moment = identity.now()
    with database.transaction() as session:
        session.execute(delete(TrustedDevice).where(TrustedDevice.expires_at <= moment))
        session.add(
            TrustedDevice(
                advisor_id=advisor_id,
                key_hash=digest,
                expires_at=moment + timedelta(days=DEVICE_DAYS),
            )
        )
    return key


def _limits(email: str, address: str, device: str, trusted: bool) -> list[tuple[str, int]]:
    if trusted:
        return [(_device(device), DEVICE_LIMIT)]
    return [
        (_pair(email, address), PAIR_LIMIT),
        (_address(address), ADDRESS_LIMIT),
        (_account(email), ACCOUNT_LIMIT),
    ]


def throttled(
    database: Database, email: str, address: str, device: str = "", trusted: bool = False
) -> timedelta | None:
    """How long until another attempt is allowed, or None when one is allowed now.
    ``trusted``: the device is the account's own (``trusted_advisor``)."""
    from sqlalchemy import select

    moment = identity.now()
    since = moment - WINDOW
    waits = []
    with database.transaction() as session:
        for key, limit in _limits(email, address, device, trusted):
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


def record_failure(
    database: Database, email: str, address: str, device: str = "", trusted: bool = False
) -> None:
    from sqlalchemy import delete

    moment = identity.now()
    with database.transaction() as session:
        session.execute(delete(SignInFailure).where(SignInFailure.at <= moment - WINDOW))
        for key, _ in _limits(email, address, device, trusted):
            session.add(SignInFailure(key=key, at=moment))


def forget_failures(database: Database, email: str, address: str, device: str = "") -> None:
    """A successful sign-in clears its own failures (this account from this address, this
    device), never the account's or the address's: those may be a stranger's."""
    from sqlalchemy import delete

    keys = [_pair(email, address)] + ([_device(device)] if device else [])
    with database.transaction() as session:
        session.execute(delete(SignInFailure).where(SignInFailure.key.in_(keys)))


def _account(email: str) -> str:
    return "account:" + email.strip().lower()[:250]


def _address(address: str) -> str:
    return "address:" + address[:250]


def _pair(email: str, address: str) -> str:
    return "pair:" + identity.token_hash(email.strip().lower() + "|" + address)


def _device(device: str) -> str:
    return "device:" + identity.token_hash(device)


def minutes(wait: timedelta) -> int:
    return max(1, -(-int(wait.total_seconds()) // 60))
