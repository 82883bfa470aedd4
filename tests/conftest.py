"""Shared helpers: small rubrics written to real files, and running the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parent.parent

# Every property test: 150 examples, and no time limits. Hypothesis' per-example deadline and
# its too-slow health check are timing assertions: on a loaded two-core machine an example that
# takes 30 ms alone took 300 ms and failed the run; speed is measured in benchmarks/, so the
# suite's properties check meaning only. Loaded here (it was in test_scoring_model.py, which
# set it for every file only when a run collected that one), so any selection of files gets it.
settings.register_profile(
    "auditkit", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("auditkit")

SMALL_RUBRIC = """\
id: small
version: "1.0"
title: Small rubric
description: A rubric small enough to read in a test.
principles:
  - id: handoff
    title: Seamless handoff
    why: Customers can always reach a person.
  - id: privacy
    title: Privacy
    why: Data is collected with consent.
questions:
  - id: adopt.books
    principle: handoff
    kind: adoption
    phase: 1
    text: Is bookkeeping automated?
    help: Bank feeds, automatic invoices.
  - id: adopt.chatbot
    principle: handoff
    kind: adoption
    phase: 2
    text: Do customers talk to a chatbot?
    help: Any automated agent.
  - id: handoff.reach-person
    principle: handoff
    kind: safeguard
    phase: 2
    weight: 3
    when:
      adopt.chatbot: [live, pilot]
    text: Can customers reach a person from the bot?
    help: Count the steps.
    recommendation: Add a visible 'talk to a person' option.
  - id: privacy.consent
    principle: privacy
    kind: safeguard
    phase: 1
    weight: 2
    allow_na: true
    text: Do customers consent before data is collected?
    help: Informed consent.
    recommendation: Add a plain consent notice.
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Path:
    """``auditkit demo`` run once for the session: its reports are what several files read."""
    folder = tmp_path_factory.mktemp("demo")
    # Four reports with their PDFs: minutes, not seconds, on a busy 2-core machine.
    result = run_cli("demo", "-o", str(folder), "--date", "2026-11-22", timeout=600)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def small_rubric(tmp_path: Path) -> Path:
    return write(tmp_path / "small.yaml", SMALL_RUBRIC)


def one_principle_rubric(rubric_id: str, title: str, questions: str) -> str:
    """A rubric of one principle around ``questions`` (YAML list items, indented by two)."""
    return f"""id: {rubric_id}
version: "1.0"
title: {title}
description: A rubric written for one test.
principles:
  - id: p
    title: One principle
    why: For the test.
questions:
{questions}"""


def run_cli(
    *args: str,
    input: str | None = None,
    cwd: Path | None = None,
    env: dict | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess:
    """Run the CLI as a user would and return what ``subprocess.run`` would: its exit code,
    standard output and error. It runs inside this process with streams, folder, environment
    and caches of its own (``tests/inprocess.py``): a new process costs 1.5 s of imports, and
    the suite runs the CLI hundreds of times. A hang past ``timeout`` seconds is a failure.
    ``AUDITKIT_TEST_PROCESSES=1`` runs each in a new process instead, to rule the shortcut out."""
    if os.environ.get("AUDITKIT_TEST_PROCESSES"):
        return run_cli_process(*args, input=input, cwd=cwd, env=env, timeout=timeout)
    from tests.inprocess import run_main

    return run_main(args, input=input, cwd=cwd, env=env, timeout=timeout)


def run_cli_process(
    *args: str,
    input: str | None = None,
    cwd: Path | None = None,
    env: dict | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess:
    """Run the installed CLI in a fresh process, for tests where the process is the point
    (what it imports at start, signals, crashes); stopped after ``timeout`` seconds."""
    return subprocess.run(
        [sys.executable, "-m", "auditkit", *args],
        capture_output=True,
        text=True,
        input=input,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


# ---------------------------------------------------------------- the practice server's databases
@pytest.fixture(scope="session")
def postgres_url():
    """One PostgreSQL server per test process (each xdist worker), shared by every module:
    ``location`` gives each test a database of its own on it, so they share nothing else.
    Starting one takes 2–5 s; per module it was started six times a run."""
    from tests.engines import start_postgres

    url, stop = start_postgres()
    yield url
    stop()


# ---------------------------------------------------------------- Spark
@pytest.fixture(scope="session")
def spark_engine():
    """One local Spark session per test process, shared by the engine test files (a JVM takes
    15–40 s to start). Its files run on one xdist worker (``SHARED_WORKER``), so it starts
    once a run. Each file registers the temporary views it reads when it starts."""
    from tests.engines import start_spark

    engine = start_spark()
    yield engine
    engine.close()


# ---------------------------------------------------------------- how the run is spread
# Files that share a fixture too costly to build twice run on one xdist worker (``--dist
# loadgroup``; every other file is its own group, as ``loadfile`` would make it): the engine
# files share one Spark session, the report files one ``auditkit demo``.
SHARED_WORKER = {
    "test_engines.py": "spark",
    "test_engines_read_only.py": "spark",
    "test_report.py": "demo",
    "test_owner_report.py": "demo",
    "test_owner_words.py": "demo",
}
# The longest files start first (per-file totals from --junitxml on 2 cores), so the two
# workers finish together instead of one running a long file alone at the end. xdist keeps
# this order only with --no-loadscope-reorder (pyproject.toml); by default it sorts groups by
# how many tests they hold, which put the few-but-long browser files last. A file not named
# here runs after these, in name order; the list orders, it never selects.
LONGEST_FIRST = (
    "test_owner_words.py",  # with the two report files: the demo group
    "test_report.py",
    "test_owner_report.py",
    "test_engines.py",  # with test_engines_read_only.py: the Spark group
    "test_engines_read_only.py",
    "test_server_browser.py",
    "test_hostile_input.py",
    "test_server_web.py",
    "test_server_anonymity.py",
    "test_server_invitations.py",
    "test_server_processes.py",
    "test_corpus.py",
    "test_bias_exactness.py",
    "test_server_signin_and_failures.py",
    "test_scoring_bounds.py",
    "test_server_store.py",
    "test_followup.py",
    "test_server_authorization.py",
    "test_report_browser.py",
    "test_scoring_model.py",
    "test_i18n_pages.py",
    "test_contacts.py",
    "test_voices.py",
    "test_server_contacts.py",
    "test_server_contacts_browser.py",
)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items) -> None:
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: a file's order
    for item in items:
        group = SHARED_WORKER.get(item.path.name, item.path.name)
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "server.db")
    base = request.getfixturevalue("postgres_url")
    import psycopg

    name = f"t{os.getpid()}_{abs(hash(str(tmp_path))) % 10**8}"
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return base.replace("/postgres?", f"/{name}?")
