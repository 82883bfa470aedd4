"""``auditkit score``: adoption phase against safeguard phase, as a table, JSON or JUnit."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from auditkit.cli.output import emit, output_option, say
from auditkit.cli.rules import IsoDate
from auditkit.errors import ThresholdBreached
from auditkit.i18n import _, current


@click.command("score")
@click.argument("answers", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--bias",
    "bias_files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="BIAS.json",
    help="Bias-check result from 'auditkit bias … --format json' (repeatable). A disparity caps "
    "the linked safeguards at 'not met'.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "junit"]),
    default="table",
    show_default=True,
    help="table for people, json for tools (docs/score.schema.json), junit for CI dashboards.",
)
@output_option
@click.option(
    "--rubric",
    metavar="ID|FILE",
    help="Score against this rubric instead of the one the answers name.",
)
@click.option(
    "--sector", metavar="SECTOR", help="Apply this sector overlay instead of the answers' own."
)
@click.option(
    "--fail-on-gap",
    type=click.IntRange(1, 3),
    metavar="N",
    help="Exit 1 when the over-automation gap is N or more (for CI). The gate reads the "
    "pessimistic end of a partial file's range, and fails a file with too few answers for a "
    "verdict unless --allow-incomplete.",
)
@click.option(
    "--fail-on-severity",
    type=click.IntRange(1, 4),
    metavar="N",
    help="Exit 1 when the verdict's severity is N or more (for CI): 1 minor gaps, 2 ahead of "
    "its safeguards, 3 over-automated (high), 4 over-automated (severe). Reads the pessimistic "
    "end, and fails a file with too few answers for a verdict unless --allow-incomplete.",
)
@click.option(
    "--allow-incomplete",
    is_flag=True,
    help="With --fail-on-gap or --fail-on-severity: judge a file with too few answers for a "
    "verdict by its pessimistic end instead of failing it.",
)
@click.option(
    "--as-of",
    "as_of",
    type=IsoDate(),
    metavar="YYYY-MM-DD",
    help="Name the rules that apply as on this date (default: the audit's date, the owner's "
    "last answer): 'overdue since …' or 'due in N days'.",
)
def score_command(
    answers: tuple[Path, ...],
    bias_files: tuple[Path, ...],
    output_format: str,
    output: Path | None,
    rubric: str | None,
    sector: str | None,
    fail_on_gap: int | None,
    fail_on_severity: int | None,
    allow_incomplete: bool,
    as_of: dt.date | None,
) -> None:
    """Score an ANSWERS file: how far the business has automated against how far its
    safeguards reach, principle scores and the top recommendations. Several files (or a
    folder) of one audit — the owner's and the staff's — are merged and their views compared.

    \b
    Examples:
      auditkit score examples/value-inn/answers.yaml
      auditkit score examples/value-inn-team/
      auditkit score answers.yaml --bias bias.json --format json -o score.json
      auditkit score answers.yaml --format junit -o score.xml --fail-on-severity 3
    """
    from auditkit.scoring.formats import FORMATS
    from auditkit.scoring.next_step import next_step
    from auditkit.scoring.run import migration_notes, score_answers_file
    from auditkit.scoring.severity import LABELS

    scored = score_answers_file(
        answers, bias_files, rubric=rubric, sector=sector, as_of=as_of, language=current()
    )
    for note in migration_notes(scored.reconciliation):
        say(_("note: {note}").format(note=note), err=True)
    color = output is None and output_format == "table" and sys.stdout.isatty()
    text = FORMATS[output_format](color=color, voices=scored.voices).format(scored.result)
    emit(text, output)
    result = scored.result
    say(
        next_step(
            scored.rubric,
            scored.reconciliation.answers,
            scored.paths[0],
            bias_files=bias_files,
            rubric_option=rubric,
            sector_option=sector,
            given=answers,
        ),
        err=True,
    )
    if fail_on_gap is None and fail_on_severity is None:
        return
    gate = "--fail-on-severity" if fail_on_severity is not None else "--fail-on-gap"
    if not result.verdict.available and not allow_incomplete:
        raise ThresholdBreached(
            _(
                "{verdict}; {option} fails a file without a verdict (add --allow-incomplete to "
                "judge it by its pessimistic end)"
            ).format(verdict=result.verdict.headline, option=gate)
        )
    at_worst = (
        ""
        if not result.is_range
        else " " + _("at worst, with the open safeguards counted as missing")
    )
    severity = result.verdict.severity
    if fail_on_severity is not None and severity >= fail_on_severity:
        raise ThresholdBreached(
            _("severity {severity} ≥ {limit}{at_worst}: {label}").format(
                severity=severity,
                limit=fail_on_severity,
                at_worst=at_worst,
                label=_(LABELS[severity]),
            )
        )
    if fail_on_gap is not None and result.gap.value >= fail_on_gap:
        raise ThresholdBreached(
            _("over-automation gap {gap} ≥ {limit}{at_worst}: {headline}").format(
                gap=f"{result.gap.value:+d}",
                limit=fail_on_gap,
                at_worst=at_worst,
                headline=result.gap.headline,
            )
        )
