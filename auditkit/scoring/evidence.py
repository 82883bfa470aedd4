"""Bias-check results as evidence for scoring.

``auditkit bias … --format json`` writes a bias file (docs/bias.md, docs/bias.schema.json). Scoring only needs a
small part of it: which check ran, and for each metric which groups were shown *disadvantaged*
(its ``findings`` with side "disadvantaged", established: the interval lies wholly beyond the
tolerance band after the check's correction). A safeguard whose ``evidence:`` names that check
and metric is capped at "not met". An advantage, a difference without a better side, and a
disadvantage whose size is uncertain never cap a safeguard.
A metric id may carry a qualifier after a colon (``segment:vip``): the link ``segment`` covers
every segment value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from auditkit.bias.catalog import CHECKS
from auditkit.bias.words import comparison, group_name
from auditkit.errors import InputError, Problem, fill
from auditkit.fileio import read_json
from auditkit.i18n import ENGLISH, _, current
from auditkit.rubric.model import Question
from auditkit.scoring.model import EvidenceCap

BIAS_FORMAT = "auditkit-bias/3"
# /1 did not say who is disadvantaged; /2 lacked the tests, the counts and the gate behind
# each verdict (and its "could see" and gate followed older rules).
OLD_FORMATS = ("auditkit-bias/1", "auditkit-bias/2")


@dataclass(frozen=True)
class MetricFinding:
    metric: str  # e.g. human_when_requested, segment:vip
    label: str
    disparity_groups: tuple[tuple[str, float | None], ...]  # (group, ratio to reference)
    reference_group: str


@dataclass(frozen=True)
class BiasEvidence:
    source: str
    check: str
    findings: tuple[MetricFinding, ...]
    labels: tuple[tuple[str, str], ...] = ()  # group value → words, from the bias result
    # Test contacts: (metric, failed, contacts) of each outcome whose failures are a shortfall.
    shortfalls: tuple[tuple[str, int | None, int | None], ...] = ()
    log: str = ""  # the name of the log the check counted, as the owner knows the file

    @property
    def shown(self) -> str:
        """The file named in an owner's sentence: the log itself ("chatbot.csv"), not the
        result file it was saved in ("bias-1.json" on the practice server)."""
        return Path(self.log or self.source).name


def from_bias_data(data: dict, source: str) -> BiasEvidence:
    """Read the parts of a bias result that scoring needs; raise InputError if it is not one."""
    check_format(data, source)
    findings = []
    for metric in data.get("metrics", []):
        groups = tuple(
            (str(f["group"]), f.get("ratio"))
            for f in data.get("findings", [])
            if f.get("metric") == metric.get("id")
            and f.get("side") == "disadvantaged"
            and f.get("established")
        )
        findings.append(
            MetricFinding(
                metric=str(metric.get("id", "")),
                label=str(metric.get("label", metric.get("id", ""))),
                disparity_groups=groups,
                reference_group=str(metric.get("reference_group", "")),
            )
        )
    from auditkit.bias.codes import shown_labels

    labels = shown_labels(data)  # guessed names in the reader's language
    counted = data.get("source") if isinstance(data.get("source"), dict) else {}
    return BiasEvidence(
        log=str(counted.get("shown") or counted.get("file") or ""),
        source=source,
        check=str(data.get("check", "")),
        findings=tuple(findings),
        labels=tuple(sorted((str(k), str(v)) for k, v in labels.items())),
        shortfalls=tuple(
            (str(o["metric"]), o.get("failed"), o.get("contacts"))
            for o in (data.get("contacts") or {}).get("outcomes", [])
            if o.get("shortfall")
        ),
    )


def check_format(data: object, source: str) -> None:
    """The format marker: an auditkit bias result of this version, or a clear refusal."""
    if isinstance(data, dict) and data.get("format") in OLD_FORMATS:
        raise InputError.single(
            source,
            fill(
                _(
                    "was written by an older auditkit ({format}), whose verdicts followed older "
                    "rules and lack what they rest on"
                ),
                format=data["format"],
            ),
            expected=fill(_("a bias result in format {format}"), format=repr(BIAS_FORMAT)),
            fix=_("run the bias check again with this auditkit: {{bias_json}}"),
        )
    if not isinstance(data, dict) or data.get("format") != BIAS_FORMAT:
        raise InputError.single(
            source,
            _("is not an auditkit bias result"),
            expected=fill(
                _("a JSON file written by {{bias_json}} (format {format})"),
                format=repr(BIAS_FORMAT),
            ),
            found=fill(_("format {format}"), format=repr(data.get("format")))
            if isinstance(data, dict)
            else type(data).__name__,
            fix=_("save the check's result as {{bias_json}} writes it, and give that file"),
        )


def read_bias_json(path: Path | str) -> dict:
    """The data of a bias result file, checked to be one; InputError (located) otherwise."""
    path = Path(path)
    data = read_json(
        path,
        what=_("a bias result"),
        fix=_("give the JSON file written by {{bias_json}}"),
        missing_fix=_("check the path of --bias"),
    )
    check_format(data, str(path))  # the format marker first: the clearer message
    _validate(data, path)
    return data


def _validate(data: dict, path: Path) -> None:
    """Check a bias result against docs/bias.schema.json: a hand-edited or truncated file is
    exit 2 naming each wrong place (as a path into the JSON), never a crash later."""
    from jsonschema import Draft202012Validator

    from auditkit.rubric.registry import data_dir

    schema = json.loads((data_dir("docs") / "bias.schema.json").read_text(encoding="utf-8"))
    errors = sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path))
    if not errors:
        return
    problems = []
    for error in errors[:5]:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.path).lstrip(".")
        problems.append(
            Problem(
                str(path),
                # The schema validator's own words are quoted as it wrote them (English).
                fill(
                    _("{where}: {reason}"),
                    where=where or _("the top level"),
                    reason=error.message[:200],
                ),
                expected=_("a bias result as written by {{bias_json}} (docs/bias.schema.json)"),
                fix=_("write the file again with the bias command instead of editing it"),
            )
        )
    raise InputError(problems)


def load_bias_file(path: Path | str) -> BiasEvidence:
    return from_bias_data(read_bias_json(path), str(path))


def caps_for(
    question: Question, evidence: tuple[BiasEvidence, ...] | list[BiasEvidence]
) -> tuple[EvidenceCap, ...]:
    """The disparities, among all bias evidence, that prove ``question``'s safeguard unmet."""
    caps = list(_contact_caps(question, evidence))
    for link in question.evidence:
        for result in evidence:
            if result.check != link.check:
                continue
            for finding in result.findings:
                if finding.metric.split(":", 1)[0] != link.metric or not finding.disparity_groups:
                    continue
                caps.append(
                    EvidenceCap(
                        check=result.check,
                        metric=finding.metric,
                        source=result.source,
                        groups=tuple(group for group, _ in finding.disparity_groups),
                        detail=_detail(result, finding),
                    )
                )
    return tuple(caps)


def _detail(result: BiasEvidence, finding: MetricFinding) -> str:
    """Why the safeguard is not met, in words an owner reads: the groups by name, the gap
    in words ("about half as often"); the ratios themselves are in the bias section."""
    labels = dict(result.labels)
    reference = group_name(finding.reference_group, labels)
    parts = []
    for group, ratio in finding.disparity_groups:
        name = group_name(group, labels)
        if ratio is None or group == finding.reference_group:
            parts.append(name)
        else:
            parts.append(
                _("{name} ({how} {reference})").format(
                    name=name, how=comparison(ratio, "rate", ""), reference=reference
                )
            )
    check = CHECKS.get(result.check)
    if check is None:
        what = _("{check} log").format(check=result.check)
    else:
        what = check.title.lower() if current() == ENGLISH else _(check.title)
    return _("The {what} ({file}) shows {groups} worse off on “{label}”.").format(
        what=what, file=result.shown, groups=", ".join(parts), label=_(finding.label)
    )


def _contact_caps(question: Question, evidence) -> list[EvidenceCap]:
    """Test contacts (``auditkit contacts check``) cap a safeguard without a rubric link: a
    persona shown worse off caps the fairness safeguards (``CONTACT_DISPARITY_SAFEGUARDS``), and
    failures in at least 1 contact in 20 (at least 2) cap the safeguard the outcome tests
    (``CONTACT_SAFEGUARDS``): a bot that did not say it was one, a customer who never reached a
    person, contradicts the owner's "yes" directly."""
    from auditkit.bias.catalog import (
        CONTACT_DISPARITY_SAFEGUARDS,
        CONTACT_FAILURE_WORDS,
        CONTACT_SAFEGUARDS,
    )

    caps = []
    for result in evidence:
        if result.check != "contacts":
            continue
        for finding in result.findings:
            if finding.disparity_groups and question.id in CONTACT_DISPARITY_SAFEGUARDS.get(
                finding.metric, ()
            ):
                caps.append(
                    EvidenceCap(
                        check=result.check,
                        metric=finding.metric,
                        source=result.source,
                        groups=tuple(group for group, _ in finding.disparity_groups),
                        detail=_detail(result, finding),
                    )
                )
        for metric, failed, contacts in result.shortfalls:
            if question.id not in CONTACT_SAFEGUARDS.get(metric, ()):
                continue
            counted = (
                _("{failed} of {contacts} test contacts").format(failed=failed, contacts=contacts)
                if contacts
                else _("test contacts")
            )
            caps.append(
                EvidenceCap(
                    check=result.check,
                    metric=metric,
                    source=result.source,
                    groups=(),
                    detail=_("In {counted} ({file}), the customer {what}.").format(
                        counted=counted,
                        file=result.shown,
                        what=_(CONTACT_FAILURE_WORDS[metric]),
                    ),
                )
            )
    return caps
