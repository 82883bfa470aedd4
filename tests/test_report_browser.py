"""The HTML report as a client sees it in a browser: at phone and laptop widths, navigable,
accessible (axe-core), with charts whose labels never overprint."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import browser  # noqa: F401  (the fixture)
from tests.conftest import REPO, run_cli

WIDTHS = (375, 1280)
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    html = folder / "report.html"
    result = run_cli(
        "report",
        str(REPO / "examples" / "value-inn-2027" / "answers.yaml"),
        "--previous",
        str(REPO / "examples" / "value-inn" / "answers.yaml"),
        "--bias",
        f"chatbot:{REPO / 'examples' / 'value-inn-2027' / 'chatbot.csv'}",
        "--bias-group",
        "language",
        "--brand",
        str(REPO / "examples" / "brand" / "brand.yaml"),
        "-o",
        str(html),
        "--date",
        "2027-11-05",
    )
    assert result.returncode == 0, result.stderr
    return html


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def page(request, browser, report):  # noqa: F811
    context = browser.new_context(viewport={"width": request.param, "height": 800})
    opened = context.new_page()
    opened.goto(report.as_uri())
    yield opened
    context.close()


def test_the_first_screen_shows_the_business_and_the_logo(page):
    height = page.viewport_size["height"]
    name = page.locator(".cover .business")
    assert name.inner_text() == "Value Inn"
    box = name.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= height
    logo = page.locator(".cover .logo img")
    logo_box = logo.bounding_box()
    assert logo_box and logo_box["y"] + logo_box["height"] <= height and logo_box["width"] > 20
    assert page.evaluate("document.querySelector('.cover .logo img').naturalWidth") > 0


def test_nothing_scrolls_sideways_and_no_text_is_under_14px(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    smallest = page.evaluate(
        """() => {
          let smallest = 100, where = '';
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const node = walker.currentNode, element = node.parentElement;
            if (!node.textContent.trim() || element.closest('svg, style')) continue;
            const size = parseFloat(getComputedStyle(element).fontSize);
            if (size < smallest) { smallest = size; where = element.outerHTML.slice(0, 80); }
          }
          return [smallest, where];
        }"""
    )
    assert smallest[0] >= 14, smallest


def test_on_a_phone_the_owner_reads_first_the_annex_is_folded_and_tables_fit(page):
    """The owner's summary is the first section; the auditor's annex is one line until
    opened; every table is a card per row, inside the screen (not a strip to scroll)."""
    first = page.evaluate("document.querySelector('main > section').id")
    assert first == "summary"
    annex = page.locator("details.fold")
    assert annex.count() == 1 and not annex.evaluate("d => d.open")
    assert (
        not page.locator("#glossary").is_visible() and not page.locator("#methodology").is_visible()
    )
    assert page.locator("details.fold > summary").is_visible()
    width = page.evaluate("window.innerWidth")
    annex.evaluate("d => d.open = true")  # the annex's tables too
    tables = page.evaluate(
        "[...document.querySelectorAll('main table')].map(t => [t.closest('[id]').id,"
        " Math.round(t.getBoundingClientRect().right)])"
    )
    assert len(tables) >= 4 and any(where.startswith("fair") for where, _ in tables), tables
    assert all(right <= width for _, right in tables), (width, tables)


def test_no_two_boxes_of_the_summary_overlap(page):
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('#summary > *, #summary .phases > div, #summary .phases > div > *')]
             .map(e => { const r = e.getBoundingClientRect();
                         return {tag: e.tagName + '.' + e.className, parent: e.parentElement === document.querySelector('#summary') ? 'top' : e.parentElement.className || 'card',
                                 x: r.x, y: r.y, w: r.width, h: r.height}; })"""
    )
    groups: dict[str, list[dict]] = {}
    for box in boxes:
        groups.setdefault(box["parent"], []).append(box)
    for siblings in groups.values():
        for i, a in enumerate(siblings):
            for b in siblings[i + 1 :]:
                overlap_x = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
                overlap_y = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
                assert overlap_x <= 0.5 or overlap_y <= 0.5, (a, b)


def test_every_contents_link_lands_on_its_section(page):
    links = page.evaluate(
        "[...document.querySelectorAll('nav.toc a')].map(a => a.getAttribute('href'))"
    )
    assert len(links) > 15 and "#since" in links and "#plan" in links
    for href in links:
        page.evaluate("window.scrollTo(0, 0)")
        page.locator(f"nav.toc a[href='{href}']").click()
        landed = page.evaluate(
            """(id) => { const r = document.getElementById(id).getBoundingClientRect();
                         const bottom = Math.ceil(window.scrollY + window.innerHeight) >= document.documentElement.scrollHeight - 1;
                         return {top: r.top, bottom}; }""",
            href[1:],
        )
        assert abs(landed["top"]) <= 2 or landed["bottom"], (href, landed)


def test_a_back_to_top_link_ends_long_sections(page):
    assert page.locator("#principles .to-top a[href='#top']").count() >= 10
    page.locator("details.fold > summary").click()  # the auditor's annex opens
    page.locator("#glossary .to-top a").click()
    assert page.evaluate("window.scrollY") == 0


def test_axe_finds_no_serious_or_critical_violation(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert not serious, [(v["id"], v["help"], len(v["nodes"])) for v in serious]


def test_no_chart_label_overprints_another(page):
    overlaps = page.evaluate(
        """() => {
          const found = [];
          for (const svg of document.querySelectorAll('svg.chart')) {
            const boxes = [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBBox()]);
            for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
              const [ta, a] = boxes[i], [tb, b] = boxes[j];
              const x = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
              const y = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
              if (x > 0.5 && y > 0.5) found.push([svg.id || svg.getAttribute('aria-labelledby'), ta, tb]);
            }
          }
          return found;
        }"""
    )
    assert not overlaps, overlaps


def test_print_from_the_browser_gives_a_clean_document(browser, report, tmp_path):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    page.goto(report.as_uri())
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format="A4")
    context.close()
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    first = reader.pages[0].extract_text()
    assert "Value Inn" in first and "Back to top" not in "".join(
        p.extract_text() for p in reader.pages
    )
    assert len(reader.pages) > 10
