"""``auditkit contacts record``: a one-page form to record test contacts, on this computer.

The same protection as ``auditkit serve`` (``serve/security.py``): 127.0.0.1 only, a path
and a cookie of this instance's own, a one-time link, a CSRF token and an Origin check. Each
contact is appended to the recording sheet (CSV) atomically before the answer says "saved".

Offline-friendly: the page's script keeps every typed contact in the browser's localStorage
queue first and sends it from there; when the connection drops (the server stopped, a laptop
asleep), contacts wait in the queue, are shown as waiting, and are sent when the page can
reach the server again (on "online", on load, every 15 s). Each carries an id, and a contact
the server already holds is not appended twice. Without JavaScript the form posts normally.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from auditkit.contacts.model import CHANNELS, Plan
from auditkit.contacts.record import FIELDS, NEVER, NUMBERS, YES_NO
from auditkit.i18n import N_, _
from auditkit.serve.security import Keys, check_csrf

HERE = Path(__file__).parent
FORM_FIELDS = [f for f in FIELDS if f != "notes"]
_ENTRY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


@dataclass
class RecordState:
    sheet: Path
    plan: Plan
    keys: Keys = field(default_factory=Keys)
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    seen: set[str] = field(default_factory=set)  # entry ids appended by this instance
    language: str = "en"  # the page's language (AUDITKIT_LANG when started)


def validate(plan: Plan, form) -> tuple[list[str] | None, dict[str, str]]:
    """The sheet row for a submitted contact, or None and the problems by field name."""
    errors: dict[str, str] = {}
    value = {name: str(form.get(name, "")).strip() for name in FORM_FIELDS}
    if str(form.get("never", "")) == "yes":  # the form's "no person answered" box
        value["turns_to_person"] = value["minutes_to_person"] = NEVER
    pair = plan.pair(value["pair"])
    if pair is None:
        errors["pair"] = _("choose a pair of the plan")
    elif value["persona"] not in (plan.reference.id, pair.variant):
        errors["persona"] = _("this pair's personas are {reference} and {variant}").format(
            reference=plan.reference.id, variant=pair.variant
        )
    try:
        dt.date.fromisoformat(value["date"])
    except ValueError:
        errors["date"] = _("the date of the contact, as YYYY-MM-DD")
    if value["channel"] not in CHANNELS:
        errors["channel"] = _("choose a channel")
    for name in YES_NO:
        if value[name] not in ("yes", "no", ""):
            errors[name] = _("yes, no, or not asked")
    for name in NUMBERS:
        text = value[name].lower()
        if text and text != NEVER:
            try:
                if float(text) < 0:
                    raise ValueError
            except ValueError:
                errors[name] = _("a number, or tick 'never'")
    if errors:
        return None, errors
    return [value[name] for name in FORM_FIELDS] + [""], {}


def append_row(sheet: Path, row: list[str]) -> int:
    """Append one contact to the sheet atomically (written whole, then renamed); the row
    number a spreadsheet shows."""
    from auditkit.fileio import write_to

    text = sheet.read_text(encoding="utf-8") if sheet.exists() else ""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if not text.strip():
        writer.writerow(FIELDS)
        text = ""
    elif not text.endswith("\n"):
        text += "\n"
    writer.writerow(row)
    content = text + buffer.getvalue()
    write_to(sheet, content)
    return content.count("\n")


def create_app(state: RecordState):
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Route

    from auditkit.contacts.words import script_words
    from auditkit.i18n import install_jinja, use

    template = install_jinja(ImmutableSandboxedEnvironment(autoescape=True)).from_string(
        (HERE / "static" / "record.html").read_text(encoding="utf-8")
    )
    headers = {
        "content-security-policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
        "form-action 'self'; frame-ancestors 'none'",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
    }

    def page(status: int = 200, **context) -> HTMLResponse:
        plan = state.plan
        with use(state.language):
            html = template.render(
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
                csrf=state.csrf,
                sheet=state.sheet.name,
                words=script_words(),
                **context,
            )
        return HTMLResponse(html, status_code=status, headers=headers)

    async def home(request: Request) -> Response:
        return page()

    async def script(request: Request) -> Response:
        return Response(
            (HERE / "static" / "record.js").read_text(encoding="utf-8"),
            media_type="text/javascript",
            headers=headers,
        )

    async def submit(request: Request) -> Response:
        wants_json = "application/json" in request.headers.get("accept", "")
        form = await request.form()
        with use(state.language):
            if not check_csrf(form, state.csrf):
                return (
                    JSONResponse({"ok": False, "errors": {"form": _("reload the page")}}, 403)
                    if wants_json
                    else page(403, message=_("This form is out of date: reload the page."))
                )
            row, errors = validate(state.plan, form)
            saved = _("Saved as row {row} of {sheet}.")
        entry = str(form.get("entry", ""))
        if entry and _ENTRY.match(entry) and entry in state.seen:
            return JSONResponse({"ok": True, "duplicate": True})
        if row is None:
            if wants_json:
                return JSONResponse({"ok": False, "errors": errors}, 422)
            return page(422, errors=errors, typed=dict(form))
        number = append_row(state.sheet, row)
        if entry and _ENTRY.match(entry):
            state.seen.add(entry)
        if wants_json:
            return JSONResponse({"ok": True, "row": number})
        return page(message=saved.format(row=number, sheet=state.sheet.name))

    app = Starlette(
        routes=[
            Route("/", home),
            Route("/record.js", script),
            Route("/contacts", submit, methods=["POST"]),
        ]
    )
    return app


# The yes/no questions of the form (marked for the catalog; translated where shown).
LABELS = {
    "disclosed_first_turn": N_("Told it was automated at the first turn?"),
    "context_kept": N_("Did the person know what was already said?"),
    "answer_right": N_("Was the answer right?"),
    "optout_offered": N_("Was an opt-out or a way to contest offered?"),
}


def record_forever(sheet: Path, plan: Plan, *, port: int, open_browser: bool) -> None:
    """Listen on 127.0.0.1 and print the one-time link, as ``auditkit serve`` does."""
    import contextlib
    import socket
    import sys
    import webbrowser

    import uvicorn

    from auditkit.errors import InputError, fill
    from auditkit.i18n import _, from_environment
    from auditkit.serve.security import Guard

    state = RecordState(sheet, plan, language=from_environment())
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
    except OSError as error:
        raise InputError.single(
            "--port",
            fill(
                _("cannot listen on 127.0.0.1:{port} ({reason})"), port=port, reason=error.strerror
            ),
            fix=_("choose another --port, or leave it out to take a free one"),
        ) from None
    port = listener.getsockname()[1]
    address = state.keys.link(port)
    print(f"auditkit contacts record: contacts are appended to {sheet}", flush=True)
    print(f"Open this address in your browser (this computer only, once):\n  {address}", flush=True)
    if open_browser:
        webbrowser.open(address)
    app = Guard(create_app(state), keys=state.keys, port=port)
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    )
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[listener])
    print(f"\nStopped. Every contact saved is in {sheet}.", file=sys.stderr)
