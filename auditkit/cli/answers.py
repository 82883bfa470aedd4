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
    from auditkit.questionnaire.session import Session

    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    say_removed_copies(output)
    session = Session.existing(output, rubric, sector, lang=language)
    if session is not None:
        _resume_screen(session, interactive)
    else:
        if not interactive:
            say(
                "Standard input is not a terminal: reading one answer per line. For scripts, "
                "'auditkit answers template -o FILE' writes a file to fill in instead.",
                err=True,
            )
        business, respondent, chosen = _opening(rubric, sector, interactive, language)
        session = Session.new(output, rubric, chosen, business, respondent, lang=language)
    if interactive and session.profile_questions():
        _ask_profile(session)
    if interactive:
        from auditkit.questionnaire import terminal

        outcome = terminal.run(session)
    else:
        from auditkit.questionnaire import plain

        outcome = plain.run(session, _read_line, say)
    _closing(session, outcome, rubric, sector)
    return EXIT_INTERRUPTED if outcome == "interrupted" else EXIT_OK


def _resume_screen(session, interactive: bool) -> None:
    """Whose file this is and how far it got, shown until the owner continues: running
    'assess' where another client's answers.yaml lies must not silently continue it."""
    answers = session.answers
    counts = session.summary()
    business = answers.business.get("name") or "(no business name)"
    who = answers.respondent.get("name") or "(no name)"
    say(f"Resuming {session.path}", bold=True)
    say(
        f"  Business:   {business}"
        + (f" · {session.rubric.sector}" if session.rubric.sector else "")
    )
    say(
        f"  Answered by {who}"
        + (f", {answers.respondent['role']}" if answers.respondent.get("role") else "")
    )
    say(f"  Progress:   {counts.given} of {counts.asked} questions answered")
    changes = session.changes_in_words()
    if changes:
        say("  The rubric changed since this file was started:")
        for line in changes:
            say(f"    · {line}")
    if interactive:
        from auditkit.questionnaire.terminal import ask_text

        if ask_text("Press Enter to continue this file (Ctrl-C to stop): ") is None:
            raise click.Abort()


def _ask_profile(session) -> None:
    """Where the business serves customers and its size, asked once of the owner (the
    session says what is still to ask and checks the answer; this only draws the choices)."""
    from auditkit.i18n import _
    from auditkit.questionnaire.session import AnswerError

    questions = {q.id: q for q in session.profile_questions()}
    markets_question = questions.get("business.markets")
    size_question = questions.get("business.size")
    markets = session.answer_of("business.markets")
    codes = markets.value if markets and markets.value else ""
    size = None
    while True:
        if markets_question is not None:
            codes = _ask_choices(
                markets_question, _("Type the numbers, separated by commas (e.g. 1, 3): ")
            )
        if size_question is not None:
            chosen = _ask_choices(size_question, _("Type one number: "))
            size = chosen[0] if len(chosen) == 1 else "?"
        try:
            session.answer_profile(codes, size)
            return
        except AnswerError as error:
            say(str(error), err=True)


def _ask_choices(question, prompt: str) -> list[str]:
    """One business question drawn as numbered rows; the values of the rows typed."""
    from auditkit.questionnaire.terminal import ask_text

    say(f"\n{question.text}", bold=True)
    say(question.help)
    for number, (_value, words) in enumerate(question.choices, start=1):
        say(f"  {number}  {words}")
    typed = ask_text(prompt)
    if typed is None:
        raise click.Abort()
    return _numbers_to_values(typed, question.choices)


def _numbers_to_values(typed: str, choices) -> list[str]:
    """'1, 3' → the values of rows 1 and 3; a word that is not a row number is kept as typed
    (a place's code or name), so the session can accept or refuse it."""
    values = []
    for part in typed.replace(";", ",").split(","):
        part = part.strip()
        if part.isdigit() and 1 <= int(part) <= len(choices):
            values.append(choices[int(part) - 1][0])
        elif part:
            values.append(part)
    return values


def _read_line() -> str | None:
    line = sys.stdin.readline()
    return None if line == "" else line.rstrip("\n")


def _staff_promise() -> str:
    """What a staff member is told before answering: the anonymity floor and the note rule."""
    from auditkit.answers.model import ANONYMITY_FLOOR

    return (
        "Staff answers are anonymous: your name is not needed. Your answers count, and are "
        f"shown\nonly as counts, once at least {ANONYMITY_FLOOR} people besides the owner have "
        "answered; a note you write\nis shown only if you say it may be, and never with a name.\n"
    )


def _role(text: str) -> str:
    """The role typed at the opening: owner, staff or other (a first letter will do)."""
    from auditkit.rubric.model import ROLES

    lowered = text.strip().lower()
    for role in ROLES:
        if lowered and role.startswith(lowered):
            return role
    if lowered in ("manager", "m"):
        return "owner"
    if lowered:
        say(f"{text!r} is not one of owner, staff, other: answering as the owner.", err=True)
    return "owner"


def _opening(
    rubric: str | None, sector: str | None, interactive: bool, language: str | None = None
) -> tuple[dict[str, str], dict[str, str], str | None]:
    """Who the assessment is for, its sector (which adds the sector's questions) and who
    answers it."""
    from auditkit.questionnaire.session import base_rubric_id, sector_choices

    choices = sector_choices(base_rubric_id(rubric), language)
    sectors = [(sid, title) for sid, title, _ in choices]
    names = ", ".join(sid for sid, _ in sectors)
    fields = [
        ("business", "name", "Business name: ", ""),
        ("business", "sector", f"Sector ({names}, or leave empty): ", sector or ""),
        (
            "respondent",
            "speaks_as",
            "You answer as: owner (or a manager), staff, or other [owner]: ",
            "",
        ),
        ("respondent", "name", "Your name (staff: leave it empty): ", ""),
        ("respondent", "role", "Your role: ", ""),
    ]
    business: dict[str, str] = {}
    respondent: dict[str, str] = {}
    if interactive:
        from auditkit.questionnaire.terminal import ask_text

        click.echo(
            click.style("Human-centred automation check", bold=True) + " · about 20 minutes"
        )  # no user text
        say(
            "Each question is about a tool you may use (adoption) or a safeguard around it. The\n"
            "more you automate, the more safeguards are expected: phase 1 back office, phase 2\n"
            "customer service, phase 3 self-service and personalisation. Every answer is saved\n"
            "as you go; stop any time with q or Ctrl-C and resume later.\n"
        )
    for target, key, message, default in fields:
        if interactive and key == "sector" and choices:
            # Say whom each sector is for before asking: a bakery with a café must be able to
            # tell Retail from Hospitality.
            for sector_id, _, who in choices:
                say(f"  {sector_id:22} {who}")
            say(
                "  A business that is two things chooses where most customers meet it: selling\n"
                "  over a counter is retail, serving at tables is hospitality."
            )
        if interactive:
            value = ask_text(message, default)
            if value is None:
                raise click.Abort()
        else:
            say(message, nl=False)
            value = (_read_line() or "").strip() or default
        if key == "speaks_as":
            value = _role(value)
            if value != "owner":
                say(_staff_promise())
        (business if target == "business" else respondent)[key] = value
    chosen = business.get("sector", "").strip().lower() or None
    if chosen and chosen not in {sid for sid, _ in sectors}:
        say(f"No sector questions for {chosen!r}: the general questions are asked.", err=True)
        chosen = None
    return business, respondent, chosen


def _closing(session, outcome: str, rubric: str | None, sector: str | None) -> None:
    counts = session.summary()
    say("")
    say(
        f"{counts.answered} answered · {counts.not_applicable} not applicable · "
        f"{counts.skipped} skipped · {counts.unanswered} unanswered, of {counts.asked} questions."
    )
    say(f"Saved to {session.path}")
    stopped = outcome in ("quit", "interrupted")
    if stopped or counts.skipped or counts.unanswered:
        from auditkit.scoring.next_step import resume_command

        language = f" --lang {session.rubric.lang}" if session.rubric.lang != "en" else ""
        say(f"Resume with:  {resume_command(session.path, rubric, sector)}{language}")
    if stopped:
        # Stopped early: the next thing to do is to carry on, not to score a partial file.
        say("Run it again when you have time: it starts where you stopped.")
    elif session.answers.speaks_as != "owner":
        say(
            "Next: hand this file to whoever runs the audit; it is scored together with the "
            "owner's (auditkit score OWNER.yaml THIS.yaml …, or a folder of the files)."
        )
    else:
        say(f"Next:  auditkit score {session.path}")


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
    from auditkit.answers.template import render_template
    from auditkit.fileio import write_to
    from auditkit.rubric import load_rubric

    text = render_template(load_rubric(rubric, sector, lang=language))
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
