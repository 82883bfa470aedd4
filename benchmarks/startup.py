"""How long `auditkit --help` takes next to `python -c "import click"` (same run, same machine),
in English and in German (German reads its compiled catalog with the standard library).

Run: python benchmarks/startup.py [--runs N]
Prints the median wall time of each command over N fresh processes, and their ratio.
"""

from __future__ import annotations

import argparse
import os
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
    "auditkit --help (AUDITKIT_LANG=de)": [sys.executable, "-m", "auditkit", "--help"],
}
GERMAN = {"auditkit --help (AUDITKIT_LANG=de)"}


def median_seconds(command: list[str], runs: int, language: str = "en") -> float:
    times = []
    environment = {**os.environ, "AUDITKIT_LANG": language}
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    from auditkit.i18n.catalogs import compiled

    compiled("de")  # a source checkout compiles the .po once, before the timing
    results = {
        name: median_seconds(cmd, runs, "de" if name in GERMAN else "en")
        for name, cmd in COMMANDS.items()
    }
    baseline = results["python -c 'import click'"]
    print(f"{'command':36} {'median ms':>10} {'× import click':>15}")
    for name, seconds in results.items():
        print(f"{name:36} {seconds * 1000:10.1f} {seconds / baseline:15.2f}")


if __name__ == "__main__":
    main()
