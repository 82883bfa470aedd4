"""The practice server's web application: the route table, and what every page shares.

Authorization is data: ``ROUTES`` names, for every path, the handler and the rule of who may
call it (``permissions.Rule``). ``create_app`` resolves the visitor once per request from the
session cookie, asks ``permissions.decide`` and only then runs the handler; the authorization
test walks the same table. Handlers live in ``advisor_pages``, ``respondent_pages`` and
``contacts_pages``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route

from auditkit.errors import InputError
from auditkit.i18n import N_, _
from auditkit.i18n.web import LanguageMiddleware
from auditkit.serve.forms import cached_static, web_templates
from auditkit.server import access, identity
from auditkit.server.access import Visitor
from auditkit.server.context import (  # noqa: F401  (re-exported)
    ADVISOR_FOOTER,
    UPLOAD_LIMIT,
    Context,
    Refused,
    ServerConfig,
)
from auditkit.server.guard import BodyTooLarge, Guard
from auditkit.server.permissions import Decision, Rule, decide

HERE = Path(__file__).parent
LARGEST_ID = 2**31 - 1  # ids are 32-bit integers on both databases; beyond is "not found"
NOT_FOUND = N_("There is no such page among your clients.")


Handler = Callable[[Context], Awaitable[Response]]


@dataclass(frozen=True)
class Page:
    path: str
    handler: Handler
    rule: Rule
    methods: tuple[str, ...] = ("GET",)


def routes() -> list[Page]:
    from auditkit.server import advisor_pages as a
    from auditkit.server import contacts_pages as c
    from auditkit.server import report_language as language
    from auditkit.server import respondent_pages as r
    from auditkit.server import signin_pages as signin

    return [
        Page("/login", signin.login, Rule.ANYONE, ("GET", "POST")),
        Page("/logout", signin.logout, Rule.ADVISOR, ("POST",)),
        Page("/", a.home, Rule.ADVISOR),
        Page("/clients", a.new_client, Rule.ADVISOR, ("POST",)),
        Page("/clients/{client:int}", a.client_page, Rule.CLIENT),
        Page("/clients/{client:int}/audits", a.new_audit, Rule.CLIENT, ("POST",)),
        Page("/audits/{audit:int}", a.audit_page, Rule.AUDIT),
        Page("/audits/{audit:int}/invite", a.invite, Rule.AUDIT, ("POST",)),
        Page("/audits/{audit:int}/evidence", a.add_evidence, Rule.AUDIT, ("POST",)),
        Page("/audits/{audit:int}/import", a.import_file, Rule.AUDIT, ("POST",)),
        Page("/audits/{audit:int}/plan", a.import_plan, Rule.AUDIT, ("POST",)),
        Page("/audits/{audit:int}/staff/close", a.close_staff, Rule.AUDIT, ("POST",)),
        Page("/audits/{audit:int}/language", language.choose_page, Rule.AUDIT, ("POST",)),
        Page("/audits/{audit:int}/contacts/plan", c.attach_plan, Rule.AUDIT, ("POST",)),
        Page("/audits/{audit:int}/contacts/check", c.check, Rule.AUDIT, ("POST",)),
        Page("/audits/{audit:int}/download/contacts.csv", c.sheet, Rule.AUDIT),
        Page("/audits/{audit:int}/results", a.results, Rule.AUDIT),
        Page("/audits/{audit:int}/results/print", a.results, Rule.AUDIT),
        Page("/audits/{audit:int}/download/report.{kind:report}", a.report, Rule.AUDIT),
        Page("/audits/{audit:int}/download/plan.csv", a.plan, Rule.AUDIT),
        Page("/audits/{audit:int}/download/answers.zip", a.answers_zip, Rule.AUDIT),
        Page(
            "/audits/{audit:int}/respondents/{respondent:int}/revoke",
            a.revoke,
            Rule.RESPONDENT_OF_AUDIT,
            ("POST",),
        ),
        Page(
            "/audits/{audit:int}/respondents/{respondent:int}/reissue",
            a.reissue,
            Rule.RESPONDENT_OF_AUDIT,
            ("POST",),
        ),
        Page(
            "/audits/{audit:int}/respondents/{respondent:int}/delete",
            a.delete,
            Rule.RESPONDENT_OF_AUDIT,
            ("POST",),
        ),
        Page("/i/{token}", r.open_link, Rule.ANYONE),
        Page("/answer", r.home, Rule.RESPONDENT),
        Page("/answer/begin", r.begin, Rule.RESPONDENT, ("POST",)),
        Page("/answer/business", r.business, Rule.RESPONDENT, ("GET", "POST")),
        Page("/answer/q/{qid}", r.question, Rule.RESPONDENT, ("GET", "POST")),
        Page("/answer/review", r.review, Rule.RESPONDENT),
        Page("/answer/send", r.send, Rule.RESPONDENT, ("POST",)),
        Page("/answer/leave", r.leave, Rule.RESPONDENT, ("POST",)),
        Page("/test", c.tester_home, Rule.TESTER),
        Page("/test/record.js", c.tester_script, Rule.TESTER),
        Page("/test/contacts", c.tester_save, Rule.TESTER, ("POST",)),
    ]


def create_app(config: ServerConfig) -> Guard:
    from starlette.concurrency import run_in_threadpool

    templates = web_templates(HERE / "templates")
    import auditkit.serve.app  # noqa: F401  (registers the "report" URL convertor)

    def endpoint(page: Page):
        async def run(request: Request) -> Response:
            key = request.cookies.get(config.cookie, "")
            if any(
                isinstance(value, int) and not 0 < value <= LARGEST_ID
                for value in request.path_params.values()
            ):
                context = Context(request, access.ANONYMOUS, config, templates)
                return context.page("refused.html", 404, message=_(NOT_FOUND), status=404)

            def who() -> tuple[Visitor, Decision]:
                visitor = access.visitor(config.database, key)
                return visitor, decide(visitor, page.rule, request.path_params, config.database)

            try:
                visitor, decision = await run_in_threadpool(who)
            except SQLAlchemyError as error:
                context = Context(request, access.ANONYMOUS, config, templates)
                return _unavailable(context, error)
            context = Context(request, visitor, config, templates)
            try:
                if decision is Decision.SIGN_IN:
                    return RedirectResponse("/login", 303)
                if decision is Decision.NOT_FOUND:
                    raise Refused(404, _(NOT_FOUND))
                if decision is Decision.FORBIDDEN:
                    raise Refused(
                        403,
                        _(
                            "This page opens only from the personal link you were sent, or "
                            "after an advisor signs in."
                        ),
                    )
                return await page.handler(context)
            except Refused as refused:
                return context.page(
                    "refused.html", refused.status, message=str(refused), status=refused.status
                )
            except InputError as problem:
                return context.page("refused.html", 400, message=str(problem), status=400)
            except BodyTooLarge as too_large:
                return context.page("refused.html", 413, message=str(too_large), status=413)
            except SQLAlchemyError as error:
                return _unavailable(context, error)

        return run

    starlette_routes = [
        Route(page.path, endpoint(page), methods=list(page.methods)) for page in routes()
    ]
    starlette_routes.append(Mount("/static", cached_static(), name="static"))
    app = Starlette(routes=starlette_routes)
    identity.dummy_hash()  # made now, so that the first unknown address costs no more
    # Each visitor's language: a pick on the opening page (kept in a cookie for this browser),
    # else the browser's Accept-Language, else the server's --lang.
    spoken = LanguageMiddleware(app, default=config.language)
    return Guard(
        spoken,
        hosts=config.hosts,
        secure=config.secure,
        max_body=config.upload_limit + 64 * 1024,
    )


def _unavailable(context: Context, error: Exception) -> Response:
    """The database could not be written (disk full, read-only file or folder, the
    database server gone): a page that says so, 503, instead of a bare error."""
    import logging

    logging.getLogger("auditkit.server").warning("database unavailable: %s", type(error).__name__)
    return context.page(
        "refused.html",
        503,
        message=_(
            "The server could not store or read this just now: its disk may be full, or its "
            "database read-only or unreachable. Nothing you saved before is lost. Go back, and "
            "try again in a moment; if it goes on, tell whoever runs this server."
        ),
        status=503,
    )
