"""Excel workbooks as decision logs: time and peak memory of 'auditkit bias' on .xlsx files
against the same rows as CSV.

    python benchmarks/workbooks.py [--rows 1e4 1e5 4e5 1e6]

Each size is a chatbot log of four columns (language, requested_human, reached_human,
wait_time), written once as .xlsx (streamed, never held whole) and as CSV, cached in
benchmarks/.data/. Each command runs in a fresh process; the table shows wall time and the
child's peak RSS (from wait4). Above 2,000,000 cells a workbook is refused while its sheet is
streamed, before calamine holds it: that row shows the refusal's cost. Goals on the 2-core
reference machine: 4e5 rows (1.6 million cells) read in ≤ 15 s and ≤ 600 MB (calamine parses
the sheet in about 5 s of that; a CSV is the fast path and is said so in the refusal); a
refused million-row workbook ≤ 5 s and ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / ".data"
HEADER = ["language", "requested_human", "reached_human", "wait_time"]


def write_workbook(path: Path, rows: int) -> None:
    """The log as Excel would save it (streamed by the test corpus's hand-written writer)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.corpus.make_corpus import workbook

    workbook(
        path,
        (
            HEADER
            if number == 1
            else [
                ("en", "pl", "de", "uk")[number % 4],
                "true",
                "true" if (number // 3) % 2 else "false",
                number % 600 + 0.5,
            ]
            for number in range(1, rows + 2)
        ),
    )


def write_csv(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(",".join(HEADER) + "\n")
        for number in range(2, rows + 2):
            language = ("en", "pl", "de", "uk")[number % 4]
            flag = "true" if (number // 3) % 2 else "false"
            stream.write(f"{language},true,{flag},{number % 600}.5\n")


def measure(path: Path) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in MB and the exit code of 'auditkit bias chatbot PATH'."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "auditkit", "bias", "chatbot", str(path), "-g", "language"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", nargs="+", type=float, default=[1e4, 1e5, 4e5, 1e6])
    arguments = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    print(f"{'ROWS':>10} {'FORMAT':6} {'SECONDS':>8} {'PEAK MB':>8} {'EXIT':>5}")
    for rows in (int(r) for r in arguments.rows):
        for suffix, writer in ((".xlsx", write_workbook), (".csv", write_csv)):
            path = DATA / f"workbook-{rows}{suffix}"
            if not path.exists():
                writer(path, rows)
            seconds, peak, code = measure(path)
            print(f"{rows:>10} {suffix[1:]:6} {seconds:>8.2f} {peak:>8} {code:>5}")


if __name__ == "__main__":
    main()
