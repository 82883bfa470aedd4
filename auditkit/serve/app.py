"""The web app's routes: pages for the opening, each question, the review and the results.

Every page is a plain HTML form that works without JavaScript. Every change goes through the
session, which saves the answers file atomically before the response is sent: a page the
browser shows as saved is on disk. A page's question is the one in its URL: a POST to
``/q/ID`` acts on ID whatever other tabs opened meanwhile (the form is read first, then the
session is pointed at ID and the change made with no await in between, so no other request
runs in the gap). Each form carries the answer's fingerprint; when another tab or
``auditkit assess`` changed that answer meanwhile, the edit is refused and the current answer
shown. A save that fails shows the same question again with what happened and what was typed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from auditkit.answers.model import NOTE_LIMIT
from auditkit.answers.voices import ANONYMITY_FLOOR
from auditkit.errors import InputError
from auditkit.i18n import ENGLISH, _
from auditkit.i18n import current as current_language
from auditkit.i18n.rubric_text import localized_question
from auditkit.i18n.web import LanguageMiddleware, picker
from auditkit.questionnaire.length import length_of_choices
from auditkit.questionnaire.session import (
    Session,
    base_rubric_id,
    sector_choices,
)
from auditkit.rubric.model import ROLES
from auditkit.serve.forms import (
    FORM_LIMIT,
    Submitted,
    attachment,
    cached_static,
    question_context,
    review_rows,
    submit_question,
    web_templates,
)
from auditkit.serve.security import Guard, Keys, check_csrf

HERE = Path(__file__).parent


@dataclass
class ServeState:
    """What one ``auditkit serve`` holds: the file, the options, the keys, the session."""

    path: Path
    rubric: str | None = None
    sector: str | None = None
    brand: Path | None = None
    port: int = 0
    keys: Keys = field(default_factory=Keys)
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    session: Session | None = None
    resumed: bool = False  # the resume screen was shown and dismissed
    set_aside: Path | None = None  # the file left as it was when the owner started a new one
    language: str = ENGLISH  # --lang: the pages' language until the browser or a pick says else

    @property
    def token(self) -> str:
        return self.keys.token

    @property
    def root(self) -> str:
        return self.keys.root

    def load(self) -> None:
        self.session = Session.existing(self.path, self.rubric, self.sector)
        self.resumed = self.session is None

    def start_new_file(self) -> None:
        """'This is not my business': answers go to a new file beside this one (the first
        free name answers-2.yaml, answers-3.yaml …); the other file is left untouched."""
        stem, suffix = self.path.stem, self.path.suffix or ".yaml"
        number = 2
        while (candidate := self.path.with_name(f"{stem}-{number}{suffix}")).exists():
            number += 1
        self.set_aside, self.path = self.path, candidate
        self.session, self.resumed = None, True


def create_app(state: ServeState) -> Starlette:
    templates = web_templates()

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        session = state.session
        business = session.answers.business.get("name", "") if session else ""
        html = templates.get_template(name).render(
            csrf=state.csrf,
            business=business,
            file=state.path.name,
            root=state.root,
            note_limit=NOTE_LIMIT,
            **context,
        )
        return HTMLResponse(html, status_code=status)

    def to(path: str) -> RedirectResponse:
        """A redirect inside this instance's path."""
        return RedirectResponse(state.root + path, 303)

    async def form_of(request: Request):
        # A field may hold a note a little over the limit (so it can be shown back and
        # shortened); anything far larger is refused before it is read into memory.
        form = await request.form(max_part_size=FORM_LIMIT)
        if not check_csrf(form, state.csrf):
            raise _Forbidden()
        return form

    def current_session() -> Session | None:
        if state.session is not None:
            state.session.reload()  # another tab or the terminal may have written the file
        return state.session

    async def home(request: Request) -> Response:
        session = current_session()
        if session is None:
            return to("/start")
        if not state.resumed:
            return to("/resume")
        if session.profile_questions():
            return to("/business")  # asked once, before the questions (owner only)
        # The link always lands on the first open question (or the review when none is
        # open), never on an answered one a Back left the session pointing at.
        session.position = session.first_open()
        current = session.current()
        return to(f"/q/{current.id}" if current else "/review")

    async def start(request: Request) -> Response:
        if state.session is not None:
            return to("/")
        sectors = sector_choices(base_rubric_id(state.rubric), current_language())
        values = {"sector": state.sector or ""}
        error = ""
        if request.method == "POST":
            form = await form_of(request)
            keys = ("name", "sector", "person", "role", "speaks_as")
            values = {k: str(form.get(k, "")).strip() for k in keys}
            speaks_as = values["speaks_as"] if values["speaks_as"] in ROLES else "owner"
            if state.session is not None:  # another tab started the file meanwhile
                return to("/")
            if not values["name"]:
                error = _("Please give the business's name: it appears on the report.")
            else:
                state.session = Session.new(
                    state.path,
                    state.rubric,
                    values["sector"] or None,
                    {"name": values["name"], "sector": values["sector"]},
                    {"name": values["person"], "role": values["role"], "speaks_as": speaks_as},
                )
                state.resumed = True
                return to("/")
        return page(
            "start.html",
            400 if error else 200,
            sectors=sectors,
            values=values,
            error=error,
            set_aside=state.set_aside.name if state.set_aside else "",
            floor=ANONYMITY_FLOOR,
            lengths={
                role: length_of_choices(state.rubric, state.sector, role)
                for role in ("owner", "staff")
            },
            languages=picker(state.root + "/start"),
        )

    async def business(request: Request) -> Response:
        from auditkit.questionnaire.business_form import business_form_context, submit_business

        session = current_session()
        if session is None:
            return to("/")
        error, chosen = "", {}
        if request.method == "POST":
            error, chosen = submit_business(session, await form_of(request))
            if not error:
                return to("/")
        if not session.profile_questions():
            return to("/")
        return page(
            "business.html",
            400 if error else 200,
            error=error,
            **business_form_context(session, chosen),
        )

    async def new_file(request: Request) -> Response:
        await form_of(request)
        state.start_new_file()
        return to("/start")

    async def resume(request: Request) -> Response:
        session = current_session()
        if session is None:
            return to("/start")
        if request.method == "POST":
            await form_of(request)
            state.resumed = True
            return to("/")
        counts = session.summary()
        return page(
            "resume.html",
            session=session,
            counts=counts,
            changes=session.changes_in_words(),
            sector_title=session.rubric.sector or "",
        )

    async def question_page(request: Request) -> Response:
        form = await form_of(request) if request.method == "POST" else None
        # From here to the response nothing awaits: no other request can move the session
        # between pointing it at this page's question and acting on it.
        session = current_session()
        if session is None or not state.resumed:
            return to("/")
        question_id = request.path_params["qid"]
        from_review = request.query_params.get("from") == "review"
        if not session.go_to(question_id, remember=False):
            return page("gone.html", 404, question_id=question_id)
        outcome = Submitted()
        if form is not None:
            outcome = submit_question(
                session,
                question_id,
                form,
                from_review=from_review,
                changed_elsewhere=_(
                    "This answer was changed in another window (or in the terminal) after this "
                    "page was opened. Nothing was overwritten: the current answer is shown below."
                ),
                save_failed_status=507,
            )
            if outcome.redirect:
                return to(outcome.redirect)
        return page(
            "question.html",
            outcome.status,
            **question_context(session, question_id),
            notice=outcome.notice,
            error=outcome.error,
            from_review=from_review,
            form=dict(form) if outcome.error and form is not None else {},
        )

    async def review(request: Request) -> Response:
        session = current_session()
        if session is None or not state.resumed:
            return to("/")
        unanswered, skipped = session.open_questions()
        rows = review_rows(session)
        kept = [session.rubric.question(q) for q in session.not_counted()]
        unanswered, skipped, kept = (
            [localized_question(session.rubric, q) for q in group]
            for group in (unanswered, skipped, kept)
        )
        return page(
            "review.html",
            rows=rows,
            counts=session.summary(),
            unanswered=unanswered,
            skipped=skipped,
            kept=kept,
        )

    async def results(request: Request) -> Response:
        """The report's owner summary, as a page: the same verdict, why, first steps and
        sentences (one context for both); ``/results/print`` is the same without buttons."""
        session = current_session()
        if session is None or not state.resumed:
            return to("/")
        context = await run_in_threadpool(_report_context, state, current_language())
        return page(
            "results.html",
            summary=context["summary"],
            bars=context["bars"],
            voices=context["voices"],
            rules=context["rules"],
            brand=bool(state.brand),
            printing=request.url.path.endswith("/print"),
        )

    async def download(request: Request) -> Response:
        session = current_session()
        if session is None or not state.resumed:
            return to("/")
        kind = request.path_params["kind"]
        report = await run_in_threadpool(_render_report, state, kind == "pdf", current_language())
        body = report.pdf if kind == "pdf" else report.html.encode()
        media = "application/pdf" if kind == "pdf" else "text/html; charset=utf-8"
        return Response(
            body,
            media_type=media,
            headers={"content-disposition": attachment(f"{state.path.stem}-report.{kind}")},
        )

    async def forbidden(request: Request, exc: Exception) -> Response:
        return Response(_("Forbidden: the form's key is missing or stale; reload the page."), 403)

    async def bad_input(request: Request, exc: Exception) -> Response:
        return page("problem.html", 400, problem=str(exc))

    routes = [
        Route("/", home),
        Route("/start", start, methods=["GET", "POST"]),
        Route("/resume", resume, methods=["GET", "POST"]),
        Route("/new", new_file, methods=["POST"]),
        Route("/business", business, methods=["GET", "POST"]),
        Route("/q/{qid}", question_page, methods=["GET", "POST"]),
        Route("/review", review),
        Route("/results", results),
        Route("/results/print", results),
        Route("/download/report.{kind:report}", download),
        Mount("/static", cached_static(), name="static"),
    ]
    app = Starlette(
        routes=routes, exception_handlers={_Forbidden: forbidden, InputError: bad_input}
    )
    spoken = LanguageMiddleware(app, default=state.language, cookie_path=lambda _scope: state.root)
    guarded = Guard(spoken, keys=state.keys, port=state.port)
    return guarded  # type: ignore[return-value]


class _Forbidden(Exception):
    pass


class _ReportKind(Convertor):
    """Only the two reports can be downloaded: /download/report.exe is 404."""

    regex = "pdf|html"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("report", _ReportKind())


def _report_context(state: ServeState, language: str) -> dict[str, Any]:
    """The results page's context, in the page's language (a thread has no request's
    language: it is passed and set again here)."""
    from auditkit.i18n import use
    from auditkit.reporting.brand import Brand, load_brand
    from auditkit.reporting.context import build_context
    from auditkit.scoring.run import score_answers_file, team_of

    today = date.today()
    with use(language):
        scored = score_answers_file(
            team_of(state.path),
            rubric=state.rubric,
            sector=state.sector,
            language=language,
            as_of=today,
        )
        brand = load_brand(state.brand) if state.brand else Brand()
        return build_context(scored, state.path, [], brand, today)


def _render_report(state: ServeState, pdf: bool, language: str):
    """The report exactly as ``auditkit report`` renders it."""
    from auditkit.reporting.brand import load_brand
    from auditkit.reporting.run import make_report
    from auditkit.scoring.run import team_of

    brand = load_brand(state.brand) if state.brand else None
    return make_report(
        team_of(state.path),
        [],
        brand=brand,
        day=date.today(),
        pdf=pdf,
        rubric=state.rubric,
        sector=state.sector,
        language=language,
    )
