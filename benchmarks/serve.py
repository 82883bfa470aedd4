"""`auditkit serve`: time from POSTing an answer to receiving the next page, save included.

    python benchmarks/serve.py [--rounds 3]

Starts the real server (`auditkit serve --no-browser`) on the 61-question hospitality rubric
in a temporary folder, answers every question over HTTP as a browser does (cookie, CSRF token,
version), `--rounds` times over (later rounds re-answer from the review, as an owner editing
does), and prints the median and 95th percentile of each POST → redirect → next page.
Target on the 2-core reference machine: p95 ≤ 50 ms.

The client is the standard library's http.client, which sends a small request in one write as
browsers do. (httpx writes the headers and the body of a POST separately; with Nagle's
algorithm and delayed ACKs on loopback that adds a fixed ~40 ms that no browser sees.)
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


class Page:
    def __init__(self, path: str, text: str) -> None:
        self.path, self.text = path, text


class Browser:
    """Just enough of a browser: one keep-alive connection, the session cookie, redirects."""

    def __init__(self, base: str) -> None:
        from http.client import HTTPConnection
        from urllib.parse import urlsplit

        self.host = urlsplit(base).netloc
        self.connection = HTTPConnection(self.host)
        self.cookie = ""

    def request(self, method: str, path: str, body: bytes | None = None) -> Page:
        headers = {"Host": self.host, "Cookie": self.cookie}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        if response.getheader("set-cookie"):
            self.cookie = response.getheader("set-cookie").split(";")[0]
        if response.status in (301, 302, 303):
            return self.request("GET", response.getheader("location"))
        return Page(path, text)

    def get(self, path: str) -> Page:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Page:
        from urllib.parse import urlencode

        return self.request("POST", path, urlencode(data).encode())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="auditkit-serve-"))
    server = subprocess.Popen(
        [sys.executable, "-m", "auditkit", "serve", "--no-browser", "-o", "answers.yaml"],
        cwd=folder,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        address = None
        while address is None:  # http://127.0.0.1:PORT/INSTANCE/?token=…
            found = re.search(
                r"(http://127\.0\.0\.1:\d+)(/[^/?\s]+)/\?token=(\S+)", server.stdout.readline()
            )
            address = found.groups() if found else None
        base, root, token = address
        client = Browser(base)
        client.get(f"{root}/?token={token}")
        page = client.get(f"{root}/start")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        page = client.post(
            f"{root}/start",
            {
                "csrf": csrf,
                "name": "Benchmark Inn",
                "sector": "hospitality",
                "person": "",
                "role": "",
            },
        )
        timings: list[float] = []
        for round_number in range(args.rounds):
            if round_number:
                review = client.get(f"{root}/review")
                page = client.get(re.search(r'href="([^"?]*/q/[^"?]+)', review.text).group(1))
            while "/q/" in page.path:
                version = re.search(r'name="version" value="([^"]+)"', page.text).group(1)
                values = re.findall(r'name="value" value="([^"]+)"', page.text)
                action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
                value = values[round_number % len(values)]
                data = {
                    "csrf": csrf,
                    "version": version,
                    "value": value,
                    "note": "",
                    "action": "save",
                }
                started = time.perf_counter()
                page = client.post(action, data)
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[int(0.95 * (len(timings) - 1))]
        print(f"{'answers':>8} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
        print(f"{len(timings):>8} {statistics.median(timings):10.1f} {p95:8.1f} {timings[-1]:8.1f}")
        print(f"target p95 <= 50 ms: {'met' if p95 <= 50 else 'MISSED'}")
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
