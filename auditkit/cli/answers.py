"""``auditkit assess`` (the questionnaire) and ``auditkit answers`` (the file, by hand)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditkit import DEFAULT_RUBRIC
from auditkit.cli.language import language_option
from auditkit.cli.output import OutputFile, output_option, say, say_removed_copies
from auditkit.cli.translation import translation_language
from auditkit.errors import EXIT_INTERRUPTED, EXIT_OK


def questionnaire_options(function):
    """The options both front ends of the questionnaire take (assess and serve)."""
    options = [
        click.option(
            "--rubric",
            metavar="ID|FILE",
            help=f"Rubric to answer (default: {DEFAULT_RUBRIC}, or the one the file names).",
        ),
        click.option(
            "--sector",
            metavar="SECTOR",
            help="Sector overlay, e.g. hospitality (see 'auditkit rubric list'); the opening "
            "also asks for it.",
        ),
        click.option(
            "-o",
            "--output",
            type=OutputFile(dash=False),
            default=Path("answers.yaml"),
            show_default=True,
            help="Answers file; an existing one is resumed.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@click.command("assess")
@questionnaire_options
@language_option
def assess(rubric: str | None, sector: str | None, output: Path, language: str | None) -> int:
    """Answer a rubric in the terminal, question by question, saving after every answer.

    \b
    Keys: ↑↓ move · Enter or a digit choose · n note · ? help · x not applicable
          b back · s skip · r review · q (or Ctrl-C) save and quit
    Run the same command again to resume where you stopped.
    Without a terminal (a pipe, a script) it reads one answer per line; for
    scripts, 'auditkit answers template' writes a file to fill in instead.
    """
    from auditkit.i18n import use

    # Answers are stored by question id and level, so a file may be continued, merged and
    # compared in any language; the language only changes what is shown.
    with use(language):
        return _assess(rubric, sector, output, language)


def _assess(rubric: str | None, sector: str | None, output: Path, language: str | None) -> int:
    from auditkit.cli.assess_frame import (
        ask_profile,
        closing,
        opening,
        read_line,
        resume_screen,
    )
    from auditkit.i18n import _
    from auditkit.questionnaire.session import Session

    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    say_removed_copies(output)
    session = Session.existing(output, rubric, sector, lang=language)
    if session is not None:
        resume_screen(session, interactive)
    else:
        if not interactive:
            say(
                _(
                    "Standard input is not a terminal: reading one answer per line. For "
                    "scripts, {command} writes a file to fill in instead."
                ).format(command="'auditkit answers template -o FILE'"),
                err=True,
            )
        business, respondent, chosen = opening(rubric, sector, interactive, language)
        session = Session.new(output, rubric, chosen, business, respondent, lang=language)
    if interactive and session.profile_questions():
        ask_profile(session)
    if interactive:
        from auditkit.questionnaire import terminal

        outcome = terminal.run(session)
    else:
        from auditkit.questionnaire import plain

        outcome = plain.run(session, read_line, say)
    closing(session, outcome, rubric, sector)
    return EXIT_INTERRUPTED if outcome == "interrupted" else EXIT_OK


@click.group("answers")
def answers_group() -> None:
    """Answers files by hand: a template to fill in, and validation."""


@answers_group.command("template")
@click.option("--rubric", default=DEFAULT_RUBRIC, show_default=True, metavar="ID|FILE")
@click.option("--sector", metavar="SECTOR", help="Sector overlay.")
@click.option(
    "--lang",
    "language",
    metavar="LANG",
    callback=translation_language,
    help="The questions and help in this language (e.g. de); the answers stay the scale's "
    "values (yes, partly, no, 0-4, live…), so the file is scored in any language.",
)
@output_option
def template(rubric: str, sector: str | None, language: str | None, output: Path | None) -> None:
    """Write an answers file with every question, its answers and help as comments."""
    from auditkit.fileio import write_to

    text = render_template_in(rubric, sector, language)
    if output is None or str(output) == "-":
        click.echo(text, nl=False)  # YAML: its bytes exact (it quotes control characters)
        return
    if output.is_file():
        from auditkit.errors import fill
        from auditkit.i18n import _

        raise click.UsageError(
            fill(
                _("{file} exists; choose another name (auditkit never overwrites answers)"),
                file=output,
            )
        )
    write_to(output, text)
    say(f"Wrote {output}. Fill in the answers, then: auditkit answers validate {output}", err=True)


def render_template_in(rubric: str, sector: str | None, language: str | None) -> str:
    """The template with its questions in ``language`` (any language the rubric has a
    translation for) and its own comments in that language where auditkit speaks it, else
    in English. Without --lang, AUDITKIT_LANG chooses, as for every command that talks."""
    import os

    from auditkit.answers.template import render_template
    from auditkit.i18n import PSEUDO, SHIPPED, normalize, use
    from auditkit.rubric import load_rubric

    if language is None:
        chosen = normalize(os.environ.get("AUDITKIT_LANG"))
        language = chosen if chosen in SHIPPED or chosen == PSEUDO else None
        language = None if language == "en" else language
    spoken = normalize(language) if language else "en"
    with use(spoken if spoken in SHIPPED or spoken == PSEUDO else "en"):
        return render_template(load_rubric(rubric, sector, lang=language))


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
    from auditkit.answers.model import count_answers, questions_for
    from auditkit.answers.store import load_answers
    from auditkit.scoring.next_step import next_step

    answer_set, document = load_answers(file)
    the_rubric = rubric_for(answer_set, file, rubric, sector)
    result = reconcile(answer_set, the_rubric, document)
    counts = count_answers(questions_for(the_rubric, result.answers), result.answers)
    say(
        f"{file}: valid answers for {the_rubric.id} {the_rubric.version}"
        f"{' (' + the_rubric.sector + ')' if the_rubric.sector else ''}: "
        f"{counts.given} of {counts.asked} questions answered"
    )
    say(next_step(the_rubric, result.answers, file, rubric_option=rubric, sector_option=sector))
