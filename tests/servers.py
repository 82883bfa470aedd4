"""``auditkit serve`` as a user starts it: its own process, the printed link read back."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import REPO, run_cli


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
    link = _printed(process, r"(http://127\.0\.0\.1:\d+/\S*\?token=\S+)", 20)
    if link is None:
        raise AssertionError(f"no address printed: {process.stderr.read()}")
    return process, link


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
    base = _printed(process, r"Listening on (https?://127\.0\.0\.1:\d+)", 10)
    if base is None:
        raise AssertionError(f"no address printed; log: {log.read_text()}")
    return process, base


@contextmanager
def advisor_server(location: str, log: Path, *emails: str, extra: tuple = ()) -> Iterator[str]:
    """``auditkit server run`` with an account for each of ``emails`` (added from the command
    line, as an administrator does, with the tests' password); yields the base URL and stops
    the server after the block."""
    from tests.serverweb import PASSWORD

    for email in emails:
        added = run_cli(
            "server", "add-advisor", email, "--db", location, env={"AUDITKIT_PASSWORD": PASSWORD}
        )
        assert added.returncode == 0, added.stderr
    server, base = start_practice_server(location, log, *extra)
    try:
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _printed(process: subprocess.Popen, pattern: str, lines: int) -> str | None:
    """What ``pattern`` captures in the first ``lines`` lines the process prints; None (and
    the process killed) when it prints no such line."""
    for _ in range(lines):
        found = re.search(pattern, process.stdout.readline())
        if found:
            return found.group(1)
    process.kill()
    return None
