"""The audit report: real PDFs rendered by WeasyPrint, read back as a client's viewer would."""

from __future__ import annotations

import io
import re
import socket
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import REPO, run_cli, run_cli_process, write

EXAMPLES = REPO / "examples"
SECTIONS = [
    "Summary for the owner",
    "Automation against safeguards",
    "Fair treatment",
    "Action plan",
    "For your auditor",
    "Methodology",
    "Glossary",
]


def override(tmp_path: Path, name: str, text: str) -> Path:
    """A --templates folder that overrides one shipped template file."""
    folder = tmp_path / "templates"
    write(folder / name, text)
    return folder


def report_bakery(*options: str):
    """auditkit report on the bakery's answers, with the options a test varies."""
    return run_cli("report", str(EXAMPLES / "bakery" / "answers.yaml"), *options)


@pytest.fixture(scope="module")
def pdf(demo) -> PdfReader:
    return PdfReader(demo / "value-inn-report.pdf")


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def test_the_demo_writes_every_stage(demo):
    for name in ("bias.json", "score.txt", "value-inn-report.html", "value-inn-report.pdf"):
        assert (demo / name).stat().st_size > 0, name


def test_the_follow_up_repeats_what_the_first_report_told_the_client(demo):
    """The demo's follow-up reads the first audit from the record its report wrote: the
    "before" figures, bias evidence included, are the first report's own."""
    first = " ".join(p.extract_text() for p in PdfReader(demo / "value-inn-report.pdf").pages)
    later = " ".join(p.extract_text() for p in PdfReader(demo / "value-inn-2027-report.pdf").pages)
    told = re.search(r"Safeguards in place: (\d+)\s?%", first).group(1)
    before = re.search(r"Safeguards in place (\d+)\s?% →", later).group(1)
    assert before == told
    assert f"safeguards in place {told}% →" in (demo / "compare.md").read_text()
    assert "Overdue actions" in later and "Dana Whitfield" in later
    assert (demo / "value-inn-report.audit.json").is_file()


def test_sections_appear_in_order_with_principles_and_bias(pdf):
    text = "\n".join(page_texts(pdf))
    chapters = [item.title for item in pdf.outline if not isinstance(item, list)]
    positions = [chapters.index(title) for title in SECTIONS if title in chapters]
    assert len(positions) == 5 and positions == sorted(positions)
    assert (
        "1. Human touch where it matters most" in text and "10. Purposeful, phased adoption" in text
    )
    assert "Bias check · Chatbot log: chatbot.csv" in text
    assert "Over-automated (severe)" in pdf.pages[1].extract_text()


def test_page_x_of_y_on_every_page_but_the_cover(pdf):
    texts = page_texts(pdf)
    total = len(texts)
    assert "Page " not in texts[0]
    for number, text in enumerate(texts[1:], start=2):
        assert f"Page {number} of {total}" in text


def test_bookmarks_metadata_language_and_tags(pdf):
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(pdf.outline)
    for title in [
        "Summary for the owner",
        "In this report",
        "For your auditor",
        "Methodology",
        "Glossary",
        "2. Seamless handoff to a person",
    ]:
        assert title in titles
    assert pdf.metadata.title == "Automation audit: Value Inn"
    assert pdf.metadata.author == "Harbour Advisory"
    assert pdf.metadata.subject.startswith("Human-centred automation audit of Value Inn")
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root


def test_the_brand_font_is_embedded(pdf):
    fonts = set()
    for page in pdf.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
            if descriptor and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                fonts.add(str(font["/BaseFont"]))
    assert any("Harbour-Serif" in name for name in fonts), fonts


def test_the_table_of_contents_has_page_numbers(pdf):
    contents = next(t for t in page_texts(pdf) if "In this report" in t)
    assert re.search(r"Methodology\W*\d+", contents)


def test_no_raw_log_row_and_small_groups_suppressed(pdf, demo):
    text = "\n".join(page_texts(pdf))
    html = (demo / "value-inn-report.html").read_text()
    for output in (text, html):
        assert "@example.org" not in output
        assert not re.search(r"C-1\d{5}", output)
    rows = [line for line in text.splitlines() if line.startswith("uk ")]
    assert rows and all("%" not in line for line in rows)
    assert any("<10" in line for line in rows)


def test_byte_identical_with_a_fixed_date(tmp_path, demo):
    again = tmp_path / "again"  # in a new process: another hash seed, nothing cached
    made = run_cli_process("demo", "-o", str(again), "--date", "2026-11-22", timeout=600)
    assert made.returncode == 0, made.stderr
    for name in ("value-inn-report.pdf", "value-inn-report.html", "bias.json", "score.txt"):
        assert (again / name).read_bytes() == (demo / name).read_bytes(), name


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_user_text_is_escaped_in_the_html(tmp_path):
    answers = (EXAMPLES / "bakery" / "answers.yaml").read_text()
    answers = answers.replace("name: Korn & Krume Bakery", "name: '<script>alert(1)</script> & Co'")
    answers = answers.replace(
        "The paper order book is still kept.", "<img src=x onerror=alert(2)> kept"
    )
    path = write(tmp_path / "answers.yaml", answers)
    out = tmp_path / "report.html"
    result = run_cli("report", str(path), "-o", str(out), "--date", "2026-11-22")
    assert result.returncode == 0, result.stderr
    parser = _Collector()
    parser.feed(out.read_text())
    assert "script" not in parser.tags
    assert parser.tags.count("img") == 0
    text = "".join(parser.text)
    assert "<script>alert(1)</script> & Co" in text
    assert "<img src=x onerror=alert(2)> kept" in text


def test_a_png_logo_lands_on_the_cover(tmp_path):
    from PIL import Image

    brand = tmp_path / "brand"
    brand.mkdir()
    Image.new("RGB", (120, 40), (18, 53, 91)).save(brand / "logo.png")
    write(
        brand / "brand.yaml",
        "name: Pier Consulting\nlogo: logo.png\ncolors: {primary: '#204060', accent: '#e07000'}\n",
    )
    out = tmp_path / "report.pdf"
    result = report_bakery(
        "--brand", str(brand / "brand.yaml"), "-o", str(out), "--date", "2026-11-22"
    )
    assert result.returncode == 0, result.stderr
    reader = PdfReader(out)
    cover = reader.pages[0]
    assert len(cover.images) == 1
    assert cover.images[0].image.size == (120, 40)


@pytest.mark.parametrize(
    ("brand", "message"),
    [
        ("name: X\ncolors: {primary: 'navy'}\n", "primary colour is not a hex colour"),
        ("name: X\nlogo: missing.svg\n", "the logo file does not exist"),
        ("name: X\nfonts:\n  - file: broken.ttf\n", "the font fails to load"),
        ("name: X\nlogo: ../outside.png\n", "must be inside the brand's folder"),
    ],
)
def test_brand_mistakes_are_reported_before_rendering(tmp_path, brand, message):
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "broken.ttf").write_bytes(b"not a font at all")
    (tmp_path / "outside.png").write_bytes(b"\x89PNG")
    path = write(folder / "brand.yaml", brand)
    result = report_bakery("--brand", str(path), "-o", str(tmp_path / "r.pdf"))
    assert result.returncode == 2
    assert message in result.stderr
    assert re.search(rf"{re.escape(str(path))}:\d+:\d+:", result.stderr)
    assert not (tmp_path / "r.pdf").exists()


def test_templates_override_one_file_and_fall_back_for_the_rest(tmp_path):
    templates = override(
        tmp_path,
        "partials/glossary.html",
        '<section id="glossary"><h1>Our words</h1><p>{{ cover.business }}</p></section>\n',
    )
    out = tmp_path / "report.html"
    result = report_bakery("--templates", str(templates), "-o", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text()
    assert "<h1>Our words</h1>" in html and "Korn &amp; Krume Bakery" in html
    assert "Summary for the owner" in html and "<h1>Glossary</h1>" not in html


def test_an_undefined_variable_in_an_override_is_an_error(tmp_path):
    templates = override(tmp_path, "partials/glossary.html", "<p>{{ cover.bussiness }}</p>\n")
    result = report_bakery("--templates", str(templates), "-o", str(tmp_path / "r.html"))
    assert result.returncode == 2
    assert "bussiness" in result.stderr and "Traceback" not in result.stderr


HOSTILE_GLOSSARY = """<section id="glossary"><h1>Glossary</h1>
<img src="http://auditkit.invalid/pixel.png" alt="tracker">
<link rel="attachment" href="file:///etc/passwd">
<link rel="stylesheet" href="ftp://auditkit.invalid/x.css">
<style>@import url(http://auditkit.invalid/evil.css); .x { background: url(../../../../etc/hostname); }</style>
<div class="x">hostile</div>
<img src="../../../../etc/passwd">
</section>
"""


def test_rendering_fetches_nothing_outside_the_allowed_folders(tmp_path, monkeypatch):
    from auditkit.reporting import fetcher as fetcher_module
    from auditkit.reporting.brand import load_brand
    from auditkit.reporting.run import make_report, report_date

    def no_network(*args, **kwargs):
        raise AssertionError("auditkit tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    templates = override(tmp_path, "partials/glossary.html", HOSTILE_GLOSSARY)
    brand_folder = tmp_path / "brand"
    brand_folder.mkdir()
    brand = write(
        brand_folder / "brand.yaml",
        'name: "Evil\\"; } @import url(http://auditkit.invalid/b.css); x { content: \\""\n'
        "footer: '</style><img src=http://auditkit.invalid/f.png>'\n",
    )
    refused: list[str] = []
    original = fetcher_module.SafeFetcher.fetch

    def spy(self, url, headers=None):
        try:
            return original(self, url, headers)
        except ValueError:
            refused.append(url)
            raise

    monkeypatch.setattr(fetcher_module.SafeFetcher, "fetch", spy)
    report = make_report(
        EXAMPLES / "bakery" / "answers.yaml",
        [],
        brand=load_brand(brand),
        templates=templates,
        day=report_date("2026-11-22"),
        pdf=True,
    )
    assert report.pdf.startswith(b"%PDF")
    for bad in (
        "http://auditkit.invalid/pixel.png",
        "file:///etc/passwd",
        "http://auditkit.invalid/evil.css",
        "ftp://auditkit.invalid/x.css",
    ):
        assert bad in report.refused, bad
    assert any(url.endswith("/etc/hostname") for url in report.refused)
    assert not any(
        "b.css" in url or "f.png" in url for url in refused
    )  # brand text never became a URL
    assert b"/EmbeddedFile" not in report.pdf
    assert b"root:x:0:0" not in report.pdf
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(report.pdf)).pages)
    assert "hostile" in text


def test_the_cli_warns_about_refused_urls(tmp_path):
    templates = override(
        tmp_path,
        "partials/glossary.html",
        '<section id="glossary"><h1>Glossary</h1><img src="http://auditkit.invalid/p.png"></section>\n',
    )
    result = report_bakery("--templates", str(templates), "-o", str(tmp_path / "r.pdf"))
    assert result.returncode == 0, result.stderr
    assert (
        "warning: the template asked for http://auditkit.invalid/p.png; it was not fetched"
        in result.stderr
    )


def test_report_runs_a_bias_check_given_as_preset_and_log(tmp_path):
    out = tmp_path / "r.html"
    result = run_cli(
        "report", str(EXAMPLES / "value-inn" / "answers.yaml"),
        "--bias", f"chatbot:{EXAMPLES / 'logs' / 'chatbot.csv'}", "--bias-group", "language", "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    html = out.read_text()
    assert "Bias check · Chatbot log: chatbot.csv" in html
    assert "Not met (bias evidence)" in html
    bad = run_cli(
        "report",
        str(EXAMPLES / "value-inn" / "answers.yaml"),
        "--bias",
        str(EXAMPLES / "logs" / "chatbot.csv"),
        "-o",
        str(out),
    )
    assert bad.returncode == 2 and "chatbot:" in bad.stderr


def test_an_override_can_change_one_block_and_keep_the_rest(tmp_path):
    templates = override(
        tmp_path,
        "report.html",
        '{% extends "default:report.html" %}'
        '{% block methodology %}<section id="methodology"><h1>Our method</h1>'
        "<p>Threshold {{ figures.threshold }}.</p></section>{% endblock %}",
    )
    out = tmp_path / "r.html"
    result = report_bakery("-o", str(out), "--templates", str(templates), "--date", "2026-11-23")
    assert result.returncode == 0, result.stderr
    html = out.read_text()
    assert "<h1>Our method</h1>" in html and "Threshold 70%." in html
    assert "How the score is computed" not in html  # the shipped block was replaced …
    assert '<section id="glossary">' in html and "Executive summary" in html  # … and only it
    assert '<a href="#methodology">Our method</a>' in html  # the contents say what is shown


def test_a_misspelled_block_is_named_with_the_block_meant(tmp_path):
    templates = override(
        tmp_path,
        "report.html",
        '{% extends "default:report.html" %}\n{% block methodolgy %}Ours{% endblock %}',
    )
    result = report_bakery("-o", str(tmp_path / "r.html"), "--templates", str(templates))
    assert result.returncode == 2
    assert "report.html:2: the block 'methodolgy' is not a block of the report" in result.stderr
    assert "did you mean 'methodology'?" in result.stderr


def test_a_template_that_includes_itself_is_bad_input(tmp_path):
    templates = override(
        tmp_path, "partials/glossary.html", '<p>{% include "partials/glossary.html" %}</p>'
    )
    result = report_bakery("-o", str(tmp_path / "r.html"), "--templates", str(templates))
    assert result.returncode == 2 and "includes itself" in result.stderr
    assert "Traceback" not in result.stderr and "bug in auditkit" not in result.stderr


def test_a_template_cannot_reach_python_internals(tmp_path):
    templates = override(
        tmp_path,
        "partials/glossary.html",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    )
    result = report_bakery("-o", str(tmp_path / "r.html"), "--templates", str(templates))
    assert result.returncode == 2
    assert "glossary.html" in result.stderr and "uid=" not in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_a_brand_chooses_letter_paper(tmp_path):
    brand = write(tmp_path / "brand" / "brand.yaml", "name: Corner Advisors\npage_size: Letter\n")
    pdf = tmp_path / "r.pdf"
    assert report_bakery("-o", str(pdf), "--brand", str(brand)).returncode == 0
    box = PdfReader(pdf).pages[3].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    wrong = write(tmp_path / "brand2" / "brand.yaml", "name: X\npage_size: A5\n")
    result = report_bakery("-o", str(pdf), "--brand", str(wrong))
    assert result.returncode == 2 and "'A4', 'Letter'" in result.stderr


def test_brand_colours_that_fail_contrast_are_named(tmp_path):
    brand = write(
        tmp_path / "brand" / "brand.yaml",
        'name: Pale\ncolors: {primary: "#9ec5e8", accent: "#fff3c4"}\n',
    )
    result = report_bakery("-o", str(tmp_path / "r.html"), "--brand", str(brand))
    assert result.returncode == 0
    assert "the primary colour as text on white" in result.stderr
    assert "white text on the primary colour" in result.stderr
    assert "the accent colour on white" in result.stderr
    fine = report_bakery("-o", str(tmp_path / "r2.html"))
    assert "WCAG" not in fine.stderr


def test_figures_stated_in_several_places_come_from_one(tmp_path):
    bias = tmp_path / "bias.json"
    log = EXAMPLES / "logs" / "chatbot.csv"
    checked = run_cli(
        "bias",
        "chatbot",
        str(log),
        "-g",
        "language",
        "--suppress-below",
        "5",
        "--tolerance",
        "0.9",
        "1.1",
        "--format",
        "json",
        "-o",
        str(bias),
    )
    assert checked.returncode == 0, checked.stderr
    out = tmp_path / "r.html"
    assert report_bakery("-o", str(out), "--bias", str(bias)).returncode == 0
    html = out.read_text()
    assert "shown as &#39;&lt;5&#39;" in html  # the glossary follows --suppress-below
    assert "0.9–1.1 of the reference group" in html  # so do the glossary and methodology
    assert "'&lt;10'" not in html
