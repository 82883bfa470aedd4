"""The advisor's pages: the clients, their audits, invitations, results, downloads (signing
in is in ``signin_pages``).

Every page here runs only after ``permissions.decide`` allowed it (the route table in
``server.app``); a handler still reads only what belongs to the ids in its URL. Uploads go
through the same readers, limits and located errors as the command line.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from auditkit import DEFAULT_RUBRIC
from auditkit.errors import InputError, fill
from auditkit.i18n import N_, _, use
from auditkit.i18n import current as current_language
from auditkit.rubric.model import ROLES
from auditkit.serve.forms import attachment
from auditkit.server import overview
from auditkit.server.context import Context, Refused
from auditkit.server.records import log
from auditkit.server.report_language import accepted, report_choices

# Why there are no results, no report, no plan: three whole sentences (a translation may
# need to change more than the noun).
NO_OWNER = {
    "results": N_(
        "The owner (or manager) has not answered this audit yet, so there are no results to "
        "show: staff answers count beside the owner's, never alone."
    ),
    "report": N_(
        "The owner (or manager) has not answered this audit yet, so there is no report to make: "
        "staff answers count beside the owner's, never alone."
    ),
    "plan": N_(
        "The owner (or manager) has not answered this audit yet, so there is no plan to make: "
        "staff answers count beside the owner's, never alone."
    ),
}
ROLE_WORDS = {
    "owner": N_("Owner or manager"),
    "staff": N_("Front-line staff"),
    "other": N_("Someone else"),
    "tester": N_("Tester of contacts"),
}


def _role_words() -> dict[str, str]:
    """The roles in the page's language."""
    return {role: _(words) for role, words in ROLE_WORDS.items()}


def _today() -> date:
    from auditkit.reporting.run import report_date

    return report_date(None)


# ---------------------------------------------------------------------- clients and audits
def _sectors() -> list[tuple[str, str, str]]:
    from auditkit.questionnaire.session import sector_choices

    return sector_choices(DEFAULT_RUBRIC, current_language())


async def home(context: Context) -> Response:
    """The advisor's clients: latest verdict, gap and trend, progress, next audit due."""
    rows = await run_in_threadpool(
        overview.clients,
        context.database,
        context.visitor.advisor_id,
        _today(),
        context.config.staff_floor,
    )
    sectors = _sectors()
    titles = {sector_id: title for sector_id, title, _ in sectors}
    return context.page("overview.html", clients=rows, sectors=sectors, sector_titles=titles)


async def new_client(context: Context) -> Response:
    from auditkit.server.records import add_audit, add_client

    form = await context.form()
    name = str(form.get("name", "")).strip()[:200]
    sector = str(form.get("sector", "")).strip() or None
    if not name:
        raise Refused(400, _("Give the business's name: it appears on its reports."))
    if sector and sector not in {s for s, _, _ in _sectors()}:
        raise Refused(
            400, _("%(sector)s is not one of the sectors offered.") % {"sector": repr(sector)}
        )
    client_id = add_client(context.database, context.visitor.advisor_id, name, sector)
    add_audit(context.database, client_id, DEFAULT_RUBRIC, current_language())
    return RedirectResponse(f"/clients/{client_id}", 303)


async def client_page(context: Context) -> Response:
    from auditkit.server.schema import Client

    client_id = context.request.path_params["client"]
    with context.database.transaction() as session:
        client = session.get(Client, client_id)
        name, sector = client.name, client.sector or ""
        audits = sorted((audit.created_at, audit.id) for audit in client.audits)
    standings = [
        await run_in_threadpool(
            overview.standing,
            context.database,
            audit_id,
            created,
            context.config.staff_floor,
            _today(),
        )
        for created, audit_id in audits
    ]
    titles = {sector_id: title for sector_id, title, _ in _sectors()}
    return context.page(
        "client.html",
        client_id=client_id,
        name=name,
        sector=titles.get(sector, sector),
        standings=standings[::-1],
    )


async def new_audit(context: Context) -> Response:
    from auditkit.server.records import add_audit

    await context.form()
    audit_id = add_audit(
        context.database,
        context.request.path_params["client"],
        DEFAULT_RUBRIC,
        current_language(),  # the new audit's reports start in the advisor's page language
    )
    return RedirectResponse(f"/audits/{audit_id}", 303)


def _audit_facts(context: Context) -> dict:
    from sqlalchemy import select

    from auditkit.server.schema import Audit, Evidence

    audit_id = context.request.path_params["audit"]
    with context.database.transaction() as session:
        audit = session.get(Audit, audit_id)
        return {
            "audit_id": audit_id,
            "client_id": audit.client_id,
            "business": audit.client.name,
            "created": audit.created_at.date(),
            "report_language": accepted(audit.report_language) or context.config.language,
            "evidence": [
                (row.name, _guessed_names(row.data))
                for row in session.scalars(select(Evidence).where(Evidence.audit_id == audit_id))
            ],
            "plan": overview.plan_state(session, audit_id, _today()),
        }


def _guessed_names(data: str) -> list[tuple[str, str]]:
    """The group codes of a piece of evidence named by auditkit's guess, with the words an
    owner reads for them, for the page's "name these groups" prompt."""
    import json

    from auditkit.bias.codes import shown_labels

    result = json.loads(data)
    labels = shown_labels(result)  # in the advisor's language
    return [(code, labels.get(code, code)) for code in result.get("labels_guessed") or ()]


async def audit_page(context: Context, *, status: int = 200, **extra) -> Response:
    facts = _audit_facts(context)
    from auditkit.server.contacts_pages import advisor_facts
    from auditkit.server.staff_answers import staff_state

    people = await run_in_threadpool(overview.respondents, context.database, facts["audit_id"])
    tests = await run_in_threadpool(advisor_facts, context.database, facts["audit_id"])
    staff = await run_in_threadpool(staff_state, context.database, facts["audit_id"])
    return context.page(
        "audit.html",
        status,
        **facts,
        people=people,
        staff=staff,
        floor=context.config.staff_floor,
        roles=[(role, _role_words()[role]) for role in ROLES],
        role_words=_role_words(),
        # Once an owner is invited (and not withdrawn), the next link is most likely staff's.
        default_role="staff"
        if any(p.role == "owner" and (p.live or p.done) for p in people)
        else "owner",
        progress=overview.progress_words(people),
        upload_limit_mb=context.config.upload_limit // (1024 * 1024),
        report_languages=report_choices(facts["report_language"]),
        **tests,
        **extra,
    )


async def invite(context: Context) -> Response:
    from auditkit.server.records import invite as make_invitation

    form = await context.form()
    role = str(form.get("role", ""))
    label = str(form.get("label", "")).strip()[:200]
    audit_id = context.request.path_params["audit"]
    if role == "tester":
        from auditkit.server.contacts_pages import NO_PLAN, advisor_facts

        if advisor_facts(context.database, audit_id)["contacts_plan"] is None:
            raise Refused(409, NO_PLAN)
    elif role not in ROLES:
        raise Refused(400, _("Choose whom the link is for: owner or manager, staff, or other."))
    elif role != "owner":
        from auditkit.server.staff_answers import staff_state

        staff = staff_state(context.database, audit_id)
        if staff.closed:
            raise Refused(409, _("Staff answering is closed for this audit: start a follow-up."))
        if staff.source == "files":
            raise Refused(
                409,
                _(
                    "This audit's staff answers came from files: staff answering by link would "
                    "be counted with them. Start another audit to invite staff by link."
                ),
            )
    _invitation, token = make_invitation(context.database, audit_id, role, label)
    base = str(context.request.base_url).rstrip("/")
    # Shown once, on this page only: the server keeps the token's hash, never the link.
    return await audit_page(
        context, link=f"{base}/i/{token}", link_role=_(ROLE_WORDS[role]), link_label=label
    )


async def reissue(context: Context) -> Response:
    """A new link in place of one never opened (lost, or sent to the wrong place): the old
    one stops working at once, and the new one is shown once, like any new link."""
    from auditkit.server.records import reissue as make_new_link
    from auditkit.server.schema import Respondent

    await context.form()
    params = context.request.path_params
    token = make_new_link(
        context.database, params["respondent"], f"advisor {context.visitor.advisor_id}"
    )
    if token is None:
        raise Refused(
            409,
            _(
                "This link was opened already (or it was withdrawn or expired, or its answers "
                "are in): a new link replaces only a live link nobody has opened. Invite the "
                "person again instead."
            ),
        )
    with context.database.transaction() as session:
        respondent = session.get(Respondent, params["respondent"])
        role, label = respondent.role, respondent.label
    base = str(context.request.base_url).rstrip("/")
    return await audit_page(
        context,
        link=f"{base}/i/{token}",
        link_role=_(ROLE_WORDS[role]),
        link_label=label,
        reissued=True,
    )


async def revoke(context: Context) -> Response:
    from auditkit.server.records import revoke as withdraw

    await context.form()
    params = context.request.path_params
    withdraw(context.database, params["respondent"], f"advisor {context.visitor.advisor_id}")
    return RedirectResponse(f"/audits/{params['audit']}", 303)


async def close_staff(context: Context) -> Response:
    """End staff answering for this audit: open staff links are withdrawn; answers sent
    since the last release, too few to show without giving someone away, are deleted."""
    from auditkit.server.staff_answers import close_staff as close

    await context.form()
    audit_id = context.request.path_params["audit"]
    await run_in_threadpool(
        close, context.database, audit_id, f"advisor {context.visitor.advisor_id}"
    )
    return RedirectResponse(f"/audits/{audit_id}", 303)


async def delete(context: Context) -> Response:
    from auditkit.server.records import delete_respondent

    await context.form()
    params = context.request.path_params
    delete_respondent(
        context.database, params["respondent"], f"advisor {context.visitor.advisor_id}"
    )
    return RedirectResponse(f"/audits/{params['audit']}", 303)


# ---------------------------------------------------------------------- uploads
async def _read_upload(context: Context, read, stored_as: str = ""):
    """The uploaded file read by the command line's own reader, ``read(path, name, form)``
    (in a thread): (what it read, the file's name), or the audit page again with the
    reader's located error naming the uploaded file, never the server's temporary path.
    The file is refused above the size limit before it is all read, and deleted after."""
    limit = context.config.upload_limit
    too_large = _("The file is larger than %(mb)s MB, the limit here.") % {
        "mb": limit // (1024 * 1024)
    }
    if int(context.request.headers.get("content-length") or 0) > limit + 64 * 1024:
        raise Refused(413, too_large)
    form = await context.form(max_part_size=limit)
    upload = form.get("file")
    if upload is None or not hasattr(upload, "read") or not upload.filename:
        raise Refused(400, _("Choose a file to upload first."))
    data = await upload.read()
    if len(data) > limit:
        raise Refused(413, too_large)
    name = Path(upload.filename).name
    with tempfile.TemporaryDirectory(prefix="auditkit-upload-") as folder:
        path = Path(folder) / (stored_as or f"upload{Path(name).suffix.lower()}")
        path.write_bytes(data)
        try:
            return await run_in_threadpool(read, path, name, form), name
        except InputError as problem:  # in the form's words: fields, never flags
            message = problem.speaking("web").format().replace(str(path), name)
            return await audit_page(context, status=400, upload_error=message)


def _audit_rubric(context: Context):
    """The rubric (with its sector's overlay) that the audit in the URL asks."""
    from auditkit.server.answering import audit_rubric

    return audit_rubric(context.database, context.request.path_params["audit"])


def _bias_result(path: Path, name: str, form) -> dict:
    """A bias JSON as it is, or a decision log with the check chosen in the form, run now."""
    from auditkit.reporting.run import load_bias_input

    check = str(form.get("check", ""))
    if path.suffix == ".json" and not check:
        spec = str(path)
    elif check in ("chatbot", "segmentation", "check"):
        spec = f"{check}:{path}"
    else:
        raise InputError.single(
            name,
            _("is a decision log, and the check to run on it was not chosen"),
            fix=_("choose the check (chatbot, segmentation or a generic check)"),
        )
    groups = [g.strip() for g in str(form.get("groups", "")).split(",") if g.strip()]
    raw = {
        "groups": groups,
        "outcome": str(form.get("outcome", "")) or None,
        "columns": [c.strip() for c in str(form.get("columns", "")).split(",") if c.strip()],
        "labels": _group_names(str(form.get("labels", ""))),
    }
    data = load_bias_input(spec, raw, decimal=str(form.get("decimal", "")) or None).data
    if spec != str(path) and isinstance(data.get("source"), dict):
        # The log as the advisor named it ("chatbot.csv"), never the server's temporary copy.
        data["source"]["file"] = name
    return data


def _group_names(text: str) -> dict[str, str]:
    """The "Group names" field: one group a line, ``pl: Polish speakers`` (or ``pl =``)."""
    names = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        code, colon, words = line.partition(":") if ":" in line else line.partition("=")
        if not colon or not code.strip() or not words.strip():
            raise InputError.single(
                "{{labels}}",
                fill(_("line {number} does not name a group"), number=number),
                expected=_("one group a line: the code, a colon, the words (pl: Polish speakers)"),
                found=repr(line.strip()[:60]),
            )
        names[code.strip()] = words.strip()[:60]
    return names


async def add_evidence(context: Context) -> Response:
    """A bias JSON from ``auditkit bias``, or a decision log and the check to run on it: read
    by the command line's readers, so a bad file gets the same located error. Only the
    result (counts and verdicts) is kept; the log itself is deleted at once. A file of the
    same name replaces the earlier one: that is how guessed group names are corrected, and
    the report never counts one log twice."""
    import json

    from sqlalchemy import delete

    from auditkit.server.identity import now
    from auditkit.server.schema import Evidence

    read = await _read_upload(context, _bias_result)
    if isinstance(read, Response):
        return read
    data, name = read
    audit_id = context.request.path_params["audit"]
    with context.database.transaction() as session:
        replaced = session.execute(
            delete(Evidence).where(Evidence.audit_id == audit_id, Evidence.name == name[:200])
        ).rowcount
        session.add(
            Evidence(
                audit_id=audit_id,
                name=name[:200],
                data=json.dumps(data, sort_keys=True),
                created_at=now(),
            )
        )
        log(
            session,
            f"advisor {context.visitor.advisor_id}",
            "bias evidence replaced" if replaced else "bias evidence added",
            f"audit {audit_id}",
        )
    return RedirectResponse(f"/audits/{audit_id}", 303)


async def import_file(context: Context) -> Response:
    """An answers file (from ``auditkit assess`` or ``serve``) into this audit, checked
    against the audit's questions exactly as ``auditkit score`` checks it."""
    from auditkit.answers.check import reconcile
    from auditkit.answers.store import load_answers
    from auditkit.server.answering import import_answers

    rubric = _audit_rubric(context)

    def checked(path: Path, name: str, form):
        loaded, document = load_answers(path)
        if loaded.rubric_id != rubric.id:
            raise InputError.single(
                str(path),
                fill(
                    _("answers the rubric {theirs}, and this audit asks {ours}"),
                    theirs=repr(loaded.rubric_id),
                    ours=repr(rubric.id),
                ),
                fix=_("add answers made with this audit's questions"),
            )
        return reconcile(loaded, rubric, document).answers

    read = await _read_upload(context, checked, "answers.yaml")
    if isinstance(read, Response):
        return read
    audit_id = context.request.path_params["audit"]
    import_answers(
        context.database, audit_id, read[0], f"advisor {context.visitor.advisor_id}", rubric
    )
    return RedirectResponse(f"/audits/{audit_id}", 303)


def _date_order(value: str) -> str | None:
    """The plan form's "Dates like 03/04/2027" choice: 'dmy', 'mdy', or None (ask)."""
    return value if value in ("dmy", "mdy") else None


async def import_plan(context: Context) -> Response:
    """The action plan CSV (downloaded above) with owners, due dates and statuses filled in:
    read by ``plan import``'s reader, every problem located at its spreadsheet row."""
    from auditkit.followup.plan import import_plan as read_plan
    from auditkit.server.answering import replace_plan

    known = {question.id for question in _audit_rubric(context).questions}
    read = await _read_upload(
        context,
        lambda path, name, form: read_plan(
            path, known, shown_as=name, date_order=_date_order(str(form.get("date_order", "")))
        ),
    )
    if isinstance(read, Response):
        return read
    audit_id = context.request.path_params["audit"]
    replace_plan(context.database, audit_id, read[0], f"advisor {context.visitor.advisor_id}")
    return RedirectResponse(f"/audits/{audit_id}", 303)


# ---------------------------------------------------------------------- results and downloads
async def results(context: Context) -> Response:
    from auditkit.server.reports import audit_files, summary_context

    facts = _audit_facts(context)
    audit_id = facts["audit_id"]

    def build():
        with audit_files(context.database, audit_id, context.config.staff_floor) as files:
            if files.empty:
                return None
            return summary_context(files, context.config.brand, _today())

    # The owner's summary is the report's first pages: in the audit's report language, the
    # whole page (the advisor's own pages stay in theirs; no language picker here).
    with use(facts["report_language"]):
        built = await run_in_threadpool(build)
        if built is not None:
            return _results_page(context, facts, built)
    raise Refused(404, _(NO_OWNER["results"]))  # said in the advisor's language


def _results_page(context: Context, facts: dict, built: dict) -> Response:
    audit_id = facts["audit_id"]
    return context.page(
        "results.html",
        languages=None,
        business=facts["business"],
        root=f"/audits/{audit_id}",
        summary=built["summary"],
        bars=built["bars"],
        voices=built["voices"],
        rules=built["rules"],
        brand=bool(context.config.brand),
        printing=context.request.url.path.endswith("/print"),
        back_link=f"/audits/{audit_id}",
        back_label=_("Back to the audit"),
    )


async def report(context: Context) -> Response:
    """The report as ``auditkit report`` makes it, comparing with the client's audit before
    this one when there is one. The audit is written out in a thread and rendered in the
    report pool: the web worker goes on answering meanwhile."""
    import shutil

    from auditkit.server.reports import write_audit

    facts = _audit_facts(context)
    audit_id, kind = facts["audit_id"], context.request.path_params["kind"]
    earlier = overview.earlier_audit(context.database, audit_id)

    def prepare():
        folder = Path(tempfile.mkdtemp(prefix="auditkit-report-"))
        floor = context.config.staff_floor
        files = write_audit(context.database, audit_id, folder / "this", floor)
        before = (
            write_audit(context.database, earlier, folder / "before", floor) if earlier else None
        )
        return folder, files, before

    folder, files, before = await run_in_threadpool(prepare)
    try:
        if files.empty:
            raise Refused(404, _(NO_OWNER["report"]))
        previous = before.answers if before is not None and not before.empty else None
        body = await _render(context, files, previous, kind, facts["report_language"])
    finally:
        await run_in_threadpool(shutil.rmtree, folder, True)
    media = "application/pdf" if kind == "pdf" else "text/html; charset=utf-8"
    name = f"{facts['business']}-{facts['created'].isoformat()}-report.{kind}"
    return Response(body, media_type=media, headers={"content-disposition": attachment(name)})


async def _render(context: Context, files, previous, kind: str, language: str) -> bytes:
    brand = context.config.brand
    return await context.config.reports.render(
        str(files.answers),
        [str(path) for path in files.bias],
        str(previous) if previous else None,
        str(brand) if brand else None,
        _today(),
        kind == "pdf",
        language,  # the audit's report language, whatever the advisor's page is in
    )


async def plan(context: Context) -> Response:
    from auditkit.server.reports import audit_files, plan_csv

    facts = _audit_facts(context)

    def build():
        with audit_files(context.database, facts["audit_id"], context.config.staff_floor) as files:
            return None if files.empty else plan_csv(files, facts["report_language"])

    text = await run_in_threadpool(build)
    if text is None:
        raise Refused(404, _(NO_OWNER["plan"]))
    name = f"{facts['business']}-{facts['created'].isoformat()}-plan.csv"
    return Response(
        text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": attachment(name)},
    )


async def answers_zip(context: Context) -> Response:
    """Every answer set that counts, as the answers files ``auditkit score`` reads."""
    from auditkit.server.reports import audit_files

    facts = _audit_facts(context)

    def build() -> bytes:
        buffer = io.BytesIO()
        with (
            audit_files(context.database, facts["audit_id"], context.config.staff_floor) as files,
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        ):
            for path in sorted(files.answers.glob("*.yaml")):
                archive.writestr(f"answers/{path.name}", path.read_bytes())
            for path in files.bias:
                archive.writestr(path.name, path.read_bytes())
        return buffer.getvalue()

    body = await run_in_threadpool(build)
    name = f"{facts['business']}-{facts['created'].isoformat()}-answers.zip"
    return Response(
        body, media_type="application/zip", headers={"content-disposition": attachment(name)}
    )
