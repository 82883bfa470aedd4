"""``auditkit bias``: fairness checks on chatbot, segmentation and other decision logs."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from auditkit.bias.dialects import DIALECTS
from auditkit.bias.gates import GATES
from auditkit.cli.output import OutputFile, emit, output_option, say
from auditkit.errors import ThresholdBreached
from auditkit.i18n import _, ngettext

LOG_FORMATS = ("csv", "parquet", "jsonl", "xlsx")


def common_options(function: Callable) -> Callable:
    """Options every bias command shares, applied bottom-up."""
    options = [
        click.argument("log", required=False, type=click.Path(path_type=Path, dir_okay=False)),
        click.option(
            "-g",
            "--group",
            "groups",
            multiple=True,
            metavar="COLUMN",
            help="Group column to compare (repeat for intersectional groups).",
        ),
        click.option(
            "--column",
            "columns",
            multiple=True,
            metavar="NAME=COLUMN",
            help="Map a preset's column to the log's (empty COLUMN: not in the log).",
        ),
        click.option(
            "--mapping",
            type=click.Path(path_type=Path, dir_okay=False),
            help="YAML file with columns, groups, positive values and thresholds.",
        ),
        click.option(
            "--labels",
            type=click.Path(path_type=Path, dir_okay=False),
            help="YAML file naming group values in words for reports ('pl: Polish speakers'); "
            "a mapping file's 'labels:' does the same.",
        ),
        click.option(
            "--reference",
            metavar="GROUP|MODE",
            help="What each group is compared with: 'largest' (the default: the most precise "
            "numbers), 'best' (the best-treated group: every gap is a shortfall against it), "
            "'rest' (each group against all other rows pooled), or a group's name (the group "
            "policy is measured against; join values of several group columns with ',').",
        ),
        click.option(
            "--judge-missing",
            is_flag=True,
            default=None,
            help="Judge the '(missing)' group (rows with no group value) like the others; "
            "by default it is shown but not judged.",
        ),
        click.option(
            "--within",
            metavar="COLUMN",
            help="Compare groups inside each value of COLUMN (channel, branch) too, with a "
            "stratified test: say whether a gap holds, disappears, reverses (Simpson's paradox) "
            "or differs by stratum.",
        ),
        click.option(
            "--correction",
            type=click.Choice(["holm", "bh", "none"]),
            help="Multiple-comparison correction over the whole check: holm keeps the chance of "
            "any false alarm at 5%, bh the share of false alarms.  [default: holm]",
        ),
        click.option(
            "--tolerance",
            nargs=2,
            type=float,
            metavar="LOW HIGH",
            help="Ratio band counted as equal treatment.  [default: 0.8 1.25]",
        ),
        click.option(
            "--min-group-size",
            type=click.IntRange(1),
            help="Smallest group (or denominator) given a verdict.  [default: 30]",
        ),
        click.option(
            "--suppress-below",
            type=click.IntRange(1),
            help="Groups smaller than this show '<N' and no numbers.  [default: 10]",
        ),
        click.option(
            "--log-format",
            type=click.Choice(LOG_FORMATS),
            help="The log's type, when its extension does not say. An .xlsx workbook's "
            "first sheet is read (formulas never run: the values Excel saved are used).",
        ),
        click.option(
            "--decimal",
            type=click.Choice([".", ","]),
            help="The decimal mark of the log's numbers: ',' for 169,5 (Excel in much of "
            "Europe), '.' for 169.5. Default: detected in ';' and tab CSVs and in .xlsx "
            "text cells; '.' in ',' CSVs.",
        ),
        click.option(
            "--encoding",
            metavar="NAME",
            help="The CSV log's encoding: utf-8, utf-16 or latin-1 (windows-1252). Default: "
            "detected.",
        ),
        click.option(
            "--format",
            "output_format",
            type=click.Choice(["table", "json", "junit", "ll144"]),
            default="table",
            show_default=True,
            help="json follows docs/bias.schema.json and feeds 'auditkit score --bias'; "
            "junit has one test case per comparison, failing those --fail-on counts "
            "(disparity when not given); ll144 prints NYC Local Law 144's tables for a hiring "
            "log (rates, impact ratios, unknowns) before the table.",
        ),
        output_option,
        click.option(
            "--fail-on",
            type=click.Choice(list(GATES)),
            help="Exit 1 when a group is shown disadvantaged (for CI), the reference included "
            "when another group is better off than it. 'disparity': significant after "
            "correction and beyond the tolerance band, 'size uncertain' included (the gap "
            "'could see' names is caught 80% of the time); 'established': only when the whole "
            "interval is beyond the band; 'significant' is the old name of 'disparity'.",
        ),
        click.option(
            "--connection",
            metavar="URL",
            help="Count on the engine that holds the log, instead of a file: "
            "duckdb:///file.duckdb, postgresql://user@host/db, spark://local[2] "
            "(with --table or --query). The engine is only read. A password in the URL is "
            "never printed, but other local users can see it while auditkit runs: prefer "
            "PGPASSWORD or ~/.pgpass, and a role that may only SELECT.",
        ),
        click.option(
            "--table",
            metavar="NAME",
            help="The log's table on --connection (or in --print-sql): NAME or SCHEMA.NAME.",
        ),
        click.option(
            "--query",
            metavar="SQL",
            help="One SELECT (or WITH … SELECT) returning the log's rows, filtered or joined, "
            "instead of --table. Anything that writes is refused.",
        ),
        click.option(
            "--print-sql",
            is_flag=True,
            help="Print the counting query for a warehouse instead of running the check.",
        ),
        click.option(
            "--dialect",
            type=click.Choice(list(DIALECTS)),
            default="postgres",
            show_default=True,
            help="SQL dialect for --print-sql.",
        ),
        click.option(
            "--counts",
            "counts_file",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Counts CSV returned by the --print-sql query, instead of a log.",
        ),
        click.option(
            "--save-counts",
            type=OutputFile(),
            help="Also write the counts (aggregate cells, small ones included: keep it private) as CSV.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@click.group("bias")
def bias_group() -> None:
    """Check decision logs for unequal treatment of customer groups (fairlearn metrics).

    \b
    Logs: CSV, Parquet or JSON Lines, counted by DuckDB straight from the file; an Excel
    workbook (.xlsx, its first sheet; formulas never run); or a table on DuckDB,
    PostgreSQL or Spark (--connection), counted there. Numbers with a decimal comma
    (169,5) are detected in ';' CSVs, or read with --decimal ,.
    Output holds aggregates only; groups under 10 rows show '<10' and no rates.
    """


@bias_group.command("chatbot")
@common_options
@click.option(
    "--positive",
    "positives",
    multiple=True,
    metavar="COLUMN=VALUE",
    help="Value meaning yes in a column that is not true/false, yes/no or 1/0.",
)
def chatbot(**options: object) -> None:
    """Chatbot conversations: who reaches a person, who gets one when they ask, whose issue
    is resolved, satisfaction and waiting time, per group.

    \b
    Expected columns (map others with --column NAME=COLUMN):
      reached_human     did the conversation reach a person (required)
      requested_human   did the customer ask for a person
      resolved          was the issue resolved
      satisfaction      satisfaction score (e.g. 1-5; may be empty)
      wait_time         waiting time for a person (among those who reached one)
    Example: auditkit bias chatbot chats.csv --group language --fail-on disparity
    """
    _run("chatbot", options)


@bias_group.command("segmentation")
@common_options
@click.option("--positive", "positives", multiple=True, hidden=True)
@click.option(
    "--proxy-column",
    "proxy_columns",
    multiple=True,
    metavar="COLUMN",
    help="Columns to test as proxies (default: every other column).",
)
@click.option("--no-proxies", is_flag=True, help="Skip the proxy check.")
@click.option(
    "--proxy-threshold",
    type=click.FloatRange(0, 1),
    default=0.3,
    show_default=True,
    help="Bias-corrected Cramér's V from which a significant association is a proxy.",
)
@click.option(
    "--favourable",
    multiple=True,
    metavar="SEGMENT",
    help="A segment that is good for a customer (VIP, priority…); repeatable. Being put in it "
    "less often is a disadvantage.",
)
@click.option(
    "--unfavourable",
    multiple=True,
    metavar="SEGMENT",
    help="A segment that harms a customer (churn risk, fraud flag…); repeatable.",
)
def segmentation(**options: object) -> None:
    """Customer segmentation: which segment or offer (VIP, priority, discount…) each group
    gets, one segment value against the rest, and columns that act as proxies for a group.

    \b
    Expected column: segment (map it with --column segment=COLUMN). Segments named like
    vip, priority, discount, premium are favourable and churn-risk, fraud, blocked
    unfavourable unless --favourable / --unfavourable say otherwise; others have no side.
    Example: auditkit bias segmentation customers.parquet --group language --group age_band
    """
    _run("segmentation", options)


@bias_group.command("check")
@common_options
@click.option("--outcome", required=False, metavar="COLUMN", help="The decision column.")
@click.option(
    "--positive", metavar="VALUE", help="The outcome value that means 'selected' (required)."
)
@click.option(
    "--positive-is-adverse",
    is_flag=True,
    help="Being selected harms the customer (a fraud or 'high risk' flag): a higher rate is a "
    "disadvantage.",
)
@click.option(
    "--truth",
    metavar="COLUMN",
    help="Who should have been selected: adds error-rate parity (true- and false-positive "
    "rates, false negatives, precision, false discoveries and omissions, equalized odds).",
)
@click.option(
    "--truth-positive",
    metavar="VALUE",
    help="The truth value that means yes (default: true/yes/1).",
)
@click.option(
    "--score",
    metavar="COLUMN",
    help="A numeric score the decisions were made from (churn risk, priority), instead of "
    "--outcome: each --threshold is a decision. With --truth, also each group's AUC and "
    "whether the same score means the same outcome in every group (calibration).",
)
@click.option(
    "--threshold",
    "thresholds",
    multiple=True,
    type=float,
    metavar="T",
    help="With --score: selected when the score is at least T; repeat for several cut-offs.",
)
def generic_check(**options: object) -> None:
    """Any decision log: the selection rate of one outcome value per group, and with --truth
    every error rate per group (who was wrongly selected, wrongly passed over…).

    \b
    Examples:
      auditkit bias check loans.csv --outcome decision --positive approved --group region
      auditkit bias check churn.csv --score churn_risk --threshold 0.7 --positive-is-adverse \\
        --truth churned --group age_band
    """
    _run("check", options)


def _run(check: str, raw: dict) -> None:
    from auditkit.bias.formats import FORMATS
    from auditkit.bias.options import check_inputs, check_options
    from auditkit.bias.run import print_sql, run_check

    options = check_options(check, raw)
    if raw["print_sql"]:
        sql = print_sql(check, options, raw["table"], raw["query"], raw["dialect"])
        emit(sql, raw["output"], "")
        return
    check_inputs(check, raw)
    if raw["connection"] is not None:
        from auditkit.bias.engines import password_of

        if password_of(raw["connection"]):
            say(
                _(
                    "warning: the password in --connection is visible to other users of this "
                    "computer while auditkit runs (in its command line). Use PGPASSWORD or "
                    "~/.pgpass instead, and leave the password out of the URL."
                ),
                err=True,
            )
    result = run_check(
        check,
        raw["log"],
        options,
        log_format=raw["log_format"],
        encoding=raw.get("encoding"),
        decimal=raw.get("decimal"),
        counts_file=raw["counts_file"],
        connection=raw["connection"],
        table=raw["table"],
        query=raw["query"],
        progress=sys.stderr.isatty(),
        proxies=not raw.get("no_proxies", False),
        proxy_threshold=0.3 if raw.get("proxy_threshold") is None else raw["proxy_threshold"],
        save_counts=raw["save_counts"],
    )
    color = raw["output"] is None and raw["output_format"] == "table" and sys.stdout.isatty()
    text = FORMATS[raw["output_format"]](color=color, fail_on=raw["fail_on"]).format(result)
    emit(
        text,
        raw["output"],
        _("Wrote {file}: {summary}").format(file=raw["output"], summary=result.summary()),
    )
    breaches = result.breaches(raw["fail_on"])
    if breaches:
        raise ThresholdBreached(
            ngettext(
                "{count} disadvantage found (a group on a metric): failing as --fail-on {gate} "
                "asks",
                "{count} disadvantages found (a group on a metric): failing as --fail-on {gate} "
                "asks",
                len(breaches),
            ).format(count=len(breaches), gate=raw["fail_on"])
        )
