"""``auditkit serve`` as a user starts it: its own process, the printed link read back."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def start_server(
    folder: Path, *extra: str, output: str = "answers.yaml", rubric: str = "small.yaml"
) -> tuple[subprocess.Popen, str]:
    """Start ``auditkit serve`` in ``folder``; (the process, the printed one-time link)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "auditkit", "serve", "--no-browser", "-o", output]
        + (["--rubric", rubric] if rubric else [])
        + list(extra),
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    for _ in range(20):
        line = process.stdout.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+/\S*\?token=\S+)", line)
        if found:
            return process, found.group(1)
    process.kill()
    raise AssertionError(f"no address printed: {process.stderr.read()}")


def start_practice_server(location: str, log: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """Start ``auditkit server run`` on a free loopback port; (the process, its base URL).
    Its log (stderr) goes to ``log``."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "auditkit",
            "server",
            "run",
            "--db",
            location,
            "--port",
            "0",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=log.open("a"),
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    for _ in range(10):
        line = process.stdout.readline()
        found = re.search(r"Listening on (https?://127\.0\.0\.1:\d+)", line)
        if found:
            return process, found.group(1)
    process.kill()
    raise AssertionError(f"no address printed; log: {log.read_text()}")
