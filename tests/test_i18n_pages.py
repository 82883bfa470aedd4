"""Every page in the pseudo-locale (en-XA: accented letters, about 30 % longer): no English
left outside the catalogs, and nothing cut or overflowing on a 375 px phone or an A4 page.

The pages are made in-process (``auditkit serve``'s app and the practice server's app under
Starlette's TestClient, the report by ``make_report``), then drawn in one real Chromium at
375 px with the app's own stylesheet; the PDF's layout is read from WeasyPrint's boxes. A word
of plain ASCII on a pseudo page was never put through the catalog: the only ones allowed are
names, codes and what people typed (the list below says which), and the rubric's own texts
while its translations (auditkit.rubric.translate) are not installed.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.browser import browser  # noqa: F401  (the fixture)
from tests.conftest import REPO
from tests.serverweb import PASSWORD, Site, add_client, invite, sign_in
from tests.test_serve import PORT, answer, begin, client_for

PSEUDO = "en-XA"
STYLESHEET = (REPO / "auditkit" / "serve" / "static" / "app.css").read_text()
# Names, codes and typed data the pages show as they are (never translated).
ALLOWED = {
    "auditkit",
    "Corner",
    "Café",
    "Value",
    "Inn",
    "Ana",
    "Harbour",
    "Advice",
    "Owner",
    "PDF",
    "HTML",
    "CSV",
    "SHA",
    "JSON",
    "xlsx",
    "yaml",
    "Excel",
    "Ctrl",
    "answers",
    "harbour",
    "example",
    "adopt",
    "books",
    "chatbot",
    "nowhere",
    "human",
    "centred",
    "automation",
    "small",
    "rubrics",
    "examples",
    "brand",
    "Dana",
    "Whitfield",
    "General",
    "manager",
    "Ring",
    "road",
    "rooms",
    "Hospitality",
    "Cramér",
    "Holm",
    "Benjamini",
    "Hochberg",
    "AUC",
    "English",
    "Deutsch",
    "hospitality",
    "language",
    # The pseudo-locale tests strings, not formats: its dates are English ones.
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
}


def rubric_texts() -> set[str]:
    """The rubric's texts, allowed in English only until its translations are installed."""
    try:
        import auditkit.rubric.translate  # noqa: F401
    except ImportError:
        pass
    else:
        return set()
    import tempfile
    from pathlib import Path

    from auditkit.rubric.resolve import load_rubric
    from tests.conftest import SMALL_RUBRIC, write

    small = write(Path(tempfile.mkdtemp()) / "small.yaml", SMALL_RUBRIC)
    texts: set[str] = set()
    for reference, sector in ((small, None), ("human-centred-automation", "hospitality")):
        loaded = load_rubric(reference, sector=sector)
        texts.update(filter(None, [loaded.title, loaded.sector_title or ""]))
        for principle in loaded.principles:
            texts.update([principle.title, principle.why])
        for question in loaded.questions:
            texts.update(
                filter(None, [question.text, question.help, question.look_for, question.name])
            )
            texts.add(question.recommendation or "")
            for level in question.scale.levels:
                texts.update([level.label, level.description or ""])
    texts = {t.strip() for t in texts if t and t.strip()}
    # Names are placed at a sentence's start ("Your chatbot") as well as inside it.
    return (
        texts
        | {t[:1].upper() + t[1:] for t in texts}
        | {t[:1].lower() + t[1:] for t in texts}
        | {t.rstrip(".") for t in texts}
        | {t.lower() for t in texts}
    )


def crosswalk_kept() -> set[str]:
    """What the crosswalk shows as written in every language: the articles' references, the
    sources' addresses, and the verification notes (for the auditor, kept in the language
    they were written in: auditkit.obligations.translate)."""
    from auditkit.obligations.profile import crosswalk

    texts = set()
    for rule in crosswalk().obligations:
        texts.update([rule.article, rule.note, rule.source])
    return {t for t in texts if t}


def typed_in(folder) -> set[str]:
    """What the people in an example audit typed (notes, reasons, names): user data, shown
    as written in every language."""
    import yaml

    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                typed = key in ("note", "na_reason", "name", "role", "location", "notes")
                if typed and isinstance(item, str):
                    found.add(item.strip())
                walk(item)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    found.add(item.strip())
                walk(item)

    for path in folder.glob("*.yaml"):
        walk(yaml.safe_load(path.read_text()))
    found = {text for text in found if text}
    # A note quoted in a sentence may be cut after a few words: its words are allowed too.
    words = {word for text in found for word in re.findall(r"[A-Za-z]{3,}", text)}
    return found | {text.rstrip(".") for text in found} | words


def english_words(html: str, extra: set[str] = frozenset()) -> list[str]:
    """The plain-ASCII words a reader sees on the page (text, titles, labels, alt texts),
    after the allowed names, codes and rubric texts (whole phrases in ``extra``; single words
    in it are allowed as words) are taken out."""
    single = {item for item in extra if re.fullmatch(r"[A-Za-z]+", item)}
    extra = set(extra) - single
    import html as markup

    body = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    attributes = " ".join(re.findall(r'(?:aria-label|alt|title|placeholder)="([^"]*)"', body))
    text = markup.unescape(re.sub(r"<[^>]+>", "\n", body) + "\n" + attributes)
    for known in sorted(extra, key=len, reverse=True):
        text = text.replace(known, " ")
    words = re.findall(r"(?<![\w.@/-])[A-Za-z]{3,}(?![\w.@/-])", text)
    return sorted({w for w in words if w not in ALLOWED and w not in single})


@pytest.fixture(scope="module")
def allowed_rubric() -> set[str]:
    return rubric_texts()


def serve_pages(state) -> dict[str, str]:
    client = client_for(state)
    pages = {"start": client.get(f"/start?lang={PSEUDO}").text}
    page = begin(client, state)
    pages["question-adoption"] = page.text
    page = answer(client, state, page, "live")
    page = answer(client, state, page, "live")
    pages["question-safeguard"] = page.text
    pages["question-error"] = answer(client, state, page, "").text
    pages["review"] = client.get("/review").text
    pages["results"] = client.get("/results").text
    pages["gone"] = client.get("/q/nowhere").text
    return pages


@pytest.fixture(scope="module")
def practice_site(tmp_path_factory):
    from auditkit.server.app import ServerConfig, create_app
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor

    folder = tmp_path_factory.mktemp("server")
    database, _ = open_database(str(folder / "server.db"))
    add_advisor(database, "ana@harbour.example", PASSWORD, "Ana of Harbour Advice")
    config = ServerConfig(database, {"testserver"})
    yield Site(create_app(config), database)
    config.reports.close()
    database.close()


def practice_pages(site) -> dict[str, str]:
    ana = sign_in(site, "ana@harbour.example")
    client_id, audit = add_client(ana, "Value Inn")
    owner_link, staff_link = invite(ana, audit, "owner"), invite(ana, audit, "staff")
    pages = {}
    owner = site.visitor()
    owner.follow(owner.get(owner_link))
    pages["welcome-owner"] = owner.get(f"/answer?lang={PSEUDO}").text
    owner.follow(owner.post("/answer/begin", {"person": "Ana", "person_role": "Owner"}))
    pages["question-owner"] = owner.get("/answer").text
    pages["question-owner"] = owner.follow(owner.get("/answer")).text
    pages["review-owner"] = owner.get("/answer/review").text
    pages["sent-owner"] = owner.follow(owner.post("/answer/send")).text
    staff = site.visitor()
    staff.follow(staff.get(staff_link))
    pages["welcome-staff"] = staff.get(f"/answer?lang={PSEUDO}").text
    staff.follow(staff.post("/answer/begin"))
    pages["review-staff"] = staff.get("/answer/review").text
    pages["left"] = staff.follow(staff.post("/answer/leave")).text
    stranger = site.visitor()
    pages["refused"] = stranger.get(f"/i/not-a-link?lang={PSEUDO}").text
    # The advisor's own pages, with answers in: statuses, progress, staff rounds, the plan.
    pages["audit-advisor"] = ana.get(f"/audits/{audit}?lang={PSEUDO}").text
    pages["client-advisor"] = ana.get(f"/clients/{client_id}").text
    pages["new-link-advisor"] = ana.post(f"/audits/{audit}/invite", {"role": "staff"}).text
    return pages


@pytest.fixture(scope="module")
def pages(tmp_path_factory, practice_site) -> dict[str, str]:
    """Every respondent page of both front ends, made once for the module's tests."""
    from auditkit.serve.app import ServeState
    from tests.conftest import SMALL_RUBRIC, write

    folder = tmp_path_factory.mktemp("serve")
    small = write(folder / "small.yaml", SMALL_RUBRIC)
    state = ServeState(folder / "answers.yaml", rubric=str(small), port=PORT)
    state.load()
    return {**serve_pages(state), **practice_pages(practice_site)}


@pytest.fixture(scope="module")
def report_html() -> str:
    return pseudo_report(pdf=False).html


def test_no_english_left_on_the_pseudo_pages(pages, allowed_rubric):
    assert len(pages) >= 15
    leftovers = {
        name: words
        for name, html in pages.items()
        if (words := english_words(html, allowed_rubric | {"answers.yaml"}))
    }
    assert leftovers == {}
    assert all('lang="en-XA"' in html for html in pages.values())


def pseudo_report(pdf: bool):
    from auditkit.reporting.run import load_bias_input, make_report

    examples = REPO / "examples"
    bias = load_bias_input(
        f"chatbot:{examples / 'logs' / 'chatbot.csv'}",
        {"groups": ["language"], "labels": examples / "logs" / "labels.yaml"},
    )
    return make_report(
        examples / "value-inn-team", [bias], day=date(2026, 12, 6), pdf=pdf, language=PSEUDO
    )


def test_the_pseudo_report_says_everything_through_the_catalog(report_html, allowed_rubric):
    import yaml

    labels = yaml.safe_load((REPO / "examples" / "logs" / "labels.yaml").read_text())
    group_names = {v for v in labels.values() if isinstance(v, str)}
    typed = typed_in(REPO / "examples" / "value-inn-team")
    words = english_words(report_html, allowed_rubric | group_names | typed | crosswalk_kept())
    assert words == []
    # The rules that apply (issue 38) are in it, and through the catalog too.
    rules = report_html[report_html.index('<section id="rules"') :]
    rules = rules[: rules.index("</section>")]
    assert '<li class="rule overdue"' in rules and "Rules that apply" not in rules
    assert english_words(rules, allowed_rubric | crosswalk_kept()) == []


def _overflowing(page) -> list[str]:
    """Elements whose box sticks out of the 375 px viewport, or whose text is cut by its own
    box (an overflow that is hidden or clipped)."""
    return page.evaluate(
        """() => {
          const found = [];
          const width = document.documentElement.clientWidth;
          for (const el of document.body.querySelectorAll('*')) {
            const box = el.getBoundingClientRect();
            if (box.width === 0) continue;
            const style = getComputedStyle(el);
            const scroller = el.closest('.table-scroll, pre, code, textarea, input, select');
            if (box.right > width + 1 && !scroller)
              found.push(el.tagName + ' “' + el.textContent.trim().slice(0, 40) + '”: right '
                         + Math.round(box.right));
            // Text cut by its own box; the visually-hidden pattern (1 px, clipped) is for
            // screen readers and is meant to be clipped; a text field scrolls its value (a
            // new link is longer than a phone is wide, and is copied whole by its button).
            if (['hidden', 'clip'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1
                && box.width > 2 && style.clip === 'auto'
                && !el.matches('.skip, .visually-hidden, input'))
              found.push(el.tagName + ' “' + el.textContent.trim().slice(0, 40) + '”: cut');
          }
          for (const text of document.querySelectorAll('svg text')) {
            const chart = text.closest('svg').getBoundingClientRect();
            const box = text.getBoundingClientRect();
            if (box.left < chart.left - 1 || box.right > chart.right + 1)
              found.push('chart text “' + text.textContent.slice(0, 40) + '”: cut by its chart');
          }
          if (document.documentElement.scrollWidth > width + 1) found.push('page scrolls sideways');
          return found;
        }"""
    )


def test_nothing_overflows_at_375px(browser, pages, report_html):  # noqa: F811
    pages = {**pages, "report": report_html}
    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    current = {"html": ""}

    def sheet(url: str) -> bool:  # the stylesheet, whatever version its address carries
        return url.split("?")[0].endswith("/app.css")

    page.route(
        "**/*",
        lambda route: route.fulfill(
            body=STYLESHEET if sheet(route.request.url) else current["html"],
            content_type="text/css" if sheet(route.request.url) else "text/html",
        ),
    )
    problems = {}
    for name, html in pages.items():
        current["html"] = html
        page.goto("http://testserver/page")
        if found := _overflowing(page):
            problems[name] = found[:5]
    context.close()
    assert problems == {}


def test_nothing_overflows_an_a4_page_in_the_pseudo_pdf(report_html):
    """WeasyPrint's own layout: every line of text ends inside its page's content box."""
    import weasyprint
    from weasyprint.formatting_structure import boxes

    document = weasyprint.HTML(string=report_html).render()
    outside = []
    for number, page in enumerate(document.pages, start=1):
        root = page._page_box
        right = root.margin_width() - root.margin_right - root.padding_right
        stack = [root]
        while stack:
            box = stack.pop()
            if isinstance(box, boxes.TextBox):
                end = box.position_x + box.width
                if end > right + 1 and box.text.strip():
                    outside.append((number, box.text[:40], round(end - right)))
            stack.extend(getattr(box, "children", []))
    assert outside == []
    assert len(document.pages) > 10


def test_a_question_page_names_its_phase_not_only_its_number(pages):
    """ "phase 2" alone tells a respondent nothing: the page says which phase, in their
    language (here the pseudo-locale's), on both front ends."""
    from markupsafe import escape

    from auditkit.i18n.pseudo import pseudo_text
    from auditkit.rubric.model import PHASE_NAMES

    names = [str(escape(pseudo_text(name))) for name in PHASE_NAMES.values()]
    kinds = [re.search(r'<p class="kind">(.*?)</p>', pages[page], re.S) for page in pages]
    kinds = [found.group(1) for found in kinds if found]
    assert len(kinds) >= 2  # the serve questions (adoption, safeguard); the server's share it
    for kind in kinds:
        assert any(f"({name})" in kind for name in names), kind
