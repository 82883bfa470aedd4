"""How long `auditkit --help` takes next to `python -c "import click"` (same run, same machine).

Run: python benchmarks/startup.py [--runs N]
Prints the median wall time of each command over N fresh processes, and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "python -c 'import click'": [sys.executable, "-c", "import click"],
    "auditkit --help": [sys.executable, "-m", "auditkit", "--help"],
    "auditkit rubric list": [sys.executable, "-m", "auditkit", "rubric", "list"],
    "auditkit rubric show (default)": [
        sys.executable,
        "-m",
        "auditkit",
        "rubric",
        "show",
        "human-centred-automation",
    ],
}


def median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    results = {name: median_seconds(cmd, runs) for name, cmd in COMMANDS.items()}
    baseline = results["python -c 'import click'"]
    print(f"{'command':34} {'median ms':>10} {'× import click':>15}")
    for name, seconds in results.items():
        print(f"{name:34} {seconds * 1000:10.1f} {seconds / baseline:15.2f}")


if __name__ == "__main__":
    main()
