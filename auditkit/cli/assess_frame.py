"""What ``auditkit assess`` says around the questionnaire, in the chosen language: the
opening (who the assessment is for, its sector, who answers), the business questions, the
resume screen and the closing lines.

Paragraphs are wrapped at the terminal's width here, never in the catalog (a translation's
lines are not as long as the English ones); a sector's or a row's later lines start under its
text. Keys, commands and values that are typed are placeholders in the catalog's texts, so a
translation can neither change a key nor break a command. How many questions there are is the
length the web shows (questionnaire/words.py).
"""

from __future__ import annotations

import sys

import click

from auditkit.cli.output import say
from auditkit.i18n import N_


def resume_screen(session, interactive: bool) -> None:
    """Whose file this is and how far it got, shown until the owner continues: running
    'assess' where another client's answers.yaml lies must not silently continue it."""
    from auditkit.i18n import _
    from auditkit.questionnaire.words import answered_of

    answers = session.answers
    business = answers.business.get("name") or _("(no business name)")
    who = answers.respondent.get("name") or _("(no name)")
    role = answers.respondent.get("role")
    say(_("Resuming {file}").format(file=session.path), bold=True)
    if session.rubric.sector:
        say(
            _("  Business:   {business} · {sector}").format(
                business=business, sector=session.rubric.sector
            )
        )
    else:
        say(_("  Business:   {business}").format(business=business))
    if role:
        say(_("  Answered by {name}, {role}").format(name=who, role=role))
    else:
        say(_("  Answered by {name}").format(name=who))
    say(
        _("  Progress:   {answered}").format(
            answered=answered_of(session.summary(), session.length())
        )
    )
    saved = _last_saved(answers.updated)
    if saved:
        say(_("  Last saved: {day}").format(day=saved))
    changes = session.changes_in_words()
    if changes:
        say(_("  The rubric changed since this file was started:"))
        for line in changes:
            say(f"    · {line}")
    if interactive:
        from auditkit.questionnaire.terminal import ask_text

        if ask_text(_("Press Enter to continue this file (Ctrl-C to stop): ")) is None:
            raise click.Abort()


def _last_saved(stamp: str | None) -> str:
    """The day a file was last saved, in the reader's words ("7. Dezember 2026"); "" when
    the file has no readable time (a template filled in by hand)."""
    from datetime import datetime

    from auditkit.i18n.formatting import format_date

    try:
        return format_date(datetime.fromisoformat(str(stamp)).date()) if stamp else ""
    except ValueError:
        return ""


def ask_profile(session) -> None:
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

    say("\n" + _paragraph(question.text), bold=True)
    say(_paragraph(question.help))
    for number, (_value, words) in enumerate(question.choices, start=1):
        say(_hanging(f"  {number}  ", words))
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


def read_line() -> str | None:
    line = sys.stdin.readline()
    return None if line == "" else line.rstrip("\n")


def _staff_promise() -> str:
    """What a staff member is told before answering: the anonymity floor and the note rule."""
    from auditkit.answers.model import ANONYMITY_FLOOR
    from auditkit.i18n import _

    return (
        _paragraph(
            _(
                "Staff answers are anonymous: your name is not needed. Your answers count, "
                "and are shown only as counts, once at least {floor} people besides the owner "
                "have answered; a note you write is shown only if you say it may be, and "
                "never with a name."
            ).format(floor=ANONYMITY_FLOOR)
        )
        + "\n"
    )


def _hanging(lead: str, text: str) -> str:
    """``lead`` then ``text`` wrapped at the terminal's width, its later lines under the
    text's first (a sector's id, then whom it is for)."""
    import shutil
    import textwrap

    width = max(len(lead) + 20, min(80, shutil.get_terminal_size((80, 24)).columns) - 1)
    return textwrap.fill(text, width, initial_indent=lead, subsequent_indent=" " * len(lead))


def _paragraph(text: str, indent: str = "") -> str:
    """A paragraph wrapped at the terminal's width (at most 80 columns): the catalog holds
    no line breaks, since a translation's lines are never as long as the English ones."""
    import textwrap

    return textwrap.fill(text, _width(), initial_indent=indent, subsequent_indent=indent)


def _width() -> int:
    """The width the opening and closing lines are wrapped at: the terminal's, at most 79."""
    import shutil

    return max(30, min(80, shutil.get_terminal_size((80, 24)).columns) - 1)


# The words a respondent may type for their role at the opening, in English and in the
# language of the questions: the first letters of either will do.
ROLE_WORDS = {"owner": N_("owner"), "staff": N_("staff"), "other": N_("other")}


def _role(text: str) -> str:
    """The role typed at the opening: owner, staff or other (a first letter will do, in
    English or in the language of the questions: "Inhaber", "Mitarbeiter", "andere")."""
    from auditkit.i18n import _
    from auditkit.rubric.model import ROLES

    lowered = text.strip().lower()
    for role in ROLES:
        if lowered and role.startswith(lowered):
            return role
    for role in ROLES:
        if lowered and _(ROLE_WORDS[role]).lower().startswith(lowered):
            return role
    if lowered in ("manager", "m", _("manager").lower()):
        return "owner"
    if lowered:
        say(
            _("{typed} is not one of owner, staff, other: answering as the owner.").format(
                typed=repr(text)
            ),
            err=True,
        )
    return "owner"


def opening(
    rubric: str | None, sector: str | None, interactive: bool, language: str | None = None
) -> tuple[dict[str, str], dict[str, str], str | None]:
    """Who the assessment is for, its sector (which adds the sector's questions) and who
    answers it."""
    from auditkit.i18n import _
    from auditkit.questionnaire.session import base_rubric_id, sector_choices

    choices = sector_choices(base_rubric_id(rubric), language)
    sectors = [(sid, title) for sid, title, _who in choices]
    names = ", ".join(sid for sid, _title in sectors)
    fields = [
        ("business", "name", _("Business name: "), ""),
        (
            "business",
            "sector",
            # The terminal lists the sectors just above the question; a pipe only names them.
            _("Sector (one of those above, or leave empty): ")
            if interactive and choices
            else _("Sector ({names}, or leave empty): ").format(names=names),
            sector or "",
        ),
        (
            "respondent",
            "speaks_as",
            _("You answer as: owner (or a manager), staff, or other [owner]: "),
            "",
        ),
        ("respondent", "name", _("Your name (staff: leave it empty): "), ""),
        ("respondent", "role", _("Your role: "), ""),
    ]
    business: dict[str, str] = {}
    respondent: dict[str, str] = {}
    if interactive:
        from auditkit.questionnaire.terminal import ask_text

        click.echo(
            click.style(_("Human-centred automation check"), bold=True)
            + " · "
            + _("about 20 minutes")
        )  # no user text
        say(
            _paragraph(
                _(
                    "Each question is about a tool you may use (adoption) or a safeguard "
                    "around it. The more you automate, the more safeguards are expected: phase "
                    "1 back office, phase 2 customer service, phase 3 self-service and "
                    "personalisation. Every answer is saved as you go; stop any time with q "
                    "or Ctrl-C and resume later."
                )
            )
            + "\n"
        )
    for target, key, message, default in fields:
        if interactive and key == "sector" and choices:
            # Say whom each sector is for before asking: a bakery with a café must be able to
            # tell Retail from Hospitality.
            for sector_id, _title, who in choices:
                say(_hanging(f"  {sector_id:22} ", who))
            say(
                _paragraph(
                    _(
                        "A business that is two things chooses where most customers meet it: "
                        "selling over a counter is retail, serving at tables is hospitality."
                    ),
                    "  ",
                )
            )
        if interactive:
            value = ask_text(message, default)
            if value is None:
                raise click.Abort()
        else:
            say(message, nl=False)
            value = (read_line() or "").strip() or default
        if key == "speaks_as":
            value = _role(value)
            if value != "owner":
                say(_staff_promise())
        (business if target == "business" else respondent)[key] = value
    chosen = business.get("sector", "").strip().lower() or None
    if chosen and chosen not in {sid for sid, _title in sectors}:
        say(
            _("No sector questions for {sector}: the general questions are asked.").format(
                sector=repr(chosen)
            ),
            err=True,
        )
        chosen = None
    return business, respondent, chosen


def closing(session, outcome: str, rubric: str | None, sector: str | None) -> None:
    from auditkit.i18n import _
    from auditkit.questionnaire.words import summary_line, wrap_items

    say("")
    say(wrap_items(summary_line(session.summary(), session.length()), _width()))
    say(_("Saved to {file}").format(file=session.path))
    counts = session.summary()
    stopped = outcome in ("quit", "interrupted")
    if stopped or counts.skipped or counts.unanswered:
        from auditkit.scoring.next_step import resume_command

        language = f" --lang {session.rubric.lang}" if session.rubric.lang != "en" else ""
        command = f"{resume_command(session.path, rubric, sector)}{language}"
        say(_("Resume with:  {command}").format(command=command))
    if stopped:
        # Stopped early: the next thing to do is to carry on, not to score a partial file.
        say(_paragraph(_("Run it again when you have time: it starts where you stopped.")))
    elif session.answers.speaks_as != "owner":
        say(
            _paragraph(
                _(
                    "Next: hand this file to whoever runs the audit; it is scored together "
                    "with the owner's ({command}, or a folder of the files)."
                ).format(command="auditkit score OWNER.yaml THIS.yaml …")
            )
        )
    else:
        say(_("Next:  {command}").format(command=f"auditkit score {session.path}"))
