"""The Python API, used as an auditor in a notebook would: DataFrames in, the CLI's numbers out.

A file, a pandas DataFrame, a polars DataFrame and an Arrow table of the same log give the
same result; ``to_json()`` is the CLI's JSON byte for byte; errors are the CLI's, raised;
``import auditkit`` stays light; docs/python.md and the shipped notebook run top to bottom.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

import auditkit
from tests.conftest import REPO, run_cli

CHATBOT = REPO / "examples" / "logs" / "chatbot.csv"
VALUE_INN = REPO / "examples" / "value-inn" / "answers.yaml"


def without_source(result) -> dict:
    data = result.to_dict()
    data.pop("source")
    return data


@pytest.fixture(scope="module")
def from_file():
    return auditkit.bias.chatbot(CHATBOT, group="language")


def test_a_file_pandas_polars_and_arrow_give_the_same_result(from_file):
    import pandas as pd
    import polars as pl
    import pyarrow.csv

    expected = without_source(from_file)
    inputs = {
        "pandas": pd.read_csv(CHATBOT),
        "polars": pl.read_csv(CHATBOT),
        "arrow": pyarrow.csv.read_csv(CHATBOT),
    }
    for kind, data in inputs.items():
        result = auditkit.bias.chatbot(data, group="language")
        assert without_source(result) == expected, kind
        assert result.to_dict()["source"]["kind"] == "frame"


def test_to_json_is_the_command_lines_json_byte_for_byte(from_file):
    cli = run_cli("bias", "chatbot", str(CHATBOT), "-g", "language", "--format", "json")
    assert cli.returncode == 0, cli.stderr
    assert from_file.to_json() == cli.stdout


def test_the_generic_check_with_every_option_name_of_the_cli(tmp_path):
    import pandas as pd

    loans = pd.DataFrame(
        {
            "region": ["north"] * 300 + ["south"] * 300,
            "band": (["a", "b"] * 150) * 2,
            "decision": ["approved"] * 180
            + ["refused"] * 120
            + ["approved"] * 120
            + ["refused"] * 180,
        }
    )
    log = tmp_path / "loans.csv"
    loans.to_csv(log, index=False)
    options = dict(
        group="region",
        outcome="decision",
        positive="approved",
        within="band",
        correction="bh",
        tolerance=(0.9, 1.1),
        min_group_size=20,
        suppress_below=5,
        reference="north",
    )
    result = auditkit.bias.check(log, **options)
    cli = run_cli(
        "bias", "check", str(log), "-g", "region", "--outcome", "decision",
        "--positive", "approved", "--within", "band", "--correction", "bh",
        "--tolerance", "0.9", "1.1", "--min-group-size", "20", "--suppress-below", "5",
        "--reference", "north", "--format", "json",
    )  # fmt: skip
    assert result.to_json() == cli.stdout
    assert [f.group for f in result.disadvantaged()] == ["south"]


def test_a_result_is_a_table_a_notebook_shows_and_fairlearns_metric_frame(from_file):
    table = from_file.to_frame()
    assert {
        "metric",
        "group",
        "n",
        "value",
        "ci_low",
        "ratio",
        "ratio_ci_high",
        "p_adjusted",
    } <= set(table.columns)
    polish = table[(table.metric == "reached_human") & (table.group == "pl")].iloc[0]
    assert polish.verdict == "disadvantaged" and 0.5 < polish.ratio < 0.6
    suppressed = table[table.reason.str.startswith("suppressed")]
    assert not suppressed.empty and suppressed.value.isna().all()
    html = from_file._repr_html_()
    assert html.count("<tr>") == len(table) + 1 and "disadvantaged" in html
    frame = from_file.metric_frame("reached_human")
    assert type(frame).__name__ == "MetricFrame"
    assert frame.by_group["value"]["pl"] == pytest.approx(polish.value, abs=1e-12)
    assert "Disadvantaged: pl" in from_file.summary and "pl" in str(from_file)


def test_a_bad_column_raises_the_clis_message():
    import pandas as pd

    with pytest.raises(auditkit.InputError) as raised:
        auditkit.bias.chatbot(pd.read_csv(CHATBOT), group="lang")
    assert "the log has no column 'lang'" in str(raised.value)
    assert "did you mean 'language'?" in str(raised.value)
    cli = run_cli("bias", "chatbot", str(CHATBOT), "-g", "lang")
    assert "the log has no column 'lang'" in cli.stderr
    with pytest.raises(TypeError, match="min_groupsize"):  # Python's own error for a typo
        auditkit.bias.chatbot(CHATBOT, group="language", min_groupsize=5)
    with pytest.raises(TypeError, match="did you mean 'min_group_size'"):
        auditkit.bias.check(CHATBOT, group="language", outcome="x", positive="y", min_groupsize=5)
    with pytest.raises(auditkit.InputError, match=r"cannot read a builtins\.list"):
        auditkit.bias.chatbot([1, 2, 3], group="language")


def test_score_report_and_compare(tmp_path, from_file):
    score = auditkit.score(VALUE_INN, bias=[from_file])
    bias_json = tmp_path / "bias.json"
    bias_json.write_text(from_file.to_json())
    cli = run_cli("score", str(VALUE_INN), "--bias", str(bias_json), "--format", "json")
    ours, theirs = json.loads(score.to_json()), json.loads(cli.stdout)
    for key in ("adoption_phase", "safeguard_phase", "gap", "overall_percent", "principles"):
        assert ours[key] == theirs[key], key  # the evidence's source name differs, no number
    assert score.safeguard_phase == theirs["safeguard_phase"]
    made = auditkit.report(VALUE_INN, bias=[bias_json], html=tmp_path / "r.html", date="2026-12-01")
    assert (tmp_path / "r.html").read_text() == made.html
    assert (tmp_path / "r.audit.json").is_file()
    changes = auditkit.compare(
        tmp_path / "r.audit.json", REPO / "examples/value-inn-2027/answers.yaml"
    )
    data = auditkit.comparison_dict(changes)
    assert data["before"]["overall_percent"] == pytest.approx(score.overall_percent)


def test_importing_auditkit_loads_no_heavy_library():
    traced = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import auditkit, auditkit.bias"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    ).stderr
    loaded = set(re.findall(r"\|\s+([\w.]+)$", traced, re.M))
    heavy = {"pandas", "fairlearn", "sklearn", "duckdb", "weasyprint", "scipy", "numpy", "jinja2"}
    assert not loaded & heavy, loaded & heavy
    assert (REPO / "auditkit" / "py.typed").is_file()
    assert set(auditkit.__all__) >= {"InputError", "bias", "compare", "report", "score"}


def test_the_examples_in_docs_python_md_run(tmp_path, monkeypatch):
    text = (REPO / "docs" / "python.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 5
    monkeypatch.chdir(REPO)
    namespace: dict = {}
    exec(compile("\n".join(blocks), "docs/python.md", "exec"), namespace)
    assert namespace["result"].summary.startswith("Disadvantaged: pl")


def test_the_notebook_runs_top_to_bottom():
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    path = REPO / "examples" / "notebooks" / "chatbot-bias.ipynb"
    notebook = nbformat.read(path, as_version=4)
    manager = KernelManager(kernel_name="python3", ip="127.0.0.1")  # loopback only
    NotebookClient(
        notebook, km=manager, timeout=180, resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/svg+xml" in o.get("data", {}) for o in outputs)
    assert any("text/html" in o.get("data", {}) for o in outputs)
