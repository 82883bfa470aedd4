"""Bias check at scale: auditkit (DuckDB counts + fairlearn on cells) against raw fairlearn.

    python benchmarks/bias.py [--sizes 4e3 1e5 1e6 1e7] [--raw-timeout 240]

Generates chatbot logs with 20 groups (cached in benchmarks/.data/) as Parquet and CSV, then
runs each command in a fresh process and prints wall time and peak RSS (from wait4, the child's
own maximum resident set). Raw fairlearn reads the file with pandas and runs MetricFrame on
every row for the same five metrics; it is skipped when it exceeds --raw-timeout seconds.
Each size also runs the bare DuckDB GROUP BY of the same columns in a fresh process ("bare
duckdb": the floor any tool that reads the file pays) and prints auditkit's time as a multiple
of it. Targets on the 2-core reference machine: 1e7-row Parquet ≤ 3 s, ≤ 500 MB and ≤ 5× the
bare GROUP BY; 1e6-row CSV ≤ 2 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / ".data"
GROUPS = 20

RAW_FAIRLEARN = r"""
import sys
import numpy as np, pandas as pd
from fairlearn.metrics import MetricFrame, selection_rate, true_positive_rate
path = sys.argv[1]
cols = ["region", "requested_human", "reached_human", "resolved", "satisfaction", "wait_time"]
df = pd.read_parquet(path, columns=cols) if path.endswith(".parquet") else pd.read_csv(path, usecols=cols)
g = df["region"]
for col in ("reached_human", "resolved"):
    y = df[col].astype(int)
    MetricFrame(metrics=selection_rate, y_true=y, y_pred=y, sensitive_features=g).by_group
MetricFrame(metrics=true_positive_rate, y_true=df["requested_human"].astype(int),
            y_pred=df["reached_human"].astype(int), sensitive_features=g).by_group
for col in ("satisfaction", "wait_time"):
    known = df[col].notna()
    MetricFrame(metrics=lambda t, p: float(np.mean(p)), y_true=df[col][known], y_pred=df[col][known],
                sensitive_features=g[known]).by_group
"""


BARE_DUCKDB = r"""
import sys
import duckdb
path = sys.argv[1]
source = f"read_parquet('{path}')" if path.endswith(".parquet") else f"read_csv('{path}')"
duckdb.sql(
    "SELECT region, requested_human, reached_human, resolved, count(*), "
    "count(satisfaction), sum(satisfaction), sum(satisfaction * satisfaction), "
    "count(wait_time), sum(wait_time), sum(wait_time * wait_time) "
    f"FROM {source} GROUP BY ALL"
).fetchall()
"""


def generate(rows: int) -> tuple[Path, Path]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    DATA.mkdir(exist_ok=True)
    parquet, csv = DATA / f"chatbot-{rows}.parquet", DATA / f"chatbot-{rows}.csv"
    if parquet.exists() and csv.exists():
        return parquet, csv
    rng = np.random.default_rng(rows)
    region = rng.integers(0, GROUPS, rows)
    requested = rng.random(rows) < 0.35
    reached = np.where(
        requested, rng.random(rows) < np.where(region == 3, 0.5, 0.9), rng.random(rows) < 0.08
    )
    satisfaction = rng.integers(1, 6, rows).astype(float)
    satisfaction[rng.random(rows) < 0.5] = np.nan
    table = pa.table(
        {
            "conversation_id": np.arange(rows, dtype=np.int64),
            "region": pa.array([f"region-{i:02d}" for i in range(GROUPS)]).take(pa.array(region)),
            "requested_human": requested,
            "reached_human": reached,
            "resolved": rng.random(rows) < 0.7,
            "satisfaction": satisfaction,
            "wait_time": rng.integers(0, 900, rows),
        }
    )
    pq.write_table(table, parquet)
    pacsv.write_csv(table, csv)
    return parquet, csv


def measure(command: list[str], timeout: float) -> tuple[float, float] | None:
    """Wall seconds and peak RSS (MB) of one fresh process; None if it timed out."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            return None
        time.sleep(0.01)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="+", type=float, default=[4e3, 1e5, 1e6, 1e7])
    parser.add_argument("--raw-timeout", type=float, default=240)
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(args.generate)
        return
    print(f"{'rows':>10} {'file':8} {'tool':15} {'wall s':>8} {'peak MB':>8} {'× bare':>7}")
    for size in args.sizes:
        rows = int(size)
        # Generate in a child process: a child forked from a parent holding the data would
        # report the parent's memory in its own peak RSS.
        subprocess.run([sys.executable, __file__, "--generate", str(rows)], check=True)
        for path in generate(rows):
            kind = path.suffix.lstrip(".")
            auditkit = [
                sys.executable,
                "-m",
                "auditkit",
                "bias",
                "chatbot",
                str(path),
                "-g",
                "region",
                "--format",
                "json",
            ]
            raw = [sys.executable, "-c", RAW_FAIRLEARN, str(path)]
            bare = [sys.executable, "-c", BARE_DUCKDB, str(path)]
            floor = None
            for tool, command, limit in (
                ("bare duckdb", bare, 600),
                ("auditkit", auditkit, 600),
                ("raw fairlearn", raw, args.raw_timeout),
            ):
                result = measure(command, limit)
                if result is None:
                    print(
                        f"{rows:>10} {kind:8} {tool:15} {'skipped: over ' + str(int(limit)) + ' s':>17}"
                    )
                    continue
                floor = floor or result[0]
                times = f"{result[0] / floor:6.1f}×"
                print(f"{rows:>10} {kind:8} {tool:15} {result[0]:8.2f} {result[1]:8.0f} {times}")
                sys.stdout.flush()


if __name__ == "__main__":
    main()
