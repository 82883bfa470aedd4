"""From a log (or a warehouse's counts) to a BiasResult: the I/O edge of the bias check."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from auditkit.bias.catalog import catalog_units
from auditkit.bias.codes import guess_labels
from auditkit.bias.counts import Counts, count_log, count_on_engine, read_counts
from auditkit.bias.decimals import decimal_mark
from auditkit.bias.dialects import DIALECTS
from auditkit.bias.engines import open_engine
from auditkit.bias.engines.source import open_source, query_relation, table_relation
from auditkit.bias.logs import check_columns, connect, open_frame, open_log
from auditkit.bias.metrics import compute
from auditkit.bias.model import BiasResult
from auditkit.bias.presets import CheckOptions, Need, build_spec
from auditkit.bias.proxies import find_proxies
from auditkit.bias.spec import CheckSpec
from auditkit.bias.sql import counting_sql, group_alias
from auditkit.bias.verdicts import judge_check
from auditkit.fileio import safe_cell, sha256_file, write_to
from auditkit.i18n import _

PROXY_THRESHOLD = 0.3


@dataclass
class Counted:
    """The counting stage's result, whichever path it took."""

    spec: CheckSpec
    counts: Counts
    source: str  # as shown
    info: dict  # the JSON provenance
    proxies: tuple = ()


def run_check(check: str, log: Path | None, options: CheckOptions, **keywords: Any) -> BiasResult:
    """Run a chatbot, segmentation or generic check on a log file, a DataFrame or Arrow table
    (``frame=``), a table of an engine, or counts computed elsewhere; the keywords are
    ``count_and_judge``'s."""
    return count_and_judge(check, log, options, **keywords)[0]


def count_and_judge(
    check: str,
    log: Path | None,
    options: CheckOptions,
    *,
    log_format: str | None = None,
    encoding: str | None = None,
    decimal: str | None = None,
    counts_file: Path | None = None,
    connection: str | None = None,
    table: str | None = None,
    query: str | None = None,
    progress: bool = False,
    proxies: bool = True,
    proxy_threshold: float = PROXY_THRESHOLD,
    save_counts: Path | None = None,
    frame: object | None = None,
) -> tuple[BiasResult, Counted]:
    """A check counted and judged, with the counted cells it judged (the Python API keeps
    them for ``metric_frame``)."""
    if counts_file is not None:
        spec, _needed = build_spec(check, options, None)
        counts = read_counts(counts_file, spec)
        info = {"file": str(counts_file), "kind": "counts", "format": "csv"}
        counted = Counted(
            spec, counts, str(counts_file), {**info, "sha256": sha256_file(counts_file)}
        )
    elif connection is not None:
        counted = _count_on_engine(check, options, connection, table, query, progress)
    elif frame is not None:
        database = connect()
        log_source = replace(open_frame(database, frame), decimal=decimal_mark(decimal))
        counted = _count_source(
            check, options, database, log_source, progress, proxies, proxy_threshold
        )
        counted.info.update(kind="frame", engine="DuckDB", location=f"{log_source.path} in memory")
    else:
        counted = _count_file(
            check,
            options,
            Path(log),
            (log_format, encoding, decimal_mark(decimal)),
            progress,
            proxies,
            proxy_threshold,
        )
    if save_counts is not None:
        _save_counts(counted.counts, save_counts)
    spec, counts = counted.spec, counted.counts
    strata = None
    if spec.within:
        values = sorted(str(v) for v in counts.frame[group_alias(spec.within)].unique())
        strata = {value: compute(counts, spec, stratum=value) for value in values}
    metrics, findings, family, level = judge_check(compute(counts, spec), spec, strata)
    guessed = guess_labels(
        {
            column: counts.frame[group_alias(column)].dropna().astype(str).unique()
            for column in spec.group_columns
            if group_alias(column) in counts.frame.columns
        }
    )
    thresholds = spec.thresholds
    result = BiasResult(
        check=check,
        source=counted.source,
        source_info=counted.info,
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
        proxies=counted.proxies,
        skipped=spec.skipped,
        within=spec.within,
        notes=spec.notes,
        min_expected=thresholds.min_expected,
        reference_asked=spec.reference or "largest",
        judge_missing=thresholds.judge_missing,
        positives=tuple(
            (column.source, column.positive, column.threshold) for column in spec.binary
        ),
        positive_is_adverse=spec.positive_is_adverse,
        auc_band=thresholds.auc_band,
        labels={**guessed, **options.labels},
        labels_guessed=tuple(sorted(set(guessed) - set(options.labels))),
        units={**catalog_units(check), **options.units},
    )
    return result, counted


def _count_file(
    check: str,
    options: CheckOptions,
    log: Path,
    reading: tuple[str | None, str | None, str | None],
    progress: bool,
    proxies: bool,
    proxy_threshold: float,
) -> Counted:
    """A log file, counted by DuckDB in this process; ``reading`` is how to read it: the
    format, the encoding and the decimal mark asked for (None: from the file)."""
    log_format, encoding, decimal = reading
    connection = connect()
    log_source = open_log(connection, log, log_format, encoding, decimal)
    counted = _count_source(
        check, options, connection, log_source, progress, proxies, proxy_threshold
    )
    counted.info.update(file=str(log), kind="log", format=log_source.format)
    counted.info["sha256"] = sha256_file(log)
    if log_source.format == "csv" and log_source.encoding != "utf-8":
        counted.info["encoding"] = log_source.encoding  # said wherever it was not UTF-8
    if log_source.sheet is not None:
        counted.info["sheet"] = log_source.sheet
    if counted.counts.decimal_comma:  # said wherever numbers were not read as written in English
        counted.info["decimal_comma"] = sorted(counted.counts.decimal_comma)
    return counted


def _count_source(
    check: str,
    options: CheckOptions,
    connection,
    log_source,
    progress: bool,
    proxies: bool,
    proxy_threshold: float,
) -> Counted:
    """A log DuckDB reads in this process (a file, or a DataFrame registered with it)."""
    log = log_source.path
    spec, needed = build_spec(check, options, log_source.columns)
    typed = log_source.format not in ("csv", "xlsx")
    check_columns(
        log_source.shown,
        log_source.columns,
        needed,
        options.named_at,
        log_source.numeric if typed else None,
    )
    counts = count_log(connection, log_source, spec, progress=progress)
    proxy_warnings: tuple = ()
    if check == "segmentation" and proxies:
        candidates = spec.proxy_candidates
        if candidates is None:
            candidates = tuple(c for c in log_source.columns if c not in spec.columns)
        else:
            check_columns(
                log_source.shown,
                log_source.columns,
                {
                    c: Need(_("a proxy candidate ({{proxy_column}})"), "proxy_column")
                    for c in candidates
                },
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
    return Counted(spec, counts, str(log), {}, proxy_warnings)


def _count_on_engine(
    check: str,
    options: CheckOptions,
    url: str,
    table: str | None,
    query: str | None,
    progress: bool,
) -> Counted:
    """A table (or query) on an engine: counted there, only the cells come back. Proxy
    screening needs every column's values and stays with files."""
    engine = open_engine(url)
    try:
        source = open_source(engine, table, query)
        spec, needed = build_spec(check, options, dict.fromkeys(source.columns, ""))
        check_columns(source.label, source.columns, needed, options.named_at, source.numeric)
        counts = count_on_engine(source, spec, progress=progress)
    finally:
        engine.close()
    info = {
        "kind": "table" if table else "query",
        "engine": engine.title,
        "location": engine.location,
        **(
            {"table": table}
            if table
            else {"query_sha256": hashlib.sha256((query or "").encode()).hexdigest()}
        ),
    }
    return Counted(spec, counts, source.label, info)


def _save_counts(counts: Counts, path: Path) -> None:
    """The log → counts stage as a file: aggregate cells, fed back with --counts."""
    import pandas as pd

    kept = [c for c in counts.frame.columns if not c.startswith("bad__")]
    frame = counts.frame[kept].copy()
    for column in kept:
        if column.startswith(("g__", "o__")):  # log values: never a spreadsheet formula
            frame[column] = frame[column].map(lambda v: v if pd.isna(v) else safe_cell(str(v)))
    write_to(path, frame.to_csv(index=False))


def print_sql(
    check: str, options: CheckOptions, table: str | None, query: str | None, dialect: str
) -> str:
    """The counting query for a warehouse; feed its result back with --counts.

    ``table`` is a name, never SQL (each part quoted for the dialect); ``query`` is the user's
    own SELECT, counted as a subquery."""
    relation = (
        query_relation(query, dialect)
        if query
        else table_relation(table or "decision_log", dialect)
    )
    spec, _needed = build_spec(check, options, None)
    title = DIALECTS[dialect].title
    header = (
        f"-- auditkit {check} counting query for {title}. Run it where the log is, export the\n"
        f"-- result as CSV with a header row, and pass it back with: auditkit bias {check} --counts FILE\n"
        "-- with the same --group, --column and --positive options.\n"
    )
    return header + counting_sql(spec, relation, dialect) + ";\n"
