"""The web app's routes: pages for the opening, each question, the review and the results.

Every page is a plain HTML form that works without JavaScript. Every change goes through the
session, which saves the answers file atomically before the response is sent: a page the
browser shows as saved is on disk. Each form carries the answer's fingerprint; when another
tab or ``auditkit assess`` changed that answer meanwhile, the edit is refused and the current
answer shown.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from auditkit.errors import InputError
from auditkit.questionnaire.session import AnswerError, Session, base_rubric_id, sectors_for
from auditkit.serve.security import Guard, check_csrf

HERE = Path(__file__).parent


@dataclass
class ServeState:
    """What one ``auditkit serve`` holds: the file, the options, the keys, the session."""

    path: Path
    rubric: str | None = None
    sector: str | None = None
    brand: Path | None = None
    port: int = 0
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    session: Session | None = None
    resumed: bool = False  # the resume screen was shown and dismissed

    def load(self) -> None:
        self.session = Session.existing(self.path, self.rubric, self.sector)
        self.resumed = self.session is None


def _templates():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True),  # everything the owner typed is escaped
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment


def create_app(state: ServeState) -> Starlette:
    templates = _templates()

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        session = state.session
        business = session.answers.business.get("name", "") if session else ""
        html = templates.get_template(name).render(
            csrf=state.csrf, business=business, file=state.path.name, **context
        )
        return HTMLResponse(html, status_code=status)

    async def form_of(request: Request):
        form = await request.form()
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
            return RedirectResponse("/start", 303)
        if not state.resumed:
            return RedirectResponse("/resume", 303)
        current = session.current()
        return RedirectResponse(f"/q/{current.id}" if current else "/review", 303)

    async def start(request: Request) -> Response:
        if state.session is not None:
            return RedirectResponse("/", 303)
        sectors = sectors_for(base_rubric_id(state.rubric))
        values = {"sector": state.sector or ""}
        error = ""
        if request.method == "POST":
            form = await form_of(request)
            values = {k: str(form.get(k, "")).strip() for k in ("name", "sector", "person", "role")}
            if not values["name"]:
                error = "Please give the business's name: it appears on the report."
            else:
                state.session = Session.new(
                    state.path,
                    state.rubric,
                    values["sector"] or None,
                    {"name": values["name"], "sector": values["sector"]},
                    {"name": values["person"], "role": values["role"]},
                )
                state.resumed = True
                return RedirectResponse("/", 303)
        return page(
            "start.html", 400 if error else 200, sectors=sectors, values=values, error=error
        )

    async def resume(request: Request) -> Response:
        session = current_session()
        if session is None:
            return RedirectResponse("/start", 303)
        if request.method == "POST":
            await form_of(request)
            state.resumed = True
            return RedirectResponse("/", 303)
        counts = session.summary()
        return page(
            "resume.html",
            session=session,
            counts=counts,
            changes=session.changes_in_words(),
            sector_title=session.rubric.sector or "",
        )

    async def question_page(request: Request) -> Response:
        session = current_session()
        if session is None or not state.resumed:
            return RedirectResponse("/", 303)
        question_id = request.path_params["qid"]
        from_review = request.query_params.get("from") == "review"
        if not session.go_to(question_id, remember=False):
            return page("gone.html", 404, question_id=question_id)
        notice, error, status = "", "", 200
        if request.method == "POST":
            form = await form_of(request)
            if str(form.get("version", "")) != session.fingerprint(question_id):
                notice = (
                    "This answer was changed in another window (or in the terminal) after this "
                    "page was opened. Nothing was overwritten: the current answer is shown below."
                )
                status = 409
            else:
                outcome = _act(session, form)
                if isinstance(outcome, str):
                    error, status = outcome, 400
                else:
                    target = session.current()
                    if from_review and str(form.get("action")) in ("save", "skip"):
                        return RedirectResponse("/review", 303)
                    return RedirectResponse(f"/q/{target.id}" if target else "/review", 303)
        return page(
            "question.html",
            status,
            **_question_context(session, question_id),
            notice=notice,
            error=error,
            from_review=from_review,
            form=dict(await request.form()) if error else {},
        )

    async def review(request: Request) -> Response:
        session = current_session()
        if session is None or not state.resumed:
            return RedirectResponse("/", 303)
        unanswered, skipped = session.open_questions()
        rows = []
        for number, question in enumerate(session.questions(), start=1):
            answer = session.answer_of(question.id)
            if answer is None or answer.value is None:
                shown, kind = (
                    ("Skipped", "skipped")
                    if answer and answer.skipped
                    else ("Not answered", "open")
                )
            elif answer.is_na:
                shown, kind = f"Not applicable: {answer.na_reason}", "na"
            else:
                shown, kind = question.scale.level(answer.value).label, "given"
            rows.append({"number": number, "question": question, "shown": shown, "kind": kind})
        kept = [session.rubric.question(q) for q in session.not_counted()]
        return page(
            "review.html",
            rows=rows,
            counts=session.summary(),
            unanswered=unanswered,
            skipped=skipped,
            kept=kept,
        )

    async def results(request: Request) -> Response:
        session = current_session()
        if session is None or not state.resumed:
            return RedirectResponse("/", 303)
        context = await run_in_threadpool(_report_context, state)
        return page(
            "results.html",
            summary=context["summary"],
            charts=context["charts"],
            brand=bool(state.brand),
        )

    async def download(request: Request) -> Response:
        session = current_session()
        if session is None or not state.resumed:
            return RedirectResponse("/", 303)
        kind = request.path_params["kind"]
        report = await run_in_threadpool(_render_report, state, kind == "pdf")
        name = f"{Path(state.path).stem}-report.{kind}"
        body = report.pdf if kind == "pdf" else report.html.encode()
        media = "application/pdf" if kind == "pdf" else "text/html; charset=utf-8"
        return Response(
            body,
            media_type=media,
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    async def forbidden(request: Request, exc: Exception) -> Response:
        return Response("Forbidden: the form's key is missing or stale; reload the page.", 403)

    async def bad_input(request: Request, exc: Exception) -> Response:
        return page("problem.html", 400, problem=str(exc))

    routes = [
        Route("/", home),
        Route("/start", start, methods=["GET", "POST"]),
        Route("/resume", resume, methods=["GET", "POST"]),
        Route("/q/{qid}", question_page, methods=["GET", "POST"]),
        Route("/review", review),
        Route("/results", results),
        Route("/download/report.{kind:str}", download),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes, exception_handlers={_Forbidden: forbidden, InputError: bad_input}
    )
    guarded = Guard(app, token=state.token, port=state.port)
    return guarded  # type: ignore[return-value]


class _Forbidden(Exception):
    pass


def _act(session: Session, form) -> str | None:
    """Carry out one form submission; a message for the owner when it cannot be."""
    action = str(form.get("action", "save"))
    note = str(form.get("note", ""))
    if action == "back":
        session.back()
        return None
    if action == "skip":
        previous = session.answer_of(session.current().id)
        if note.strip() != (previous.note if previous else ""):
            session.note(note)  # a note typed before skipping is kept
        session.skip()
        return None
    value = str(form.get("value", ""))
    try:
        if value == "n/a":
            session.not_applicable(str(form.get("na_reason", "")), note)
        elif value:
            session.answer(value, note)
        else:
            if note.strip():
                session.note(note)
                return "Your note is saved. Choose an answer, or press Skip to come back later."
            return "Choose an answer first, or press Skip to come back to this question later."
    except AnswerError as refused:
        return str(refused)
    return None


def _question_context(session: Session, question_id: str) -> dict[str, Any]:
    asked = session.questions()
    question = session.current()
    assert question is not None and question.id == question_id
    principle_number, principle_total = session.principle_position(question)
    counts = session.summary()
    answer = session.answer_of(question.id)
    return {
        "question": question,
        "number": asked.index(question) + 1,
        "total": len(asked),
        "principle": session.rubric.principle(question.principle),
        "principle_number": principle_number,
        "principle_total": principle_total,
        "answered": counts.given,
        "answer": answer,
        "version": session.fingerprint(question.id),
        "has_previous": asked.index(question) > 0,
    }


def _report_context(state: ServeState) -> dict[str, Any]:
    from auditkit.report.brand import Brand, load_brand
    from auditkit.report.context import build_context
    from auditkit.scoring.run import score_answers_file

    scored = score_answers_file(state.path, rubric=state.rubric, sector=state.sector)
    brand = load_brand(state.brand) if state.brand else Brand()
    return build_context(scored, state.path, [], brand, date.today())


def _render_report(state: ServeState, pdf: bool):
    """The report exactly as ``auditkit report`` renders it."""
    from auditkit.report.brand import load_brand
    from auditkit.report.run import make_report

    brand = load_brand(state.brand) if state.brand else None
    return make_report(
        state.path,
        [],
        brand=brand,
        day=date.today(),
        pdf=pdf,
        rubric=state.rubric,
        sector=state.sector,
    )
