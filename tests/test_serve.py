"""``auditkit serve`` through its HTTP layer: every route, as a browser would use it.

The app runs in-process under Starlette's TestClient, on the small rubric (four questions,
one asked only when a chatbot is in use, one that allows "not applicable").
"""

from __future__ import annotations

import re

import pytest
import yaml

from auditkit.answers.store import load_answers
from auditkit.questionnaire.session import Session
from tests.conftest import SMALL_RUBRIC, write

PORT = 8765


@pytest.fixture
def rubric(tmp_path):
    return write(tmp_path / "small.yaml", SMALL_RUBRIC)


def client_for(state, *, login: bool = True):
    from starlette.testclient import TestClient

    from auditkit.serve.app import create_app

    # Every page lives under the instance's own path; the client's paths are relative to it.
    client = TestClient(create_app(state), base_url=f"http://127.0.0.1:{PORT}{state.root}/")
    if login:
        assert client.get(f"/?token={state.token}").status_code == 200
    return client


@pytest.fixture
def state(tmp_path, rubric):
    from auditkit.serve.app import ServeState

    serve_state = ServeState(tmp_path / "answers.yaml", rubric=str(rubric), port=PORT)
    serve_state.load()
    return serve_state


def where(page) -> str:
    """The page's path inside the instance (every instance has a path of its own)."""
    path = page.url.path
    return "/" + path.split("/", 2)[2] if path.count("/") >= 2 else path


def version(page) -> str:
    return re.search(r'name="version" value="([^"]+)"', page.text).group(1)


def stored(state) -> dict:
    return yaml.safe_load(state.path.read_text())["answers"]


def begin(client, state, name="Corner Café"):
    page = client.post(
        "/start",
        data={"csrf": state.csrf, "name": name, "sector": "", "person": "Ana", "role": "Owner"},
    )
    assert page.status_code == 200
    return page


def answer(client, state, page, value="", **extra):
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    action = action.removeprefix(state.root)
    data = {"csrf": state.csrf, "version": version(page), "value": value, "action": "save"}
    return client.post(action.replace("&amp;", "&"), data={**data, **extra})


def test_answer_back_note_and_resume_at_the_first_open_question(state):
    client = client_for(state)
    page = begin(client, state)
    assert where(page) == "/q/adopt.books"
    # The inventory is named as such and counted apart: its answers decide what follows.
    assert 'Question 1 of 2 · <span class="principle">Automation in use</span>' in page.text
    # Until the inventory is answered the total is a range: the chatbot's follow-up may come.
    assert "3 to 4 questions in all" in page.text
    assert "principle 1" not in page.text.split("<h1>")[0]
    assert "checked" not in page.text  # nothing preselected: Enter alone answers nothing
    page = answer(client, state, page, "Live", note="Bank feed since 2024")
    assert where(page) == "/q/adopt.chatbot"
    assert stored(state)["adopt.books"] == {
        "answer": "live",  # the label, in any case, is stored as the scale's value
        "note": "Bank feed since 2024",
        "answered_at": stored(state)["adopt.books"]["answered_at"],
    }
    page = answer(client, state, page, action="back")
    assert where(page) == "/q/adopt.books"
    assert "Bank feed since 2024" in page.text and 'value="live" checked' in page.text

    # A new server on the same file resumes at the first open question, after a resume screen.
    from auditkit.serve.app import ServeState

    again = ServeState(state.path, rubric=state.rubric, port=PORT)
    again.load()
    second = client_for(again)
    resume = second.get("/")
    assert where(resume) == "/resume"
    assert "Corner Café" in resume.text and "1 of 3 questions answered" in resume.text
    page = second.post("/resume", data={"csrf": again.csrf})
    assert where(page) == "/q/adopt.chatbot"


def test_conditional_questions_come_and_go_and_kept_answers_are_marked(state):
    client = client_for(state)
    page = answer(client, state, begin(client, state), "live")
    page = answer(client, state, page, "pilot")  # a chatbot: its handoff question appears
    assert where(page) == "/q/handoff.reach-person"
    assert (
        'Question 3 of 4 · <span class="principle">Seamless handoff</span> (principle 1 of 2)'
        in page.text
    )
    page = answer(client, state, page, "yes")
    page = client.get("/q/adopt.chatbot?from=review")
    page = answer(client, state, page, "no")  # no chatbot: the follow-up is no longer asked
    assert where(page) == "/review"
    assert "Kept but not counted" in page.text and "reach a person from the bot" in page.text
    assert client.get("/q/handoff.reach-person").status_code == 404
    assert stored(state)["handoff.reach-person"]["answer"] == "yes"  # kept in the file


def test_not_applicable_needs_a_reason_and_skip_shows_in_the_review(state):
    client = client_for(state)
    page = begin(client, state)
    page = answer(client, state, page, action="skip")
    page = answer(client, state, page, "no")
    assert where(page) == "/q/privacy.consent"
    refused = answer(client, state, page, "n/a", na_reason="  ")
    assert refused.status_code == 400 and "a reason is required" in refused.text
    assert "privacy.consent" not in stored(state)
    done = answer(client, state, page, "n/a", na_reason="We keep no customer data")
    assert where(done) == "/review"
    assert stored(state)["privacy.consent"]["na_reason"] == "We keep no customer data"
    review = client.get("/review")
    assert "1 skipped" in review.text and "Is bookkeeping automated?" in review.text
    assert f'href="{state.root}/q/adopt.books?from=review"' in review.text


def test_no_answer_chosen_is_said_not_saved_and_a_value_off_the_scale_is_refused(state):
    client = client_for(state)
    page = begin(client, state)
    nothing = answer(client, state, page)
    assert nothing.status_code == 400 and "Choose an answer first" in nothing.text
    off_scale = answer(client, state, page, "sometimes")
    assert off_scale.status_code == 400 and "is not an answer to this question" in off_scale.text
    assert stored(state) in ({}, None)


def test_editing_from_the_review_returns_to_the_review(state):
    client = client_for(state)
    page = answer(client, state, begin(client, state), "live")
    page = client.get("/q/adopt.books?from=review")
    assert "Save and return to the review" in page.text
    assert where(answer(client, state, page, "pilot")) == "/review"
    assert stored(state)["adopt.books"]["answer"] == "pilot"


def test_a_stale_edit_is_refused_and_the_current_answer_shown(state):
    first = client_for(state)
    page = begin(first, state)
    stale = page  # the same question open in a second tab
    answer(first, state, page, "live", note="from the first tab")
    # Meanwhile the terminal ('auditkit assess') changes the same answer on disk.
    session = Session.existing(state.path, state.rubric)
    session.go_to("adopt.books", remember=False)
    session.answer("no", "from the terminal")
    refused = answer(first, state, stale, "planned", note="from the old tab")
    assert refused.status_code == 409
    assert "changed in another window" in refused.text
    assert "from the terminal" in refused.text and 'value="no" checked' in refused.text
    assert stored(state)["adopt.books"]["answer"] == "no"


def test_the_results_page_and_the_reports(state):
    client = client_for(state)
    page = begin(client, state)
    for value in ("live", "live", "yes", "partly"):
        page = answer(client, state, page, value)
    results = client.get("/results")
    assert results.status_code == 200
    assert "Adoption phase" in results.text and 'class="bars"' in results.text
    assert "<svg" not in results.text  # bars in HTML: legible on a phone
    assert "What to do first" in results.text
    html = client.get("/download/report.html")
    assert html.headers["content-disposition"].startswith(
        'attachment; filename="answers-report.html"'
    )
    assert "Corner Café" in html.text
    pdf = client.get("/download/report.pdf")
    assert pdf.content.startswith(b"%PDF")


def test_without_the_token_every_page_is_forbidden(state):
    client = client_for(state, login=False)
    for path in ("/", "/start", "/review", "/results", "/q/adopt.books", "/static/app.css"):
        assert client.get(path).status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    refused = client.post("/start", data={"csrf": state.csrf, "name": "x"})
    assert refused.status_code == 403 and not state.path.exists()


@pytest.mark.parametrize(
    "host", ["evil.example:8765", "127.0.0.1:9999", "localhost", "0.0.0.0:8765"]
)
def test_a_foreign_host_header_gets_400(state, host):
    client = client_for(state)
    assert client.get("/", headers={"host": host}).status_code == 400


def test_csrf_and_foreign_origins_are_refused(state):
    client = client_for(state)
    without = client.post("/start", data={"name": "x", "sector": ""})
    assert without.status_code == 403 and not state.path.exists()
    foreign = client.post(
        "/start",
        data={"csrf": state.csrf, "name": "x", "sector": ""},
        headers={"origin": "http://evil.example"},
    )
    assert foreign.status_code == 403 and not state.path.exists()
    same = client.post(
        "/start",
        data={"csrf": state.csrf, "name": "x", "sector": ""},
        headers={"origin": f"http://localhost:{PORT}"},
    )
    assert same.status_code == 200 and state.path.exists()


def test_what_the_owner_typed_is_escaped_on_every_page(state):
    client = client_for(state)
    attack = "<script>alert(1)</script>"
    page = begin(client, state, name=f"Café {attack}")
    page = answer(client, state, page, "live", note=attack)
    pages = [page, client.get("/q/adopt.books"), client.get("/review"), client.get("/results")]
    for shown in pages:
        assert attack not in shown.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get("/q/adopt.books").text
    assert load_answers(state.path)[0].business["name"] == f"Café {attack}"  # kept as typed


def test_the_sector_chosen_in_the_opening_adds_its_questions(tmp_path):
    from auditkit.serve.app import ServeState

    state = ServeState(tmp_path / "answers.yaml", port=PORT)
    state.load()
    client = client_for(state)
    opening = client.get("/start")
    assert '<option value="hospitality">' in opening.text
    page = client.post(
        "/start",
        data={
            "csrf": state.csrf,
            "name": "Value Inn",
            "sector": "hospitality",
            "person": "",
            "role": "",
        },
    )
    assert "Where do you serve customers?" in page.text  # the owner's, before the questions
    page = client.post(
        "/business",
        data={"csrf": state.csrf, "business.markets": "EU", "business.size": "micro"},
    )
    assert "Question 1 of 15" in page.text  # the hospitality inventory
    data = yaml.safe_load(state.path.read_text())
    assert data["rubric"]["sector"] == "hospitality" and data["business"]["sector"] == "hospitality"


def test_the_link_lands_on_the_first_open_question_and_the_review_shows_notes(state):
    client = client_for(state)
    page = answer(client, state, begin(client, state), "live", note="Bank feed")
    page = answer(client, state, page, "no")  # no chatbot: privacy.consent is next
    page = answer(client, state, page, action="back")
    assert where(page) == "/q/adopt.chatbot"  # Back points the session at an answered one …
    again = client.get(f"/?token={state.token}")
    assert where(again) == "/q/privacy.consent"  # … but the link lands on the open one
    review = client.get("/review")
    assert "Note: Bank feed" in review.text


def test_the_sector_list_says_who_each_sector_is_for(tmp_path):
    from auditkit.serve.app import ServeState

    serve_state = ServeState(tmp_path / "answers.yaml", port=PORT)
    serve_state.load()
    start = client_for(serve_state).get("/start")
    assert "<strong>Hospitality</strong>: For hotels, guest houses, restaurants and venues." in (
        start.text
    )
    assert "a bakery with a café" in start.text
