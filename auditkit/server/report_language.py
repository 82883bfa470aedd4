"""The language an audit's reports are made in: chosen per audit, kept in the database.

The advisor's pages follow the advisor (their pick, their browser, the server's ``--lang``);
what an audit produces for its client follows the audit: the PDF and HTML report, the action
plan and the owner's summary are made in ``audit.report_language``, so a German client gets
German papers from an advisor who works in English. A new audit starts in the language of
the advisor's page that made it (which is the server's ``--lang`` unless the advisor's
browser or pick says otherwise); an audit from before schema 0007 has none stored and uses
the server's ``--lang``. Only a language code is stored, never a translated text.
"""

from __future__ import annotations

from auditkit.i18n import PSEUDO, SHIPPED, normalize
from auditkit.server.database import Database

# Offered on the audit's page; the pseudo-locale is accepted too (tests of untranslated text).
ACCEPTED = (*SHIPPED, PSEUDO)


def accepted(language: str | None) -> str | None:
    """The language code as stored ("DE" → "de"), or None when auditkit has no such language."""
    code = normalize(language) if language else ""
    return code if code in ACCEPTED else None


def report_choices(chosen: str) -> list[tuple[str, str]]:
    """The audit page's choices, each in its own name: the shipped languages (and the chosen
    one, should it be the pseudo-locale of a test)."""
    from auditkit.i18n import NATIVE_NAMES

    codes = [*SHIPPED, *([chosen] if chosen not in SHIPPED else [])]
    return [(code, NATIVE_NAMES.get(code, code)) for code in codes]


def report_language(database: Database, audit_id: int, default: str) -> str:
    """The audit's report language; ``default`` (the server's --lang) when none is stored."""
    from auditkit.server.schema import Audit

    with database.transaction() as session:
        audit = session.get(Audit, audit_id)
        stored = audit.report_language if audit is not None else None
    return accepted(stored) or default


def choose(database: Database, audit_id: int, language: str, actor: str) -> None:
    """Store the audit's report language (already checked with ``accepted``), and log it."""
    from auditkit.server.records import log
    from auditkit.server.schema import Audit

    with database.transaction() as session:
        audit = session.get(Audit, audit_id)
        audit.report_language = language
        log(session, actor, "report language set", f"audit {audit_id}: {language}")


async def choose_page(context) -> object:
    """POST /audits/{audit}/language: the advisor picks the audit's report language (the
    form on the audit's page; CSRF checked by ``context.form``, the audit's owner checked by
    the route's rule before this runs)."""
    from starlette.responses import RedirectResponse

    from auditkit.i18n import NATIVE_NAMES, _
    from auditkit.server.context import Refused

    form = await context.form()
    language = accepted(str(form.get("language", "")))
    if language is None:
        raise Refused(
            400,
            _("Choose the report's language from the list: {languages}.").format(
                languages=", ".join(NATIVE_NAMES[code] for code in SHIPPED)
            ),
        )
    audit_id = context.request.path_params["audit"]
    choose(context.database, audit_id, language, f"advisor {context.visitor.advisor_id}")
    return RedirectResponse(f"/audits/{audit_id}#report-language", 303)
