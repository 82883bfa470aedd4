"""What an owner reads: why the business stands where it does, one "what to do first" list in
every output, plain words before the auditor's annex, and a printout without stranded lines.

The demo's three PDFs are read back with pypdf, page by page, as a reader leafing through
them would; the HTML as a browser shows its text.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from auditkit.scoring.run import score_answers_file
from tests.conftest import REPO, run_cli
from tests.pdfscan import pages

EXAMPLES = REPO / "examples"
VALUE_INN = EXAMPLES / "value-inn" / "answers.yaml"
DEMO_PDFS = ("value-inn-report.pdf", "value-inn-2027-report.pdf", "value-inn-team-report.pdf")
ANNEX = "For your auditor"

# Words that belong to the auditor's annex, never to what the owner reads.
AUDITOR_TERMS = [
    r"\bHolm\b",
    r"Benjamini",
    r"p-value",
    r"\bp\s?=",
    r"\binterval\b",
    r"\bpp\b",
    r"reference group",
    r"\d×",  # a bare ratio such as 0.56×
    r"SHA-256",
    r"\bauditkit [a-z]+ ",  # a command line
    r"--[a-z]",
    r"\binconclusive\b",
    r"could see",
]


class _Text(HTMLParser):
    """The text a browser shows, without styles and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "svg", "head"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script", "svg", "head"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def shown_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return parser.text


def owner_part(text: str) -> str:
    """Everything before the annex's heading (the contents list names it too: skip that)."""
    starts = [m.start() for m in re.finditer(ANNEX, text)]
    return text[: starts[-1]] if starts else text


def jargon(text: str) -> list[str]:
    return [term for term in AUDITOR_TERMS if re.search(term, text)]


def headings_and_captions(html: str) -> set[str]:
    """Every heading and table caption of the report, as text: what must never end a page."""
    found = re.findall(r"<(h[1-3]|caption)\b[^>]*>(.*?)</\1>", html, re.S)
    return {" ".join(re.sub(r"<[^>]+>", "", inner).split()) for _, inner in found}


# ---------------------------------------------------------------- why this phase


def test_a_bakery_with_online_ordering_is_told_that_online_ordering_is_why(tmp_path):
    """The tester's bakery: a chat widget, order messages and online ordering, no
    personalisation. Online ordering beside the counter is customer-service augmentation
    (phase 2), not the self-service of a kiosk, and the sentence names it in the owner's words."""
    answers = yaml.safe_load((EXAMPLES / "bakery" / "answers.yaml").read_text())
    given = answers["answers"]
    given["adopt.chatbot"] = {"answer": "live", "note": "A chat widget on the website"}
    given["adopt.confirmations"] = {"answer": "live"}
    given["adopt.web-shop"] = {"answer": "live", "note": "Online ordering for cakes"}
    path = tmp_path / "bakery.yaml"
    path.write_text(yaml.safe_dump(answers, sort_keys=False))
    result = score_answers_file(path).result
    assert result.adoption_phase == 2
    why = result.why.adoption
    assert why.startswith("Adoption phase 2 (Customer-service augmentation) because")
    assert "your web shop or online ordering" in why
    assert "Online ordering for cakes" in why
    assert "kiosk" not in why and "personalised" not in why  # only what is in use is named
    table = run_cli("score", str(path)).stdout
    assert "Online ordering for cakes" in " ".join(table.split())
    assert "Personalised engagement" not in table


def test_the_safeguard_phase_says_what_holds_it_and_the_rule():
    result = score_answers_file(VALUE_INN).result
    assert result.safeguard_phase == 0
    assert result.why.safeguard == (
        "Safeguard phase 0 (Manual) because of the 16 safeguards of phase 1 (what every "
        "automating business needs), 9 are missing and 5 only partly in place: too few to "
        "reach the phase, which needs 70% of its own."
    )


def test_the_same_why_in_the_score_the_report_and_the_results_page(demo, tmp_path):
    result = score_answers_file(VALUE_INN).result
    table = " ".join(run_cli("score", str(VALUE_INN)).stdout.split())
    report = shown_text((demo / "value-inn-report.html").read_text())
    page = shown_text(_results_page(tmp_path))
    for sentence in (result.why.adoption, result.why.safeguard):
        assert sentence in table and sentence in report and sentence in page


# ---------------------------------------------------------------- one list, four places


def _results_page(tmp_path: Path) -> str:
    from auditkit.serve.app import ServeState
    from tests.test_serve import PORT, client_for

    path = tmp_path / "answers.yaml"
    shutil.copy(VALUE_INN, path)
    state = ServeState(path, rubric=None, port=PORT)
    state.load()
    client = client_for(state)
    client.post("/resume", data={"csrf": state.csrf})
    page = client.get("/results")
    assert page.status_code == 200
    return page.text


def test_what_to_do_first_is_one_list_in_score_report_plan_and_results_page(demo, tmp_path):
    data = json.loads(run_cli("score", str(VALUE_INN), "--format", "json").stdout)
    steps = data["first_steps"]
    # The chatbot's and the kiosks' missing protections, then the cheapest lift of the phase.
    assert len(steps) == 7 and all(s["lifts_phase"] or s["critical"] for s in steps)
    actions = [s["action"] for s in steps]
    # 1. the terminal
    table = run_cli("score", str(VALUE_INN)).stdout
    listed = re.findall(r"^  (\d+)\. (.+?) \[", table, re.M)
    assert [a for _, a in listed][: len(actions)] == actions
    # 2. the report's owner summary
    html = (demo / "value-inn-report.html").read_text()
    in_report = re.findall(r'<li id="step-\d+"><span class="what">(.*?)\.</span>', html)
    assert [a.replace("&#39;", "'") for a in in_report] == actions
    # 3. the head of the plan, and of the report's checklist
    plan = list(csv.DictReader(io.StringIO((demo / "plan.csv").read_text("utf-8-sig"))))
    assert [row["question_id"] for row in plan[: len(steps)]] == [s["question_id"] for s in steps]
    checklist = re.search(r"First: what to do first</h3>(.*?)</ul>", html, re.S)
    items = re.findall(r"☐</span> (.*?) <span", checklist.group(1))
    assert [i.replace("&#39;", "'") for i in items] == actions
    # 4. the browser's results page
    page = _results_page(tmp_path)
    on_page = re.findall(r"<li><strong>(.*?)\.</strong>", page)
    assert [a.replace("&#39;", "'") for a in on_page] == actions


# ---------------------------------------------------------------- plain words


@pytest.mark.parametrize(
    "name", ["value-inn-report", "value-inn-2027-report", "value-inn-team-report"]
)
def test_the_owner_part_holds_no_auditor_terms_in_html_or_pdf(demo, name):
    from pypdf import PdfReader

    html = owner_part(shown_text((demo / f"{name}.html").read_text()))
    assert "Summary for the owner" in html and len(html) > 5000
    assert jargon(html) == [], html[:200]
    texts = [p.extract_text() for p in PdfReader(demo / f"{name}.pdf").pages]
    annex = next(i for i, t in enumerate(texts) if t.lstrip().startswith(ANNEX))
    owner_pages = " ".join(" ".join(t.split()) for t in texts[:annex])
    assert jargon(owner_pages) == []
    # … and the annex is where the statistics went.
    assert jargon(" ".join(texts[annex:]))


def test_the_owner_part_is_not_a_word_list_that_a_test_could_pass_empty():
    assert jargon("Holm correction over 10 comparisons, pl 0.56× en, 95 % interval")
    assert jargon("run auditkit plan import") and jargon("SHA-256 of the inputs")
    assert not jargon("Polish speakers reach a person about half as often (20% against 36%).")


def test_groups_are_named_in_words_and_means_carry_their_unit(demo):
    html = owner_part(shown_text((demo / "value-inn-report.html").read_text()))
    assert (
        "Polish speakers reach a person about half as often as English speakers (20% against 36%)."
        in html
    )
    assert (
        "English speakers wait for a person about twice as long as Polish speakers "
        "(4 minutes against 2.2 minutes)." in html
    )
    assert "Ukrainian speakers" in html and " uk " not in f" {html} "
    assert re.search(r"3\.\d points", html)


def test_a_labels_file_names_groups_in_the_bias_json_and_a_bad_one_is_located(tmp_path):
    labels = tmp_path / "labels.yaml"
    log = str(EXAMPLES / "logs" / "chatbot.csv")
    check = ("bias", "chatbot", log, "--group", "language", "--labels", str(labels))
    labels.write_text("pl: Polish speakers\nen: [not, words]\n")
    bad = run_cli(*check)
    assert bad.returncode == 2 and "labels.yaml:2:" in bad.stderr and "Traceback" not in bad.stderr
    labels.write_text("pl: Polish speakers\n")
    good = run_cli(*check, "--format", "json")
    data = json.loads(good.stdout)
    assert data["labels"]["pl"] == "Polish speakers"
    assert data["labels_guessed"] == ["de", "en", "uk"]  # the file's name for pl is no guess
    units = {m["id"]: m["unit"] for m in data["metrics"]}
    assert units["wait_time"] == "seconds" and units["reached_human"] == ""


# ---------------------------------------------------------------- pages


def test_value_inn_s_report_body_is_at_most_twelve_pages_and_the_summary_two(demo):
    scanned = pages(demo / "value-inn-report.pdf")
    annex = next(p.number for p in scanned if p.first and p.first.text == ANNEX)
    # Twelve pages for the body, and one for "Rules that apply to you" (issue 38): the body's
    # pages were full before it (checked page by page); it closes the owner's part.
    assert annex - 1 <= 13
    summary = next(p.number for p in scanned if p.first and p.first.text == "Summary for the owner")
    after = next(p.number for p in scanned if p.first and p.first.text == "Principles")
    assert summary == 2 and after - summary <= 3  # summary (2 pages), then the charts


@pytest.mark.parametrize("name", DEMO_PDFS)
def test_no_heading_or_caption_ends_a_page_and_no_page_is_left_mostly_empty(demo, name):
    html = (demo / name.replace(".pdf", ".html")).read_text()
    titles = headings_and_captions(html)
    scanned = pages(demo / name)
    for page, following in zip(scanned, [*scanned[1:], None], strict=True):
        tail = [line.text for line in page.lines[-2:]]
        stranded = [t for t in tail if t in titles and t != "In this report"]
        assert not stranded, f"page {page.number} ends on {stranded}"
        chapter_follows = following is None or (following.first and following.first.size >= 18)
        assert page.fill() >= 1 / 3 or chapter_follows, f"page {page.number} is mostly empty"


# ---------------------------------------------------------------- the plan


def test_the_plan_is_a_checklist_until_people_and_dates_are_set(demo):
    first = (demo / "value-inn-report.html").read_text()
    assert 'class="checklist"' in first and '<th scope="col">Who</th>' not in first
    later = (demo / "value-inn-2027-report.html").read_text()
    assert '<th scope="col">Who</th>' in later and 'class="overdue"' in later
    # Each recommendation in full once: in its principle's section, or as a first step.
    text = shown_text(first)
    journey = "Draw your customer journey on one page"
    assert text.count(journey) == 1


# ---------------------------------------------------------------- counts and plurals


@pytest.mark.parametrize("open_count", [0, 1, 2])
def test_sentences_count_right_for_zero_one_and_two(open_count):
    from auditkit.scoring.model import Completeness, Gap
    from auditkit.scoring.verdict import verdict

    done = Completeness(
        answered=10 - open_count,
        asked=10,
        not_applicable=0,
        skipped=0,
        safeguards_asked=8,
        safeguards_answered=8 - open_count,
    )
    high = Gap(2, "high", "Over-automated (high)", "Too far.")
    for optimistic in (high, Gap(0, "balanced", "Balanced", "Even.")):
        text = verdict(high, optimistic, done).explanation
        if open_count == 0:
            assert "open safeguard" not in text
        elif open_count == 1:
            assert "one open safeguard" in text and "answer it" in text and "them" not in text
        else:
            assert "2 open safeguards" in text and "answer them" in text


@pytest.mark.parametrize(
    ("ratio", "kind", "unit", "words"),
    [
        (0.48, "rate", "", "about half as often"),
        (0.25, "rate", "", "about a quarter as often"),
        (0.95, "rate", "", "a little less often"),
        (1.82, "mean", "seconds", "about twice as long"),
        (1.5, "mean", "points", "about one and a half times as much"),
        (3.1, "rate", "", "about 3 times as often"),
    ],
)
def test_a_ratio_reads_in_words(ratio, kind, unit, words):
    from auditkit.bias.words import ratio_words

    assert ratio_words(ratio, kind, unit) == words


def test_thin_data_is_never_called_fair_in_the_owner_sentence():
    from auditkit.reporting.plain import check_sentence

    def log(verdicts: dict[str, str]) -> dict:
        groups = [
            {"group": g, "n": 200, "verdict": v, "value": 0.5, "ci": None}
            for g, v in verdicts.items()
        ]
        metric = {"id": "reached_human", "label": "Reached a person", "kind": "rate"}
        return {"check": "chatbot", "findings": [], "metrics": [{**metric, "groups": groups}]}

    labels = {"pl": "Polish speakers"}
    unsure = check_sentence(log({"en": "reference", "pl": "inconclusive"}), labels, "chatbot log")
    assert "too thin to tell for Polish speakers on “Reached a person”" in unsure
    assert "within" not in unsure
    fair = check_sentence(log({"en": "reference", "pl": "within tolerance"}), labels, "chatbot log")
    assert fair == (
        "In the chatbot log, every group is served within the tolerated margin of the others."
    )


def test_where_views_differ_follows_the_owner_summary(demo):
    from pypdf import PdfReader

    outline = PdfReader(demo / "value-inn-team-report.pdf").outline
    chapters = [item.title for item in outline if not isinstance(item, list)]
    assert chapters[:3] == [
        "Summary for the owner",
        "Where views differ",
        "Automation against safeguards",
    ]


def test_open_automation_questions_are_never_read_as_no_automation(tmp_path):
    answers = yaml.safe_load(VALUE_INN.read_text())
    for question_id in [q for q in answers["answers"] if q.startswith("adopt.")]:
        del answers["answers"][question_id]
    path = tmp_path / "opening.yaml"
    path.write_text(yaml.safe_dump(answers, sort_keys=False))
    why = score_answers_file(path).result.why.adoption
    assert why == (
        "Adoption phase 0 (Manual) on the answers so far: 15 automation questions of 15 are "
        "not answered yet, and may raise it."
    )
    assert "none of the automations" not in why
