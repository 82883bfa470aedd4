"""The same bias check counted on each engine: the file, a DuckDB database, PostgreSQL, Spark.

    python benchmarks/engines.py [--rows 1e7] [--skip postgres spark]

Uses the chatbot log of benchmarks/bias.py (20 regions; cached in benchmarks/.data/), loads it
into a DuckDB database file, a throw-away PostgreSQL 15 server (as the tests start one) and a
Parquet folder for Spark in local mode, then runs `auditkit bias chatbot … -g region` on each
in a fresh process and prints wall time, the client's peak RSS (the auditkit process; Spark's
JVM is the engine and not counted) and the bytes that came back (the counts, as the CSV
--save-counts writes). Loading is not timed: it is the warehouse's business, not ours.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
spec = importlib.util.spec_from_file_location("bias_benchmark", HERE / "bias.py")
bias_benchmark = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bias_benchmark)


def load_postgres(csv: Path) -> tuple[str, callable]:
    import psycopg

    from tests.engines import start_postgres

    url, stop = start_postgres()
    folder = Path(url.split("host=")[1])
    shared = folder / "chatbot.csv"
    shutil.copy(csv, shared)
    shared.chmod(0o644)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            "CREATE UNLOGGED TABLE chats (conversation_id bigint, region text, "
            "requested_human boolean, reached_human boolean, resolved boolean, "
            "satisfaction double precision, wait_time bigint)"
        )
        connection.execute(f"COPY chats FROM '{shared}' WITH (FORMAT csv, HEADER true)")
        connection.execute("ANALYZE chats")
    shared.unlink()
    return url, stop


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=float, default=1e7)
    parser.add_argument("--skip", nargs="*", default=[], choices=["duckdb", "postgres", "spark"])
    args = parser.parse_args()
    rows = int(args.rows)
    subprocess.run([sys.executable, HERE / "bias.py", "--generate", str(rows)], check=True)
    parquet, csv = bias_benchmark.generate(rows)
    work = Path(tempfile.mkdtemp(prefix="auditkit-engines-"))
    sources: list[tuple[str, list[str]]] = [("file (Parquet, DuckDB)", [str(parquet)])]
    stops = []
    started = time.perf_counter()
    if "duckdb" not in args.skip:
        database = work / "logs.duckdb"
        # In a child: a measured process forked from a parent holding DuckDB's buffers would
        # report the parent's memory as its own peak.
        load = (
            "import duckdb, sys; duckdb.connect(sys.argv[1]).execute("
            "f\"CREATE TABLE chats AS SELECT * FROM read_parquet('{sys.argv[2]}')\")"
        )
        subprocess.run([sys.executable, "-c", load, str(database), str(parquet)], check=True)
        sources.append(
            ("DuckDB database", ["--connection", f"duckdb://{database}", "--table", "chats"])
        )
    if "postgres" not in args.skip:
        url, stop = load_postgres(csv)
        stops.append(stop)
        sources.append(("PostgreSQL 15", ["--connection", url, "--table", "chats"]))
    if "spark" not in args.skip:
        lake = work / "lake"
        lake.mkdir()
        shutil.copy(parquet, lake / "part-0.parquet")
        query = f"SELECT * FROM parquet.`{lake}`"
        sources.append(("Spark local[2]", ["--connection", "spark://local[2]", "--query", query]))
    print(f"loaded in {time.perf_counter() - started:.0f} s (not counted below)\n")
    print(f"{'rows':>10}  {'engine':24} {'wall s':>7} {'client MB':>10} {'bytes back':>11}")
    try:
        for name, where in sources:
            counts = work / "counts.csv"
            command = [
                sys.executable, "-m", "auditkit", "bias", "chatbot", *where,
                "-g", "region", "--format", "json", "--save-counts", str(counts),
            ]  # fmt: skip
            seconds, megabytes = bias_benchmark.measure(command, 1800)
            print(
                f"{rows:>10}  {name:24} {seconds:7.2f} {megabytes:10.0f} "
                f"{counts.stat().st_size:11,}"
            )
            sys.stdout.flush()
    finally:
        for stop in stops:
            stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    main()
