"""``auditkit report`` and ``auditkit demo``: the audit as HTML and a branded PDF."""

from __future__ import annotations

from pathlib import Path

import click

from auditkit.errors import InputError


def _write_outputs(report, outputs: list[Path]) -> None:
    from auditkit.fileio import atomic_write

    for output in outputs:
        output.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(output, report.pdf if output.suffix.lower() == ".pdf" else report.html)
        click.echo(f"Wrote {output}")
    for url in dict.fromkeys(report.refused):
        click.echo(
            f"warning: the template asked for {url}; it was not fetched (only files in the templates and brand folders are)",
            err=True,
        )


@click.command("report")
@click.argument("answers", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="report.pdf and/or report.html (repeat for both).",
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
def report_command(
    answers,
    outputs,
    bias_specs,
    bias_groups,
    bias_columns,
    bias_mapping,
    brand,
    templates,
    report_day,
    rubric,
    sector,
) -> None:
    """Render the audit of an ANSWERS file as HTML and/or a branded PDF.

    \b
    Examples:
      auditkit report answers.yaml -o report.pdf
      auditkit report answers.yaml --bias bias.json --brand brand.yaml -o report.pdf -o report.html
      auditkit report answers.yaml --bias chatbot:chats.csv --bias-group language -o report.pdf
    With --date (or SOURCE_DATE_EPOCH) fixed, the same inputs give byte-identical files.
    """
    from auditkit.report.brand import load_brand
    from auditkit.report.run import load_bias_input, make_report, report_date

    for output in outputs:
        if output.suffix.lower() not in (".pdf", ".html", ".htm"):
            raise click.BadParameter(
                f"{output}: the format comes from the extension, .pdf or .html", param_hint="-o"
            )
    if templates is not None and not templates.is_dir():
        raise InputError.single(str(templates), "the templates folder does not exist")
    day = report_date(report_day)
    the_brand = load_brand(brand) if brand else None
    raw = {"groups": bias_groups, "columns": bias_columns, "mapping": bias_mapping}
    bias = [load_bias_input(spec, raw) for spec in bias_specs]
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
def demo(folder: Path, report_day: str | None) -> None:
    """Run the whole pipeline on the shipped examples: Value Inn's answers, its chatbot log and
    an example advisor brand. Writes the bias result, the score and the report (HTML and PDF)."""
    from auditkit.bias.formats.json import dumps
    from auditkit.fileio import atomic_write
    from auditkit.report.brand import load_brand
    from auditkit.report.run import load_bias_input, make_report, report_date
    from auditkit.rubric.registry import data_dir
    from auditkit.scoring.formats import FORMATS as SCORE_FORMATS

    examples = data_dir("examples")
    answers = examples / "value-inn" / "answers.yaml"
    log = examples / "logs" / "chatbot.csv"
    folder.mkdir(parents=True, exist_ok=True)
    click.echo(f"1/3 bias check of {log.name} by language …")
    bias = load_bias_input(f"chatbot:{log}", {"groups": ["language"]})
    atomic_write(folder / "bias.json", dumps(bias.data))
    click.echo(f"    {bias.data['summary']['text']}")
    click.echo("2/3 scoring Value Inn's answers with the bias evidence and rendering the report …")
    report = make_report(
        answers,
        [bias],
        brand=load_brand(examples / "brand" / "brand.yaml"),
        day=report_date(report_day),
        pdf=True,
    )
    atomic_write(folder / "score.txt", SCORE_FORMATS["table"]().format(report.score))
    click.echo(
        f"    {report.score.verdict.headline}: adoption phase {report.score.adoption_phase}, "
        f"safeguard phase {report.score.safeguard_phase}"
    )
    click.echo("3/3 writing files:")
    _write_outputs(report, [folder / "value-inn-report.html", folder / "value-inn-report.pdf"])
    click.echo(f"    {folder / 'bias.json'}\n    {folder / 'score.txt'}")
    click.echo(f"Open {folder / 'value-inn-report.pdf'} to see what a client receives.")
