"""``auditkit assess`` (the questionnaire) and ``auditkit answers`` (the file, by hand)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditkit.cli.output import OutputFile, output_option
from auditkit.errors import EXIT_OK

DEFAULT_RUBRIC = "human-centred-automation"


@click.command("assess")
@click.option(
    "--rubric",
    metavar="ID|FILE",
    help=f"Rubric to answer (default: {DEFAULT_RUBRIC}, or the one the file names).",
)
@click.option(
    "--sector",
    metavar="SECTOR",
    help="Sector overlay, e.g. hospitality (see 'auditkit rubric list').",
)
@click.option(
    "-o",
    "--output",
    type=OutputFile(),
    default=Path("answers.yaml"),
    show_default=True,
    help="Answers file; an existing one is resumed.",
)
def assess(rubric: str | None, sector: str | None, output: Path) -> int:
    """Answer a rubric in the terminal, question by question, saving after every answer.

    \b
    Keys: ↑↓ move · Enter choose · n note · ? help · x not applicable
          b back · s skip · r review · q (or Ctrl-C) save and quit
    Run the same command again to resume where you stopped.
    Without a terminal (a pipe, a script) it reads one answer per line; for
    scripts, 'auditkit answers template' writes a file to fill in instead.
    """
    from auditkit.answers.check import rubric_for
    from auditkit.answers.store import load_answers
    from auditkit.questionnaire.session import Session
    from auditkit.rubric import load_rubric

    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if output.exists():
        answer_set, _ = load_answers(output)
        the_rubric = rubric_for(answer_set, output, rubric, sector)
        session = Session.resume(the_rubric, output)
        _report_changes(session)
        counts = session.summary()
        click.echo(f"Resuming {output}: {counts.given} of {counts.asked} answered.")
    else:
        the_rubric = load_rubric(rubric or DEFAULT_RUBRIC, sector)
        if not interactive:
            click.echo(
                "Standard input is not a terminal: reading one answer per line. For scripts, "
                "'auditkit answers template -o FILE' writes a file to fill in instead.",
                err=True,
            )
        business, respondent = _opening(the_rubric, interactive)
        session = Session.start(the_rubric, output, business, respondent)
    if interactive:
        from auditkit.questionnaire import terminal

        outcome = terminal.run(session)
    else:
        from auditkit.questionnaire import plain

        outcome = plain.run(session, _read_line, click.echo)
    _closing(session, outcome, rubric, sector)
    return EXIT_OK


def _read_line() -> str | None:
    line = sys.stdin.readline()
    return None if line == "" else line.rstrip("\n")


def _opening(rubric, interactive: bool) -> tuple[dict[str, str], dict[str, str]]:
    """Who the assessment is for and who answers it."""
    fields = [
        ("business", "name", "Business name: ", ""),
        ("business", "sector", "Sector: ", rubric.sector or ""),
        ("respondent", "name", "Your name: ", ""),
        ("respondent", "role", "Your role: ", ""),
    ]
    business: dict[str, str] = {}
    respondent: dict[str, str] = {}
    if interactive:
        from auditkit.questionnaire.terminal import ask_text

        click.echo(
            click.style(rubric.title, bold=True)
            + f" · {len(rubric.questions)} questions · about 20 minutes"
        )
        click.echo(
            "Every answer is saved as you go; stop any time with q or Ctrl-C and resume later.\n"
        )
    for target, key, message, default in fields:
        if interactive:
            value = ask_text(message, default)
            if value is None:
                raise click.Abort()
        else:
            click.echo(message, nl=False)
            value = (_read_line() or "").strip() or default
        (business if target == "business" else respondent)[key] = value
    return business, respondent


def _report_changes(session) -> None:
    changes = session.changes
    if changes is None or not changes.rubric_changed:
        return
    click.echo("The rubric changed since this file was started:")
    if changes.new_questions:
        click.echo(
            f"  new questions ({len(changes.new_questions)}), asked now: {', '.join(changes.new_questions)}"
        )
    for old, new in changes.migrated:
        click.echo(f"  renamed: {old} → {new} (your answer carried over)")
    for old in changes.removed:
        click.echo(f"  removed: {old} (its answer is dropped)")


def _closing(session, outcome: str, rubric: str | None, sector: str | None) -> None:
    counts = session.summary()
    click.echo("")
    click.echo(
        f"{counts.answered} answered · {counts.not_applicable} not applicable · "
        f"{counts.skipped} skipped · {counts.unanswered} unanswered, of {counts.asked} questions."
    )
    click.echo(f"Saved to {session.path}")
    if outcome == "quit" or counts.skipped or counts.unanswered:
        from auditkit.scoring.next_step import resume_command

        click.echo(f"Resume with:  {resume_command(session.path, rubric, sector)}")
    click.echo(f"Next:  auditkit score {session.path}")


@click.group("answers")
def answers_group() -> None:
    """Answers files by hand: a template to fill in, and validation."""


@answers_group.command("template")
@click.option("--rubric", default=DEFAULT_RUBRIC, show_default=True, metavar="ID|FILE")
@click.option("--sector", metavar="SECTOR", help="Sector overlay.")
@output_option
def template(rubric: str, sector: str | None, output: Path | None) -> None:
    """Write an answers file with every question, its answers and help as comments."""
    from auditkit.answers.template import render_template
    from auditkit.fileio import atomic_write
    from auditkit.rubric import load_rubric

    text = render_template(load_rubric(rubric, sector))
    if output is None:
        click.echo(text, nl=False)
        return
    if output.exists():
        raise click.UsageError(
            f"{output} exists; choose another name (auditkit never overwrites answers)"
        )
    atomic_write(output, text)
    click.echo(
        f"Wrote {output}. Fill in the answers, then: auditkit answers validate {output}", err=True
    )


@answers_group.command("validate")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--rubric",
    metavar="ID|FILE",
    help="Check against this rubric instead of the one the file names.",
)
@click.option("--sector", metavar="SECTOR")
def validate(file: Path, rubric: str | None, sector: str | None) -> None:
    """Check FILE against its rubric: unknown questions, answers off the scale, N/A where it
    is not allowed or without a reason. Exit 0 when valid, 2 with file:line:column otherwise."""
    from auditkit.answers.check import reconcile, rubric_for
    from auditkit.answers.model import applicable_questions, count_answers
    from auditkit.answers.store import load_answers
    from auditkit.scoring.next_step import next_step

    answer_set, document = load_answers(file)
    the_rubric = rubric_for(answer_set, file, rubric, sector)
    result = reconcile(answer_set, the_rubric, document)
    counts = count_answers(
        applicable_questions(the_rubric, result.answers.values()), result.answers
    )
    click.echo(
        f"{file}: valid answers for {the_rubric.id} {the_rubric.version}"
        f"{' (' + the_rubric.sector + ')' if the_rubric.sector else ''}: "
        f"{counts.given} of {counts.asked} questions answered"
    )
    click.echo(
        next_step(the_rubric, result.answers, file, rubric_option=rubric, sector_option=sector)
    )
