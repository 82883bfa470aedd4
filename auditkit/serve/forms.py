"""What both browser front ends share: the question form, the review, the templates.

``auditkit serve`` (one answers file on this computer) and the practice server (a respondent's
rows in a database) ask the same questions through the same ``Session`` and draw them with the
same templates; only where answers are kept, and the page around them, differ.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from auditkit.answers.model import NOTE_LIMIT, UNKNOWN_LABEL, count_answers
from auditkit.i18n import _
from auditkit.questionnaire.forms import Submitted, act, submit_question  # noqa: F401
from auditkit.questionnaire.session import Session

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def web_templates(*folders: Path):
    """The questionnaire's templates, with ``folders`` searched first (the server's own
    pages); autoescaped, so everything a person typed is shown as text."""
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

    from auditkit.i18n import install_jinja

    environment = install_jinja(
        Environment(
            loader=ChoiceLoader([FileSystemLoader(folder) for folder in (*folders, TEMPLATES)]),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
            # The templates ship with the package: compiled once, never looked up on disk
            # again (a file-time check on every page is a system call per request).
            auto_reload=False,
        )
    )
    environment.globals["phase_name"] = phase_name
    environment.globals["asset_version"] = asset_version()
    return environment


@functools.cache
def asset_version() -> str:
    """A short digest of the stylesheet and scripts, put in their addresses (``app.css?v=…``):
    a browser may then keep them for a year (``CachedStatic``) and still gets the new file
    the moment an upgrade changes it. Without it a phone asked for the stylesheet again with
    every question, one request in three."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(STATIC.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def cached_static():
    """The static files, each response kept by the browser for a year: their addresses carry
    ``asset_version``, so a changed file comes under a new address."""
    from starlette.staticfiles import StaticFiles

    class CachedStatic(StaticFiles):
        def file_response(self, *arguments, **options):
            response = super().file_response(*arguments, **options)
            response.headers["cache-control"] = "public, max-age=31536000, immutable"
            return response

    return CachedStatic(directory=STATIC)


def phase_name(phase: int) -> str:
    """A phase's name in the page's language ("Customer-service augmentation"), for a page
    that would otherwise say "phase 2" alone."""
    from auditkit.i18n import _
    from auditkit.rubric.model import PHASE_NAMES

    return _(PHASE_NAMES[phase]) if phase in PHASE_NAMES else str(phase)


# A note at the limit, URL-encoded, is at most 12 bytes a character; the form may be larger
# than that by a little (the other fields), never by megabytes.
FORM_LIMIT = NOTE_LIMIT * 12 + 64 * 1024


def attachment(name: str) -> str:
    """A Content-Disposition header that no file name can break: an ASCII fallback of
    letters, digits, dots, dashes and underscores, and the real name in RFC 5987 form."""
    from urllib.parse import quote

    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "report"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def question_context(session: Session, question_id: str) -> dict[str, Any]:
    """The question page's values, its texts in the page's language (the session itself
    keeps the rubric in English: it stores ids and levels only)."""
    from dataclasses import replace

    from auditkit.i18n.rubric_text import localized_rubric

    asked = session.questions()  # once: every count below is of this one list
    question = asked[session.position] if session.position < len(asked) else None
    assert question is not None and question.id == question_id
    progress = session.progress(question, asked)
    counts = count_answers(asked, session.answers)
    position = asked.index(question)
    shown = localized_rubric(session.rubric)
    if shown is not session.rubric:
        if question.kind != "adoption":
            progress = replace(progress, section=shown.principle(question.principle).title)
        question = shown.question(question.id)
    answer = session.answer_of(question.id)
    return {
        "question": question,
        "number": position + 1,
        "total": len(asked),
        "progress": progress,
        "answered": counts.given,
        "answer": answer,
        "staff": session.answers.speaks_as != "owner",
        "version": session.fingerprint(question.id),
        "has_previous": position > 0,
        # "Don't know" where this respondent may not know (a safeguard; staff's inventory).
        "dont_know": _(UNKNOWN_LABEL) if session.allows_unknown(question) else "",
    }


def review_rows(session: Session) -> list[dict[str, Any]]:
    """Every question asked, with the answer as the review shows it (in the page's language)."""
    from auditkit.i18n.rubric_text import localized_question

    rows = []
    for number, question in enumerate(session.questions(), start=1):
        question = localized_question(session.rubric, question)
        answer = session.answer_of(question.id)
        if answer is None or answer.value is None:
            shown, kind = (
                (_("Skipped"), "skipped")
                if answer and answer.skipped
                else (_("Not answered"), "open")
            )
        elif answer.is_na:
            shown, kind = _("Not applicable: {reason}").format(reason=answer.na_reason), "na"
        elif answer.is_unknown:
            shown, kind = _(UNKNOWN_LABEL), "unknown"
        else:
            shown, kind = question.scale.level(answer.value).label, "given"
        rows.append(
            {
                "number": number,
                "question": question,
                "shown": shown,
                "kind": kind,
                "note": answer.note if answer else "",
                "na_reason": answer.na_reason if answer else "",
            }
        )
    return rows
