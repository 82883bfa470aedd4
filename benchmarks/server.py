"""The practice server under a workshop's load: 100 respondents answering at once.

A real ``auditkit server run`` process on loopback; the respondents' phones are simulated in
a *separate* process (``drive``), one asyncio event loop with one HTTP client (cookies, form
keys) per respondent, so that the load generator's own threads and interpreter lock do not
sit in the server's measurements. What is timed is what a person waits for: from pressing
Save (the POST) until the next question's page has arrived (the redirect's GET). Between
answers each respondent reads the next question for ``--think`` seconds (uniformly from half
to one and a half times it; 0 makes every phone answer as fast as it can, which is a load
test, not a workshop). While they answer, an advisor downloads the PDF report, which renders
in the server's worker pool; the latency is measured while it renders.

Beside what the phones measured, the table shows what the server measured itself: each
request's handling time from its own log (``guard``), the Save (POST) and the next page (GET)
apart, so that the phones' side (the client, the network, the queue before a request is
handled) can be told from the server's work. The load average before each run is printed:
on a shared machine other work inflates every number.

    python benchmarks/server.py [--respondents 100] [--answers 8] [--think 2] [--workers 2]
                                [--no-pdf] [--postgres]

Goal (issues 24 and 34): p95 ≤ 50 ms on SQLite and on PostgreSQL, on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.servers import start_practice_server
from tests.serverweb import CSRF, PASSWORD, QUESTION, VALUES, VERSION

LOGGED = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (GET|POST) /answer/q/\S+ (\d+) (\d+)ms$"
)


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


async def _open(phone, token: str) -> tuple[str, str]:
    """The link opened and the questionnaire begun: (the form key, the first question's page)."""
    page = await phone.get(f"/i/{token}")
    csrf = CSRF.search(page.text).group(1)
    page = await phone.post("/answer/begin", data={"csrf": csrf})
    if 'action="/answer/business"' in page.text:  # the owner's two questions, asked first
        fields = {"csrf": csrf, "business.markets": ["EU"], "business.size": "small"}
        page = await phone.post("/answer/business", data=fields)
    return csrf, page.text


async def _answer(phone, csrf: str, page: str, answers: int, think: float, seed: str) -> list:
    """``answers`` answers, each after reading the question: when each was sent and what it
    made them wait (ms)."""
    reader = random.Random(seed)
    waits = []
    for _ in range(answers):
        if think:
            await asyncio.sleep(reader.uniform(think / 2, think * 1.5))
        fields = {
            "csrf": csrf,
            "version": VERSION.search(page).group(1),
            "action": "save",
            "value": VALUES.findall(page)[0],
        }
        question = QUESTION.search(page).group(1)
        began = time.perf_counter()
        saved = await phone.post(f"/answer/q/{question}", data=fields, follow_redirects=False)
        arrived = await phone.get(saved.headers["location"])
        waits.append((began, (time.perf_counter() - began) * 1000))
        assert saved.status_code == 303 and arrived.status_code == 200, arrived.text[:200]
        page = arrived.text
    return waits


async def _sign_in(phone) -> None:
    csrf = CSRF.search((await phone.get("/login")).text).group(1)
    await phone.post(
        "/login", data={"csrf": csrf, "email": "bench@example.org", "password": PASSWORD}
    )


async def _pdf(phone, audit: int) -> tuple[float, float]:
    """When the PDF was asked for and when it arrived."""
    began = time.perf_counter()
    response = await phone.get(f"/audits/{audit}/download/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    return began, time.perf_counter()


async def _burst(base, audit, tokens, answers, think, with_pdf, client) -> dict:
    def phone(**options):
        # One phone, one connection, which it lets go after 60 s idle, before the
        # server's keep-alive ends (75 s; else the server may close it as a request
        # arrives).
        if client == "light":
            from benchmarks.phones import Phone

            return Phone(base, **options)
        import httpx

        limits = httpx.Limits(max_connections=1, keepalive_expiry=60)
        return httpx.AsyncClient(base_url=base, timeout=300, limits=limits, **options)

    async with phone(follow_redirects=True) as owner:  # a report needs the owner's answers
        await _answer(owner, *(await _open(owner, tokens[0])), 12, 0, tokens[0])
    phones = [phone(follow_redirects=True) for _ in tokens[1:]]
    opening = asyncio.Semaphore(10)

    async def opened(client, token):
        async with opening:
            return await _open(client, token)

    pages = await asyncio.gather(*(opened(c, t) for c, t in zip(phones, tokens[1:], strict=True)))
    advisor = phone()
    await _sign_in(advisor)  # before the burst: signing in is Argon2's work, not answering's
    began_wall, began, began_cpu = time.time(), time.perf_counter(), time.process_time()
    work = [
        _answer(c, *p, answers, think, t) for c, p, t in zip(phones, pages, tokens[1:], strict=True)
    ]
    if with_pdf:
        work.append(_pdf(advisor, audit))
    done = await asyncio.gather(*work)
    elapsed = time.perf_counter() - began
    phones_cpu = time.process_time() - began_cpu
    for client in [*phones, advisor]:
        await client.aclose()
    sent = [w for each in done[: len(phones)] for w in each]
    waits = [wait for _, wait in sent]
    pdf, rendering = float("nan"), []
    if with_pdf:
        asked, arrived = done[-1]
        pdf = arrived - asked
        rendering = [wait for moment, wait in sent if asked <= moment <= arrived]
    return {
        "rendering": rendering,
        "waits": waits,
        "elapsed": elapsed,
        "pdf": pdf,
        "since": began_wall,
        "phones_cpu": phones_cpu,
    }


def drive(
    base: str, audit: int, tokens: list[str], answers: int, think: float, pdf: bool, client: str
):
    """In the load process: the whole burst on one event loop."""
    return asyncio.run(_burst(base, audit, tokens, answers, think, pdf, client))


def server_times(log: Path, since: float) -> dict[str, list[float]]:
    """Each Save (POST) and next page (GET) as the server timed it, from its log, during the
    burst."""
    times: dict[str, list[float]] = {"POST": [], "GET": []}
    for line in log.read_text(errors="replace").splitlines():
        found = LOGGED.match(line)
        if found is None:
            continue
        moment = datetime.strptime(found.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp()
        if moment >= since:
            times[found.group(2)].append(float(found.group(4)))
    return times


def _web_cpu(root: int, depth: int) -> float:
    """CPU seconds (user and system) used so far by the server's web processes: ``root``
    (the supervisor, idle) and, with ``depth`` 1, its workers; never the report workers,
    which the web workers start (one level further down)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # after the name: state, ppid, …, utime and stime (the 12th and 13th)
            stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    inside = {root}
    for _ in range(depth):
        inside |= {pid for pid, (parent, _) in stats.items() if parent in inside}
    return sum(stats[pid][1] for pid in inside if pid in stats) / tick


class CpuSampler(threading.Thread):
    """Samples the server's web CPU time four times a second, so that the burst's share can
    be read afterwards (the burst's start and end are known only to the load process)."""

    def __init__(self, root: int, workers: int) -> None:
        super().__init__(daemon=True)
        self.root, self.depth = root, 1 if workers > 1 else 0
        self.samples, self.done = [], threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.samples.append((time.time(), _web_cpu(self.root, self.depth)))
            self.done.wait(0.25)

    def between(self, start: float, end: float) -> float:
        inside = [cpu for moment, cpu in self.samples if start <= moment <= end]
        return inside[-1] - inside[0] if len(inside) > 1 else float("nan")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)] if ordered else float("nan")


def run(
    location: str,
    respondents: int,
    answers: int,
    think: float,
    workers: int,
    pdf: bool,
    client: str,
):
    audit, tokens = setup(location, respondents)
    folder = Path(tempfile.mkdtemp())
    log = folder / "server.log"
    server, base = start_practice_server(location, log, "--workers", str(workers))
    load = os.getloadavg()[0]
    sampler = CpuSampler(server.pid, workers)
    sampler.start()
    try:
        with multiprocessing.get_context("spawn").Pool(1) as phones:
            burst = phones.apply(drive, (base, audit, tokens, answers, think, pdf, client))
    finally:
        sampler.done.set()
        server.terminate()
        server.wait(timeout=30)
    waits = burst["waits"]
    handled = server_times(log, burst["since"])
    return {
        "load": load,
        "answers": len(waits),
        "p50": statistics.median(waits),
        "p95": p95(waits),
        "max": max(waits),
        "post": (statistics.median(handled["POST"]), p95(handled["POST"])),
        "get": (statistics.median(handled["GET"]), p95(handled["GET"])),
        "per_second": len(waits) / burst["elapsed"],
        "cpu": sampler.between(burst["since"], burst["since"] + burst["elapsed"]) / len(waits),
        "pdf": burst["pdf"],
        "p95_rendering": p95(burst["rendering"]),
        "phones_cpu": burst["phones_cpu"] / len(waits),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100)
    parser.add_argument("--answers", type=int, default=8)
    parser.add_argument("--think", type=float, default=2.0, help="seconds between answers")
    parser.add_argument("--workers", type=int, default=2, help="the server's --workers")
    parser.add_argument("--no-pdf", action="store_true", help="no report rendered meanwhile")
    parser.add_argument("--postgres", action="store_true", help="also on a fresh PostgreSQL")
    parser.add_argument(
        "--phones",
        choices=("light", "httpx"),
        default="light",
        help="the phones' HTTP client: benchmarks/phones.py (default) or httpx (which "
        "takes more of the machine's CPU from the server)",
    )
    options = parser.parse_args()
    rows = []
    settings = (
        options.respondents,
        options.answers,
        options.think,
        options.workers,
        not options.no_pdf,
        options.phones,
    )
    with tempfile.TemporaryDirectory() as folder:
        rows.append(("SQLite", run(str(Path(folder) / "bench.db"), *settings)))
    if options.postgres:
        from tests.engines import start_postgres

        url, stop = start_postgres(durable=True)
        try:
            rows.append(("PostgreSQL 15", run(url, *settings)))
        finally:
            stop()
    print(
        f"{options.respondents} respondents at once, {options.answers} answers each, "
        f"{options.think:g} s to read each question, {options.workers} server workers, "
        f"{os.cpu_count()} cores"
        + ("" if options.no_pdf else "; a PDF rendered meanwhile")
        + f"; phones: {options.phones}"
    )
    print("Save → next page, as the phones waited; the server's own handling time per request.")
    print(
        "| database | load avg | answers | p50 ms | p95 ms | max ms "
        "| server Save p50/p95 ms | server page p50/p95 ms | server CPU ms/answer "
        "| phones' CPU ms/answer | answers/s | PDF s | p95 ms while it rendered |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, row in rows:
        print(
            f"| {name} | {row['load']:.2f} | {row['answers']} | {row['p50']:.1f} | "
            f"{row['p95']:.1f} | {row['max']:.0f} | {row['post'][0]:.0f} / {row['post'][1]:.0f}"
            f" | {row['get'][0]:.0f} / {row['get'][1]:.0f} | {row['cpu'] * 1000:.1f} "
            f"| {row['phones_cpu'] * 1000:.1f} | {row['per_second']:.0f} | "
            f"{row['pdf']:.1f} | {row['p95_rendering']:.1f} |"
        )


if __name__ == "__main__":
    main()
