"""A staff member's draft answers, sealed under a key only their link holds.

While a member of staff answers, their answers must be kept (they may stop and resume from
the link), yet nobody else should read them: not the advisor, not whoever administers the
database, not a backup. So a draft answer is stored encrypted (AES-256-GCM) under a key
derived from the link's token: ``HMAC-SHA256(token, "auditkit draft key")``. The server
stores the token only as its SHA-256 (which does not give the key) and never stores the key:
the key lives in the respondent's session cookie, next to the session's own random key, for
as long as the browser keeps it, and is derived again when the link is opened again.

Consequences, stated in docs/server.md: a database file, its write-ahead log or a backup
holds drafts only as ciphertext; a lost link makes its drafts unreadable (they never count);
the server process itself sees a draft while it handles that person's request (a root shell
on the running server is not covered). Each answer is bound to its respondent and question
(the associated data), so a sealed answer moved to another row does not open.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os

from auditkit.answers.model import Answer

KEY_LABEL = b"auditkit draft key"


def draft_key(token: str) -> bytes:
    """The key a link's token gives; not the token's stored hash, nor derivable from it."""
    return hmac.new(token.encode("utf-8"), KEY_LABEL, hashlib.sha256).digest()


def encode_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode("ascii").rstrip("=")


def decode_key(text: str) -> bytes | None:
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        return None
    return key if len(key) == 32 else None


def _bound(respondent_id: int, question_id: str) -> bytes:
    return f"{respondent_id}:{question_id}".encode()


def seal(key: bytes, respondent_id: int, question_id: str, answer: Answer) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    plain = json.dumps(
        {
            "value": answer.value,
            "note": answer.note,
            "na_reason": answer.na_reason,
            "skipped": answer.skipped,
            "share_note": answer.share_note,
        }
    ).encode()
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plain, _bound(respondent_id, question_id))
    return base64.b64encode(nonce + sealed).decode("ascii")


def unseal(key: bytes | None, respondent_id: int, question_id: str, text: str) -> Answer | None:
    """The answer, or None when the key is not the one it was sealed with."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if key is None:
        return None
    raw = base64.b64decode(text)
    try:
        plain = AESGCM(key).decrypt(raw[:12], raw[12:], _bound(respondent_id, question_id))
    except InvalidTag:
        return None
    data = json.loads(plain)
    return Answer(
        value=data["value"],
        note=data["note"],
        na_reason=data["na_reason"],
        skipped=data["skipped"],
        share_note=data["share_note"],
    )
