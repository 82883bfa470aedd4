"""Where a questionnaire's answers are kept: the seam between the session and its storage.

The session owns the rules (what is asked, in which order, what an answer may be); a store
only keeps what the session hands it, before the session reports the change as saved. Two
stores exist: an answers file (``auditkit assess`` and ``auditkit serve``) and a respondent's
rows in the practice server's database (``auditkit.server.store``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from auditkit.answers.model import AnswerSet
from auditkit.answers.store import load_answers, save_answers


class StoreFailed(Exception):
    """The store could not keep the change; the message says why in an owner's words."""


class AnswerStore(Protocol):
    def write(self, answers: AnswerSet, question_id: str | None) -> None:
        """Keep ``answers`` (``question_id`` is the one answer that changed, None for the
        whole set). Raise ``OSError`` or ``StoreFailed`` when it could not; nothing is then
        changed."""

    def reread(self) -> tuple[AnswerSet, Any] | None:
        """The answers as someone else left them (another tab, the terminal), or None when
        nobody else wrote since the last read or write."""


@dataclass
class FileStore:
    """An answers file, written atomically whole (``answers.store.save_answers``). Its hash
    after each read and write tells another writer's edits from this session's own."""

    path: Path
    digest: str = ""

    def write(self, answers: AnswerSet, question_id: str | None) -> None:
        save_answers(answers, self.path)
        self.digest = file_digest(self.path)

    def reread(self) -> tuple[AnswerSet, Any] | None:
        if not self.path.exists() or file_digest(self.path) == self.digest:
            return None
        loaded = load_answers(self.path)
        self.digest = file_digest(self.path)
        return loaded


def file_digest(path: Path) -> str:
    """The answers file's hash, read afresh (a cached one could miss a write in the same
    millisecond with the same size)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
