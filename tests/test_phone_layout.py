"""One question, one phone screen: at 375 × 667 in Chromium the question, every answer and
"Save and continue" are in view without scrolling, for every question of the shipped rubric and
of each sector overlay, as the owner and as staff, in ``auditkit serve``'s page and in the
practice server's respondent page (both draw ``question.html`` with the shipped ``app.css``).

Speed: each page is drawn by the templates as the apps draw it, and a rubric's pages are laid
out at once in one browser page 375 px wide (the phone's media queries apply), each page's body
in a box of its own, measured from the box's top: about 900 pages take seconds, not minutes.
That equals a phone's first screen as long as ``app.css`` sizes nothing by the viewport's
height and fixes nothing to it, which the test checks too.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from auditkit.answers.model import Answer, AnswerSet
from auditkit.questionnaire.session import Session, sectors_for
from auditkit.rubric import load_rubric
from auditkit.serve.forms import STATIC, question_context, web_templates
from tests.browser import browser  # noqa: F401  (the fixture)

WIDTH, HEIGHT = 375, 667
BASE = "human-centred-automation"
SERVER_TEMPLATES = Path(__file__).parents[1] / "auditkit" / "server" / "templates"
BUSINESS = "Corner Bakery & Café Ltd"


def frames(sector: str | None) -> list[tuple[str, str]]:
    """(what it is, the page's HTML) for every question a respondent can meet: the inventory
    as first met (nothing answered yet: the longest progress line), every safeguard with the
    whole inventory live (so every follow-up is asked); the owner in both apps, staff in the
    practice server's page (the taller header)."""
    from auditkit.server.respondent_pages import FOOTER

    templates = web_templates(SERVER_TEMPLATES)
    rubric = load_rubric(BASE, sector)
    inventory = [q.id for q in rubric.questions if q.kind == "adoption"]
    apps = {
        "serve": {"root": "/x1", "file": "answers.yaml"},
        "server": {"root": "/answer", "footer": FOOTER, "hosted_respondent": True},
    }
    pages = []
    for role, app_names in (("owner", ("serve", "server")), ("staff", ("server",))):
        for question in rubric.questions:
            if not question.asks(role):
                continue
            answers = AnswerSet(rubric.id, business={"name": BUSINESS})
            answers.respondent = {"speaks_as": role}
            if question.kind != "adoption":
                answers.answers = {qid: Answer("live") for qid in inventory}
            session = Session(rubric, answers, Path("unused.yaml"))
            assert session.go_to(question.id), question.id
            for app in app_names:
                text = templates.get_template("question.html").render(
                    csrf="c",
                    business=BUSINESS,
                    note_limit=20_000,
                    notice="",
                    error="",
                    from_review=False,
                    form={},
                    **question_context(session, question.id),
                    **apps[app],
                )
                body = text.split("<body>", 1)[1].split("</body>", 1)[0]
                pages.append((f"{sector or BASE} · {role} · {app} · {question.id}", body))
    return pages


MEASURE = """(width) => [...document.querySelectorAll('div.phone')].map(screen => {
  const top = screen.getBoundingClientRect().top;
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.top - top, r.bottom - top]; };
  const save = screen.querySelector('button[value=save]');
  return {
    name: screen.title,
    question: box(screen.querySelector('h1')),
    answers: [...screen.querySelectorAll('fieldset.scale .choice label')].map(box),
    save: save ? box(save) : null,
    wide: screen.scrollWidth > width,
  };
})"""


def out_of_view(measured: dict) -> list[str]:
    """What a phone shows only after scrolling (or scrolling sideways)."""

    def seen(box) -> bool:
        return box is not None and box[0] >= 0 and box[1] <= HEIGHT

    problems = []
    if not seen(measured["question"]):
        problems.append("the question")
    problems += [f"answer {i + 1}" for i, b in enumerate(measured["answers"]) if not seen(b)]
    if not seen(measured["save"]):
        problems.append(f"Save (bottom at {measured['save'] and round(measured['save'][1])} px)")
    if measured["wide"]:
        problems.append("the page is wider than the phone")
    return problems


@pytest.fixture(scope="module")
def phone(browser):  # noqa: F811
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    yield page
    page.close()


def sizes_nothing_by_the_screen_height(css: str) -> bool:
    """What makes one tall page of boxes measure as many phone screens (see above)."""
    units = any(
        re.search(rf"\d{unit}\b", css) for unit in ("vh", "vmin", "vmax", "dvh", "svh", "lvh")
    )
    return not units and not re.search(r"position:\s*(fixed|sticky)", css)


@pytest.mark.parametrize("sector", [None] + [sid for sid, _ in sectors_for(BASE)])
def test_every_question_fits_one_phone_screen(phone, sector):
    pages = frames(sector)
    css = (STATIC / "app.css").read_text(encoding="utf-8")
    assert sizes_nothing_by_the_screen_height(css), "measure each page in a real viewport"
    boxes = "".join(
        f'<div class="phone" title="{html.escape(name)}" style="width:{WIDTH}px;'
        f'position:relative;overflow:hidden;display:flow-root">{body}</div>'
        for name, body in pages
    )
    phone.set_content(
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<style>{css}</style></head><body>{boxes}</body></html>"
    )
    measured = phone.evaluate(MEASURE, WIDTH)
    assert len(measured) == len(pages)
    assert all(m["answers"] for m in measured)
    failing = {m["name"]: out_of_view(m) for m in measured if out_of_view(m)}
    assert not failing, failing
