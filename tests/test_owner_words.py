"""Owner pages in owner words: every page an owner reads (the browser's results page, the
report's owner summary as HTML and as PDF text, the plan, the practice server's results page
and report) is read for the tool's own vocabulary, as a bakery owner would stumble on it.

The pages come from the demo (Value Inn, its follow-up and its team audit), the bakery example
and an audit run through the practice server (an owner, three staff and an uploaded chatbot
log); each is built once per module. The PDF's layout (near-empty pages, the contents after
the summary, chart labels clear of lines and of each other) is in test_report_pages.py.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli
from tests.test_owner_report import ANNEX, owner_part, shown_text

EXAMPLES = REPO / "examples"

# The tool's vocabulary: each a pattern and what the owner reads instead.
VOCABULARY = {
    r"(?i)\bphase \d\b(?! \()": "a phase number without its name",
    r"(?i)\bphase \d\s*[·:]": "a phase number without its name",
    r"(?i)\bgap [+-]\d": "the gap as a signed number",
    r"\b\d · [A-Za-z]": "a maturity level's number (0 · absent)",
    r"(?i)moments? of truth": "moments that matter",
    r"(?i)lifts? the safeguard phase": "brings the next phase closer",
    r"\bCSAT\b": "customer satisfaction",
    r"\bNPS\b": "how likely customers are to recommend you",
    r"(?i)\bchurn": "customers who stop coming",
    r"(?i)customer lifetime value|\bCLV\b": "what a customer spends over the years",
    r"\b(9[1-9]|[1-9]\d{2,})(\.\d+)? seconds": "a duration over 90 s in minutes",
    # (a word the PDF hyphenates at a line's end, "de‐ cisions", is no code)
    r"(?<![\w/.\-‐])(pl|en|de|uk|fr|nl)(?![\w/.\-‐\u00ad])": "a group as a bare code",
    r"\b[a-z]+_[a-z_]+\b": "a metric or column name as an identifier",
    r"(?i)p-value": "the annex's statistics",
    r"\bCI\b": "the annex's statistics",
    r"\w…": "a note cut mid-phrase (quote whole or say “(shortened)”)",
    r"overall safeguard score|together they reach": "a second number for the safeguards' reach",
    r"\b1 more recommendation follow\b": "a verb that does not agree",
}


def tool_words(text: str) -> list[str]:
    """Every piece of vocabulary found, with the words around it, for a readable failure."""
    found = []
    for pattern in VOCABULARY:
        for match in re.finditer(pattern, text):
            start = max(0, match.start() - 40)
            found.append(f"{match.group(0)!r} in …{text[start : match.end() + 40]}…")
    return found


# ---------------------------------------------------------------- the pages, built once


def _serve_results(answers: Path, folder: Path) -> str:
    from auditkit.serve.app import ServeState
    from tests.test_serve import PORT, client_for

    path = folder / answers.parent.name / "answers.yaml"
    path.parent.mkdir(parents=True)
    shutil.copy(answers, path)
    state = ServeState(path, rubric=None, port=PORT)
    state.load()
    client = client_for(state)
    client.post("/resume", data={"csrf": state.csrf})
    page = client.get("/results")
    assert page.status_code == 200
    return page.text


def _pdf_owner_text(pdf: bytes | Path) -> str:
    import io

    from pypdf import PdfReader

    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else str(pdf)
    texts = [p.extract_text() for p in PdfReader(source).pages]
    annex = next(i for i, t in enumerate(texts) if t.lstrip().startswith(ANNEX))
    return " ".join(" ".join(t.split()) for t in texts[:annex])


def _choice(question: str, values: list[str]) -> str:
    """A mixed audit: the first, middle or last offered value, by the question's name."""
    return values[sum(map(ord, question)) % len(values)]


@pytest.fixture(scope="module")
def server_audit(tmp_path_factory) -> dict[str, str | bytes]:
    with server_audit_pages(tmp_path_factory.mktemp("server")) as pages:
        yield pages


@contextlib.contextmanager
def server_audit_pages(folder: Path):
    """An audit on the practice server: the owner (named), three staff and the example chatbot
    log uploaded by the advisor without labels; the pages and files an owner is handed."""
    from auditkit.server.app import ServerConfig, create_app
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor
    from tests.serverweb import PASSWORD, Site, add_client, answer_all, invite, sign_in

    database, _ = open_database(str(folder / "server.db"))
    add_advisor(database, "ana@harbour.example", PASSWORD, "Ana of Harbour Advice")
    config = ServerConfig(database, {"testserver"})
    try:
        site = Site(create_app(config), database)
        ana = sign_in(site, "ana@harbour.example")
        _, audit = add_client(ana, "Harbour Guest House", "hospitality")
        owner = site.visitor()
        owner.follow(owner.get(invite(ana, audit, "owner")))
        owner.follow(owner.post("/answer/begin", {"person": "Maria Costa", "person_role": "Owner"}))
        answer_all(owner, _choice)
        assert owner.follow(owner.post("/answer/send")).status_code == 200
        for turn, label in enumerate(("desk", "kitchen", "rooms")):
            staff = site.visitor()
            staff.follow(staff.get(invite(ana, audit, "staff", label)))
            staff.follow(staff.post("/answer/begin"))
            # Views that differ from the owner's, and from each other's.
            answer_all(staff, lambda q, values, k=turn: values[(len(q) + k) % min(3, len(values))])
            assert staff.post("/answer/send").status_code == 200
        log = EXAMPLES / "logs" / "chatbot.csv"
        uploaded = ana.client.post(
            f"/audits/{audit}/evidence",
            data={"csrf": ana.csrf, "check": "chatbot", "groups": "language"},
            files={"file": ("chatbot.csv", log.read_bytes(), "text/csv")},
        )
        assert uploaded.status_code == 303, uploaded.text[-800:]
        pages = {
            "results": ana.get(f"/audits/{audit}/results").text,
            "report.html": ana.get(f"/audits/{audit}/download/report.html").text,
        }
        pdf = ana.get(f"/audits/{audit}/download/report.pdf")
        assert pdf.status_code == 200
        pages["report.pdf"] = pdf.content
        yield pages
    finally:
        config.reports.close()
        database.close()


@pytest.fixture(scope="module")
def bakery_report(tmp_path_factory) -> Path:
    """The bakery example's report, HTML and PDF, rendered once."""
    folder = tmp_path_factory.mktemp("bakery")
    answers = folder / "answers.yaml"
    shutil.copy(EXAMPLES / "bakery" / "answers.yaml", answers)
    out = folder / "bakery-report.pdf"
    html = folder / "bakery-report.html"
    done = run_cli(
        "report", str(answers), "-o", str(out), "-o", str(html), "--date", "2026-11-22", timeout=300
    )
    assert done.returncode == 0, done.stderr
    return folder


# ---------------------------------------------------------------- the vocabulary itself


@pytest.mark.parametrize(
    "seen",
    [
        "Safeguard phase 0 · Manual",
        "the bars show gap +3",
        "Human touch at moments of truth · now: 0 · absent",
        "now: no · lifts the safeguard phase",
        "Track CSAT and NPS",
        "lost goodwill shows months later in churn",
        "customer lifetime value",
        "English speakers wait (238 seconds against 131 seconds)",
        "Pl reach a person about half as often as en (43% against 91%)",
        "on reached_human",
        "a p-value of 0.01 and its CI",
        "(you noted: “Check-in kiosks in the lobby; the desk is…”)",
        "overall safeguard score 52 %",
        "1 more recommendation follow in the principle sections",
    ],
)
def test_the_vocabulary_catches_what_testers_stumbled_on(seen):
    assert tool_words(seen)


def test_the_vocabulary_lets_owner_words_through():
    fine = (
        "Safeguard phase 0 (Manual) because of the 16 safeguards of phase 1 (what every "
        "automating business needs), 9 are missing. Polish speakers reach a person about half "
        "as often as English speakers (43% against 91%). English speakers wait about 4 minutes "
        "against 2.2 minutes; 45 seconds. You noted, shortened: “Check-in kiosks in the lobby”. "
        "Human touch where it matters most · now: absent · needed for the next phase."
    )
    assert tool_words(fine) == []


# ---------------------------------------------------------------- every owner page


def test_the_browser_results_pages_speak_the_owner_s_words(tmp_path):
    for example in ("value-inn", "bakery"):
        page = shown_text(_serve_results(EXAMPLES / example / "answers.yaml", tmp_path))
        assert "What to do first" in page
        assert tool_words(page) == [], example


@pytest.mark.parametrize(
    "name", ["value-inn-report", "value-inn-2027-report", "value-inn-team-report"]
)
def test_the_demo_s_owner_summaries_speak_the_owner_s_words(demo, name):
    html = owner_part(shown_text((demo / f"{name}.html").read_text()))
    assert "Summary for the owner" in html
    assert tool_words(html) == []
    assert tool_words(_pdf_owner_text(demo / f"{name}.pdf")) == []


def test_the_bakery_s_owner_summary_speaks_the_owner_s_words(bakery_report):
    html = owner_part(shown_text((bakery_report / "bakery-report.html").read_text()))
    assert "Korn & Krume" in html
    assert tool_words(html) == []
    assert tool_words(_pdf_owner_text(bakery_report / "bakery-report.pdf")) == []


def test_the_plan_speaks_the_owner_s_words():
    for example in ("value-inn", "bakery"):
        done = run_cli("plan", str(EXAMPLES / example / "answers.yaml"), "--format", "markdown")
        assert done.returncode == 0, done.stderr
        assert "| Action |" in done.stdout
        assert tool_words(done.stdout.replace("| --- ", "")) == [], example


def test_the_server_s_owner_pages_speak_the_owner_s_words(server_audit):
    page = shown_text(server_audit["results"])
    assert "Where views differ" in page and "Polish speakers" in page
    assert tool_words(page) == []
    html = owner_part(shown_text(server_audit["report.html"]))
    assert "Maria Costa" in html and "Polish speakers" in html
    assert tool_words(html) == []
    assert tool_words(_pdf_owner_text(server_audit["report.pdf"])) == []


# ---------------------------------------------------------------- one number, notes, who


def test_one_number_says_how_far_the_safeguards_reach_explained_once(tmp_path):
    page = shown_text(_serve_results(EXAMPLES / "value-inn" / "answers.yaml", tmp_path))
    assert len(re.findall(r"Safeguards in place: \d+%", page)) == 1
    # The principles' bars are shares of each principle, never a second "needs 70%" reach.
    principles = page[page.index("Principle by principle") :]
    assert "70%" not in principles.split("Human touch")[0]


def test_an_owner_s_note_is_quoted_whole_or_said_to_be_shortened():
    from auditkit.scoring.why import quoted_note

    short = "Check-in kiosks in the lobby; the desk is staffed."
    assert quoted_note(short) == f" (you noted: “{short[:-1]}”)"
    long = "Check-in kiosks in the lobby; the desk is staffed 7-10 and 17-21 only."
    quoted = quoted_note(long)
    assert quoted == " (you noted, shortened: “Check-in kiosks in the lobby”)"
    words = " ".join(f"word{i}" for i in range(40))
    inside = re.search(r"“(.*)”", quoted_note(words)).group(1)
    assert all(w in words.split() for w in inside.split())  # whole words only


def test_each_worse_off_finding_names_who_is_worse_off(demo):
    html = (demo / "value-inn-report.html").read_text()
    fair = shown_text(html[html.index('<section id="fair">') : html.index('<section id="plan"')])
    polish = fair.index("Clearly worse off: Polish speakers")
    english = fair.index("Clearly worse off: English speakers")
    reach = fair.index("Polish speakers reach a person about half as often")
    wait = fair.index("English speakers wait for a person about twice as long")
    assert polish < reach < english < wait  # each finding under the group it is worse for
    assert "(4 minutes against 2.2 minutes)" in fair


# ---------------------------------------------------------------- the printout


_SCANS: dict[str, list] = {}


def _scanned(pdf: bytes | Path) -> list:
    """The PDF's pages as pdfscan reads them, once per PDF for the module (a parse takes
    seconds on a busy machine)."""
    import hashlib
    import io

    from tests.pdfscan import pages

    key = hashlib.sha256(pdf if isinstance(pdf, bytes) else pdf.read_bytes()).hexdigest()
    if key not in _SCANS:
        _SCANS[key] = pages(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    return _SCANS[key]


def test_no_page_of_the_server_s_report_is_left_mostly_empty(server_audit):
    scanned = _scanned(server_audit["report.pdf"])
    for page, following in zip(scanned, [*scanned[1:], None], strict=True):
        chapter_follows = following is None or (following.first and following.first.size >= 18)
        assert page.fill() >= 1 / 3 or chapter_follows, (
            f"page {page.number} holds {len(page.lines)} lines"
        )


def _first_line(scanned: list, text: str, chapter: bool = False) -> tuple[int, float]:
    """(page, distance from the top) of the first line reading ``text`` (a chapter heading
    only, when ``chapter``: the contents list names every chapter too)."""
    return next(
        (page.number, page.height - line.y)
        for page in scanned
        for line in page.lines
        if line.text == text and (not chapter or line.size >= 18)
    )


@pytest.mark.parametrize("report", ["server", "value-inn-team-report", "value-inn-2027-report"])
def test_the_contents_come_right_after_the_summary(report, server_audit, demo):
    scanned = _scanned(server_audit["report.pdf"] if report == "server" else demo / f"{report}.pdf")
    summary_end = _first_line(scanned, "What the next audit will check")
    contents = _first_line(scanned, "In this report")
    assert summary_end < contents
    after = "Where views differ" if report != "value-inn-2027-report" else "Since the last audit"
    assert contents < _first_line(scanned, after, chapter=True)
    assert contents[0] <= summary_end[0] + 1


@pytest.mark.parametrize("value", [0, *range(55, 86), 100])
def test_a_bar_s_value_never_prints_on_the_dashed_line(value):
    from auditkit.reporting import charts
    from tests.chartgeometry import collisions

    rows = [("Human touch where it matters most", value), ("Fairness", 100 - value)]
    bars = charts.principle_bars(rows, 0.7, "#123456")
    views = charts.before_after(
        "views", "Where views differ", [(t, v, 100 - v) for t, v in rows], 0.7, "#123456"
    )
    ladder = charts.phase_ladder(3, value % 4, [0.25, 0.21, 0.19], 0.7, "#123", "#c33")
    for svg in (bars, views, ladder):
        assert collisions(str(svg)) == []


def test_no_chart_of_the_reports_has_a_label_on_a_line_or_on_another_label(demo, server_audit):
    from tests.chartgeometry import charts, collisions

    htmls = [(demo / f"{name}").read_text() for name in sorted(p.name for p in demo.glob("*.html"))]
    drawn = [svg for html in [*htmls, server_audit["report.html"]] for svg in charts(html)]
    # the ladder, the principles, where views differ, since the last audit, each bias metric
    assert len(drawn) >= 25
    assert any('id="views-title"' in svg for svg in drawn)
    assert any('id="since' in svg for svg in drawn)
    for svg in drawn:
        assert collisions(svg) == [], re.search(r"<title[^>]*>(.*?)</title>", svg).group(1)


def test_the_server_s_plan_follows_what_to_do_first(server_audit):
    html = server_audit["report.html"]
    steps = re.findall(r'<li id="step-\d+"><span class="what">(.*?)\.</span>', html)
    checklist = re.search(r"First: what to do first</h3>(.*?)</ul>", html, re.S)
    assert steps and re.findall(r"☐</span> (.*?) <span", checklist.group(1)) == steps


@pytest.mark.parametrize(
    "sector",
    [None, "financial-services", "healthcare", "hospitality", "professional-services", "retail"],
)
def test_every_safeguard_has_a_short_name_so_no_step_is_titled_with_a_question(sector):
    """A first step reads "A person welcomes every guest on arrival.", never the question with
    a full stop ("Is every guest welcomed by a person on arrival, even when … automated.")."""
    from auditkit.rubric.resolve import load_rubric

    rubric = load_rubric("human-centred-automation", sector)
    untitled = [q.id for q in rubric.questions if q.kind == "safeguard" and not q.short]
    assert untitled == []


def test_the_server_names_the_uploaded_log_as_the_advisor_did(server_audit):
    """ "The chatbot log (chatbot.csv) shows …": never the server's copy (upload.csv, a
    temporary folder) nor the result file it keeps (bias-1.json)."""
    html = shown_text(server_audit["report.html"])
    assert "The chatbot log (chatbot.csv) shows" in html
    assert "bias-1.json" not in owner_part(html) and "upload.csv" not in html
    assert "auditkit-upload-" not in server_audit["report.html"]
