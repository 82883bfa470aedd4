"""Bias checks from Python: the command line's checks, called with a path, a DataFrame, an
Arrow table or a database URL, returning a result a notebook shows.

A facade, not a second implementation: every keyword argument is the command-line option of
the same name (``group`` for ``--group``, ``min_group_size`` for ``--min-group-size``), read by
the same code (``options.check_options``) and counted and judged by the same code
(``run.count_and_judge``), so ``result.to_json()`` is byte for byte what
``auditkit bias … --format json`` writes for the same input. Presentation options of the
command line (``--format``, ``-o``, ``--fail-on``, ``--print-sql``) have their Python
counterparts on the result: ``to_json()``, ``to_frame()``, ``disadvantaged()``.

Errors raise ``auditkit.InputError`` with the command line's located message; nothing here
prints or exits. pandas and DuckDB are imported only when a check runs, fairlearn only for
``metric_frame()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from auditkit.bias.model import BiasResult, Finding
    from auditkit.bias.run import Counted

Columns = Mapping[str, str] | Sequence[str] | None


def check(
    data: Any = None,
    *,
    group: str | Sequence[str],
    outcome: str | None = None,
    positive: str | None = None,
    truth: str | None = None,
    truth_positive: str | None = None,
    positive_is_adverse: bool = False,
    score: str | None = None,
    threshold: float | Sequence[float] | None = None,
    **options: Any,
) -> BiasCheck:
    """Any decision log: the selection rate of ``positive`` per group, and with ``truth`` every
    error rate per group. Decisions made by a cut-off on a score: ``score="risk",
    threshold=0.7`` (or several) instead of ``outcome``/``positive``; with ``truth`` also each
    group's AUC and calibration. ``data``: a path, a pandas or polars DataFrame, a pyarrow
    Table, or a database URL with ``table=`` or ``query=``. Other options: as ``chatbot``."""
    cuts = (threshold,) if isinstance(threshold, int | float) else tuple(threshold or ())
    return _run(
        "check",
        data,
        group,
        {
            "outcome": outcome,
            "positive": positive,
            "truth": truth,
            "truth_positive": truth_positive,
            "positive_is_adverse": positive_is_adverse,
            "score": score,
            "thresholds": tuple(float(c) for c in cuts),
        },
        options,
    )


def chatbot(
    data: Any = None,
    *,
    group: str | Sequence[str],
    column: Columns = None,
    positive: Columns = None,
    mapping: str | PathLike | None = None,
    reference: str | None = None,
    within: str | None = None,
    judge_missing: bool = False,
    correction: str | None = None,
    tolerance: tuple[float, float] | None = None,
    min_group_size: int | None = None,
    suppress_below: int | None = None,
    log_format: str | None = None,
    encoding: str | None = None,
    decimal: str | None = None,
    labels: Mapping[str, str] | str | PathLike | None = None,
    table: str | None = None,
    query: str | None = None,
    counts: str | PathLike | None = None,
    save_counts: str | PathLike | None = None,
) -> BiasCheck:
    """A chatbot's handoff log: who asks for a person and reaches one, who is resolved, how
    satisfied, how long they wait, per group. ``column={"reached_human": "got_agent"}`` maps
    the preset's columns to yours; ``positive={"resolved": "Y"}`` says which value means yes."""
    return _run("chatbot", data, group, {}, _named(locals()))


def segmentation(
    data: Any = None,
    *,
    group: str | Sequence[str],
    column: Columns = None,
    positive: Columns = None,
    favourable: Sequence[str] | None = None,
    unfavourable: Sequence[str] | None = None,
    proxy_column: Sequence[str] | None = None,
    no_proxies: bool = False,
    proxy_threshold: float | None = None,
    mapping: str | PathLike | None = None,
    reference: str | None = None,
    within: str | None = None,
    judge_missing: bool = False,
    correction: str | None = None,
    tolerance: tuple[float, float] | None = None,
    min_group_size: int | None = None,
    suppress_below: int | None = None,
    log_format: str | None = None,
    encoding: str | None = None,
    decimal: str | None = None,
    labels: Mapping[str, str] | str | PathLike | None = None,
    table: str | None = None,
    query: str | None = None,
    counts: str | PathLike | None = None,
    save_counts: str | PathLike | None = None,
) -> BiasCheck:
    """Segments and offers: which groups land in which segment, favourable ones named, and
    whether another column stands in for a protected one (proxies)."""
    return _run("segmentation", data, group, {}, _named(locals()))


def _named(arguments: dict) -> dict:
    return {k: v for k, v in arguments.items() if k not in ("data", "group")}


# Python keyword → the command line's parameter name, where they differ.
CLI_NAMES = {
    "column": "columns",
    "counts": "counts_file",
    "proxy_column": "proxy_columns",
}
KNOWN = {
    "column",
    "positive",
    "favourable",
    "unfavourable",
    "proxy_column",
    "no_proxies",
    "proxy_threshold",
    "mapping",
    "reference",
    "within",
    "judge_missing",
    "correction",
    "tolerance",
    "min_group_size",
    "suppress_below",
    "log_format",
    "encoding",
    "decimal",
    "labels",
    "table",
    "query",
    "counts",
    "save_counts",
}


def _run(
    check_name: str, data: Any, group: str | Sequence[str], fixed: dict, options: dict
) -> BiasCheck:
    from auditkit.bias.engines import SCHEMES
    from auditkit.errors import InputError, did_you_mean

    unknown = set(options) - KNOWN
    if unknown:  # a misspelt keyword is the caller's code, not the data: Python's TypeError
        name = sorted(unknown)[0]
        guess = did_you_mean(name, KNOWN)
        raise TypeError(
            f"{check_name}() got an unexpected keyword argument {name!r}"
            + (f"; did you mean {guess!r}?" if guess else "")
        )
    raw: dict[str, Any] = {CLI_NAMES.get(k, k): v for k, v in options.items()}
    raw["groups"] = [group] if isinstance(group, str) else list(group)
    raw["columns"] = _pairs(raw.get("columns"))
    if check_name == "check":
        raw.update(fixed)
    else:
        raw["positives"] = _pairs(raw.pop("positive", None))
    if raw.get("labels") is not None and not isinstance(raw["labels"], Mapping):
        raw["labels"] = Path(raw["labels"])
    for path_key in ("mapping", "counts_file", "save_counts"):
        if raw.get(path_key) is not None:
            raw[path_key] = Path(raw[path_key])
    raw["log"], raw["frame"], raw["connection"] = None, None, None
    if isinstance(data, str) and data.split("://", 1)[0].split("+")[0].lower() in SCHEMES:
        raw["connection"] = data
    elif isinstance(data, str | PathLike):
        raw["log"] = Path(data)
    elif data is not None:
        raw["frame"] = data
    try:
        return _checked(check_name, raw)
    except InputError as error:  # the same problems, with keywords where the CLI has flags
        raise error.speaking("python") from None


def _checked(check_name: str, raw: dict) -> BiasCheck:
    from auditkit.bias.options import check_inputs, check_options
    from auditkit.bias.run import PROXY_THRESHOLD, count_and_judge

    check_inputs(check_name, raw)
    parsed = check_options(check_name, raw)
    result, counted = count_and_judge(
        check_name,
        raw["log"],
        parsed,
        log_format=raw.get("log_format"),
        encoding=raw.get("encoding"),
        decimal=raw.get("decimal"),
        counts_file=raw.get("counts_file"),
        connection=raw["connection"],
        table=raw.get("table"),
        query=raw.get("query"),
        proxies=not raw.get("no_proxies", False),
        proxy_threshold=PROXY_THRESHOLD
        if raw.get("proxy_threshold") is None
        else raw["proxy_threshold"],
        save_counts=raw.get("save_counts"),
        frame=raw["frame"],
    )
    return BiasCheck(result, counted)


def _pairs(value: Columns) -> list[str]:
    """A mapping or NAME=VALUE strings, as the command line's repeated options give them."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        return [f"{name}={mapped}" for name, mapped in value.items()]
    if isinstance(value, str):
        return [value]
    return list(value)


@dataclass(frozen=True)
class BiasCheck:
    """A bias check's result: print it, index it as a table, show it in Jupyter, or write
    exactly the JSON the command line writes."""

    result: BiasResult
    counted: Counted

    @property
    def summary(self) -> str:
        """The headline in words: who is worse off, or why nothing can be said."""
        return self.result.summary()

    @property
    def findings(self) -> tuple[Finding, ...]:
        """What the summary says, disadvantages first: each with its metric, group, ratio to
        the reference and a sentence."""
        return self.result.findings

    def disadvantaged(self, *, established: bool = False) -> list[Finding]:
        """The findings ``--fail-on disparity`` would fail on (significant and beyond the
        band, "size uncertain" included), or ``--fail-on established`` with
        ``established=True`` (the whole interval beyond the band)."""
        return list(self.result.breaches("established" if established else "disparity"))

    def to_json(self) -> str:
        """Exactly what ``auditkit bias … --format json`` writes (docs/bias.schema.json)."""
        from auditkit.bias.formats import FORMATS

        return FORMATS["json"]().format(self.result)

    def to_dict(self) -> dict:
        from auditkit.bias.formats.json import bias_to_dict

        return bias_to_dict(self.result)

    def to_frame(self) -> pd.DataFrame:
        """One row per metric × group: n, denominator, value and its interval, ratio,
        difference and their intervals, p and adjusted p, verdict and reason. Suppressed
        groups have no numbers, as in every other output."""
        import pandas as pd

        rows = []
        for metric in self.result.metrics:
            for group in metric.groups:
                rows.append(
                    {
                        "metric": metric.id,
                        "metric_label": metric.label,
                        "group": group.group,
                        "n": group.n,
                        "denominator": group.denominator,
                        "value": group.value,
                        **_interval("ci", group.ci),
                        "ratio": group.ratio,
                        **_interval("ratio_ci", group.ratio_ci),
                        "difference": group.difference,
                        **_interval("difference_ci", group.difference_ci),
                        "p_value": group.p_value,
                        "p_adjusted": group.p_adjusted,
                        "verdict": group.verdict,
                        "reason": group.reason,
                    }
                )
        return pd.DataFrame(rows)

    def metric_frame(self, metric_id: str):
        """fairlearn's own ``MetricFrame`` for one metric, on the counted cells (each
        weighted by the rows it stands for), for those who want fairlearn's API. Its
        numbers are the rates behind this result's; suppression is this result's, not the
        MetricFrame's: it shows every group, small ones included, so keep it private."""
        from auditkit.bias.frames import metric_frames
        from auditkit.errors import InputError, did_you_mean, fill
        from auditkit.i18n import _

        frames = metric_frames(self.counted.counts, self.counted.spec)
        if metric_id not in frames or frames[metric_id] is None:
            guess = did_you_mean(metric_id, frames)
            raise InputError.single(
                "metric_frame()",
                fill(_("no metric {metric} with values in this check"), metric=repr(metric_id)),
                expected=fill(
                    _("one of {choices}"),
                    choices=", ".join(repr(k) for k in frames if frames[k] is not None),
                ),
                fix=fill(_("did you mean {guess}?"), guess=repr(guess))
                if guess
                else _("pick one of those"),
            )
        return frames[metric_id]

    def __str__(self) -> str:
        from auditkit.bias.formats import FORMATS

        return FORMATS["table"](interface="python").format(self.result)

    def __repr__(self) -> str:
        return f"<BiasCheck {self.result.check}: {self.summary}>"

    def _repr_html_(self) -> str:
        """A compact table for Jupyter: one row per metric × group, verdicts in words."""
        result = self.result
        head = (
            f"<p><strong>{escape(result.check)}</strong> · {escape(result.source)} · "
            f"{result.rows:,} rows · {escape(result.summary())}</p>"
        )
        cells = []
        for metric in result.metrics:
            for group in metric.groups:
                value = "–" if group.value is None else _shown(metric.kind, group.value)
                ratio = "–" if group.ratio is None else f"{group.ratio:.2f}"
                interval = (
                    ""
                    if group.ratio_ci is None
                    else f" ({group.ratio_ci[0]:.2f}–{group.ratio_ci[1]:.2f})"
                )
                cells.append(
                    "<tr>"
                    f"<td>{escape(metric.label)}</td><td>{escape(group.group)}</td>"
                    f"<td style='text-align:right'>{escape(group.n_display)}</td>"
                    f"<td style='text-align:right'>{value}</td>"
                    f"<td style='text-align:right'>{ratio}{interval}</td>"
                    f"<td>{escape(group.verdict)}</td>"
                    "</tr>"
                )
        table = (
            "<table><thead><tr><th>metric</th><th>group</th><th>n</th><th>value</th>"
            f"<th>ratio ({result.ci_level:.2%})</th><th>verdict</th></tr></thead>"
            f"<tbody>{''.join(cells)}</tbody></table>"
        )
        return head + table


def _interval(name: str, pair: Iterable[float] | None) -> dict:
    low, high = (None, None) if pair is None else tuple(pair)
    return {f"{name}_low": low, f"{name}_high": high}


def _shown(kind: str, value: float) -> str:
    return f"{value:.2f}" if kind == "mean" else f"{value:.1%}"


__all__ = ["BiasCheck", "chatbot", "check", "segmentation"]
