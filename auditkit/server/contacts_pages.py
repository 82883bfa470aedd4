"""The pages of test contacts on the practice server: the advisor's (attach the plan, run
the check, download the sheet) and the tester's recording form (``server.contacts`` does the
work; docs/server.md, "Test contacts").

The tester's pages take no id: whose audit it is comes from the session the link opened.
The form works without JavaScript (a plain post, the page again with "saved"); with it, the
local recorder's script (``contacts/static/record.js``) keeps each contact in the browser
first and sends it when the server can be reached, so a contact typed while the phone's
connection drops is not lost. Only this page may run that script (its own
Content-Security-Policy); every other page of the server runs none.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, RedirectResponse, Response

from auditkit.errors import InputError
from auditkit.i18n import _, ngettext
from auditkit.serve.forms import attachment
from auditkit.server import contacts
from auditkit.server.context import Context, Refused

SCRIPT = Path(__file__).parents[1] / "contacts" / "static" / "record.js"
TESTER_POLICY = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' "
    "'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
TESTER_FOOTER = (
    "Each contact is saved on the server as you send it; one typed while the connection is "
    "down waits in this browser and is sent when it is back. No names, addresses or notes "
    "about real people."
)
NO_PLAN = "This audit has no contacts plan yet: attach the plan.yaml first."


# ---------------------------------------------------------------------- the advisor's
async def attach_plan(context: Context) -> Response:
    """The plan.yaml of ``auditkit contacts plan``, read by its own reader: a bad file gets
    the audit page again with the located error, naming the uploaded file."""
    from auditkit.server.advisor_pages import _read_upload

    def read(path: Path, name: str, form):
        text = path.read_text(encoding="utf-8", errors="replace")
        contacts.plan_from_text(text, name)
        return text

    found = await _read_upload(context, read, "plan.yaml")
    if isinstance(found, Response):
        return found
    text, name = found
    audit_id = context.request.path_params["audit"]
    await run_in_threadpool(
        contacts.attach_plan,
        context.database,
        audit_id,
        name,
        text,
        f"advisor {context.visitor.advisor_id}",
    )
    return RedirectResponse(f"/audits/{audit_id}#contacts", 303)


async def check(context: Context) -> Response:
    from auditkit.server.advisor_pages import audit_page

    await context.form()
    audit_id = context.request.path_params["audit"]
    try:
        summary = await run_in_threadpool(
            contacts.run_check,
            context.database,
            audit_id,
            f"advisor {context.visitor.advisor_id}",
        )
    except InputError as problem:
        message = problem.speaking("web").format()
        return await audit_page(context, status=400, contacts_error=message)
    return await audit_page(context, contacts_checked=summary)


async def sheet(context: Context) -> Response:
    from auditkit.server.advisor_pages import _audit_facts

    facts = _audit_facts(context)
    text = await run_in_threadpool(contacts.sheet_csv, context.database, facts["audit_id"])
    name = f"{facts['business']}-{facts['created'].isoformat()}-contacts.csv"
    return Response(
        text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": attachment(name)},
    )


def advisor_facts(database, audit_id: int) -> dict:
    """What the audit page shows of test contacts."""
    from sqlalchemy import select

    from auditkit.server.schema import ContactsPlan

    with database.transaction() as session:
        row = session.scalar(select(ContactsPlan).where(ContactsPlan.audit_id == audit_id))
        name = row.name if row is not None else None
    return {
        "contacts_plan": name,
        "contacts_count": contacts.contacts_count(database, audit_id),
    }


# ---------------------------------------------------------------------- the tester's
def _tester_page(context: Context, plan, status: int = 200, **values) -> Response:
    from auditkit.contacts.model import CHANNELS
    from auditkit.contacts.record import YES_NO
    from auditkit.contacts.web import LABELS
    from auditkit.contacts.words import script_words

    response = context.page(
        "contacts.html",
        status,
        plan=plan,
        pairs=[
            {
                "id": p.pair,
                "date": p.date,
                "channel": p.channel,
                "scenario": p.scenario,
                "personas": f"{plan.reference.id} {p.variant}",
            }
            for p in plan.pairs
        ],
        channels=CHANNELS,
        yes_no=[(name, _(LABELS[name])) for name in YES_NO],
        words=script_words(),  # record.js's texts, in the page's language
        entry=secrets.token_urlsafe(12),
        queue=_queue_name(context.visitor.audit_id),
        business=plan.business,
        footer=TESTER_FOOTER,
        hosted_respondent=False,
        **values,
    )
    response.headers["content-security-policy"] = TESTER_POLICY
    return response


def _queue_name(audit_id: int) -> str:
    """The name of the browser's queue for this audit. Not a secret (ids are not secrets,
    and a digest of one is easily undone): it only keeps two audits' queues apart."""
    return hashlib.sha256(f"auditkit audit {audit_id}".encode()).hexdigest()[:16]


async def _plan(context: Context):
    found = await run_in_threadpool(contacts.audit_plan, context.database, context.visitor.audit_id)
    if found is None:
        raise Refused(404, _("This audit's test plan was taken away. Ask whoever sent the link."))
    return found[0]


async def tester_home(context: Context) -> Response:
    return _tester_page(context, await _plan(context))


async def tester_script(context: Context) -> Response:
    return Response(
        SCRIPT.read_text(encoding="utf-8"),
        media_type="text/javascript; charset=utf-8",
        headers={"content-security-policy": TESTER_POLICY},
    )


async def tester_save(context: Context) -> Response:
    """One contact, one transaction. JSON for the page's script (``Accept: application/
    json``), the form again otherwise. Free text (``notes``) is never read."""
    from auditkit.contacts.web import _ENTRY, validate

    wants_json = "application/json" in context.request.headers.get("accept", "")
    form = await context.form()
    plan = await _plan(context)
    row, errors = validate(plan, form)
    if row is None:
        if wants_json:
            return JSONResponse({"ok": False, "errors": errors}, 422)
        typed = {k: str(v) for k, v in form.items() if k != "csrf"}
        return _tester_page(context, plan, 422, errors=errors, typed=typed)
    entry = str(form.get("entry", ""))
    if not _ENTRY.match(entry):
        entry = secrets.token_urlsafe(12)
    count, new = await run_in_threadpool(
        contacts.save_contact,
        context.database,
        context.visitor.audit_id,
        context.visitor.respondent_id,
        entry,
        row,
    )
    if wants_json:
        # The row the downloaded sheet shows it on (the header is row 1).
        return JSONResponse({"ok": True, "duplicate": not new, "row": count + 1 if new else None})
    if new:
        message = ngettext(
            "Saved: this audit holds %(count)s contact.",
            "Saved: this audit holds %(count)s contacts.",
            count,
        )
    else:
        message = ngettext(
            "Already saved: this audit holds %(count)s contact.",
            "Already saved: this audit holds %(count)s contacts.",
            count,
        )
    return _tester_page(context, plan, message=message % {"count": count})
