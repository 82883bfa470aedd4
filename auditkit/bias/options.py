"""A check's options from the command line, read the same way by every command that runs a
check (``auditkit bias …`` and ``auditkit report --bias CHECK:LOG``): defaults, then the
mapping file, then the flags given — flags win."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from auditkit.bias.presets import CheckOptions, read_labels, read_mapping
from auditkit.bias.spec import valid_tolerance
from auditkit.errors import InputError, fill
from auditkit.i18n import _


def parse_pairs(values, option: str) -> dict[str, str]:
    """``NAME=VALUE`` options (``--column``, ``--positive``…) as a mapping; ``option`` is the
    option's wording token (``column``), so an error names it in the caller's words."""
    pairs = {}
    for value in values:
        if "=" not in value:
            raise InputError.single(
                "{{" + option + "}}",
                _("expected NAME=VALUE"),
                found=repr(value),
                fix=fill(_("for example {{{option} NAME=COLUMN}}"), option=option),
            )
        name, _equals, mapped = value.partition("=")
        pairs[name.strip()] = mapped.strip()
    return pairs


def check_options(check: str, raw: dict):
    """Defaults, then the mapping file, then the flags given: flags win. Shared with
    ``auditkit report --bias CHECK:LOG`` so both commands read options the same way."""
    options = CheckOptions()
    if raw.get("mapping"):
        options = read_mapping(raw["mapping"], options)
    thresholds = options.thresholds
    if raw.get("tolerance"):
        thresholds = replace(
            thresholds, tolerance_low=raw["tolerance"][0], tolerance_high=raw["tolerance"][1]
        )
    for key in ("min_group_size", "suppress_below", "correction", "judge_missing"):
        if raw.get(key):
            thresholds = replace(thresholds, **{key: raw[key]})
    if not valid_tolerance(thresholds.tolerance_low, thresholds.tolerance_high):
        raise InputError.single(
            "{{tolerance}}",
            _("LOW must be in (0, 1] and HIGH at least 1"),
            found=f"{thresholds.tolerance_low:g} {thresholds.tolerance_high:g}",
            fix=_("for example {{tolerance 0.8 1.25}}"),
        )
    positives = parse_pairs(raw.get("positives") or (), "positive") if check != "check" else {}
    return replace(
        options,
        groups=list(raw.get("groups") or ()) or options.groups,
        columns={**options.columns, **parse_pairs(raw.get("columns") or (), "column")},
        positives={**options.positives, **positives},
        outcome=raw.get("outcome") or options.outcome,
        positive=(raw.get("positive") or options.positive) if check == "check" else None,
        truth=raw.get("truth") or options.truth,
        truth_positive=raw.get("truth_positive") or options.truth_positive,
        score=raw.get("score") or options.score,
        cuts=tuple(raw.get("thresholds") or ()) or options.cuts,
        reference=raw.get("reference") or options.reference,
        within=raw.get("within") or options.within,
        favourable=list(raw.get("favourable") or ()) or options.favourable,
        unfavourable=list(raw.get("unfavourable") or ()) or options.unfavourable,
        positive_is_adverse=bool(raw.get("positive_is_adverse")) or options.positive_is_adverse,
        thresholds=thresholds,
        proxy_columns=list(raw["proxy_columns"]) if raw.get("proxy_columns") else None,
        labels={**options.labels, **_labels(raw.get("labels"))},
    )


def _labels(given) -> dict[str, str]:
    """Group names: a labels file (the command line's --labels), or words given as a mapping
    (Python's ``labels={"pl": "Polish speakers"}``, the server's "Group names" field)."""
    if not given:
        return {}
    if isinstance(given, Mapping):
        return {str(code): str(words) for code, words in given.items()}
    return read_labels(given)


def check_inputs(check: str, raw: dict) -> None:
    """Exactly one log: a file, a DataFrame (from Python), counts, or an engine's table or
    query. The same refusals for the command line and for Python."""
    given = [
        name
        for name, key in (
            ("{{log}}", "log"),
            (_("a DataFrame"), "frame"),
            ("{{counts}}", "counts_file"),
            ("{{connection}}", "connection"),
        )
        if raw.get(key) is not None
    ]
    if not given:
        raise InputError.single(
            "{{bias_command}}",
            _("no log given"),
            expected=_("{{log}}, {{counts FILE}}, or {{connection URL}} with {{table NAME}}"),
            fix=fill(_("for example: {{example_{check}}}"), check=check),
        )
    if len(given) > 1:
        raise InputError.single(
            "{{bias_command}}",
            fill(_("give only one of {choices}"), choices=", ".join(given)),
        )
    if raw.get("connection") is None and (raw.get("table") or raw.get("query")):
        raise InputError.single(
            "{{table}}" if raw.get("table") else "{{query}}",
            _("names what to count on an engine"),
            fix=_("add {{connection URL}}, or print the counting query for it ({{print_sql}})"),
        )
