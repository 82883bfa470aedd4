"""Real engines for the tests: a throw-away PostgreSQL 15 server and a local Spark session.

PostgreSQL: Debian's server binaries (/usr/lib/postgresql/15/bin), started as the `postgres`
user on a Unix socket in a temporary folder (no TCP port), stopped when the tests end.
Spark: PySpark in local mode on the machine's Java, bound to 127.0.0.1.

Where one is missing (a fresh laptop), its tests skip with the reason. ``.ci/run`` sets
AUDITKIT_REQUIRE_ENGINES=1, which turns such a skip into a failure: CI always runs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

POSTGRES_BIN = Path(os.environ.get("AUDITKIT_POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))


def unavailable(reason: str) -> None:
    if os.environ.get("AUDITKIT_REQUIRE_ENGINES") == "1":
        pytest.fail(f"{reason} — required by AUDITKIT_REQUIRE_ENGINES=1")
    pytest.skip(f"{reason} — engine tests skipped")


def _as_postgres(command: list[str]) -> list[str]:
    """initdb refuses to run as root: run the server as the `postgres` user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def start_postgres(durable: bool = False) -> tuple[str, callable]:
    """A fresh server; returns its URL and a function that stops it. Tests run it without
    fsync (nothing they check needs a power cut survived); ``durable`` keeps PostgreSQL's
    default (fsync on), as a benchmark of what users wait for must."""
    if not (POSTGRES_BIN / "initdb").exists():
        unavailable(f"no PostgreSQL server binaries in {POSTGRES_BIN} (apt-get install postgresql)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("psycopg is not installed (pip install 'auditkit[postgres]')")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        unavailable("running as root without runuser to start PostgreSQL as its own user")
    folder = Path(tempfile.mkdtemp(prefix="akpg-", dir="/tmp"))  # a short socket path
    folder.chmod(0o777)
    data = folder / "data"
    subprocess.run(
        _as_postgres(
            [
                str(POSTGRES_BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-k {folder} -c listen_addresses=''" + ("" if durable else " -c fsync=off")
    subprocess.run(
        _as_postgres(
            [
                str(POSTGRES_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(folder / "server.log"),
                "-w",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )

    def stop() -> None:
        subprocess.run(
            _as_postgres([str(POSTGRES_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)

    return f"postgresql://postgres@/postgres?host={folder}", stop


def start_spark():
    if shutil.which("java") is None:
        unavailable("no Java on this machine (apt-get install openjdk-17-jre-headless)")
    try:
        from auditkit.bias.engines.spark import Spark
    except ImportError:  # pragma: no cover - the module itself imports nothing heavy
        raise
    try:
        import pyspark  # noqa: F401
    except ImportError:
        unavailable("pyspark is not installed (pip install 'auditkit[spark]')")
    engine = Spark.connect("spark://local[1]")
    engine.created = True  # this fixture owns the session; checks reuse it and leave it running
    return engine
