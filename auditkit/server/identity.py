"""How people prove who they are: advisors by password, respondents by invitation link.

* Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile);
  a hash made with older parameters is upgraded at the next successful sign-in.
* An invitation token is 32 random bytes (256 bits, URL-safe), shown once when the invitation
  is made and stored only as its SHA-256: a copy of the database opens no questionnaire. A
  token belongs to one respondent of one audit, expires, and can be revoked.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import UTC, datetime

TOKEN_BYTES = 32
MINIMUM_PASSWORD = 12  # characters; long passphrases beat composition rules (NIST 800-63B)


def now() -> datetime:
    """UTC, without a zone: every time in the database is UTC."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password(stored: str, password: str) -> tuple[bool, str | None]:
    """(whether it matches, a new hash to store when the parameters have changed)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False, None
    return True, hasher.hash(password) if hasher.check_needs_rehash(stored) else None


@functools.lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash of no account's password, made once per process with the current parameters:
    an unknown e-mail address is checked against it, so that it costs one Argon2 check,
    exactly like a known one (hashing a fresh dummy each time would cost two)."""
    return hash_password(secrets.token_urlsafe(16))


def password_problem(password: str, email: str = "") -> str | None:
    """Why a new password is refused, in words; None when it is fine."""
    from auditkit.errors import fill
    from auditkit.i18n import _

    if len(password) < MINIMUM_PASSWORD:
        return fill(
            _("a password needs at least {count} characters (a short sentence works)"),
            count=MINIMUM_PASSWORD,
        )
    if email and password.lower() == email.lower():
        return _("the password cannot be the e-mail address")
    return None


def new_token() -> tuple[str, str]:
    """(the token to put in the link, the hash to store)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
