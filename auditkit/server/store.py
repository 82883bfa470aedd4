"""A respondent's answers kept in the practice server's database, behind the session's store
seam (``questionnaire.store``): each change is one upserted row, committed before the page
that says "saved" is sent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditkit.answers.model import AnswerSet
from auditkit.errors import InputError
from auditkit.i18n import _
from auditkit.questionnaire.store import StoreFailed
from auditkit.server.database import Database


@dataclass
class DatabaseStore:
    database: Database
    respondent_id: int
    key: bytes | None = None  # a staff member's draft key (``sealing``), from their cookie

    def write(self, answers: AnswerSet, question_id: str | None) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from auditkit.server.answering import save_answer

        if question_id is None:
            return  # the business and the respondent are the server's own records
        try:
            save_answer(
                self.database,
                self.respondent_id,
                question_id,
                answers.answers[question_id],
                self.key,
            )
        except InputError:
            raise StoreFailed(
                _("Your answers were already sent, so they can no longer be changed here.")
            ) from None
        except SQLAlchemyError:
            raise StoreFailed(
                _(
                    "Your answer was NOT saved: the server could not store it just now. What "
                    "you chose is still here; press Save again in a moment."
                )
            ) from None

    def reread(self) -> tuple[AnswerSet, Any] | None:
        return None  # every request reads the respondent's rows afresh
