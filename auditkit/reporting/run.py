"""From files to a report: score the answers, gather bias results, render HTML and PDF."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from auditkit.bias.logs import FORMATS as LOG_SUFFIXES
from auditkit.errors import InputError, fill
from auditkit.i18n import _
from auditkit.reporting.brand import Brand, contrast_warnings
from auditkit.reporting.context import BiasInput, build_context
from auditkit.reporting.render import render_html, render_pdf
from auditkit.scoring.evidence import from_bias_data, read_bias_json
from auditkit.scoring.model import ScoreResult
from auditkit.scoring.run import ScoredFile, score_answers_file


def report_date(explicit: str | None) -> date:
    """--date, else SOURCE_DATE_EPOCH (reproducible builds), else today."""
    if explicit:
        try:
            return date.fromisoformat(explicit)
        except ValueError:
            raise InputError.single(
                "{{date}}", _("not a date"), expected="YYYY-MM-DD", found=repr(explicit)
            ) from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC).date()
        except ValueError:
            raise InputError.single(
                "SOURCE_DATE_EPOCH", _("not a number of seconds"), found=repr(epoch)
            ) from None
    return datetime.now(UTC).date()


def load_bias_input(spec: str, raw_options: dict, *, decimal: str | None = None) -> BiasInput:
    """``bias.json`` from 'auditkit bias', or ``CHECK:LOG`` to run the check now, with options
    read exactly as the bias command reads them (``raw_options``: groups, columns, mapping…);
    ``decimal``: the log's decimal mark ('.', ',' or None: detected)."""
    from auditkit.bias.catalog import CHECKS

    check, _colon, log = spec.partition(":")
    if log and check == "contacts":  # paired contacts need their plan: a command of their own
        raise InputError.single(
            spec,
            _("test contacts are analysed with their plan, not from the report"),
            fix=fill(
                _(
                    "run 'auditkit contacts check {log} --plan plan.yaml --format json -o "
                    "contacts.json' and pass {{bias contacts.json}}"
                ),
                log=log,
            ),
        )
    if log and check in CHECKS:
        from auditkit.bias.formats.json import bias_to_dict
        from auditkit.bias.options import check_options
        from auditkit.bias.run import run_check

        result = run_check(check, Path(log), check_options(check, raw_options), decimal=decimal)
        return BiasInput(bias_to_dict(result), Path(log))
    path = Path(spec)
    if path.suffix.lower() in LOG_SUFFIXES and path.suffix.lower() != ".json":
        raise InputError.single(
            spec,
            _("is a log, and the report needs to know which check to run on it"),
            fix=fill(
                _(
                    "write --bias chatbot:{spec} (or segmentation:{spec}, check:{spec}) with "
                    "--bias-group COLUMN"
                ),
                spec=spec,
            ),
        )
    data = read_bias_json(path)
    return BiasInput(data, path)


@dataclass(frozen=True)
class Report:
    scored: ScoredFile  # the answers, the rubric and the score the report shows
    html: str
    pdf: bytes | None
    refused: list[str]
    warnings: list[str] = field(default_factory=list)
    record: dict = field(default_factory=dict)  # the audit record (followup/record.py)

    @property
    def score(self) -> ScoreResult:
        return self.scored.result


def make_report(
    answers: Path | Sequence[Path],
    bias: list[BiasInput],
    *,
    brand: Brand | None = None,
    templates: Path | None = None,
    day: date,
    pdf: bool,
    rubric: str | None = None,
    sector: str | None = None,
    previous: Path | None = None,
    previous_bias: Sequence[Path] = (),
    force: bool = False,
    labels: dict[str, str] | None = None,
    language: str | None = None,
) -> Report:
    """Score, build the context and render; ``previous`` (the last audit's record, or its
    answers with ``previous_bias``) adds the "Since the last audit" section and the cover's
    follow-up line, with the earlier figures exactly as the earlier report gave them.
    Checks of the same log are suppressed together (``bias.across``) before anything reads
    them, so the report, its record and its score show the same figures.

    ``language`` ("de"; default English) is the language of everything the report says; the
    answers, scores and the audit record's ids are the same in every language. The
    methodology says how many strings fell back to English (none for a shipped language)."""
    from auditkit.i18n import use

    with use(language) as catalog:
        return _make_report(
            answers,
            bias,
            brand=brand,
            templates=templates,
            day=day,
            pdf=pdf,
            rubric=rubric,
            sector=sector,
            previous=previous,
            previous_bias=previous_bias,
            force=force,
            labels=labels,
            catalog=catalog,
        )


def _make_report(
    answers: Path | Sequence[Path],
    bias: list[BiasInput],
    *,
    brand: Brand | None,
    templates: Path | None,
    day: date,
    pdf: bool,
    rubric: str | None,
    sector: str | None,
    previous: Path | None,
    previous_bias: Sequence[Path],
    force: bool,
    labels: dict[str, str] | None,
    catalog,
) -> Report:
    from auditkit.bias.across import suppress_across

    together = suppress_across([item.data for item in bias])
    bias = [BiasInput(data, item.source) for data, item in zip(together, bias, strict=True)]
    evidence = [from_bias_data(item.data, str(item.source)) for item in bias]
    # The rules are named against the report's date: "overdue since …", "due in 26 days".
    scored = score_answers_file(
        answers,
        rubric=rubric,
        sector=sector,
        evidence=evidence,
        language=catalog.language if catalog is not None else None,
        as_of=day,
    )
    rubric_fallbacks = scored.translation_fallbacks
    brand = brand or Brand()
    comparison = None
    if previous is not None:
        from auditkit.followup.compare import compare
        from auditkit.followup.record import read_earlier
        from auditkit.followup.run import earlier_audit

        earlier = read_earlier(Path(previous), previous_bias)
        comparison = compare(
            earlier_audit(earlier, scored),
            scored,
            bias_before=earlier.bias,
            bias_after=[item.data for item in bias],
            force=force,
            files=(str(previous), str(scored.paths[0])),
            views_before=earlier.views,
        )
    context = build_context(
        scored,
        scored.paths[0],
        bias,
        brand,
        day,
        extra_inputs=[Path(previous)] if previous else None,
        comparison=comparison,
        labels=labels,
    )
    html = render_with_fallbacks(context, templates, catalog, rubric_fallbacks)
    warnings = contrast_warnings(brand)
    from auditkit.followup.record import build_record
    from auditkit.scoring.formats.json import score_to_dict

    merged = None
    if scored.voices is not None and scored.voices.several:
        from auditkit.answers.store import dump_answers

        # The merged answers, never one staff member's: what the next audit compares with.
        merged = dump_answers(scored.reconciliation.answers, scored.paths[0].name)
    record = build_record(
        scored.paths[0],
        [item.data for item in bias],
        score_to_dict(scored.result, scored.voices),
        day,
        merged_text=merged,
    )
    if not pdf:
        return Report(scored, html, None, [], warnings, record)
    identifier = "|".join(
        [context["methodology"]["date"], *(i["sha256"] for i in context["methodology"]["inputs"])]
    )
    epoch = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
    document, refused = render_pdf(
        html,
        template_dir=templates,
        brand_folder=brand.folder,
        identifier=identifier,
        source_date_epoch=epoch,
    )
    return Report(scored, html, document, refused, warnings, record)


def render_with_fallbacks(
    context: dict, templates: Path | None, catalog, rubric_fallbacks: int
) -> str:
    """Render, then say in the methodology how many texts fell back to English: the UI
    strings the catalog lacked (counted while building and rendering) plus the rubric's. The
    count is known only after a render, so a report with fallbacks is rendered again with its
    sentence (a few tens of milliseconds)."""
    from auditkit.i18n import ngettext

    html = render_html(context, templates)
    if catalog is None:
        return html
    for _attempt in range(3):  # the sentence itself may be one more untranslated string
        missed = len(catalog.missed) + rubric_fallbacks
        sentence = (
            ngettext(
                "{count} text of this report has no translation yet and is shown in English.",
                "{count} texts of this report have no translation yet and are shown in English.",
                missed,
            ).format(count=missed)
            if missed
            else ""
        )
        if sentence == context["methodology"].get("fallbacks", ""):
            break
        context["methodology"]["fallbacks"] = sentence
        html = render_html(context, templates)
    return html


__all__ = ["Report", "load_bias_input", "make_report", "report_date"]
