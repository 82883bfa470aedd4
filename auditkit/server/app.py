"""The practice server's web application: the route table, and what every page shares.

Authorization is data: ``ROUTES`` names, for every path, the handler and the rule of who may
call it (``permissions.Rule``). ``create_app`` resolves the visitor once per request from the
session cookie, asks ``permissions.decide`` and only then runs the handler; the authorization
test walks the same table. Handlers live in ``advisor_pages`` and ``respondent_pages``.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from auditkit.answers.model import NOTE_LIMIT
from auditkit.errors import InputError
from auditkit.serve.forms import FORM_LIMIT, STATIC, web_templates
from auditkit.server import access
from auditkit.server.access import Visitor
from auditkit.server.database import Database
from auditkit.server.guard import Guard
from auditkit.server.permissions import Decision, Rule, decide
from auditkit.server.reports import ReportPool

HERE = Path(__file__).parent
ADVISOR_FOOTER = "auditkit practice server. Staff answers are counted, never shown one by one."
UPLOAD_LIMIT = 20 * 1024 * 1024  # bytes: a decision log of a few hundred thousand rows


@dataclass
class ServerConfig:
    """How one deployment runs: its database, the host names it answers to, whether its
    cookies are Secure (TLS, or a proxy in front that terminates it), the advisor's brand."""

    database: Database
    hosts: set[str]
    secure: bool = False
    brand: Path | None = None
    reports: ReportPool = field(default_factory=ReportPool)
    upload_limit: int = UPLOAD_LIMIT

    @property
    def cookie(self) -> str:
        # The __Host- prefix makes browsers refuse the cookie unless it is Secure, for this
        # host only and for the whole path: no subdomain can set or read it.
        return "__Host-auditkit" if self.secure else "auditkit"


@dataclass
class Context:
    """What a handler gets: the request's visitor, the configuration, page rendering."""

    request: Request
    visitor: Visitor
    config: ServerConfig
    templates: Any

    @property
    def database(self) -> Database:
        return self.config.database

    def page(self, template: str, status: int = 200, /, **values: Any) -> HTMLResponse:
        values.setdefault("footer", ADVISOR_FOOTER)
        html = self.templates.get_template(template).render(
            csrf=self.visitor.csrf,
            static_root="/static",
            note_limit=NOTE_LIMIT,
            signed_in=self.visitor.advisor_id is not None,
            **values,
        )
        return HTMLResponse(html, status_code=status)

    async def form(self, max_part_size: int = FORM_LIMIT):
        """The posted form, after its CSRF key is checked against the visitor's session."""
        form = await self.request.form(max_part_size=max_part_size)
        if not self.visitor.csrf or not secrets.compare_digest(
            str(form.get("csrf", "")), self.visitor.csrf
        ):
            raise Refused(403, "The form's key is missing or stale: reload the page and try again.")
        return form

    def set_session(self, response: Response, key: str, *, lasting: bool) -> Response:
        response.set_cookie(
            self.config.cookie,
            key,
            max_age=access.ADVISOR_HOURS * 3600 if lasting else None,
            httponly=True,
            secure=self.config.secure,
            samesite="lax",
            path="/",
        )
        return response

    def clear_session(self, response: Response) -> Response:
        response.delete_cookie(
            self.config.cookie, path="/", secure=self.config.secure, httponly=True
        )
        return response

    @property
    def session_key(self) -> str:
        return self.request.cookies.get(self.config.cookie, "")


class Refused(Exception):
    """A request refused with a status and a sentence for the person who made it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


Handler = Callable[[Context], Awaitable[Response]]


@dataclass(frozen=True)
class Page:
    path: str
    handler: Handler
    rule: Rule
    methods: tuple[str, ...] = ("GET",)


def routes() -> list[Page]:
    from auditkit.server import advisor_pages as a
    from auditkit.server import respondent_pages as r

    return [
        Page("/login", a.login, Rule.ANYONE, ("GET", "POST")),
        Page("/logout", a.logout, Rule.ADVISOR, ("POST",)),
        Page("/", a.home, Rule.ADVISOR),
        Page("/clients", a.new_client, Rule.ADVISOR, ("POST",)),
        Page("/clients/{client:int}", a.client_page, Rule.CLIENT),
        Page("/clients/{client:int}/audits", a.new_audit, Rule.CLIENT, ("POST",)),
        Page("/audits/{audit:int}", a.audit_page, Rule.AUDIT),
        Page("/audits/{audit:int}/invite", a.invite, Rule.AUDIT, ("POST",)),
        Page("/audits/{audit:int}/evidence", a.add_evidence, Rule.AUDIT, ("POST",)),
        Page("/audits/{audit:int}/import", a.import_file, Rule.AUDIT, ("POST",)),
        Page("/audits/{audit:int}/plan", a.import_plan, Rule.AUDIT, ("POST",)),
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
            "/audits/{audit:int}/respondents/{respondent:int}/delete",
            a.delete,
            Rule.RESPONDENT_OF_AUDIT,
            ("POST",),
        ),
        Page("/i/{token}", r.open_link, Rule.ANYONE),
        Page("/answer", r.home, Rule.RESPONDENT),
        Page("/answer/begin", r.begin, Rule.RESPONDENT, ("POST",)),
        Page("/answer/q/{qid}", r.question, Rule.RESPONDENT, ("GET", "POST")),
        Page("/answer/review", r.review, Rule.RESPONDENT),
        Page("/answer/send", r.send, Rule.RESPONDENT, ("POST",)),
        Page("/answer/leave", r.leave, Rule.RESPONDENT, ("POST",)),
    ]


def create_app(config: ServerConfig) -> Guard:
    from starlette.concurrency import run_in_threadpool

    templates = web_templates(HERE / "templates")
    import auditkit.serve.app  # noqa: F401  (registers the "report" URL convertor)

    def endpoint(page: Page):
        async def run(request: Request) -> Response:
            key = request.cookies.get(config.cookie, "")

            def who() -> tuple[Visitor, Decision]:
                visitor = access.visitor(config.database, key)
                return visitor, decide(visitor, page.rule, request.path_params, config.database)

            visitor, decision = await run_in_threadpool(who)
            context = Context(request, visitor, config, templates)
            try:
                if decision is Decision.SIGN_IN:
                    return RedirectResponse("/login", 303)
                if decision is Decision.NOT_FOUND:
                    raise Refused(404, "There is no such page among your clients.")
                if decision is Decision.FORBIDDEN:
                    raise Refused(
                        403,
                        "This page opens only from the personal link you were sent, or after "
                        "an advisor signs in.",
                    )
                return await page.handler(context)
            except Refused as refused:
                return context.page(
                    "refused.html", refused.status, message=str(refused), status=refused.status
                )
            except InputError as problem:
                return context.page("refused.html", 400, message=str(problem), status=400)

        return run

    starlette_routes = [
        Route(page.path, endpoint(page), methods=list(page.methods)) for page in routes()
    ]
    starlette_routes.append(Mount("/static", StaticFiles(directory=STATIC), name="static"))
    app = Starlette(routes=starlette_routes)
    return Guard(app, hosts=config.hosts, secure=config.secure)
