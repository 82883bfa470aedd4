"""The opening's business questions as a web form, for both web front ends (``serve`` and the
practice server's owner pages): the session says what to ask and checks the answer; this only
reads the ticked boxes and says what to show again after a refusal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditkit.obligations.profile import MARKETS, SIZE
from auditkit.questionnaire.session import AnswerError, SaveFailed, Session


def business_form_context(session: Session, chosen: Mapping[str, list[str]] | None = None):
    return {"questions": session.profile_questions(), "chosen": dict(chosen or {})}


def submit_business(session: Session, form: Any) -> tuple[str, dict[str, list[str]]]:
    """Apply the form; '' when saved, else the error to show (and the boxes ticked)."""
    getlist = getattr(form, "getlist", None)
    markets = [str(v) for v in (getlist(MARKETS) if getlist else [form.get(MARKETS, "")])]
    size = str(form.get(SIZE, "")) or None
    chosen = {MARKETS: markets, SIZE: [size] if size else []}
    try:
        session.answer_profile(markets, size)
    except (AnswerError, SaveFailed) as error:
        return str(error), chosen
    return "", chosen
