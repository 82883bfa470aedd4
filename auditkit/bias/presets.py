"""The chatbot and segmentation presets, and the generic check beneath them, from the catalog.

A preset names the columns it expects by role (``reached_human``, ``segment``…) and the
metrics it computes from them (``catalog.py``). Logs whose columns are named differently are
mapped with ``--column reached_human=handed_over`` or a mapping file; ``--column wait_time=``
(empty) says the log has no such column. An optional column missing from the log skips its
metrics, and the skip is listed in the summary and the JSON; a misspelled role is an error,
never a silently skipped metric.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from auditkit.bias.catalog import (
    CHECKS,
    FAVOURABLE_SEGMENTS,
    UNFAVOURABLE_SEGMENTS,
    Direction,
    MetricDef,
    flip,
)
from auditkit.bias.spec import BinaryColumn, CheckSpec, MetricSpec, Thresholds, valid_tolerance
from auditkit.errors import InputError, Problem, did_you_mean, fill, quoted_list
from auditkit.fields import Fields
from auditkit.i18n import _
from auditkit.yamlsource import load_yaml


@dataclass
class CheckOptions:
    """What the user asked for, from flags and an optional mapping file (flags win)."""

    groups: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # role → log column ('' = absent)
    positives: dict[str, str] = field(default_factory=dict)  # log column → value meaning yes
    outcome: str | None = None
    positive: str | None = None
    positive_is_adverse: bool = False
    truth: str | None = None
    truth_positive: str | None = None
    score: str | None = None  # check: a numeric score column, decisions made by --threshold
    cuts: tuple[float, ...] = ()  # --threshold values: selected when score ≥ the value
    reference: str | None = None
    within: str | None = None
    favourable: list[str] = field(default_factory=list)
    unfavourable: list[str] = field(default_factory=list)
    thresholds: Thresholds = field(default_factory=Thresholds)
    proxy_columns: list[str] | None = None
    # How people read the groups and the means: "pl" → "Polish speakers"; "wait_time" →
    # "seconds". Only the words change: counts and verdicts are keyed by the log's values.
    labels: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    # Column names written in a mapping file → where ("file:line:column"), so a column the
    # log lacks is reported at the place the user wrote it.
    named_at: dict[str, str] = field(default_factory=dict)


def read_mapping(path: Path, options: CheckOptions) -> CheckOptions:
    """``options`` with what a mapping file says; the CLI applies its flags afterwards, so
    flags win over the file and the file over the defaults."""
    document = load_yaml(path)
    problems: list = []
    top = Fields(document, (), problems, _("the mapping file"))
    top.check_keys(
        (
            "columns",
            "groups",
            "positive",
            "reference",
            "within",
            "favourable",
            "unfavourable",
            "tolerance",
            "min_group_size",
            "suppress_below",
            "correction",
            "outcome",
            "truth",
            "truth_positive",
            "positive_is_adverse",
            "judge_missing",
            "score",
            "threshold",
            "labels",
            "units",
        )
    )
    columns = top.get("columns", dict, {}) or {}
    labels = _words(
        top,
        top.get("labels", dict, {}) or {},
        ("labels",),
        _("a group value"),
        _("pl: Polish speakers"),
    )
    units = _words(
        top, top.get("units", dict, {}) or {}, ("units",), _("a metric's id"), "wait_time: minutes"
    )
    groups = top.get("groups", list, []) or []
    positive = top.data.get("positive")
    positives = positive if isinstance(positive, dict) else {}
    generic_positive = None if isinstance(positive, dict) or positive is None else str(positive)
    favourable = top.get("favourable", list, []) or []
    unfavourable = top.get("unfavourable", list, []) or []
    correction = (
        top.choice("correction", ("holm", "bh", "none")) if "correction" in top.data else None
    )
    tolerance = top.get("tolerance", list, None)
    if tolerance is not None and (
        len(tolerance) != 2 or not all(isinstance(t, int | float) for t in tolerance)
    ):
        top.problem(
            ("tolerance",),
            _("'tolerance' must be two numbers"),
            expected="[0.8, 1.25]",
            found=str(tolerance),
        )
        tolerance = None
    elif tolerance is not None and not valid_tolerance(*tolerance):
        top.problem(
            ("tolerance",),
            _("'tolerance' must be [LOW, HIGH] with LOW in (0, 1] and HIGH at least 1"),
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
    if correction:
        thresholds = replace(thresholds, correction=correction)
    if top.boolean("judge_missing", False):
        thresholds = replace(thresholds, judge_missing=True)
    cuts = top.data.get("threshold")
    cuts = [cuts] if isinstance(cuts, int | float) and not isinstance(cuts, bool) else cuts
    if cuts is not None and (
        not isinstance(cuts, list)
        or not cuts
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in cuts)
    ):
        top.problem(
            ("threshold",),
            _("'threshold' must be a number or a list of numbers"),
            expected=_("0.7 or [0.5, 0.7]"),
            found=str(cuts),
        )
        raise InputError(problems)
    places = [(("columns", key), value) for key, value in columns.items()]
    places += [(("groups", index), value) for index, value in enumerate(groups)]
    places += [((key,), top.data.get(key)) for key in ("within", "outcome", "truth", "score")]
    named_at = {}
    for key_path, value in places:
        if isinstance(value, str) and value:
            mark = document.mark(key_path)
            named_at[value] = f"{document.file}:{mark.line}:{mark.column}"
    for key in columns:  # the roles, keyed apart from column names
        mark = document.mark(("columns", key), key=True)
        named_at[f"role:{key}"] = f"{document.file}:{mark.line}:{mark.column}"
    return replace(
        options,
        named_at={**named_at, **options.named_at},
        labels={**labels, **options.labels},
        units={**units, **options.units},
        groups=options.groups or [str(g) for g in groups],
        columns={
            **{str(k): "" if v is None else str(v) for k, v in columns.items()},
            **options.columns,
        },
        positives={**{str(k): str(v) for k, v in positives.items()}, **options.positives},
        reference=options.reference
        or (str(top.data["reference"]) if "reference" in top.data else None),
        within=options.within or (str(top.data["within"]) if "within" in top.data else None),
        outcome=options.outcome or _text(top, "outcome"),
        positive=options.positive or generic_positive,
        truth=options.truth or _text(top, "truth"),
        truth_positive=options.truth_positive or _text(top, "truth_positive"),
        score=options.score or _text(top, "score"),
        cuts=options.cuts or tuple(float(c) for c in cuts or ()),
        positive_is_adverse=options.positive_is_adverse
        or bool(top.boolean("positive_is_adverse", False)),
        favourable=options.favourable or [str(v) for v in favourable],
        unfavourable=options.unfavourable or [str(v) for v in unfavourable],
        thresholds=thresholds,
    )


LABEL_LENGTH = 60


def _words(top: Fields, raw: dict, prefix: tuple, what: str, example: str) -> dict[str, str]:
    """``labels:`` or ``units:``: a mapping of a value to the words a reader sees; problems
    are located at the entry (``prefix`` is where the mapping sits in the file)."""
    words = {}
    name = repr(prefix[0]) if prefix else _("the labels file")
    for key, value in raw.items():
        if not isinstance(value, str | int | float) or isinstance(value, bool) or not str(value):
            top.problem(
                (*prefix, key),
                fill(_("each entry of {name} maps {what} to words"), name=name, what=what),
                expected=example,
                found=repr(value),
            )
            continue
        text = " ".join(str(value).split())
        if len(text) > LABEL_LENGTH:
            top.problem(
                (*prefix, key),
                fill(_("a label is at most {count} characters"), count=LABEL_LENGTH),
                expected=example,
                found=fill(_("{count} characters"), count=len(text)),
            )
            continue
        words[str(key)] = text
    if top.problems:
        raise InputError(top.problems)
    return words


def read_labels(path: Path) -> dict[str, str]:
    """``--labels FILE``: a YAML mapping of group values to words (``pl: Polish speakers``),
    or a mapping file whose ``labels:`` section says it."""
    document = load_yaml(path)
    problems: list = []
    top = Fields(document, (), problems, _("the labels file"))
    if not top.ok:
        raise InputError(problems)
    if isinstance(top.data.get("labels"), dict):
        return _words(
            top, top.data["labels"], ("labels",), _("a group value"), _("pl: Polish speakers")
        )
    return _words(top, top.data, (), _("a group value"), _("pl: Polish speakers"))


def _text(top: Fields, key: str) -> str | None:
    return str(top.data[key]) if top.data.get(key) is not None else None


@dataclass(frozen=True)
class Need:
    """Why a check needs a log column, and the option that names it: a missing column's fix
    points at that option (``-g`` for a group, ``--column ROLE=…`` for a preset's column),
    and its suggestions come only from columns no other option uses, of the same kind."""

    purpose: str
    option: str  # a wording token: group, within, column, outcome, truth, score, proxy_column
    role: str = ""  # the preset's role, for option 'column'
    numeric: bool = False  # a number is expected (a wait time, a score)


def build_spec(
    check: str, options: CheckOptions, log_columns: dict[str, str] | None
) -> tuple[CheckSpec, dict[str, Need]]:
    """The check to run, and the log columns it needs (column → purpose) for validation.

    ``log_columns`` is None when no log is at hand (``--print-sql``, ``--counts``): then every
    preset column is assumed present unless mapped to nothing.
    """
    if not options.groups:
        raise InputError.single(
            "{{group}}",
            _("choose at least one group column to compare"),
            expected=_("{{group COLUMN}} (several for intersectional groups)"),
            fix=fill(
                _("for example {{group language}}. The log's columns: {columns}."),
                columns=quoted_list(log_columns),
            )
            if log_columns
            else _("for example {{group language}}."),
        )
    definition = CHECKS[check]
    needed = {g: Need(_("a group column"), "group") for g in options.groups}
    if options.within:
        if options.within in options.groups:
            raise InputError.single(
                "{{within}}",
                fill(_("{column} is already a group column"), column=repr(options.within)),
                fix=_("{{within}} names a column to compare inside (channel, branch), not a group"),
            )
        needed[options.within] = Need(_("the stratum column ({{within}})"), "within")
    _check_roles(check, options)
    if check == "check":
        actual = _generic_columns(options, needed)
    else:
        actual = _preset_columns(check, options, log_columns, needed)
    notes: list[str] = []
    binary = tuple(
        BinaryColumn(actual[c.role], _positive(check, c.role, options, actual))
        for c in definition.columns
        if c.kind == "binary" and c.role in actual and not (c.role == "outcome" and options.score)
    )
    if options.score:  # one yes/no decision per cut-off, read from the score column
        binary = (
            *(
                BinaryColumn(cut_name(options.score, cut), column=options.score, threshold=cut)
                for cut in options.cuts
            ),
            *binary,
        )
    numeric = tuple(
        actual[c.role] for c in definition.columns if c.kind == "numeric" and c.role in actual
    )
    categorical = tuple(
        actual[c.role] for c in definition.columns if c.kind == "categorical" and c.role in actual
    )
    metrics, skipped = [], []
    if options.score:
        metrics = _score_metrics(definition, actual, options)
    for metric in () if options.score else definition.metrics:
        missing = [role for role in _roles(metric) if role not in actual]
        if metric.kind == "summary":
            if "truth" in actual:
                metrics.append(MetricSpec(metric, "none", metric.label))
            continue
        if missing:
            if check == "check":
                continue  # error rates come with --truth only: not offered, so not skipped
            column = definition.column(missing[0])
            skipped.append(
                (
                    metric.id,
                    _("no {column} column in the log ({purpose})").format(
                        column=repr(missing[0]), purpose=_(column.purpose)
                    ),
                )
            )
            continue
        metrics.append(_metric_spec(check, metric, actual, options))
    for metric_id, why in skipped:
        notes.append(_("{metric} skipped: {why}").format(metric=metric_id, why=why))
    spec = CheckSpec(
        check=check,
        groups=tuple(options.groups),
        metrics=tuple(metrics),
        binary=binary,
        numeric=numeric,
        categorical=categorical,
        thresholds=options.thresholds,
        reference=options.reference,
        positive_is_adverse=options.positive_is_adverse and check == "check",
        within=options.within,
        favourable=tuple(options.favourable),
        unfavourable=tuple(options.unfavourable),
        score=options.score,
        proxy_candidates=tuple(options.proxy_columns)
        if options.proxy_columns is not None
        else None,
        notes=tuple(notes),
        skipped=tuple(skipped),
    )
    return spec, needed


def _roles(metric: MetricDef) -> list[str]:
    return [r for r in (metric.outcome, metric.truth, metric.prediction, metric.among) if r]


def _check_roles(check: str, options: CheckOptions) -> None:
    """An unknown role in --column (or the mapping file) is an error with a suggestion."""
    if check == "check":
        if options.columns:
            raise InputError.single(
                "{{column}}",
                _("'auditkit bias check' takes its columns from {{outcome}} and {{truth}}"),
                found=f"{{{{column {next(iter(options.columns))}=…}}}}",
                fix=_(
                    "name the decision with {{outcome COLUMN}} and who should have been "
                    "selected with {{truth COLUMN}}"
                ),
            )
        return
    roles = [c.role for c in CHECKS[check].columns]
    for role in options.columns:
        if role not in roles:
            guess = did_you_mean(role, roles)
            where = options.named_at.get(f"role:{role}")  # written in the mapping file
            file, line, column = where.rsplit(":", 2) if where else ("{{column}}", None, None)
            raise InputError(
                [
                    Problem(
                        file,
                        fill(
                            _("the {check} check has no column role {role}"),
                            check=check,
                            role=repr(role),
                        ),
                        line=int(line) if line else None,
                        column=int(column) if column else None,
                        expected=fill(_("one of {choices}"), choices=quoted_list(roles)),
                        found=repr(role),
                        fix=fill(_("did you mean {guess}?"), guess=repr(guess))
                        if guess
                        else fill(_("use one of {choices}"), choices=quoted_list(roles)),
                    )
                ]
            )


def _preset_columns(
    check: str, options: CheckOptions, log_columns: dict[str, str] | None, needed: dict[str, Need]
) -> dict[str, str]:
    actual: dict[str, str] = {}
    for column in CHECKS[check].columns:
        name = options.columns.get(column.role, column.role)
        explicit = column.role in options.columns
        if not name:
            if column.required:
                raise InputError.single(
                    "{{column}}",
                    fill(
                        _("the {check} check needs a {role} column ({purpose})"),
                        check=check,
                        role=repr(column.role),
                        purpose=_(column.purpose),
                    ),
                )
            continue
        if (
            log_columns is not None
            and name not in log_columns
            and not column.required
            and not explicit
        ):
            continue  # optional and absent: its metrics are skipped, and the summary says so
        actual[column.role] = name
        needed[name] = Need(
            fill(
                _("{purpose}; the {check} preset's {role}"),
                purpose=_(column.purpose),
                check=check,
                role=repr(column.role),
            ),
            "column",
            column.role,
            numeric=column.kind == "numeric",
        )
    return actual


def cut_name(score: str, cut: float) -> str:
    """The decision a cut-off makes: "risk ≥ 7"."""
    return f"{score} ≥ {cut:g}"


def _score_metrics(definition, actual: dict[str, str], options: CheckOptions) -> list[MetricSpec]:
    """Each cut-off's selection (and, with --truth, error rates and equalized odds), ids marked
    "@cut" when there are several; then, with --truth, the score's own AUC and calibration."""
    specs = []
    ranked = ("auc", "calibration")
    for cut in options.cuts:
        variant = f"@{cut:g}" if len(options.cuts) > 1 else ""
        at_cut = {**actual, "outcome": cut_name(options.score, cut)}
        for metric in definition.metrics:
            if metric.kind in ranked or any(role not in at_cut for role in _roles(metric)):
                continue
            if metric.kind == "summary":
                if "truth" in at_cut:
                    label = metric.label + (
                        " " + _("at {cut}").format(cut=cut_name(options.score, cut))
                        if variant
                        else ""
                    )
                    specs.append(MetricSpec(metric, "none", label, variant=variant))
                continue
            spec = _metric_spec("check", metric, at_cut, options)
            label = spec.label
            if metric.id == "selection":
                label = _("Selected ({cut})").format(cut=cut_name(options.score, cut))
            elif variant:
                label += " " + _("at {cut}").format(cut=cut_name(options.score, cut))
            specs.append(replace(spec, label=label, variant=variant))
    if "truth" in actual:
        for metric in definition.metrics:
            if metric.kind in ranked:
                specs.append(
                    _metric_spec("check", metric, {**actual, "outcome": options.score}, options)
                )
    return specs


def _generic_columns(options: CheckOptions, needed: dict[str, Need]) -> dict[str, str]:
    if options.score:
        return _score_columns(options, needed)
    if options.cuts:
        raise InputError.single(
            "{{threshold}}",
            _("a cut-off needs the score it cuts"),
            fix=_("add {{score COLUMN}} (the numeric score the decisions were made from)"),
        )
    if not options.outcome or options.positive is None:
        raise InputError.single(
            "auditkit bias check",
            _("a generic check needs {{outcome COLUMN}} and {{positive VALUE}}"),
            expected=_("the outcome column and the value that means 'selected'"),
            fix=_(
                "for example {{outcome offer}} {{positive vip}}; without {{positive}} a text "
                "outcome would silently count as never selected"
            ),
        )
    needed[options.outcome] = Need(_("the outcome ({{outcome}})"), "outcome")
    return _with_truth({"outcome": options.outcome}, options, needed)


def _with_truth(actual: dict[str, str], options: CheckOptions, needed: dict[str, Need]):
    """The decision's columns, and ``--truth`` when it is given."""
    if options.truth:
        needed[options.truth] = Need(_("the truth ({{truth}})"), "truth")
        actual["truth"] = options.truth
    return actual


def _score_columns(options: CheckOptions, needed: dict[str, Need]) -> dict[str, str]:
    """``--score COLUMN --threshold T…``: the decisions are the score's cut-offs."""
    if options.outcome or options.positive is not None:
        raise InputError.single(
            "{{score}}",
            _(
                "give the decision as {{outcome}}/{{positive}} or as {{score}}/{{threshold}}, "
                "not both"
            ),
            fix=_(
                "with {{score}}, each {{threshold T}} is a decision: selected when the score ≥ T"
            ),
        )
    if not options.cuts:
        raise InputError.single(
            "{{score}}",
            _("a score needs the cut-off the decisions were made at"),
            expected=_("{{threshold T}} (repeat it for several cut-offs)"),
            fix=fill(_("for example {{score {column}}} {{threshold 0.7}}"), column=options.score),
        )
    if len(set(options.cuts)) != len(options.cuts):
        raise InputError.single("{{threshold}}", _("each cut-off once"), found=str(options.cuts))
    needed[options.score] = Need(_("the score ({{score}})"), "score", numeric=True)
    return _with_truth({"score": options.score}, options, needed)


def _positive(check: str, role: str, options: CheckOptions, actual: dict[str, str]) -> str | None:
    if check == "check":
        return options.positive if role == "outcome" else options.truth_positive
    return options.positives.get(actual[role])


def _metric_spec(
    check: str, metric: MetricDef, actual: dict[str, str], options: CheckOptions
) -> MetricSpec:
    direction: Direction = metric.direction
    label = metric.label
    if check == "check":
        if options.positive_is_adverse and metric.kind != "auc":  # ranking well is good anyway
            direction = flip(direction)
        if metric.id == "selection":
            label = _("Selected ({outcome} = {positive})").format(
                outcome=options.outcome, positive=options.positive
            )
        # Words follow --truth: "who should have been" becomes "who had repaid = yes".
        truth = f"{options.truth} = {options.truth_positive or 'yes'}"
        for generic, specific in (
            ("who should not have been", f"who did not have {truth}"),
            ("who should have been", f"who had {truth}"),
            ("Should not have been selected", f"Did not have {truth}"),
            ("Should have been selected", f"Had {truth}"),
        ):
            label = label.replace(generic, specific)
    return MetricSpec(
        definition=metric,
        direction=direction,
        label=label,
        outcome=actual.get(metric.outcome, "") if metric.outcome else "",
        truth=actual.get(metric.truth, "") if metric.truth else "",
        prediction=actual.get(metric.prediction, "") if metric.prediction else "",
        among=actual.get(metric.among, "") if metric.among else "",
    )


def segment_direction(value: str, spec: CheckSpec) -> Direction:
    """Whether being in segment ``value`` is good for a customer (higher is better), bad, or
    neither: the user's --favourable / --unfavourable first, then common names."""
    if any(value == v or value.casefold() == v.casefold() for v in spec.favourable):
        return "higher"
    if any(value == v or value.casefold() == v.casefold() for v in spec.unfavourable):
        return "lower"
    if spec.favourable or spec.unfavourable:
        return "none"
    squashed = "".join(ch for ch in value.casefold() if ch.isalnum())
    if squashed in FAVOURABLE_SEGMENTS:
        return "higher"
    if squashed in UNFAVOURABLE_SEGMENTS:
        return "lower"
    return "none"


__all__ = ["CheckOptions", "build_spec", "read_mapping", "segment_direction"]
