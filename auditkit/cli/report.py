"""``auditkit report`` and ``auditkit demo``: the audit as HTML and a branded PDF."""

from __future__ import annotations

from pathlib import Path

import click

from auditkit.cli.language import language_option
from auditkit.cli.output import OutputFile, say
from auditkit.errors import InputError
from auditkit.i18n import _, ngettext, normalize


def _write_outputs(report, outputs: list[Path]) -> None:
    from auditkit.fileio import write_to
    from auditkit.followup.record import dumps, record_path

    for output in outputs:
        write_to(output, report.pdf if output.suffix.lower() == ".pdf" else report.html)
        if str(output) != "-":  # '-o -' is the report itself on standard output
            say(_("Wrote {file}").format(file=output))
    files = [o for o in outputs if str(o) != "-" and Path(o).is_file()]
    if files:
        # What the report told the client, for the next audit's --previous.
        record = record_path(files[0])
        write_to(record, dumps(report.record))
        say(
            _("Wrote {file} (the audit record: next year, report --previous {file})").format(
                file=record
            )
        )
    for warning in report.warnings:
        say(_("warning: {warning}").format(warning=warning), err=True)
    for url in dict.fromkeys(report.refused):
        say(
            _(
                "warning: the template asked for {address}; it was not fetched (only files in "
                "the templates and brand folders are)"
            ).format(address=url),
            err=True,
        )


@click.command("report")
@click.argument("answers", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    required=True,
    type=OutputFile(),
    help="report.pdf and/or report.html (repeat for both); '-' for the HTML on standard output.",
)
@click.option(
    "--bias",
    "bias_specs",
    multiple=True,
    metavar="BIAS.json|CHECK:LOG",
    help="A bias result, or chatbot:LOG, segmentation:LOG or check:LOG to run the check now "
    "(repeatable).",
)
@click.option(
    "--bias-group",
    "bias_groups",
    multiple=True,
    metavar="COLUMN",
    help="Group column for checks given as CHECK:LOG.",
)
@click.option(
    "--bias-column",
    "bias_columns",
    multiple=True,
    metavar="NAME=COLUMN",
    help="Column mapping for checks given as CHECK:LOG.",
)
@click.option(
    "--bias-mapping",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Mapping file for checks given as CHECK:LOG (as 'auditkit bias --mapping'; a generic "
    "check takes its outcome, positive and truth from it).",
)
@click.option(
    "--bias-decimal",
    type=click.Choice([".", ","]),
    help="The decimal mark of the numbers in logs given as CHECK:LOG: ',' for 169,5 (as "
    "'auditkit bias --decimal'). Default: detected in ';' and tab CSVs and .xlsx text cells.",
)
@click.option(
    "--labels",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML file naming group values in words ('pl: Polish speakers'), for bias results "
    "that carry none or to change theirs.",
)
@click.option(
    "--brand",
    type=click.Path(path_type=Path, dir_okay=False),
    help="brand.yaml: name, logo, colours, fonts, contact, footer.",
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of template overrides; missing files fall back to the shipped ones.",
)
@click.option(
    "--date",
    "report_day",
    metavar="YYYY-MM-DD",
    help="Date printed on the report (default: SOURCE_DATE_EPOCH, else today).",
)
@click.option(
    "--rubric",
    metavar="ID|FILE",
    help="Score against this rubric instead of the one the answers name.",
)
@click.option("--sector", metavar="SECTOR", help="Sector overlay instead of the answers' own.")
@click.option(
    "--previous",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="BEFORE.audit.json|BEFORE.yaml",
    help="The last audit: the .audit.json its report wrote (best: it holds the bias evidence "
    "that report used), or its answers file. Adds 'Since the last audit' and a follow-up line "
    "on the cover.",
)
@click.option(
    "--previous-bias",
    "previous_bias",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="BIAS.json",
    help="With --previous BEFORE.yaml: the bias results the last report used (repeatable).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Compare with --previous even if the business was renamed or 'before' is dated later.",
)
@language_option
def report_command(
    answers,
    outputs,
    bias_specs,
    bias_groups,
    bias_columns,
    bias_mapping,
    bias_decimal,
    labels,
    brand,
    templates,
    report_day,
    rubric,
    sector,
    previous,
    previous_bias,
    force,
    language,
) -> None:
    """Render the audit of an ANSWERS file as HTML and/or a branded PDF. Several files (or a
    folder) of one audit — the owner's and the staff's — are merged, and the report shows
    where their views differ.

    \b
    Examples:
      auditkit report answers.yaml -o report.pdf
      auditkit report examples/value-inn-team/ -o team-report.pdf
      auditkit report answers.yaml --bias bias.json --brand brand.yaml -o report.pdf -o report.html
      auditkit report answers.yaml --bias chatbot:chats.csv --bias-group language -o report.pdf
      auditkit report after.yaml --previous before.yaml -o follow-up.pdf
    With --date (or SOURCE_DATE_EPOCH) fixed, the same inputs give byte-identical files.
    """
    from auditkit.reporting.brand import load_brand
    from auditkit.reporting.run import load_bias_input, make_report, report_date

    for output in outputs:
        if str(output) != "-" and output.suffix.lower() not in (".pdf", ".html", ".htm"):
            raise click.BadParameter(
                _(
                    "{file}: the format comes from the extension, .pdf or .html ('-o -' writes "
                    "the HTML to standard output)"
                ).format(file=output),
                param_hint="-o",
            )
    if templates is not None and not templates.is_dir():
        raise InputError.single(str(templates), _("the templates folder does not exist"))
    day = report_date(report_day)
    the_brand = load_brand(brand) if brand else None
    from auditkit.bias.presets import read_labels

    raw = {"groups": bias_groups, "columns": bias_columns, "mapping": bias_mapping}
    try:
        bias = [
            load_bias_input(spec, {**raw, "labels": labels}, decimal=bias_decimal)
            for spec in bias_specs
        ]
    except InputError as error:  # the bias command's options, as this command names them
        raise error.speaking("report") from None
    words = read_labels(labels) if labels else None
    wants_pdf = any(o.suffix.lower() == ".pdf" for o in outputs)
    report = make_report(
        answers,
        bias,
        brand=the_brand,
        templates=templates,
        day=day,
        pdf=wants_pdf,
        rubric=rubric,
        sector=sector,
        previous=previous,
        previous_bias=previous_bias,
        force=force,
        labels=words,
        language=language,
    )
    _write_outputs(report, list(outputs))


@click.command("demo")
@click.option(
    "-o",
    "--output",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("auditkit-demo"),
    show_default=True,
    help="Folder for the demo's files.",
)
@click.option("--date", "report_day", metavar="YYYY-MM-DD", help="Date printed on the report.")
@language_option
def demo(folder: Path, report_day: str | None, language: str) -> None:
    """Run the whole pipeline on the shipped examples: Value Inn's answers, its chatbot log and
    an example advisor brand, then the follow-up a year later. Writes the bias results, the
    score, the action plan, the comparison and both reports (HTML and PDF)."""
    from datetime import date

    from auditkit.bias.formats.json import dumps
    from auditkit.fileio import write_to
    from auditkit.followup.formats import COMPARE_FORMATS, PLAN_FORMATS
    from auditkit.followup.plan import build_plan
    from auditkit.followup.run import compare_files
    from auditkit.i18n.formatting import format_percent
    from auditkit.reporting.brand import load_brand
    from auditkit.reporting.run import load_bias_input, make_report, report_date
    from auditkit.rubric.registry import data_dir
    from auditkit.scoring.formats import FORMATS as SCORE_FORMATS

    examples = data_dir("examples")
    answers = examples / "value-inn" / "answers.yaml"
    follow_up = examples / "value-inn-2027" / "answers.yaml"
    brand = load_brand(examples / "brand" / "brand.yaml")
    day = report_date(report_day)
    folder.mkdir(parents=True, exist_ok=True)
    say(_("1/5 bias check of Value Inn's chatbot log by language …"))
    # pl → Polish speakers, for the owner's pages; in the report's language when the examples
    # have its words (labels.de.yaml), else in English.
    labels = examples / "logs" / f"labels.{normalize(language)}.yaml"
    if not labels.is_file():
        labels = examples / "logs" / "labels.yaml"
    bias = load_bias_input(
        f"chatbot:{examples / 'logs' / 'chatbot.csv'}", {"groups": ["language"], "labels": labels}
    )
    write_to(folder / "bias.json", dumps(bias.data))
    from auditkit.reporting.plain import check_sentence

    say(f"    {bias.data['summary']['text']}")
    owner_words = check_sentence(bias.data, bias.data["labels"], _("chatbot log"))
    say("    " + _("For the owner: {sentence}").format(sentence=owner_words))
    say(_("2/5 scoring Value Inn's answers with the bias evidence and rendering the report …"))
    report = make_report(answers, [bias], brand=brand, day=day, pdf=True, language=language)
    write_to(folder / "score.txt", SCORE_FORMATS["table"]().format(report.score))
    plan = build_plan(report.scored)
    write_to(folder / "plan.csv", PLAN_FORMATS["csv"]().format(plan).encode("utf-8"))
    say(
        "    "
        + ngettext(
            "{verdict}: adoption phase {adoption}, safeguard phase {safeguard}; {count} action "
            "in the plan",
            "{verdict}: adoption phase {adoption}, safeguard phase {safeguard}; {count} actions "
            "in the plan",
            len(plan.rows),
        ).format(
            verdict=report.score.verdict.headline,
            adoption=report.score.adoption_phase,
            safeguard=report.score.safeguard_phase,
            count=len(plan.rows),
        )
    )
    say(_("3/5 a year later: the chatbot checked again, the follow-up compared and reported …"))
    later_bias = load_bias_input(
        f"chatbot:{follow_up.parent / 'chatbot.csv'}", {"groups": ["language"], "labels": labels}
    )
    write_to(folder / "bias-2027.json", dumps(later_bias.data))
    from auditkit.followup.record import dumps as record_dumps
    from auditkit.followup.record import record_path

    first_record = record_path(folder / "value-inn-report.pdf")
    write_to(first_record, record_dumps(report.record))  # what the client was told
    comparison = compare_files(
        first_record, follow_up, bias_after=[folder / "bias-2027.json"], language=language
    )
    write_to(
        folder / "compare.md", COMPARE_FORMATS["markdown"]().format(comparison).encode("utf-8")
    )
    say(f"    {comparison.verdict_sentence()}. {comparison.actions.sentence()}")
    # The follow-up report is dated no earlier than the follow-up audit itself.
    later_day = max(day, date.fromisoformat(comparison.after_date))
    later = make_report(
        follow_up,
        [later_bias],
        brand=brand,
        day=later_day,
        pdf=True,
        previous=first_record,
        language=language,
    )
    say(_("4/5 the owner and four front-line staff answer one audit: where views differ …"))
    team = make_report(
        examples / "value-inn-team", [bias], brand=brand, day=day, pdf=True, language=language
    )
    voices = team.scored.voices
    top = voices.differences[0] if voices and voices.differences else None
    from auditkit.scoring.evidence import from_bias_data
    from auditkit.scoring.run import score_answers_file

    alone = score_answers_file(
        team.scored.paths[0], evidence=[from_bias_data(bias.data, str(bias.source))]
    ).result
    merged = _(
        "answers from {who}: overall {merged} merged, {alone} on the owner's word alone"
    ).format(
        who=voices.who(),
        merged=format_percent(team.score.overall_percent / 100),
        alone=format_percent(alone.overall_percent / 100),
    )
    if top:
        merged += ". " + _("Largest difference: {question} {sentence}").format(
            question=top.text, sentence=top.sentence()
        )
    say(f"    {merged}")
    say(_("5/5 writing files:"))
    _write_outputs(report, [folder / "value-inn-report.html", folder / "value-inn-report.pdf"])
    _write_outputs(
        team, [folder / "value-inn-team-report.html", folder / "value-inn-team-report.pdf"]
    )
    _write_outputs(
        later, [folder / "value-inn-2027-report.html", folder / "value-inn-2027-report.pdf"]
    )
    for name in ("bias.json", "score.txt", "plan.csv", "bias-2027.json", "compare.md"):
        say(f"    {folder / name}")
    say(
        _(
            "Open {report} to see what a client receives, {follow_up} for the follow-up a year "
            "later, and {team} for an audit the staff answered too."
        ).format(
            report=folder / "value-inn-report.pdf",
            follow_up=folder / "value-inn-2027-report.pdf",
            team=folder / "value-inn-team-report.pdf",
        )
    )
