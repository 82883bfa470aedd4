"""The practice server under a workshop's load: 100 respondents answering at once.

Each respondent is a thread with its own HTTP client (cookies, form keys) against a real
``auditkit server run`` process on loopback. What is timed is what a person waits for: from
pressing Save (the POST) until the next question's page has arrived (the redirect's GET).
Between answers each respondent reads the next question for ``--think`` seconds (uniformly
from half to one and a half times it; 0 makes every phone answer as fast as it can, which is
a load test, not a workshop). While they answer, an advisor downloads the PDF report, which
renders in the server's worker pool; the latency is measured while it renders.

    python benchmarks/server.py [--respondents 100] [--answers 8] [--think 2] [--workers 2]
                                [--postgres]

Goal (issue 24): p95 ≤ 50 ms on SQLite and on PostgreSQL, on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from tests.servers import start_practice_server
from tests.serverweb import CSRF, PASSWORD, QUESTION, VALUES, VERSION


def setup(location: str, respondents: int) -> tuple[int, list[str]]:
    from auditkit.server.database import open_database
    from auditkit.server.records import add_advisor, add_audit, add_client, invite

    database, _ = open_database(location)
    advisor = add_advisor(database, "bench@example.org", PASSWORD)
    client = add_client(database, advisor, "Value Inn", "hospitality")
    audit = add_audit(database, client, "human-centred-automation")
    owner = invite(database, audit, "owner")[1]
    tokens = [invite(database, audit, "staff")[1] for _ in range(respondents)]
    database.close()
    return audit, [owner, *tokens]


def respondent(
    base: str,
    token: str,
    answers: int,
    waits: list,
    start: threading.Barrier,
    think: float = 0.0,
) -> None:
    with httpx.Client(base_url=base, follow_redirects=True, timeout=60) as phone:
        page = phone.get(f"/i/{token}")
        csrf = CSRF.search(page.text).group(1)
        page = phone.post("/answer/begin", data={"csrf": csrf})
        start.wait()
        reader = random.Random(token)
        for _ in range(answers):
            if think:
                time.sleep(reader.uniform(think / 2, think * 1.5))
            question = QUESTION.search(page.text).group(1)
            fields = {
                "csrf": csrf,
                "version": VERSION.search(page.text).group(1),
                "action": "save",
                "value": VALUES.findall(page.text)[0],
            }
            began = time.perf_counter()
            saved = phone.post(f"/answer/q/{question}", data=fields, follow_redirects=False)
            page = phone.get(saved.headers["location"])
            waits.append((time.perf_counter() - began) * 1000)
            assert saved.status_code == 303 and page.status_code == 200


def advisor_pdf(base: str, audit: int, seconds: list) -> None:
    with httpx.Client(base_url=base, follow_redirects=False, timeout=300) as browser:
        csrf = CSRF.search(browser.get("/login").text).group(1)
        browser.post(
            "/login", data={"csrf": csrf, "email": "bench@example.org", "password": PASSWORD}
        )
        began = time.perf_counter()
        response = browser.get(f"/audits/{audit}/download/report.pdf")
        seconds.append(time.perf_counter() - began)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")


def run(
    location: str, respondents: int, answers: int, think: float, workers: int, with_pdf: bool
) -> dict:
    audit, tokens = setup(location, respondents)
    folder = Path(tempfile.mkdtemp())
    server, base = start_practice_server(location, folder / "server.log", "--workers", str(workers))
    try:
        # The owner answers first, so that there is a report to render during the burst.
        owner_waits: list[float] = []
        respondent(base, tokens[0], 12, owner_waits, threading.Barrier(1))
        waits: list[float] = []
        barrier = threading.Barrier(respondents + 1)
        threads = [
            threading.Thread(target=respondent, args=(base, token, answers, waits, barrier, think))
            for token in tokens[1:]
        ]
        for thread in threads:
            thread.start()
        barrier.wait()
        began = time.perf_counter()
        pdf_seconds: list[float] = []
        pdf = threading.Thread(target=advisor_pdf, args=(base, audit, pdf_seconds))
        if with_pdf:
            pdf.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        if with_pdf:
            pdf.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    ordered = sorted(waits)
    return {
        "answers": len(waits),
        "p50": statistics.median(ordered),
        "p95": ordered[int(len(ordered) * 0.95) - 1],
        "max": ordered[-1],
        "per_second": len(waits) / elapsed,
        "pdf": pdf_seconds[0] if pdf_seconds else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100)
    parser.add_argument("--answers", type=int, default=8)
    parser.add_argument("--think", type=float, default=2.0, help="seconds between answers")
    parser.add_argument("--workers", type=int, default=2, help="the server's --workers")
    parser.add_argument("--no-pdf", action="store_true", help="no report rendered meanwhile")
    parser.add_argument("--postgres", action="store_true", help="also on a fresh PostgreSQL")
    options = parser.parse_args()
    rows = []
    settings = (
        options.respondents,
        options.answers,
        options.think,
        options.workers,
        not options.no_pdf,
    )
    with tempfile.TemporaryDirectory() as folder:
        rows.append(("SQLite", run(str(Path(folder) / "bench.db"), *settings)))
    if options.postgres:
        from tests.engines import start_postgres

        url, stop = start_postgres()
        try:
            rows.append(("PostgreSQL 15", run(url, *settings)))
        finally:
            stop()
    print(
        f"{options.respondents} respondents at once, {options.answers} answers each, "
        f"{options.think:g} s to read each question, {options.workers} server workers, "
        f"{os.cpu_count()} cores" + ("" if options.no_pdf else "; a PDF rendered meanwhile")
    )
    print("| database | answers | p50 ms | p95 ms | max ms | answers/s | PDF s |")
    print("|---|---|---|---|---|---|---|")
    for name, row in rows:
        print(
            f"| {name} | {row['answers']} | {row['p50']:.1f} | {row['p95']:.1f} | "
            f"{row['max']:.1f} | {row['per_second']:.0f} | {row['pdf']:.1f} |"
        )


if __name__ == "__main__":
    main()
