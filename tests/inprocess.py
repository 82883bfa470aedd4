"""Run ``auditkit`` the way a fresh process would, inside the test process.

A fresh ``python -m auditkit`` costs about 1.5 s of CPU before it reads its first argument
(pandas, scipy, duckdb, pyarrow being imported), and the suite runs the CLI some hundreds of
times: on two cores that was a quarter of the whole run. Tests that check what a command
prints, writes and exits with call ``auditkit.cli.main`` here instead, with what a process
would have of its own made fresh for each call and put back after:

- standard input, output and error are files at the descriptor level (0, 1, 2), so output from
  C code or a child process (DuckDB, a JVM, WeasyPrint's libraries) is caught as a pipe
  would catch it, and ``isatty()`` is false as it is under ``subprocess.run``;
- the command line (``sys.argv``), the working folder, the environment and the warning filters
  (Python's defaults, shown on standard error);
- the caches auditkit keeps per process (``functools`` caches in its modules) start empty;
- an exception that escapes ``main`` prints a traceback and exits 1, as the interpreter does;
- a call that runs longer than ``timeout`` seconds stops the test process with every thread's
  traceback (``faulthandler``): a hang fails the run instead of stalling it.

What a separate process is needed for stays a real process (``conftest.run_cli_process``):
start-up imports, the installed entry point, pseudo-terminals, signals, crashes, servers.
"""

from __future__ import annotations

import contextlib
import faulthandler
import functools
import locale
import os
import select
import subprocess
import sys
import threading
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path

# Python's own warning filters in a process started without -W or PYTHONWARNINGS, highest
# priority first (see the warnings module's documentation, "Default Warning Filter").
DEFAULT_FILTERS = (
    ("default", DeprecationWarning, "__main__"),
    ("ignore", DeprecationWarning, ""),
    ("ignore", PendingDeprecationWarning, ""),
    ("ignore", ImportWarning, ""),
    ("ignore", ResourceWarning, ""),
)


def run_main(
    args: tuple[str, ...] | list[str],
    *,
    input: str | None = None,
    cwd: Path | str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess:
    """``subprocess.run([python, -m, auditkit, *args], capture_output=True, text=True, ...)``
    without the new process: the same result object, the same decoding of the output."""
    from auditkit.cli import main

    _clear_caches()
    with (
        _environment(env),
        _folder(cwd),
        _argv(["auditkit", *args]),
        _hang_guard(timeout),
        _streams(input) as captured,
        _default_warnings(),
    ):
        code = _exit_code(main, list(args))
    return subprocess.CompletedProcess(
        [sys.executable, "-m", "auditkit", *args],
        code,
        _text(captured["out"]),
        _text(captured["err"]),
    )


def _exit_code(main, args: list[str]) -> int:
    """What the interpreter would exit with after running ``main``."""
    try:
        main(args)
    except SystemExit as stop:
        if stop.code is None:
            return 0
        if isinstance(stop.code, int):
            return stop.code
        print(stop.code, file=sys.stderr)
        return 1
    except BaseException:  # what escapes main is what a user would see
        traceback.print_exc()
        return 1
    return 0


def _text(data: bytes) -> str:
    """Decode as ``subprocess.run(text=True)`` does: the locale's encoding, universal newlines."""
    text = data.decode(locale.getpreferredencoding(False))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _clear_caches() -> None:
    """Empty every ``functools`` cache of auditkit's loaded modules (a rubric folder scanned by
    an earlier call must be read again, as a new process would)."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("auditkit") or module is None:
            continue
        for value in list(vars(module).values()):
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()


@contextlib.contextmanager
def _environment(env: dict[str, str] | None) -> Iterator[None]:
    saved = dict(os.environ)
    if env is not None:
        os.environ.clear()
        os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _folder(cwd: Path | str | None) -> Iterator[None]:
    saved = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(saved)


@contextlib.contextmanager
def _argv(argv: list[str]) -> Iterator[None]:
    saved = sys.argv
    sys.argv = argv
    try:
        yield
    finally:
        sys.argv = saved


@contextlib.contextmanager
def _streams(input: str | None) -> Iterator[dict[str, bytes]]:
    """Descriptors 0, 1 and 2 on pipes, as ``subprocess.run(input=..., capture_output=True)``
    gives a child (threads feed and drain them, as ``communicate`` does), and
    ``sys.stdin/stdout/stderr`` on them with the encodings and error handlers this interpreter
    chose for its own (a new process with the same locale chooses the same). Yields a dict
    that holds, after, the bytes written to 1 and 2."""
    model = sys.__stdout__
    encoding = getattr(model, "encoding", None) or locale.getpreferredencoding(False)
    errors = getattr(model, "errors", None) or "strict"
    pipes = [os.pipe() for _ in range(3)]  # (read end, write end) for 0, 1, 2
    child_ends = (pipes[0][0], pipes[1][1], pipes[2][1])
    data = (input or "").encode(encoding)
    feeder = threading.Thread(target=_feed, args=(pipes[0][1], data), daemon=True)
    captured: dict[str, bytes] = {}
    done = threading.Event()
    drains = [
        threading.Thread(target=_drain, args=(pipes[fd][0], captured, name, done))
        for fd, name in ((1, "out"), (2, "err"))
    ]
    for thread in (feeder, *drains):
        thread.start()
    saved_fds = [os.dup(fd) for fd in (0, 1, 2)]
    saved_streams = (sys.stdin, sys.stdout, sys.stderr)
    try:
        for fd, end in enumerate(child_ends):
            os.dup2(end, fd)
            os.close(end)
        sys.stdin = open(0, encoding=encoding, errors=errors, closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", encoding=encoding, errors=errors, closefd=False)  # noqa: SIM115
        sys.stderr = open(  # noqa: SIM115 - line-buffered, as Python's own standard error
            2, "w", buffering=1, encoding=encoding, errors="backslashreplace", closefd=False
        )
        yield captured
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(ValueError, OSError):  # closed by the command itself
                stream.flush()
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        for fd, saved in enumerate(saved_fds):
            os.dup2(saved, fd)
            os.close(saved)
        done.set()
        for thread in drains:
            thread.join()
        feeder.join(timeout=5)  # a daemon: stuck only if a child kept the read end, unread


def _feed(fd: int, data: bytes) -> None:
    """Write the input, then close: the command reads an end of file after it, as from a
    pipe (a command that stops reading early gets no error here, as with ``communicate``)."""
    with contextlib.suppress(BrokenPipeError), open(fd, "wb") as pipe:
        pipe.write(data)


def _drain(fd: int, captured: dict[str, bytes], name: str, done: threading.Event) -> None:
    """Read until the end of the pipe, or, once the command is ``done``, until nothing more is
    waiting: a process the command started and left running (Spark's JVM) may hold a copy of
    the write end, so the end of the pipe may never come."""
    chunks = []
    with open(fd, "rb", buffering=0) as pipe:
        while True:
            finished = done.is_set()  # before looking: all was written before it was set
            ready, _, _ = select.select([pipe], [], [], 0 if finished else 0.05)
            if ready:
                chunk = pipe.read(65536)
                if not chunk:
                    break
                chunks.append(chunk)
            elif finished:
                break
    captured[name] = b"".join(chunks)


@contextlib.contextmanager
def _default_warnings() -> Iterator[None]:
    """Python's default warning filters, and warnings printed to standard error (pytest would
    otherwise collect them where a test of the command's output cannot see them)."""

    def show(message, category, filename, lineno, file=None, line=None) -> None:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))

    with warnings.catch_warnings():
        warnings.resetwarnings()
        for action, category, module in reversed(DEFAULT_FILTERS):
            warnings.filterwarnings(action, category=category, module=module)
        warnings.showwarning = show
        yield


@contextlib.contextmanager
def _hang_guard(timeout: float) -> Iterator[None]:
    """After ``timeout`` seconds, every thread's traceback to this process's standard error as
    it is now (a copy of descriptor 2, before the command's own is swapped in), then exit."""
    report = os.fdopen(os.dup(2), "w")
    faulthandler.dump_traceback_later(timeout, exit=True, file=report)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
        report.close()
