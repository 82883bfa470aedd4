"""From a log (or a warehouse's counts) to a BiasResult: the I/O edge of the bias check."""

from __future__ import annotations

import importlib
import re
import threading
from pathlib import Path

from auditkit.bias.counts import count_log, read_counts
from auditkit.bias.logs import check_columns, connect, open_log
from auditkit.bias.metrics import compute
from auditkit.bias.model import BiasResult
from auditkit.bias.presets import CheckOptions, build_spec
from auditkit.bias.proxies import find_proxies
from auditkit.bias.sql import counting_sql, quote
from auditkit.bias.verdicts import judge_check
from auditkit.errors import InputError
from auditkit.fileio import atomic_write, safe_cell, sha256_file

PROXY_THRESHOLD = 0.3


def run_check(
    check: str,
    log: Path | None,
    options: CheckOptions,
    *,
    log_format: str | None = None,
    encoding: str | None = None,
    counts_file: Path | None = None,
    progress: bool = False,
    proxies: bool = True,
    proxy_threshold: float = PROXY_THRESHOLD,
    save_counts: Path | None = None,
) -> BiasResult:
    """Run a chatbot, segmentation or generic check on a log, or on counts computed elsewhere."""
    # Importing fairlearn (and scikit-learn under it) costs about a second; DuckDB releases the
    # GIL while it scans, so the import runs in the background during the scan.
    warm_up = threading.Thread(
        target=importlib.import_module, args=("fairlearn.metrics",), daemon=True
    )
    warm_up.start()
    proxy_warnings = ()
    if counts_file is not None:
        spec, _ = build_spec(check, options, None)
        counts = read_counts(counts_file, spec)
        source, kind, fmt = Path(counts_file), "counts", "csv"
    else:
        connection = connect()
        log_source = open_log(connection, Path(log), log_format, encoding)
        spec, needed = build_spec(check, options, log_source.columns)
        check_columns(log_source, needed, options.named_at)
        counts = count_log(connection, log_source, spec, progress=progress)
        if save_counts is not None:
            # The log → counts stage as a file: aggregate cells, fed back with --counts.
            import pandas as pd

            kept = [c for c in counts.frame.columns if not c.startswith("bad__")]
            frame = counts.frame[kept].copy()
            for column in kept:
                if column.startswith(("g__", "o__")):  # log values: never a spreadsheet formula
                    frame[column] = frame[column].map(
                        lambda v: v if pd.isna(v) else safe_cell(str(v))
                    )
            atomic_write(save_counts, frame.to_csv(index=False))
        if check == "segmentation" and proxies:
            candidates = spec.proxy_candidates
            if candidates is None:
                candidates = tuple(c for c in log_source.columns if c not in spec.columns)
            else:
                check_columns(
                    log_source, {c: "a proxy candidate (--proxy-column)" for c in candidates}
                )
            proxy_warnings = find_proxies(
                connection,
                log_source,
                spec.groups,
                candidates,
                proxy_threshold,
                spec.thresholds.correction,
                spec.thresholds.alpha,
            )
        source, kind, fmt = log_source.path, "log", log_source.format
    warm_up.join()
    strata = None
    if spec.within:
        from auditkit.bias.sql import group_alias

        values = sorted(str(v) for v in counts.frame[group_alias(spec.within)].unique())
        strata = {value: compute(counts, spec, stratum=value) for value in values}
    metrics, findings, family, level = judge_check(compute(counts, spec), spec, strata)
    thresholds = spec.thresholds
    return BiasResult(
        check=check,
        source=str(source),
        source_kind=kind,
        source_sha256=sha256_file(source),
        source_format=fmt,
        rows=counts.rows,
        groups=spec.groups,
        tolerance=(thresholds.tolerance_low, thresholds.tolerance_high),
        min_group_size=thresholds.min_group_size,
        suppress_below=thresholds.suppress_below,
        correction=thresholds.correction,
        alpha=thresholds.alpha,
        ci_level=level,
        comparisons=family,
        metrics=metrics,
        findings=findings,
        proxies=proxy_warnings,
        skipped=spec.skipped,
        within=spec.within,
        notes=spec.notes,
    )


TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*){0,2}$")


def print_sql(check: str, options: CheckOptions, table: str, dialect: str) -> str:
    """The counting query for a warehouse; feed its result back with --counts.

    ``table`` is a name, not SQL: ``table``, ``schema.table`` or ``catalog.schema.table``, each
    part quoted for the dialect, so nothing the user typed can run as SQL.
    """
    if not TABLE_NAME.match(table):
        raise InputError.single(
            "--table",
            "not a table name",
            expected="NAME, SCHEMA.NAME or CATALOG.SCHEMA.NAME (letters, digits, _ and $)",
            found=repr(table),
            fix="give the table's name; for a filtered or joined source, create a view first",
        )
    table = ".".join(quote(part, dialect) for part in table.split("."))
    spec, _ = build_spec(check, options, None)
    header = (
        f"-- auditkit {check} counting query ({dialect}). Run it in your warehouse, export the\n"
        f"-- result as CSV with a header row, and pass it back with: auditkit bias {check} --counts FILE\n"
        "-- with the same --group, --column and --positive options.\n"
    )
    return header + counting_sql(spec, table, dialect) + ";\n"
