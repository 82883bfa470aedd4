"""The respondent's pages: the questionnaire opened from a personal link, on any device.

The link ``/i/TOKEN`` is redeemed once per browser: it starts a session (a cookie that ends
when the browser closes) and sends the browser on to ``/answer``, so the token leaves the
address bar. No page takes a respondent's or an audit's id: whose questionnaire it is comes
from the session alone, so no change of a URL or a form reaches anyone else's answers.
Opening another person's link on the same browser replaces the session, and sending the
answers or pressing "Stop here on a shared device" ends it.
"""

from __future__ import annotations

import functools
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from auditkit.i18n import N_, _
from auditkit.i18n.rubric_text import localized_question
from auditkit.i18n.web import picker
from auditkit.questionnaire.forms import Submitted, submit_question
from auditkit.questionnaire.session import Session
from auditkit.serve.forms import question_context, review_rows
from auditkit.server import access, sealing
from auditkit.server.context import Context, Refused
from auditkit.server.database import Database
from auditkit.server.permissions import TESTER
from auditkit.server.store import DatabaseStore

ROOT = "/answer"
FOOTER = N_(
    "Every answer is saved on the server as you go. You can close this page at any time and "
    "continue later from the same link."
)


def _session(
    database: Database, respondent_id: int, key: bytes | None = None
) -> tuple[Session, dict]:
    """The respondent's questionnaire, read afresh from the database: one prepared query
    (who they are with their audit, and their answers; see ``Database.reads``), a single
    round trip on PostgreSQL, which every Save and every page waits for."""
    from sqlalchemy.exc import NoResultFound

    from auditkit.server.answering import rows_answers, rubric_named

    with database.reads() as connection:
        found = connection.execute(_session_query(), {"respondent": respondent_id}).all()
    if not found:
        raise NoResultFound(f"respondent {respondent_id}")
    role, started, rubric_id, business, sector, advisor, email = found[0][:7]
    rows = [row for row in found if row.question_id is not None]  # none answered yet: one row
    rubric = rubric_named(rubric_id, sector)
    facts = {
        "business": business,
        "advisor": advisor or email,
        "role": role,
        "started": started is not None or bool(rows),
    }
    questionnaire = Session(
        rubric,
        rows_answers(rows, rubric, (business, sector), role, key),
        Path(f"respondent-{respondent_id}"),
        store=DatabaseStore(database, respondent_id, key),
    )
    return questionnaire, facts


@functools.cache
def _session_query():
    """The respondent with their audit, client and advisor, joined to each of their answer
    rows (one row with empty answer columns when there are none), built once per process:
    every question page asks it. The answer columns keep their names, as ``rows_answers``
    reads them."""
    from sqlalchemy import bindparam, select

    from auditkit.server.schema import Advisor, AnswerRow, Audit, Client, Respondent

    return (
        select(
            Respondent.role.label("respondent_role"),
            Respondent.started_at.label("respondent_started_at"),
            Audit.rubric,
            Client.name.label("client_name"),
            Client.sector,
            Advisor.name.label("advisor_name"),
            Advisor.email,
            *(column.label(column.name) for column in AnswerRow.__table__.columns),
        )
        .join(Audit, Audit.id == Respondent.audit_id)
        .join(Client, Client.id == Audit.client_id)
        .join(Advisor, Advisor.id == Client.advisor_id)
        .outerjoin(AnswerRow, AnswerRow.respondent_id == Respondent.id)
        .where(Respondent.id == bindparam("respondent"))
    )


def _page(context: Context, name: str, status: int = 200, **values) -> Response:
    return context.page(name, status, root=ROOT, footer=_(FOOTER), hosted_respondent=True, **values)


def _to(path: str) -> RedirectResponse:
    return RedirectResponse(ROOT + path, 303)


async def open_link(context: Context) -> Response:
    from auditkit.server.records import redeem
    from auditkit.server.schema import Respondent

    database = context.database
    token = context.request.path_params["token"]
    if context.visitor.advisor_id is not None:
        # An advisor trying a link in their own browser stays signed in: the link is not
        # used (it would replace the advisor's session), and the page says how to try it.
        return context.page(
            "refused.html",
            409,
            message=_(
                "You are signed in as an advisor in this browser, so this link was not "
                "opened: opening it here would sign you out. The link is unchanged and still "
                "unused. To see what the respondent sees, open it in a private window or another "
                "browser; better, send it to the person it is for."
            ),
            status=409,
        )
    respondent_id = await run_in_threadpool(redeem, database, token)
    if respondent_id is None:
        raise Refused(
            404,
            _(
                "This link does not open a questionnaire: it may have expired or been withdrawn. "
                "Ask the person who sent it for a new one."
            ),
        )
    with database.transaction() as session:
        respondent = session.get(Respondent, respondent_id)
        sent, role = respondent.submitted, respondent.role
    if sent:
        return _page(context, "sent.html", already=True)
    if context.session_key:  # someone else's questionnaire on this browser ends here
        await run_in_threadpool(access.close_session, database, context.session_key)
    key = await run_in_threadpool(access.open_session, database, respondent_id=respondent_id)
    # Staff drafts are sealed under a key the link gives; it travels in the cookie only.
    draft = sealing.draft_key(token) if role not in ("owner", TESTER) else None
    cookie = access.session_cookie(key, draft)
    # A tester's link opens the audit's recording form for test contacts, nothing else.
    where = "/test" if role == TESTER else ROOT
    return context.set_session(RedirectResponse(where, 303), cookie, lasting=False)


async def home(context: Context) -> Response:
    questionnaire, facts = await run_in_threadpool(
        _session, context.database, context.visitor.respondent_id, context.visitor.draft_key
    )
    if not facts["started"]:
        return _page(
            context,
            "welcome.html",
            business=facts["business"],
            advisor=facts["advisor"],
            staff=facts["role"] != "owner",
            floor=context.config.staff_floor,
            length=questionnaire.length(),  # nothing answered yet: what the inventory can lead to
            languages=picker(context.request.url.path),
        )
    if facts["role"] == "owner" and questionnaire.profile_questions():
        return _to("/business")  # asked once, of the owner only, before the questions
    questionnaire.position = questionnaire.first_open()
    current = questionnaire.current()
    return _to(f"/q/{current.id}" if current else "/review")


async def business(context: Context) -> Response:
    """Where the business serves customers and its size: the owner's, through the session's
    rules (``Session.answer_profile``); staff are never asked and are sent on."""
    from auditkit.questionnaire.business_form import business_form_context, submit_business

    form = await context.form() if context.request.method == "POST" else None

    def handle() -> tuple[Session, dict, str, dict]:
        questionnaire, facts = _session(
            context.database, context.visitor.respondent_id, context.visitor.draft_key
        )
        if facts["role"] != "owner" or form is None:
            return questionnaire, facts, "", {}
        error, chosen = submit_business(questionnaire, form)
        return questionnaire, facts, error, chosen

    questionnaire, facts, error, chosen = await run_in_threadpool(handle)
    if facts["role"] != "owner" or (form is not None and not error):
        return _to("")
    if not questionnaire.profile_questions():
        return _to("")
    return _page(
        context,
        "business.html",
        400 if error else 200,
        business=facts["business"],
        error=error,
        **business_form_context(questionnaire, chosen),
    )


async def begin(context: Context) -> Response:
    from auditkit.server.identity import now
    from auditkit.server.schema import Respondent

    form = await context.form()
    with context.database.transaction() as session:
        respondent = session.get(Respondent, context.visitor.respondent_id)
        respondent.started_at = respondent.started_at or now()
        if respondent.role == "owner":  # staff are never asked who they are
            respondent.person_name = str(form.get("person", "")).strip()[:200]
            respondent.person_role = str(form.get("person_role", "")).strip()[:200]
    return _to("")


async def question(context: Context) -> Response:
    request = context.request
    form = await context.form() if request.method == "POST" else None
    question_id = request.path_params["qid"]
    from_review = request.query_params.get("from") == "review"

    def handle() -> tuple[Session, dict, Submitted | None]:
        questionnaire, facts = _session(
            context.database, context.visitor.respondent_id, context.visitor.draft_key
        )
        if not questionnaire.go_to(question_id, remember=False):
            return questionnaire, facts, None
        outcome = Submitted()
        if form is not None:
            outcome = submit_question(
                questionnaire,
                question_id,
                form,
                from_review=from_review,
                changed_elsewhere=_(
                    "This answer was changed in another window after this page was opened. "
                    "Nothing was overwritten: the current answer is shown below."
                ),
                save_failed_status=503,
            )
        return questionnaire, facts, outcome

    questionnaire, facts, outcome = await run_in_threadpool(handle)
    if outcome is None:
        return _page(context, "gone.html", 404, question_id=question_id, business=facts["business"])
    if outcome.redirect:
        return _to(outcome.redirect)
    return _page(
        context,
        "question.html",
        outcome.status,
        **question_context(questionnaire, question_id),
        business=facts["business"],
        notice=outcome.notice,
        error=outcome.error,
        from_review=from_review,
        form=dict(form) if outcome.error and form is not None else {},
    )


async def review(context: Context) -> Response:
    questionnaire, facts = await run_in_threadpool(
        _session, context.database, context.visitor.respondent_id, context.visitor.draft_key
    )
    unanswered, skipped = questionnaire.open_questions()
    unanswered, skipped = (
        [localized_question(questionnaire.rubric, q) for q in group]
        for group in (unanswered, skipped)
    )
    staff = facts["role"] != "owner"
    return _page(
        context,
        "review.html",
        business=facts["business"],
        rows=review_rows(questionnaire),
        counts=questionnaire.summary(),
        unanswered=unanswered,
        skipped=skipped,
        kept=[
            localized_question(questionnaire.rubric, questionnaire.rubric.question(q))
            for q in questionnaire.not_counted()
        ],
        hosted=True,
        send_label=_("Send my answers") if staff else _("I have finished"),
        send_hint=(
            _(
                "When you send your answers they are counted together with your colleagues' and "
                "the answers themselves are deleted: from then on nobody, your advisor and the "
                "server's administrator included, can tell which answers were yours, and you can "
                "no longer change or withdraw them. Questions left open simply do not count."
            )
            if staff
            else _(
                "Your advisor sees that you have finished. You can still come back from your "
                "link and change an answer until the report is made."
            )
        ),
    )


async def send(context: Context) -> Response:
    from auditkit.server.schema import Respondent
    from auditkit.server.staff_answers import submit

    await context.form()
    respondent_id = context.visitor.respondent_id
    await run_in_threadpool(
        submit,
        context.database,
        respondent_id,
        context.visitor.draft_key,
        context.config.staff_floor,
    )
    with context.database.transaction() as session:
        staff = session.get(Respondent, respondent_id).role != "owner"
    response = _page(
        context, "sent.html", already=False, staff=staff, floor=context.config.staff_floor
    )
    if staff:
        context.clear_session(response)
    return response


async def leave(context: Context) -> Response:
    await context.form()
    await run_in_threadpool(access.close_session, context.database, context.session_key)
    return context.clear_session(_page(context, "left.html"))
