"""The existing commands' outputs for an audit on the server, from the same code as the CLI.

An audit is exported to an ordinary audit folder (its answers files and its bias JSON files)
and scored, reported, compared and planned exactly as ``auditkit score FOLDER`` would. Reports
are rendered in a bounded pool of worker processes, so that a PDF being made never holds up
someone answering: the web workers only wait for the result.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from auditkit.answers.model import ANONYMITY_FLOOR
from auditkit.server.database import Database

REPORT_WORKERS = 2  # processes rendering reports at once; more requests wait their turn
# A report worker's CPU priority, the lowest: rendering a PDF takes seconds of CPU, answering a
# question milliseconds, so when both want a core the answer goes first (Linux gives a
# niceness-19 process about 1.5 % of a core a niceness-0 one competes for, and all of an idle
# one). At niceness 10 (a tenth of a core) a PDF still lifted the answers' p95 on 2 cores from
# about 30 to 40-65 ms while it rendered (benchmarks/server.py); the PDF took no longer at 19.
REPORT_NICENESS = 19


@dataclass(frozen=True)
class AuditFiles:
    """An audit as files: ``answers`` (a folder ``auditkit score`` reads) and bias JSONs."""

    answers: Path
    bias: tuple[Path, ...]
    empty: bool  # no owner's answers yet: nothing to score (staff.yaml may be there)


@contextmanager
def audit_files(
    database: Database, audit_id: int, floor: int = ANONYMITY_FLOOR
) -> Iterator[AuditFiles]:
    """The audit written to a temporary folder, removed when the block ends."""
    folder = Path(tempfile.mkdtemp(prefix="auditkit-audit-"))
    try:
        yield write_audit(database, audit_id, folder, floor)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_audit(
    database: Database, audit_id: int, folder: Path, floor: int = ANONYMITY_FLOOR
) -> AuditFiles:
    """The audit as an audit folder in ``folder``: ``answers/`` and one JSON per evidence."""
    from sqlalchemy import select

    from auditkit.server.answering import audit_rubric, export_audit
    from auditkit.server.schema import Evidence

    rubric = audit_rubric(database, audit_id)
    with database.transaction() as session:
        evidence = [
            (row.id, row.data)
            for row in session.scalars(select(Evidence).where(Evidence.audit_id == audit_id))
        ]
    folder.mkdir(parents=True, exist_ok=True)
    written = export_audit(database, audit_id, rubric, folder / "answers", floor)
    bias = []
    for identifier, data in evidence:
        path = folder / f"bias-{identifier}.json"
        path.write_text(data, encoding="utf-8")
        bias.append(path)
    owners = [path for path in written if path.name.startswith("owner")]
    return AuditFiles(folder / "answers", tuple(bias), not owners)


def score_audit(files: AuditFiles, language: str | None = None, as_of: date | None = None):
    """The audit scored; its rules named against ``as_of`` (default: the audit's date)."""
    from auditkit.scoring.run import score_answers_file

    return score_answers_file(files.answers, files.bias, language=language, as_of=as_of)


def summary_context(files: AuditFiles, brand: Path | None, day: date) -> dict:
    """The report's context (its owner summary is the results page), in the language of the
    page that asks (the thread runs in the request's context: auditkit.i18n.current)."""
    from auditkit.i18n import current
    from auditkit.reporting.brand import Brand, load_brand
    from auditkit.reporting.context import build_context
    from auditkit.reporting.run import load_bias_input

    scored = score_audit(files, current(), day)
    bias = [load_bias_input(str(path), {}) for path in files.bias]
    the_brand = load_brand(brand) if brand else Brand()
    return build_context(scored, scored.paths[0], bias, the_brand, day)


def plan_csv(files: AuditFiles, language: str = "en") -> str:
    """The action plan as ``auditkit plan --format csv --lang LANGUAGE`` writes it."""
    from auditkit.followup.formats import PLAN_FORMATS
    from auditkit.followup.plan import build_plan
    from auditkit.i18n import use

    with use(language):
        return PLAN_FORMATS["csv"]().format(build_plan(score_audit(files, language)))


def render_report(
    answers: str,
    bias: list[str],
    previous: str | None,
    brand: str | None,
    day: date,
    pdf: bool,
    language: str = "en",
) -> bytes:
    """In a worker process: the report as ``auditkit report`` renders it, in ``language``
    (the audit's report language on the server)."""
    from auditkit.reporting.brand import load_brand
    from auditkit.reporting.run import load_bias_input, make_report

    report = make_report(
        Path(answers),
        [load_bias_input(path, {}) for path in bias],
        brand=load_brand(Path(brand)) if brand else None,
        day=day,
        pdf=pdf,
        previous=Path(previous) if previous else None,
        language=language,
    )
    return report.pdf if pdf else report.html.encode()


def _worker_started(parent: int) -> None:
    """In a report worker, first: lower its CPU priority (``REPORT_NICENESS``), so that a
    report rendering never slows the answers; and end when the web worker that started it
    is gone (SIGTERM, a crash, ``kill -9``), instead of living on as an orphan: a daemon
    thread checks once a second whether the parent is still this process's parent."""
    import threading
    import time

    if hasattr(os, "nice"):  # not on Windows; there the report runs at normal priority
        os.nice(REPORT_NICENESS)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="follow-parent").start()


class ReportPool:
    """A bounded pool of processes for reports, started on first use."""

    def __init__(self, workers: int = REPORT_WORKERS) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    async def render(self, *arguments) -> bytes:
        """One report; a pool whose worker died (killed, out of memory) is replaced, and the
        report tried once more in the new one."""
        from concurrent.futures.process import BrokenProcessPool

        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._started(), render_report, *arguments)
        except BrokenProcessPool:
            self.close()
            self._pool = None
            return await loop.run_in_executor(self._started(), render_report, *arguments)

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing

            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_started,
                initargs=(os.getpid(),),
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
