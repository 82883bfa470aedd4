"""The command line starts fast and keeps one exit-code contract."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import run_cli

HEAVY = (
    "pandas",
    "fairlearn",
    "duckdb",
    "weasyprint",
    "sklearn",
    "numpy",
    "pyarrow",
    "sqlalchemy",
    "alembic",
    "argon2",
    "babel",
)

PROBE = """
import atexit, sys
atexit.register(lambda: print("HEAVY:" + ",".join(sorted(
    {m.split('.')[0] for m in sys.modules} & set(%r))), file=sys.stderr))
sys.argv = ["auditkit", *%r]
from auditkit.cli import main
main()
"""


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["rubric", "list"],
        ["rubric", "show", "human-centred-automation"],
        ["--version"],
        ["server", "--help"],
        ["rules", "-j", "EU"],
    ],
)
def test_light_commands_import_no_heavy_library(args):
    result = subprocess.run(
        [sys.executable, "-c", PROBE % (HEAVY, args)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "HEAVY:\n" in result.stderr or result.stderr.rstrip().endswith("HEAVY:")


def test_version():
    from auditkit import __version__

    result = run_cli("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_usage_errors_exit_2():
    result = run_cli("rubric", "frobnicate")
    assert result.returncode == 2
    assert "No such command" in result.stderr


def test_an_internal_error_exits_3_with_a_short_message(tmp_path, monkeypatch):
    code = (
        "import sys; sys.argv=['auditkit', 'rubric', 'list'];"
        "import auditkit.rubric.registry as r;"
        "r.entries = lambda: 1/0;"
        "from auditkit.cli import main; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 3
    assert "internal error: ZeroDivisionError" in result.stderr
    assert "Traceback" not in result.stderr
