"""Hostile and careless input: nothing hangs, nothing runs, nothing is written as a secret.

A start on issue 14: the findings that hung the tool, ran a template's code, or broke out of
the report's CSS, each with the test that failed before its fix.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import REPO, run_cli, write
from tests.corpus.make_corpus import workbook

BAKERY = REPO / "examples" / "bakery" / "answers.yaml"


def billion_laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for index in range(1, 9):
        name, previous = chr(97 + index), chr(96 + index)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("command", [("rubric", "validate"), ("answers", "validate")])
def test_an_alias_bomb_is_refused_at_once(tmp_path, command):
    path = write(tmp_path / "bomb.yaml", billion_laughs())
    result = run_cli(*command, str(path))
    assert result.returncode == 2
    assert "expands to more than 200,000 values" in result.stderr
    assert f"{path}:" in result.stderr and "Traceback" not in result.stderr


def test_deep_nesting_is_refused_with_its_place(tmp_path):
    path = write(tmp_path / "deep.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n")
    result = run_cli("rubric", "validate", str(path))
    assert result.returncode == 2
    assert "nested more than 40 levels deep" in result.stderr
    deep_json = write(tmp_path / "bias.json", "[" * 100_000 + "]" * 100_000)
    scored = run_cli("score", str(BAKERY), "--bias", str(deep_json))
    assert scored.returncode == 2 and "nested far deeper" in scored.stderr


def test_a_huge_yaml_file_is_refused_by_size(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * (11 * 1024 * 1024) + "\n")
    result = run_cli("rubric", "validate", str(path))
    assert result.returncode == 2 and "the limit is 10 MB" in result.stderr


@pytest.mark.parametrize(
    "template, says",
    [
        ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "unsafe"),
        ("{% for i in range(10**9) %}x{% endfor %}", "Range too big"),
        ('{{ "x" * 10**9 }}', "a value longer than 1,000,000"),
        ('{{ "x"|center(10**9) }}', "a width above 1,000,000"),
        (
            "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
            "more than 5 s of rendering",
        ),
    ],
    ids=["python-internals", "range", "repeat", "center", "loops"],
)
def test_a_template_override_can_neither_run_code_nor_exhaust_the_machine(tmp_path, template, says):
    folder = tmp_path / "templates"
    write(folder / "partials" / "glossary.html", template)
    result = run_cli(
        "report", str(BAKERY), "-o", str(tmp_path / "r.html"), "--templates", str(folder)
    )
    assert result.returncode == 2, result.stderr
    assert says in result.stderr
    assert "partials/glossary.html" in result.stderr  # the override, not report.html
    assert "uid=" not in result.stderr and not (tmp_path / "r.html").exists()


def test_brand_text_cannot_break_out_of_the_css(tmp_path):
    brand = write(
        tmp_path / "brand" / "brand.yaml",
        'name: "Evil\\f}main{display:none}\\"<\\/style>"\nfooter: "\\u0007bell"\n',
    )
    out = tmp_path / "r.html"
    result = run_cli("report", str(BAKERY), "-o", str(out), "--brand", str(brand))
    assert result.returncode == 0, result.stderr
    css = out.read_text().split("<style>")[1].split("</style>")[0]
    assert "\f" not in css and "\x07" not in css
    # Everything the brand says stays inside its quoted CSS string.
    assert r'content: "Evil\c }main{display:none}\22 \3c /style\3e "' in css
    assert 'content: "\\7 bell"' in css


def test_the_css_filter_escapes_every_character_that_ends_a_string():
    from auditkit.reporting.render import css_string

    escaped = str(css_string("a\fb\nc\rd\"e'f\\g<h>\x00"))
    assert escaped == "a\\c b\\a c\\d d\\22 e\\27 f\\5c g\\3c h\\3e \\0 "


def test_written_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        outputs = {
            "score": tmp_path / "score.json",
            "report": tmp_path / "r.html",
            "plan": tmp_path / "plan.csv",
        }
        assert (
            run_cli(
                "score", str(BAKERY), "--format", "json", "-o", str(outputs["score"])
            ).returncode
            == 0
        )
        assert run_cli("report", str(BAKERY), "-o", str(outputs["report"])).returncode == 0
        assert run_cli("plan", str(BAKERY), "-o", str(outputs["plan"])).returncode == 0
    finally:
        os.umask(old)
    for path in outputs.values():
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
    assert json.loads(outputs["score"].read_text())["format"] == "auditkit-score/1"


def test_a_table_name_is_never_sql():
    result = run_cli(
        "bias", "chatbot", "-g", "language", "--print-sql", "--table", "x; DROP TABLE users"
    )
    assert result.returncode == 2 and "not a table name" in result.stderr
    assert "DROP" not in result.stdout
    quoted = run_cli("bias", "chatbot", "-g", "language", "--print-sql", "--table", "shop.chats")
    assert 'FROM "shop"."chats"' in quoted.stdout


def test_saved_counts_run_no_formula_and_read_back_the_same(tmp_path):
    rows = ["region,reached_human"] + [
        f"{region},{'yes' if i % 3 else 'no'}"
        for region in ("=cmd|calc", "+north", "@south", "-east")
        for i in range(40)
    ]
    log = write(tmp_path / "log.csv", "\n".join(rows) + "\n")
    counts = tmp_path / "counts.csv"
    check = ("bias", "check", "--outcome", "reached_human", "--positive", "yes", "-g", "region")
    direct = run_cli(*check, str(log), "--save-counts", str(counts), "--format", "json")
    assert direct.returncode == 0, direct.stderr
    for line in counts.read_text().splitlines()[1:]:
        assert not line.startswith(("=", "+", "-", "@")), line
    again = run_cli(*check, "--counts", str(counts), "--format", "json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["metrics"] == json.loads(direct.stdout)["metrics"]
    assert "=cmd|calc" in {g["group"] for g in json.loads(again.stdout)["metrics"][0]["groups"]}


PEOPLE = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson"]


def personal_log(tmp_path):
    lines = ["email,full_name,language,requested_human,reached_human,resolved,note"]
    for i in range(400):
        name = PEOPLE[i % 4]
        email = f"{name.split()[0].lower()}.{i}@private.example"
        lines.append(
            f"{email},{name},{('en', 'de', 'pl')[i % 3]},{str(i % 2 == 0).lower()},"
            f"{str(i % 3 != 2).lower()},{'yes' if i % 5 else 'no'},Call {name} back on 0171234567"
        )
    return write(tmp_path / "chats.csv", "\n".join(lines) + "\n")


def test_no_output_carries_a_name_or_an_address_from_the_log(tmp_path):
    log = personal_log(tmp_path)
    bias = tmp_path / "bias.json"
    outputs = [
        run_cli("bias", "chatbot", str(log), "-g", "language"),
        run_cli("bias", "chatbot", str(log), "-g", "language", "--format", "json", "-o", str(bias)),
        run_cli("score", str(BAKERY), "--bias", str(bias), "--format", "json"),
        run_cli(
            "report",
            str(BAKERY),
            "--bias",
            str(bias),
            "-o",
            str(tmp_path / "r.html"),
            "-o",
            str(tmp_path / "r.pdf"),
        ),
        run_cli("bias", "chatbot", str(log), "-g", "email"),  # refused: an identifier
        run_cli("bias", "segmentation", str(log), "-g", "language", "--column", "segment=email"),
        run_cli(
            "bias",
            "check",
            str(log),
            "-g",
            "language",
            "--outcome",
            "full_name",
            "--positive",
            "Nobody",
        ),
    ]
    assert [o.returncode for o in outputs] == [0, 0, 0, 0, 2, 2, 2]
    from pypdf import PdfReader

    texts = [o.stdout + o.stderr for o in outputs]
    texts += [bias.read_text(), (tmp_path / "r.html").read_text()]
    texts += [page.extract_text() for page in PdfReader(tmp_path / "r.pdf").pages]
    for text in texts:
        assert "@private.example" not in text
        assert "0171234567" not in text
        for person in PEOPLE:
            assert person not in text and person.split()[1] not in text
    assert "identifies people" in outputs[4].stderr
    assert "not shown: they may be personal data" in outputs[5].stderr + outputs[6].stderr


def test_version_names_the_libraries_that_shape_results():
    result = run_cli("--version")
    assert result.returncode == 0
    for name in ("auditkit", "fairlearn", "duckdb", "weasyprint", "Pango"):
        assert name in result.stdout


def test_debug_is_accepted_after_the_subcommand():
    result = run_cli("score", str(BAKERY), "--debug")
    assert result.returncode == 0, result.stderr


def test_a_missing_pango_is_named_with_the_fix_not_called_our_bug(tmp_path, monkeypatch, capsys):
    from auditkit import cli
    from auditkit.reporting import run

    def no_pango(*args, **kwargs):
        raise OSError(
            "cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file"
        )

    monkeypatch.setattr(run, "render_pdf", no_pango)
    with pytest.raises(SystemExit) as stopped:
        cli.main(["report", str(BAKERY), "-o", str(tmp_path / "r.pdf")])
    assert stopped.value.code == 2
    message = capsys.readouterr().err
    assert "libpango-1.0-0 is missing" in message
    assert "apt-get install" in message and "brew install pango" in message
    assert "-o report.html" in message and "bug in auditkit" not in message


ONLY_REACHED = [
    "--column",
    "requested_human=",
    "--column",
    "resolved=",
    "--column",
    "satisfaction=",
    "--column",
    "wait_time=",
]


def accented_log(rows: int = 60) -> str:
    body = "".join(
        f"{city},{'yes' if i % 2 else 'no'}\n"
        for i in range(rows)
        for city in ("München", "Zürich")
    )
    return "region,reached_human\n" + body


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("latin-1"),
        lambda text: text.encode("cp1252"),
        lambda text: text.encode("utf-16"),
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    ],
    ids=["latin-1", "windows-1252", "utf-16", "utf-8-bom"],
)
def test_european_spreadsheet_exports_are_read(tmp_path, encode):
    path = tmp_path / "log.csv"
    path.write_bytes(encode(accented_log()))
    result = run_cli(
        "bias", "chatbot", str(path), "-g", "region", *ONLY_REACHED, "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    groups = {g["group"] for g in json.loads(result.stdout)["metrics"][0]["groups"]}
    assert groups == {"München", "Zürich"}


def test_a_bad_byte_late_in_a_log_is_an_encoding_error_with_its_line(tmp_path):
    path = tmp_path / "log.csv"
    text = "region,reached_human\n" + "north,yes\nsouth,no\n" * 250_000  # past the 4 MB sample
    path.write_bytes(text.encode() + "Köln,yes\n".encode("latin-1"))
    result = run_cli("bias", "chatbot", str(path), "-g", "region", *ONLY_REACHED)
    assert result.returncode == 2
    assert "is not valid utf-8 text" in result.stderr and "line 500002" in result.stderr
    assert "--encoding latin-1" in result.stderr
    fixed = run_cli(
        "bias", "chatbot", str(path), "-g", "region", *ONLY_REACHED, "--encoding", "windows-1252"
    )
    assert fixed.returncode == 0, fixed.stderr
    unknown = run_cli("bias", "chatbot", str(path), "-g", "region", "--encoding", "ebcdic")
    assert unknown.returncode == 2 and "utf-8, utf-16, latin-1" in unknown.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("score", str(BAKERY)),
        ("report", str(BAKERY)),
        ("plan", str(BAKERY)),
        ("bias", "chatbot", str(REPO / "examples" / "logs" / "chatbot.csv"), "-g", "language"),
        ("answers", "template"),
        ("assess",),
    ],
    ids=lambda c: c[0],
)
def test_every_output_is_checked_before_work_starts(tmp_path, command):
    target = tmp_path / "missing" / "out.html"
    result = run_cli(*command, "-o", str(target), input="")
    assert result.returncode == 2, result.stderr
    assert "does not exist: create it first" in result.stderr
    assert "Traceback" not in result.stderr and "bug in auditkit" not in result.stderr


def test_a_non_finite_number_in_a_rubric_is_refused(tmp_path):
    from tests.conftest import SMALL_RUBRIC

    path = write(tmp_path / "r.yaml", SMALL_RUBRIC.replace("    weight: 3\n", "    weight: .nan\n"))
    result = run_cli("rubric", "validate", str(path))
    assert (
        result.returncode == 2
        and "'weight' of question 'handoff.reach-person' is not a finite number" in result.stderr
    )


def test_the_report_names_inputs_without_the_advisors_disk(tmp_path):
    out = tmp_path / "r.html"
    result = run_cli(
        "report",
        str(BAKERY),
        "--bias",
        f"chatbot:{REPO / 'examples' / 'logs' / 'chatbot.csv'}",
        "--bias-group",
        "language",
        "-o",
        str(out),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    methodology = out.read_text().split('id="methodology"')[1]
    assert ">answers.yaml</td>" in methodology  # the name alone (a card's title at 375 px)
    assert "rubrics/human-centred-automation.yaml (shipped with auditkit" in methodology
    assert str(REPO) not in methodology and "site-packages" not in methodology


@pytest.mark.parametrize(
    "text, says, fix",
    [
        ("business:\n\tname: x\n", "a tab where spaces are needed", "replace the tab with spaces"),
        (
            "business:\n  name: Value Inn\nanswers:\n  x:\n    note: Reviewed: every season\n",
            "a colon inside text that is not in quotes",
            'note: "…: …"',
        ),
        (
            "business:\n  name: @home\n",
            "text that starts with '@'",
            'after "name:" in double quotes',
        ),
    ],
    ids=["tab", "colon", "at-sign"],
)
def test_yaml_mistakes_are_explained_in_plain_words(tmp_path, text, says, fix):
    path = write(tmp_path / "answers.yaml", text)
    result = run_cli("answers", "validate", str(path))
    assert result.returncode == 2
    assert says in result.stderr and fix in result.stderr


def test_the_answers_template_keeps_notes_with_colons_valid(tmp_path):
    path = tmp_path / "answers.yaml"
    assert run_cli("answers", "template", "-o", str(path)).returncode == 0
    text = path.read_text()
    assert '    note: ""' in text
    path.write_text(text.replace('note: ""', 'note: "Reviewed: every season, # twice"', 1))
    assert run_cli("answers", "validate", str(path)).returncode == 0


def test_a_logo_that_is_not_an_image_is_refused(tmp_path):
    folder = tmp_path / "brand"
    write(folder / "logo.png", "not an image")
    brand = write(folder / "brand.yaml", "name: X\nlogo: logo.png\n")
    result = run_cli("report", str(BAKERY), "-o", str(tmp_path / "r.html"), "--brand", str(brand))
    assert result.returncode == 2
    assert f"{brand}:2:7: the logo is not a valid PNG image" in result.stderr
    assert "not an image" not in result.stderr  # the file is named, its content never quoted


@pytest.mark.parametrize("count", ["-3", "12.5", "inf"])
def test_counts_must_be_whole_and_not_negative(tmp_path, count):
    counts = write(
        tmp_path / "counts.csv",
        f"g__region,o__reached_human,n\nnorth,yes,40\nnorth,no,{count}\nsouth,yes,30\nsouth,no,30\n",
    )
    result = run_cli(
        "bias",
        "check",
        "--counts",
        str(counts),
        "--outcome",
        "reached_human",
        "--positive",
        "yes",
        "-g",
        "region",
    )
    assert result.returncode == 2
    assert f"{counts}: row 2, column 'n'" in result.stderr and "whole" in result.stderr


def test_an_override_that_replaces_nothing_is_reported_with_the_names(tmp_path):
    folder = tmp_path / "templates"
    write(folder / "cover.html", '<section class="cover">x</section>')
    result = run_cli(
        "report", str(BAKERY), "-o", str(tmp_path / "r.html"), "--templates", str(folder)
    )
    assert result.returncode == 2
    assert "'cover.html' replaces no template of the report" in result.stderr
    assert "did you mean 'partials/cover.html'?" in result.stderr


def test_control_characters_never_reach_a_terminal(tmp_path):
    import sys

    import pexpect
    import yaml as yaml_module

    data = yaml_module.safe_load(BAKERY.read_text())
    data["business"]["name"] = "Korn\x1b[2J\x1b]0;pwned\x07 Bakery"
    path = tmp_path / "answers.yaml"
    path.write_text(yaml_module.safe_dump(data, allow_unicode=True))
    child = pexpect.spawn(
        sys.executable,
        ["-m", "auditkit", "score", str(path)],
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 120),
    )
    child.expect(pexpect.EOF)
    seen = child.before
    assert "Korn?[2J?]0;pwned? Bakery" in seen
    assert "\x1b[2J" not in seen and "\x07" not in seen and "\x1b]0" not in seen
    piped = run_cli("score", str(path), "--format", "json")
    assert json.loads(piped.stdout)["business"]["name"] == data["business"]["name"]  # files keep it


@pytest.mark.parametrize(
    "spoil, place",
    [
        (lambda d: d.update(metrics=[1, 2]), "metrics[0]: 1 is not of type 'object'"),
        (lambda d: d.pop("source"), "'source' is a required property"),
        (lambda d: d["metrics"][0]["groups"][0].update(ratio="high"), "metrics[0].groups[0].ratio"),
    ],
    ids=["metrics-as-numbers", "no-source", "ratio-as-text"],
)
def test_a_bias_result_of_the_wrong_shape_is_refused_before_use(tmp_path, spoil, place):
    good = tmp_path / "bias.json"
    log = REPO / "examples" / "logs" / "chatbot.csv"
    assert (
        run_cli(
            "bias", "chatbot", str(log), "-g", "language", "--format", "json", "-o", str(good)
        ).returncode
        == 0
    )
    data = json.loads(good.read_text())
    spoil(data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    for command in (
        ("score", str(BAKERY), "--bias", str(bad)),
        ("report", str(BAKERY), "--bias", str(bad), "-o", str(tmp_path / "r.html")),
    ):
        result = run_cli(*command)
        assert result.returncode == 2, result.stderr
        assert place in result.stderr and "bug in auditkit" not in result.stderr


def test_a_file_that_is_not_a_rubric_is_named_never_quoted(tmp_path):
    secret = write(tmp_path / "secret.txt", "root:x:0:0:root:/root:/bin/bash\n")
    overlay = write(
        tmp_path / "overlay.yaml",
        f'overlay: x\nextends: {secret}\nversion: "1"\ntitle: t\ndescription: d\n',
    )
    answers = write(
        tmp_path / "answers.yaml", f"rubric:\n  id: x\n  file: {secret}\nanswers: {{}}\n"
    )
    for command in (("rubric", "validate", str(overlay)), ("answers", "validate", str(answers))):
        result = run_cli(*command)
        assert result.returncode == 2
        assert str(secret) in result.stderr and "root:x" not in result.stderr


def test_a_template_linked_outside_its_folder_is_not_read(tmp_path):
    secret = write(tmp_path / "secret.txt", "secret-line\n")
    folder = tmp_path / "templates"
    (folder / "partials").mkdir(parents=True)
    (folder / "partials" / "glossary.html").symlink_to(secret)
    out = tmp_path / "r.html"
    result = run_cli("report", str(BAKERY), "-o", str(out), "--templates", str(folder))
    assert result.returncode == 2
    assert "a link to a file outside the templates folder" in result.stderr
    assert "secret-line" not in result.stderr and not out.exists()


def test_an_advisors_own_partial_included_by_name_is_fine(tmp_path):
    folder = tmp_path / "templates"
    write(
        folder / "report.html",
        '{% extends "default:report.html" %}{% block glossary %}{% include "mine.html" %}{% endblock %}',
    )
    write(folder / "mine.html", '<section id="glossary"><h1>Our words</h1></section>')
    out = tmp_path / "r.html"
    result = run_cli("report", str(BAKERY), "-o", str(out), "--templates", str(folder))
    assert result.returncode == 0, result.stderr
    assert "<h1>Our words</h1>" in out.read_text()


def test_a_suppressed_group_cannot_be_recovered_by_subtraction(tmp_path):
    """Six Ukrainian speakers, two of whom reached a person. Their rate must not come back from
    the overall figure (overall × n minus the groups shown) nor from --within's ratios."""
    rows = ["language,channel,requested_human,reached_human,resolved"]
    for language, size, reached in (("en", 200, 80), ("de", 150, 45), ("uk", 6, 2)):
        for index in range(size):
            channel = "web" if index % 2 else "phone"
            rows.append(f"{language},{channel},true,{str(index < reached).lower()},yes")
    log = write(tmp_path / "chats.csv", "\n".join(rows) + "\n")
    result = run_cli(
        "bias", "chatbot", str(log), "-g", "language", "--within", "channel", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for metric in data["metrics"]:
        uk = next(g for g in metric["groups"] if g["group"] == "uk")
        assert uk["n"] == "<10" and uk["value"] is None
        assert metric["overall"] is None  # 2 of 6 would be (overall × 356) − 80 − 45
        assert all(effect["group"] != "uk" for effect in metric["within"])
    table = run_cli("bias", "chatbot", str(log), "-g", "language")
    assert "overall not shown (it would reveal the suppressed groups)" in table.stdout
    assert "35.7%" not in table.stdout  # 127 of 356, the overall rate of reaching a person

    without_uk = write(tmp_path / "two.csv", "\n".join(r for r in rows if not r.startswith("uk")))
    plain = json.loads(
        run_cli("bias", "chatbot", str(without_uk), "-g", "language", "--format", "json").stdout
    )
    assert plain["metrics"][0]["overall"] == pytest.approx(125 / 350)


def test_a_late_type_change_in_json_lines_is_named_by_line_without_the_value(tmp_path):
    lines = [
        json.dumps(
            {
                "language": "en" if i % 2 else "de",
                "requested_human": True,
                "reached_human": i % 3 == 0,
                "resolved": "yes",
                "wait_time": i,
            }
        )
        for i in range(30_000)
    ]
    lines[25_000] = lines[25_000].replace('"wait_time": 25000', '"wait_time": "ana@example.org"')
    log = write(tmp_path / "late.jsonl", "\n".join(lines) + "\n")
    result = run_cli("bias", "chatbot", str(log), "-g", "language", "--column", "satisfaction=")
    assert result.returncode == 2, result.stderr
    assert f"{log}:25001:" in result.stderr
    assert "ana@example.org" not in result.stderr and "Traceback" not in result.stderr


def test_a_font_linked_inside_the_brand_folder_is_used(tmp_path):
    brand = tmp_path / "brand"
    shutil.copytree(REPO / "examples" / "brand", brand)
    (brand / "fonts" / "Linked.ttf").symlink_to("HarbourSerif-Bold.ttf")
    (brand / "brand.yaml").write_text(
        (brand / "brand.yaml").read_text().replace("HarbourSerif-Bold.ttf", "Linked.ttf")
    )
    result = run_cli(
        "report", str(BAKERY), "--brand", str(brand / "brand.yaml"), "-o", str(tmp_path / "r.pdf")
    )
    assert result.returncode == 0, result.stderr
    from pypdf import PdfReader

    fonts = {
        str(font["/BaseFont"])
        for page in PdfReader(tmp_path / "r.pdf").pages
        for font in (page["/Resources"].get("/Font") or {}).values()
        for font in [font.get_object()]
    }
    assert any(name.endswith("Harbour-Serif-Bold") for name in fonts), fonts  # the linked one


def test_escape_codes_in_user_text_reach_no_human_output_but_json_keeps_them(tmp_path):
    """A business name with a colour code, a title-setting sequence and a bell: every
    human-readable output shows '?' for them, piped or not; JSON keeps the exact text."""
    import json

    hostile = "Corner \x1b[31mRed\x1b]0;owned\x07 Café"
    text = (REPO / "examples" / "bakery" / "answers.yaml").read_text(encoding="utf-8")
    answers = write(
        tmp_path / "answers.yaml",
        text.replace("name: Korn & Krume Bakery", f"name: {json.dumps(hostile)}", 1),
    )
    table = run_cli("score", str(answers))
    assert table.returncode == 0, table.stderr
    assert "\x1b" not in table.stdout and "\x07" not in table.stdout
    assert "Corner ?[31mRed?]0;owned? Café" in table.stdout
    as_json = run_cli("score", str(answers), "--format", "json")
    assert json.loads(as_json.stdout)["business"]["name"] == hostile
    plan = run_cli("plan", str(answers), "--format", "markdown")
    assert plan.returncode == 0 and "\x1b" not in plan.stdout
    compared = run_cli("compare", str(answers), str(answers), "--format", "markdown")
    assert "\x1b" not in compared.stdout + compared.stderr


# ------------------------------------------------------------------- Excel workbooks
# The corpus holds the small ones (formulas, external links, a zip bomb: tests/corpus/logs);
# these are written for the test.
def test_a_million_row_workbook_is_refused_before_it_is_held_in_memory(tmp_path):
    """1e6 rows of four columns: refused by the cell count while the sheet is streamed, in
    bounded memory (the workbook is never expanded whole)."""
    path = tmp_path / "million.xlsx"
    _million_rows(path, 1_000_000)
    script = (
        "import sys\n"
        "from auditkit.cli import main\n"
        "try:\n"
        f"    main(['bias', 'chatbot', {str(path)!r}, '-g', 'language'])\n"
        "except SystemExit as stop:\n"
        "    code = stop.code\n"
        # VmHWM: this process's own peak (ru_maxrss would include the forking pytest's).
        "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print(code, peak, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    code, peak_kb = result.stderr.strip().splitlines()[-1].split()
    assert code == "2", result.stderr
    assert "more than 2,000,000 cells" in result.stderr and "CSV" in result.stderr
    assert int(peak_kb) < 400_000, f"peak {int(peak_kb) // 1024} MB"  # calamine never ran


def test_a_workbook_whose_zip_lies_about_its_size_is_refused(tmp_path):
    """The zip directory says the sheet is small; the stream holds far more."""
    path = tmp_path / "forged.xlsx"
    workbook_path = tmp_path / "honest.xlsx"
    header, *rows = (REPO / "examples" / "logs" / "chatbot.csv").read_text().splitlines()[:50]
    workbook(workbook_path, [header.split(","), *(row.split(",") for row in rows)])
    sheet = zipfile.ZipFile(workbook_path).read("xl/worksheets/sheet1.xml")
    with zipfile.ZipFile(workbook_path) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith("sheet1.xml"):
                data = sheet.replace(b"</sheetData>", b" " * 3_000_000 + b"</sheetData>")
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    raw = bytearray(path.read_bytes())
    # Rewrite the sheet's declared size (local header and central directory) to 1 MB.
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    size = info.file_size.to_bytes(4, "little")
    raw = raw.replace(size, (1_000_000).to_bytes(4, "little"))
    path.write_bytes(bytes(raw))
    result = run_cli("bias", "chatbot", str(path), "-g", "language")
    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr
    assert "forged" in result.stderr or "damaged" in result.stderr


def _million_rows(path, rows: int) -> None:
    """A workbook of ``rows`` distinct rows, streamed into the zip (never held whole)."""
    workbook(
        path,
        (
            ["language", "requested_human", "reached_human", "wait_time"]
            if number == 1
            else ["en" if number % 3 else "pl", 1, number % 2, number % 600]
            for number in range(1, rows + 2)
        ),
    )


CONTROL_CHARACTERS = ("\x1b", "\x07", "\x00", "\x9b")


def test_rubric_show_prints_no_control_character_of_the_rubrics_text(tmp_path):
    from tests.conftest import SMALL_RUBRIC

    hostile = SMALL_RUBRIC.replace(
        "title: Small rubric", 'title: "Small\\e]0;owned\\a rubric\\e[2J"'
    ).replace("text: Is bookkeeping automated?", 'text: "Is \\0bookkeeping\\u009b31m automated?"')
    path = write(tmp_path / "hostile.yaml", hostile)
    result = run_cli("rubric", "show", str(path), "--details")  # to a pipe, as in a script
    assert result.returncode == 0, result.stderr
    assert not any(c in result.stdout for c in CONTROL_CHARACTERS)
    assert "Small?]0;owned? rubric?[2J" in result.stdout  # shown, not obeyed
    assert "Is ?bookkeeping?31m automated?" in result.stdout
    validated = run_cli("rubric", "validate", str(path))
    assert not any(c in validated.stdout + validated.stderr for c in CONTROL_CHARACTERS)


def test_a_bias_tables_group_names_and_errors_carry_no_control_character(tmp_path):
    rows = ["region,approved"] + [f"\x1b[2Jnorth\x07,{'yes' if i % 3 else 'no'}" for i in range(60)]
    rows += [f"south,{'yes' if i % 2 else 'no'}" for i in range(60)]
    log = write(tmp_path / "log.csv", "\n".join(rows) + "\n")
    base = ["bias", "check", str(log), "--outcome", "approved", "--positive", "yes"]
    for output_format in ("table", "ll144"):
        shown = run_cli(*base, "-g", "region", "--format", output_format)
        assert shown.returncode == 0, shown.stderr
        assert "?[2Jnorth?" in shown.stdout
        assert not any(c in shown.stdout + shown.stderr for c in CONTROL_CHARACTERS)
    wrong = run_cli(*base, "-g", "\x1b[31mregion\x07")
    assert wrong.returncode == 2
    assert not any(c in wrong.stderr for c in CONTROL_CHARACTERS)


@pytest.mark.parametrize(
    "files, chain",
    [
        (
            {"partials/cover.html": '<p>{% include "partials/cover.html" %}</p>'},
            "report.html:26 → partials/cover.html:1 → partials/cover.html:1",
        ),
        (
            {
                "partials/cover.html": '{% include "partials/glossary.html" %}',
                "partials/glossary.html": '\n{% include "partials/cover.html" %}',
            },
            "partials/cover.html:1 → partials/glossary.html:2 → partials/cover.html:1",
        ),
    ],
    ids=["itself", "through-another"],
)
def test_a_template_that_includes_itself_is_named_with_its_include_chain(tmp_path, files, chain):
    folder = tmp_path / "t"
    for name, text in files.items():
        write(folder / name, text)
    result = run_cli(
        "report", str(BAKERY), "-o", str(tmp_path / "r.html"), "--templates", str(folder)
    )
    assert result.returncode == 2, result.stderr
    assert f"{folder / 'partials' / 'cover.html'}:1:" in result.stderr  # the file, not "t"
    assert "includes itself" in result.stderr and chain in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "r.html").exists()


def test_a_busy_machine_does_not_count_against_a_template(monkeypatch):
    """The render limit is the template's own processor time: a report that waits for a core
    (the practice server renders at the lowest priority, beside everything else) is not a
    runaway template. The loops above show that work of its own is still stopped."""
    import time

    from auditkit.reporting import render

    monkeypatch.setattr(render, "RENDER_SECONDS", 0.2)

    class Waiting:
        """A value that takes time on the clock, not on the processor, to show."""

        def __str__(self) -> str:
            time.sleep(0.6)
            return "shown"

    template = render.environment(None).from_string("{{ value }}")
    assert render._render(template, {"value": Waiting()}) == "shown"
