"""``auditkit compare`` and ``auditkit plan``: audit again, and act on what an audit found."""

from __future__ import annotations

from pathlib import Path

import click

from auditkit.cli.language import language_option
from auditkit.cli.output import emit, output_option, say
from auditkit.i18n import _, current, ngettext


@click.command("compare")
@click.argument("before", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("after", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--bias-before",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="BIAS.json",
    help="Bias result(s) of the earlier audit, when BEFORE is its answers file (repeatable); "
    "an audit record holds its own.",
)
@click.option(
    "--bias-after",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="BIAS.json",
    help="Bias result(s) of the later audit (repeatable).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="json follows docs/compare.schema.json; markdown for an e-mail or a wiki.",
)
@output_option
@click.option(
    "--force",
    is_flag=True,
    help="Compare even though the business names differ (a renamed business) or BEFORE is "
    "dated after AFTER.",
)
def compare_command(before, after, bias_before, bias_after, output_format, output, force) -> None:
    """What moved between two audits of the same business: the gap and its verdict, coverage
    per phase, each principle, the answers that improved or regressed, recommendations closed
    and opened, bias ratios, and how far the planned actions got.

    Both files are read with the later audit's rubric; renamed questions carry over through the
    rubric's migrations, and questions in only one version are listed as new or removed.

    \b
    Examples:
      auditkit compare examples/value-inn/answers.yaml examples/value-inn-2027/answers.yaml
      auditkit compare report-2026.audit.json after.yaml --bias-after b2.json
      auditkit compare before.yaml after.yaml --bias-before b1.json --bias-after b2.json --format markdown -o changes.md
    """
    from auditkit.followup.formats import COMPARE_FORMATS
    from auditkit.followup.run import compare_files

    comparison = compare_files(
        before,
        after,
        bias_before=bias_before,
        bias_after=bias_after,
        force=force,
        language=current(),
    )
    emit(
        COMPARE_FORMATS[output_format]().format(comparison),
        output,
        _("Wrote the comparison to {file}").format(file=output),
    )


class _PlanGroup(click.Group):
    """``auditkit plan ANSWERS.yaml`` makes a plan; ``auditkit plan import …`` reads one back."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["make", *args]
        return super().parse_args(ctx, args)


@click.group("plan", cls=_PlanGroup)
def plan_group() -> None:
    """The recommendations as an action plan, and the edited plan back into the answers file.

    \b
    auditkit plan ANSWERS.yaml -o plan.csv          the plan, for a spreadsheet
    auditkit plan import plan.csv --into ANSWERS.yaml   owners, dates, statuses back in
    """


@plan_group.command("make", hidden=True)
@click.argument("answers", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--bias",
    "bias_files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="BIAS.json",
    help="Bias evidence, as for 'auditkit score --bias' (repeatable).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "markdown", "json"]),
    default="csv",
    show_default=True,
    help="csv opens in Excel and LibreOffice; json follows docs/plan.schema.json.",
)
@output_option
@language_option
def make_plan(
    answers: tuple[Path, ...], bias_files, output_format: str, output: Path | None, language: str
) -> None:
    """The recommendations of ANSWERS as an action plan: priority, action, why, the phase it
    protects, and owner, due date and status to fill in. Several files (or a folder) of one
    audit are merged first; the plan goes back into the owner's file. With --lang the actions
    and their reasons are in that language; the CSV's column names stay as 'plan import'
    reads them."""
    from auditkit.followup.formats import PLAN_FORMATS
    from auditkit.followup.plan import build_plan
    from auditkit.i18n import use
    from auditkit.scoring.run import score_answers_file

    with use(language):
        scored = score_answers_file(answers, bias_files, language=language)
        plan = build_plan(scored)
        text = PLAN_FORMATS[output_format]().format(plan)
        wrote = ngettext(
            "Wrote a plan of {count} action to {file}",
            "Wrote a plan of {count} actions to {file}",
            len(plan.rows),
        ).format(count=len(plan.rows), file=output)
        then = _(
            "Fill in owner, due (YYYY-MM-DD) and status, then: auditkit plan import {file} "
            "--into {answers}"
        ).format(file=output, answers=scored.paths[0])
    emit(text, output, wrote)
    if output is not None and output_format == "csv":
        say(then, err=True)


@plan_group.command("import")
@click.argument(
    "plan_csv", type=click.Path(path_type=Path, dir_okay=False), metavar="PLAN.csv|PLAN.xlsx"
)
@click.option(
    "--into",
    "answers",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="ANSWERS.yaml",
    help="The answers file the plan was made from.",
)
@click.option(
    "--date-order",
    type=click.Choice(["dmy", "mdy"]),
    help="How to read due dates like 03/04/2027: dmy (3 April) or mdy (4 March). Dates such "
    "as 2027-04-03, 3 April 2027, 03.04.2027 or 15/04/2027 need no option.",
)
def import_command(plan_csv: Path, answers: Path, date_order: str | None) -> None:
    """Store owners, due dates, statuses and notes from an edited PLAN.csv in the answers file
    (its ``actions:``), where the report and the next 'auditkit compare' read them.

    \b
    The CSV may be separated by commas, semicolons (Excel in much of Europe) or tabs;
    a plan saved from Excel as .xlsx is read as it is (its first sheet; formulas never run).
    Problems are listed all at once, by the row a spreadsheet shows (the header is row 1).
    """
    from auditkit.followup.run import import_plan_into

    count = import_plan_into(plan_csv, answers, date_order)
    say(
        ngettext(
            "Stored {count} action in {file}", "Stored {count} actions in {file}", count
        ).format(count=count, file=answers)
    )
