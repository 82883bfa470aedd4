"""One mistake, three interfaces: the command line, Python and the practice server's form each
get a fix in their own terms, and a suggested column is one that could be meant."""

from __future__ import annotations

import html
import inspect
import json
import re

import pytest

import auditkit
import auditkit.bias
from tests.conftest import REPO, run_cli
from tests.serverweb import PASSWORD, Site, add_client, sign_in
from tests.test_corpus import CORPUS, EXPECT

CHATBOT = REPO / "examples" / "logs" / "chatbot.csv"
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


@pytest.fixture(scope="module")
def advisor(tmp_path_factory):
    from auditkit.server.app import ServerConfig, create_app
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor

    database, _ = open_database(str(tmp_path_factory.mktemp("wording") / "server.db"))
    add_advisor(database, "ana@harbour.example", PASSWORD)
    config = ServerConfig(database, {"testserver"})
    site = Site(create_app(config), database)
    ana = sign_in(site, "ana@harbour.example")
    _, audit = add_client(ana, "Harbour Bakery", "retail")
    yield ana, audit
    config.reports.close()
    database.close()


def web_upload(advisor, path, **fields):
    """``path`` sent with the evidence form as a chatbot log, with ``fields``."""
    ana, audit = advisor
    return ana.client.post(
        f"/audits/{audit}/evidence",
        data={"csrf": ana.csrf, "check": "chatbot", **fields},
        files={"file": (path.name, path.read_bytes(), "application/octet-stream")},
    )


def web_error(advisor, path, **fields) -> str:
    """The message the evidence form shows for ``path`` uploaded with ``fields``."""
    response = web_upload(advisor, path, **fields)
    assert response.status_code == 400, response.text[-500:]
    shown = re.search(r'<p class="error" role="alert"[^>]*>(.*?)</p>', response.text, re.S)
    return html.unescape(shown.group(1))


def python_error(path, **keywords) -> str:
    with pytest.raises(auditkit.InputError) as refused:
        auditkit.bias.chatbot(path, **keywords)
    return str(refused.value)


def cli_error(*args: str) -> str:
    result = run_cli("bias", "chatbot", *args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    return result.stderr


def test_a_wrong_group_column_is_fixed_with_the_group_option_of_each_interface(advisor):
    cli = cli_error(str(CHATBOT), "-g", "lang")
    python = python_error(CHATBOT, group="lang")
    web = web_error(advisor, CHATBOT, groups="lang")
    for message in (cli, python, web):
        assert "the log has no column 'lang' (a group column)" in message
        assert "did you mean 'language'?" in message
        assert "column=" not in message and "--column" not in message
    assert "fix:      did you mean 'language'? Use --group language" in cli
    assert "group='language'" in python and not FLAG.search(python)
    assert 'Use language in the "Group columns" field' in web and not FLAG.search(web)


def test_a_renamed_outcome_column_is_never_matched_to_another_metric(tmp_path, advisor):
    """reached_human renamed: requested_human is close in spelling, and would silently
    compute "asked for a person" as "reached a person"."""
    text = CHATBOT.read_text(encoding="utf-8")
    renamed = tmp_path / "chatbot.csv"
    renamed.write_text(text.replace("reached_human", "handed_over", 1), encoding="utf-8")
    cli = cli_error(str(renamed), "-g", "language")
    python = python_error(renamed, group="language")
    web = web_error(advisor, renamed, groups="language")
    for message in (cli, python, web):
        assert "the log has no column 'reached_human'" in message
        fix = message.split("fix:", 1)[1]
        assert "requested_human" not in fix
    assert "--column reached_human=COLUMN" in cli
    assert "column={'reached_human': 'COLUMN'}" in python
    assert 'reached_human=COLUMN in the "Columns named differently" field' in web
    # The field exists and works: the same upload with the mapping is accepted.
    accepted = web_upload(advisor, renamed, groups="language", columns="reached_human=handed_over")
    assert accepted.status_code == 303, accepted.text[-600:]


def test_a_misspelt_number_column_is_matched_only_to_a_number_column():
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(CHATBOT, dtype={"language": str})
    frame["waiting_room"] = "lobby"  # text, and the closest in spelling to 'waiting'
    message = python_error(frame, group="language", column={"wait_time": "waiting"})
    assert "the log has no column 'waiting'" in message
    assert "waiting_room" not in message.split("fix:", 1)[1]


def test_decimal_commas_get_the_decimal_option_of_each_interface(tmp_path, advisor):
    quoted = CORPUS / "logs" / "decimal-comma-in-commas.csv"
    cli = cli_error(str(quoted), "-g", "language")
    python = python_error(quoted, group="language")
    web = web_error(advisor, quoted, groups="language")
    for message in (cli, python, web):
        assert "look like numbers written with a decimal comma (169,5)" in message
    assert "--decimal ," in cli
    assert "decimal=','" in python and not FLAG.search(python)
    assert 'the "Decimal mark" field set to “Comma (169,5)”' in web and not FLAG.search(web)
    accepted = web_upload(advisor, quoted, groups="language", decimal=",")
    assert accepted.status_code == 303


LOG_CASES = sorted(
    key
    for key in EXPECT
    if key.startswith("logs/")
    and (CORPUS / key).is_file()
    and EXPECT[key].get("exit") != 0
    and "args" not in EXPECT[key]
)


@pytest.mark.parametrize("case", LOG_CASES)
def test_from_python_a_log_problem_names_keywords_never_flags(case):
    """Every refused log of the corpus, read from Python: any option its fix names is a
    keyword argument of chatbot(), and no command-line flag appears."""
    message = python_error(CORPUS / case, group="language")
    assert not FLAG.search(message), message
    keywords = set(inspect.signature(auditkit.bias.chatbot).parameters)
    for named in re.findall(r"\b(\w+)=", message):
        assert named in keywords or named.isupper(), (named, message)


def test_an_ambiguous_due_date_is_settled_by_the_option_of_each_interface(tmp_path, advisor):
    plan = CORPUS / "plan" / "ambiguous-date.csv"
    answers = tmp_path / "answers.yaml"
    answers.write_bytes((REPO / "examples" / "bakery" / "answers.yaml").read_bytes())
    cli = run_cli("plan", "import", str(plan), "--into", str(answers))
    assert "--date-order dmy" in cli.stderr
    ana, audit = advisor

    def sent(**fields):
        return ana.client.post(
            f"/audits/{audit}/plan",
            data={"csrf": ana.csrf, **fields},
            files={"file": (plan.name, plan.read_bytes(), "text/csv")},
        )

    refused = sent()
    assert refused.status_code == 400
    web = html.unescape(refused.text)
    assert 'the "Dates like 03/04/2027" field set to “day first (3 April)”' in web
    assert "--date-order" not in web
    assert sent(date_order="dmy").status_code == 303


def test_an_unknown_rubric_is_fixed_with_the_rubric_option_of_each_interface(tmp_path, advisor):
    text = (REPO / "examples" / "bakery" / "answers.yaml").read_text()
    named = re.sub(r"(?m)^(\s+id:) human-centred-automation$", r"\1 no-such-rubric", text, count=1)
    assert named != text
    answers = tmp_path / "answers.yaml"
    answers.write_text(named)
    cli = run_cli("score", str(answers))
    assert cli.returncode == 2 and "--rubric (and --sector)" in cli.stderr
    with pytest.raises(auditkit.InputError) as refused:
        auditkit.score(answers)
    python = str(refused.value)
    assert "rubric= (and sector=)" in python and not FLAG.search(python)
    ana, audit = advisor
    response = ana.client.post(
        f"/audits/{audit}/import",
        data={"csrf": ana.csrf},
        files={"file": ("answers.yaml", answers.read_bytes(), "application/yaml")},
    )
    web = html.unescape(response.text)
    assert response.status_code == 400 and "no-such-rubric" in web
    assert not FLAG.search(re.search(r'<p class="error" role="alert"[^>]*>(.*?)</p>', web, re.S)[1])


def test_a_score_with_decimal_commas_reads_as_its_decimal_point_twin(tmp_path):
    """The generic check's --score column in a ';' CSV written by a European Excel: detected,
    or read with --decimal ,; the same result as the file with decimal points."""
    rows = ["group;score;truth"] + [
        f"{'ab'[i % 2]};0,{(i * 37) % 100:02d};{'yes' if (i * 37) % 100 > 40 + i % 3 else 'no'}"
        for i in range(400)
    ]
    comma = tmp_path / "scores.csv"
    comma.write_text("\n".join(rows) + "\n")
    point = tmp_path / "scores-point.csv"
    point.write_text(comma.read_text().replace(",", "."))
    check = ("bias", "check", "--score", "score", "--threshold", "0.5", "-g", "group")
    options = ("--truth", "truth", "--format", "json")

    def result(path, *extra):
        done = run_cli(*check, str(path), *options, *extra)
        assert done.returncode == 0, done.stderr
        data = json.loads(done.stdout)
        return [(m["id"], [(g["group"], g["value"]) for g in m["groups"]]) for m in data["metrics"]]

    twin = result(point)
    assert result(comma, "--decimal", ",") == twin
    assert result(comma) == twin  # a ';' CSV: detected


def test_the_report_reads_a_log_s_decimal_commas_with_its_bias_decimal_option(tmp_path):
    quoted = CORPUS / "logs" / "decimal-comma-in-commas.csv"
    report = (
        "report",
        str(REPO / "examples" / "bakery" / "answers.yaml"),
        "-o",
        str(tmp_path / "report.html"),
        "--bias",
        f"chatbot:{quoted}",
        "--bias-group",
        "language",
    )
    refused = run_cli(*report)
    assert refused.returncode == 2 and "decimal comma" in refused.stderr
    assert "--bias-decimal ," in refused.stderr and not re.search(
        r"(?<!bias)-decimal", refused.stderr
    )
    done = run_cli(*report, "--bias-decimal", ",")
    assert done.returncode == 0, done.stderr
