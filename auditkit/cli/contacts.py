"""``auditkit contacts``: plan, record and check test contacts (docs/contacts.md).

Thin commands: parse, call one function, present. Everything heavy (openpyxl, scipy, the
analysis) is imported inside the commands.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from auditkit.cli.output import OutputFile, emit, output_option, say
from auditkit.errors import ThresholdBreached
from auditkit.i18n import _, ngettext

CHANNEL_CHOICES = ("chat", "e-mail", "phone", "web form", "kiosk")
CUE_CHOICES = ("language", "name", "access", "age")
ROLE_CHOICES = ("owner", "manager", "staff member", "advisor", "auditor")


@click.group("contacts")
def contacts_group() -> None:
    """Test contacts: evidence from the customer's side when no decision log exists.

    \b
      auditkit contacts plan --answers answers.yaml --consent "..." -o plan/
      auditkit contacts record --plan plan/plan.yaml contacts.csv     (a form in the browser)
      auditkit contacts check contacts.csv --plan plan/plan.yaml --format json -o contacts.json
      auditkit score answers.yaml --bias contacts.json

    Read docs/contacts.md first: the method, its limits and the ethics it requires.
    """


@contacts_group.command("plan")
@click.option(
    "--answers",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Take the channels from the automations this answers file says are live or in pilot.",
)
@click.option(
    "--channel",
    "channels",
    multiple=True,
    type=click.Choice(CHANNEL_CHOICES),
    help="A channel to test (repeat); adds to those of --answers.",
)
@click.option(
    "--cue",
    "cues",
    multiple=True,
    type=click.Choice(CUE_CHOICES),
    help="A cue one persona changes (repeat). Default: language.",
)
@click.option(
    "--personas",
    "personas_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Your own personas (YAML, as in a plan.yaml): one with cue: reference, one per other "
    "cue; e-mail addresses at example.com/.net/.org or *.test and fictional phone numbers "
    "only. Replaces --cue.",
)
@click.option(
    "--consent",
    required=True,
    metavar="TEXT",
    help="Who agreed in writing to the tests, and when: recorded in the plan.",
)
@click.option(
    "--tested-by",
    type=click.Choice(ROLE_CHOICES),
    default="manager",
    show_default=True,
    help="Who makes the contacts (a role, never a name).",
)
@click.option(
    "--business", default="the business", help="The business's name, for the plan's title."
)
@click.option(
    "--pairs",
    type=click.IntRange(2, 2000),
    help="Pairs per persona. Default: those needed for --gap with --power.",
)
@click.option(
    "--gap",
    type=float,
    default=0.5,
    show_default=True,
    help="The gap to see, as a ratio: 0.5 means a persona gets the outcome half as often.",
)
@click.option(
    "--power", type=float, default=0.8, show_default=True, help="The chance of seeing that gap."
)
@click.option(
    "--reference-rate",
    type=float,
    default=0.9,
    show_default=True,
    help="How often the reference persona is expected to get the outcome.",
)
@click.option(
    "--max-per-week", type=int, default=10, show_default=True, help="Contacts a week, at most 20."
)
@click.option(
    "--start",
    type=click.DateTime(["%Y-%m-%d"]),
    help="First day (YYYY-MM-DD). Default: next Monday.",
)
@click.option(
    "--seed", type=int, default=1, show_default=True, help="Seed of the random order and spacing."
)
@click.option(
    "-o",
    "--output",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder for plan.yaml, plan.md, plan.html, schedule.csv and the recording templates.",
)
def plan_command(
    answers,
    channels,
    cues,
    consent,
    tested_by,
    business,
    pairs,
    gap,
    power,
    reference_rate,
    max_per_week,
    start,
    seed,
    folder,
    personas_file,
) -> None:
    """Write a test-contact plan: scenarios per channel, personas that differ in one cue,
    pairs in random order and spacing, and the pairs needed to see a gap."""
    from auditkit.contacts.model import CHANNELS, dump_plan
    from auditkit.contacts.personas import read_personas
    from auditkit.contacts.plan import build_plan, channels_from_answers
    from auditkit.contacts.record import template_csv, template_xlsx
    from auditkit.contacts.render import plan_html, plan_markdown, schedule_csv
    from auditkit.fileio import write_to

    personas = read_personas(personas_file) if personas_file else None
    found = channels_from_answers(answers) if answers else ()
    chosen = tuple(c for c in CHANNELS if c in found or c in channels)
    if start is None:
        today = dt.date.today()
        start = today + dt.timedelta(days=7 - today.weekday())
    plan = build_plan(
        business=business,
        consent=consent,
        tested_by=tested_by,
        channels=chosen,
        cues=tuple(dict.fromkeys(cues or ("language",))),
        start=start
        if isinstance(start, dt.date) and not isinstance(start, dt.datetime)
        else start.date(),
        pairs=pairs,
        gap=gap,
        power=power,
        reference_rate=reference_rate,
        max_per_week=max_per_week,
        seed=seed,
        personas=personas,
    )
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in (
        ("plan.yaml", dump_plan(plan)),
        ("plan.md", plan_markdown(plan)),
        ("plan.html", plan_html(plan)),
        ("schedule.csv", schedule_csv(plan)),
        ("contacts-template.csv", template_csv(plan)),
        ("contacts-template.xlsx", template_xlsx(plan)),
    ):
        write_to(folder / name, content)
    say(
        _(
            "Wrote {folder}/: plan.yaml, plan.md, plan.html, schedule.csv, "
            "contacts-template.csv and .xlsx"
        ).format(folder=folder),
        err=True,
    )
    from auditkit.contacts.render import summary_lines

    for line in summary_lines(plan):
        say(line)


@contacts_group.command("check")
@click.argument("contacts", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--plan",
    "plan_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The plan.yaml the contacts followed.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "junit"]),
    default="table",
    show_default=True,
    help="json follows docs/bias.schema.json and feeds 'auditkit score --bias' and 'report --bias'.",
)
@output_option
@click.option(
    "--correction",
    type=click.Choice(["holm", "bh", "none"]),
    default="holm",
    show_default=True,
    help="Family-wise correction over all comparisons of the round.",
)
@click.option("--alpha", type=click.FloatRange(0.0001, 0.5), default=0.05, show_default=True)
@click.option(
    "--min-pairs",
    type=click.IntRange(2, None),
    default=10,
    show_default=True,
    help="Pairs a comparison needs before it is judged.",
)
@click.option(
    "--suppress-below",
    type=click.IntRange(0, None),
    default=5,
    show_default=True,
    help="Personas with fewer pairs are shown as '<N', without numbers.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["disparity", "established"]),
    help="Exit 1 when a persona is shown worse off.",
)
def check_command(
    contacts,
    plan_path,
    output_format,
    output,
    correction,
    alpha,
    min_pairs,
    suppress_below,
    fail_on,
) -> None:
    """Analyse recorded contacts by pair: exact McNemar for yes/no, Wilcoxon signed-rank for
    steps and minutes, corrected as one family. Contacts that cannot be paired are listed."""
    from auditkit.bias.formats import FORMATS
    from auditkit.contacts.check import check_contacts
    from auditkit.contacts.model import read_plan
    from auditkit.contacts.record import read_contacts

    plan = read_plan(plan_path)
    recorded, incomplete = read_contacts(contacts)
    result = check_contacts(
        recorded,
        incomplete,
        plan,
        source=contacts,
        plan_path=plan_path,
        alpha=alpha,
        correction=correction,
        min_pairs=min_pairs,
        suppress_below=suppress_below,
    )
    text = FORMATS[output_format](fail_on=fail_on).format(result)
    emit(text, output, _("Wrote {file}: {summary}").format(file=output, summary=result.summary()))
    left_out = result.contacts["left_out"] if result.contacts else []
    if left_out and output_format != "table":
        say(
            ngettext(
                "{count} contact could not be paired; see contacts.left_out.",
                "{count} contacts could not be paired; see contacts.left_out.",
                len(left_out),
            ).format(count=len(left_out)),
            err=True,
        )
    breaches = result.breaches(fail_on)
    if breaches:
        raise ThresholdBreached(
            ngettext(
                "{count} disadvantage found: failing as --fail-on {gate} asks",
                "{count} disadvantages found: failing as --fail-on {gate} asks",
                len(breaches),
            ).format(count=len(breaches), gate=fail_on)
        )


@contacts_group.command("template")
@click.option(
    "--plan",
    "plan_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The plan.yaml to fill the rows from.",
)
@click.option(
    "-o", "--output", type=OutputFile(), required=True, help="contacts.csv or contacts.xlsx."
)
def template_command(plan_path, output) -> None:
    """Write the recording sheet (CSV or .xlsx), one row per planned contact."""
    from auditkit.contacts.model import read_plan
    from auditkit.contacts.record import template_csv, template_xlsx
    from auditkit.fileio import write_to

    plan = read_plan(plan_path)
    content = template_xlsx(plan) if str(output).lower().endswith(".xlsx") else template_csv(plan)
    write_to(output, content)
    say(_("Wrote {file}").format(file=output), err=True)


@contacts_group.command("record")
@click.argument("sheet", type=OutputFile(dash=False))
@click.option(
    "--plan",
    "plan_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The plan.yaml the contacts follow.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port on 127.0.0.1 (default: a free one). Keep the same port to keep contacts waiting in the browser across restarts.",
)
@click.option("--no-browser", is_flag=True, help="Only print the address; do not open a browser.")
def record_command(sheet: Path, plan_path: Path, port: int, no_browser: bool) -> None:
    """A form in the browser that appends each contact to SHEET (CSV), on this computer only.

    A contact typed while the form cannot reach this command waits in the browser and is sent
    when it can again. Ctrl-C stops it; every saved contact is in SHEET.
    """
    from auditkit.contacts.model import read_plan
    from auditkit.contacts.record import read_contacts
    from auditkit.contacts.web import record_forever

    plan = read_plan(plan_path)
    if sheet.exists() and sheet.stat().st_size:
        read_contacts(sheet)  # a sheet of another shape is exit 2 here, before anything listens
    record_forever(sheet, plan, port=port, open_browser=not no_browser)
