"""The chatbot and segmentation presets, and the generic check beneath them.

A preset names the columns it expects (``reached_human``, ``segment``…) and the metrics it
computes from them. Logs whose columns are named differently are mapped with
``--column reached_human=handed_over`` or a mapping file; ``--column wait_time=`` (empty) says
the log has no such column. Optional columns missing from a log are skipped with a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from auditkit.bias.spec import BinaryColumn, CheckSpec, MetricSpec, Thresholds
from auditkit.errors import InputError, quoted_list
from auditkit.fields import Fields
from auditkit.yamlsource import load_yaml


@dataclass(frozen=True)
class PresetColumn:
    name: str
    purpose: str
    kind: str  # binary | numeric | categorical
    required: bool = False


CHATBOT_COLUMNS = (
    PresetColumn("reached_human", "did the conversation reach a person", "binary", required=True),
    PresetColumn("requested_human", "did the customer ask for a person", "binary"),
    PresetColumn("resolved", "was the issue resolved", "binary"),
    PresetColumn("satisfaction", "satisfaction score, e.g. 1–5", "numeric"),
    PresetColumn("wait_time", "waiting time", "numeric"),
)
SEGMENTATION_COLUMNS = (
    PresetColumn("segment", "the segment or offer assigned", "categorical", required=True),
)


@dataclass
class CheckOptions:
    """What the user asked for, from flags and an optional mapping file (flags win)."""

    groups: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # preset name → log column ('' = absent)
    positives: dict[str, str] = field(default_factory=dict)  # log column → value meaning yes
    outcome: str | None = None
    positive: str | None = None
    truth: str | None = None
    truth_positive: str | None = None
    reference: str | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    proxy_columns: list[str] | None = None


def read_mapping(path: Path, options: CheckOptions) -> CheckOptions:
    """``options`` with what a mapping file says; the CLI applies its flags afterwards, so
    flags win over the file and the file over the defaults."""
    document = load_yaml(path)
    problems: list = []
    top = Fields(document, (), problems, "the mapping file")
    top.check_keys(
        (
            "columns",
            "groups",
            "positive",
            "reference",
            "tolerance",
            "min_group_size",
            "suppress_below",
        )
    )
    columns = top.get("columns", dict, {}) or {}
    groups = top.get("groups", list, []) or []
    positives = top.get("positive", dict, {}) or {}
    tolerance = top.get("tolerance", list, None)
    if tolerance is not None and (
        len(tolerance) != 2 or not all(isinstance(t, int | float) for t in tolerance)
    ):
        top.problem(
            ("tolerance",),
            "'tolerance' must be two numbers",
            expected="[0.8, 1.25]",
            found=str(tolerance),
        )
        tolerance = None
    sizes = {
        key: top.integer(key, low=1, high=1_000_000_000)
        for key in ("min_group_size", "suppress_below")
    }
    if problems:
        raise InputError(problems)
    thresholds = options.thresholds
    if tolerance:
        thresholds = replace(
            thresholds, tolerance_low=float(tolerance[0]), tolerance_high=float(tolerance[1])
        )
    thresholds = replace(
        thresholds, **{key: value for key, value in sizes.items() if value is not None}
    )
    return replace(
        options,
        groups=options.groups or [str(g) for g in groups],
        columns={
            **{str(k): "" if v is None else str(v) for k, v in columns.items()},
            **options.columns,
        },
        positives={**{str(k): str(v) for k, v in positives.items()}, **options.positives},
        reference=options.reference
        or (str(top.data["reference"]) if "reference" in top.data else None),
        thresholds=thresholds,
    )


def build_spec(
    check: str, options: CheckOptions, log_columns: dict[str, str] | None
) -> tuple[CheckSpec, dict[str, str]]:
    """The check to run, and the log columns it needs (column → purpose) for validation.

    ``log_columns`` is None when no log is at hand (``--print-sql``, ``--counts``): then every
    preset column is assumed present unless mapped to nothing.
    """
    if not options.groups:
        available = f" The log's columns: {quoted_list(log_columns)}." if log_columns else ""
        raise InputError.single(
            "--group",
            "choose at least one group column to compare",
            expected="--group COLUMN (repeat it for intersectional groups)",
            fix=f"for example --group language.{available}",
        )
    needed = {g: "a group column" for g in options.groups}
    if check == "check":
        return _generic(options, needed)
    preset = CHATBOT_COLUMNS if check == "chatbot" else SEGMENTATION_COLUMNS
    actual: dict[str, str] = {}
    notes = []
    for column in preset:
        name = options.columns.get(column.name, column.name)
        explicit = column.name in options.columns
        if not name:
            if column.required:
                raise InputError.single(
                    "--column",
                    f"the {check} check needs a {column.name!r} column ({column.purpose})",
                )
            continue
        if (
            log_columns is not None
            and name not in log_columns
            and not column.required
            and not explicit
        ):
            notes.append(
                f"no {column.name!r} column in the log ({column.purpose}): its metrics are skipped"
            )
            continue
        actual[column.name] = name
        needed[name] = f"{column.purpose}; the {check} preset's {column.name!r}"
    binary = tuple(
        BinaryColumn(actual[c.name], options.positives.get(actual[c.name]))
        for c in preset
        if c.kind == "binary" and c.name in actual
    )
    numeric = tuple(actual[c.name] for c in preset if c.kind == "numeric" and c.name in actual)
    categorical = tuple(
        actual[c.name] for c in preset if c.kind == "categorical" and c.name in actual
    )
    metrics = (
        _chatbot_metrics(actual)
        if check == "chatbot"
        else (MetricSpec("segment", "Assigned", "segment", actual["segment"]),)
    )
    spec = CheckSpec(
        check=check,
        groups=tuple(options.groups),
        metrics=metrics,
        binary=binary,
        numeric=numeric,
        categorical=categorical,
        thresholds=options.thresholds,
        reference=options.reference,
        proxy_candidates=tuple(options.proxy_columns)
        if options.proxy_columns is not None
        else None,
        notes=tuple(notes),
    )
    return spec, needed


def _chatbot_metrics(actual: dict[str, str]) -> tuple[MetricSpec, ...]:
    metrics = [MetricSpec("reached_human", "Reached a person", "rate", actual["reached_human"])]
    if "requested_human" in actual:
        metrics.append(
            MetricSpec(
                "human_when_requested",
                "Reached a person when they asked",
                "tpr",
                actual["reached_human"],
                truth=actual["requested_human"],
            )
        )
    if "resolved" in actual:
        metrics.append(MetricSpec("resolved", "Issue resolved", "rate", actual["resolved"]))
    if "satisfaction" in actual:
        metrics.append(
            MetricSpec("satisfaction", "Mean satisfaction", "mean", actual["satisfaction"])
        )
    if "wait_time" in actual:
        metrics.append(
            MetricSpec(
                "wait_time",
                "Mean waiting time",
                "mean",
                actual["wait_time"],
                higher_is_better=False,
            )
        )
    return tuple(metrics)


def _generic(options: CheckOptions, needed: dict[str, str]) -> tuple[CheckSpec, dict[str, str]]:
    if not options.outcome or options.positive is None:
        raise InputError.single(
            "auditkit bias check",
            "a generic check needs --outcome COLUMN and --positive VALUE",
            expected="the outcome column and the value that means 'selected'",
            fix="for example --outcome offer --positive vip; without --positive a text outcome "
            "would silently count as never selected",
        )
    needed[options.outcome] = "the outcome (--outcome)"
    binary = [BinaryColumn(options.outcome, options.positive)]
    metrics = [
        MetricSpec(
            "selection",
            f"Selected ({options.outcome} = {options.positive})",
            "rate",
            options.outcome,
        )
    ]
    if options.truth:
        needed[options.truth] = "the truth (--truth)"
        binary.append(BinaryColumn(options.truth, options.truth_positive))
        metrics.append(
            MetricSpec(
                "true_positive_rate",
                f"Selected when {options.truth} is yes",
                "tpr",
                options.outcome,
                truth=options.truth,
            )
        )
    spec = CheckSpec(
        check="check",
        groups=tuple(options.groups),
        metrics=tuple(metrics),
        binary=tuple(binary),
        thresholds=options.thresholds,
        reference=options.reference,
    )
    return spec, needed
