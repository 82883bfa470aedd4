"""``-o PATH`` writes exactly where the user pointed, the way that place needs.

A regular file is replaced atomically; a symlink's target is updated and the link kept; a
device or FIFO is written in place (never renamed over: as root, ``-o /dev/null`` must not
replace the machine's /dev/null); ``-o -`` is standard output; a place that cannot hold a
file is exit 2 before any work. None of these tests touches the real /dev/null.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading

import pytest

from auditkit.fileio import remove_stale_copies, write_to
from tests.conftest import REPO, run_cli

BAKERY = str(REPO / "examples" / "bakery" / "answers.yaml")


def test_a_regular_file_is_replaced_and_keeps_its_permissions(tmp_path):
    target = tmp_path / "score.txt"
    target.write_text("old")
    target.chmod(0o640)
    result = run_cli("score", BAKERY, "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert "Corner" in target.read_text() or "phase" in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_symlink_keeps_pointing_at_its_updated_target(tmp_path):
    real = tmp_path / "reports" / "score.txt"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.txt"
    link.symlink_to(real)
    result = run_cli("score", BAKERY, "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "phase" in real.read_text()
    assert sorted(p.name for p in real.parent.iterdir()) == ["score.txt"]


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "latest.txt"
    link.symlink_to(tmp_path / "new.txt")
    assert run_cli("score", BAKERY, "-o", str(link)).returncode == 0
    assert link.is_symlink() and "phase" in (tmp_path / "new.txt").read_text()


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root (CI runs as root)")
def test_a_character_device_is_written_in_place_not_replaced(tmp_path):
    device = tmp_path / "null"
    os.mknod(device, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # a private /dev/null
    result = run_cli("score", BAKERY, "-o", str(device))
    assert result.returncode == 0, result.stderr
    mode = device.stat().st_mode
    assert stat.S_ISCHR(mode) and stat.S_IMODE(mode) == 0o600
    assert os.major(device.stat().st_rdev) == 1 and os.minor(device.stat().st_rdev) == 3


def test_a_fifo_receives_the_output_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run_cli("score", BAKERY, "--format", "json", "-o", str(fifo))
    reader.join(timeout=10)
    if reader.is_alive() and stat.S_ISFIFO(fifo.stat().st_mode):  # nothing came: let it go
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=10)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and received[0].startswith(b"{")


def test_dash_and_dev_stdout_write_to_standard_output(tmp_path):
    for target in ("-", "/dev/stdout"):
        result = run_cli("score", BAKERY, "--format", "json", "-o", target)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("{"), target
    # Redirected to a file, /dev/stdout writes into that same file (no rename behind the shell).
    out = tmp_path / "out.json"
    with open(out, "w") as stream:
        subprocess.run(
            [sys.executable, "-m", "auditkit", "score", BAKERY, "-o", "/dev/stdout"],
            stdout=stream,
            check=True,
        )
    assert "phase" in out.read_text()
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("/proc/version", "cannot hold a new file"),
        ("{tmp}", "is a directory"),
        ("{tmp}/missing/score.txt", "does not exist"),
    ],
)
def test_a_place_that_cannot_hold_a_file_is_refused_before_any_work(tmp_path, target, says):
    result = run_cli("score", BAKERY, "-o", target.format(tmp=tmp_path))
    assert result.returncode == 2, result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr


def test_report_to_standard_output(tmp_path):
    result = run_cli("report", BAKERY, "-o", "-", "--date", "2026-12-01")
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.lstrip().lower().startswith("<!doctype html>")
        and "Wrote" not in result.stdout
    )


def test_a_copy_left_by_an_interrupted_save_is_removed_by_the_next_save(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("old")
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], text=True, capture_output=True
    ).stdout.strip()
    left = tmp_path / f".answers.yaml.{gone}.x1y2z3.tmp"  # its writer was killed (-9)
    left.write_text("a copy of the owner's notes")
    running = tmp_path / f".answers.yaml.{os.getppid()}.a1b2c3.tmp"  # a live writer's
    running.write_text("a save in progress")
    write_to(answers, "new")
    assert answers.read_text() == "new" and not left.exists() and running.exists()
    assert remove_stale_copies(answers) == []


def test_assess_says_when_it_removes_a_leftover_copy(tmp_path):
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], text=True, capture_output=True
    ).stdout.strip()
    left = tmp_path / f".answers.yaml.{gone}.x1y2z3.tmp"
    left.write_text("a copy of the owner's notes")
    result = run_cli("assess", "-o", str(tmp_path / "answers.yaml"), input="")
    assert f"Removed {left.name}" in result.stderr and not left.exists()
