"""The keyboard-driven terminal front end.

auditkit owns the question loop (``Session``); prompt_toolkit draws one widget at a time: its
``choice`` list for the answer scale, and ``prompt`` for a line of text. Owning the loop is what
makes back, skip, review and resume possible, and Ctrl-C safe: every answer is already saved
when a key is pressed, so an interrupt only ends the loop.
"""

from __future__ import annotations

import shutil
from html import escape

from auditkit.i18n import _, ngettext
from auditkit.i18n.formatting import format_integer
from auditkit.questionnaire.screen import (
    LIST_OFFSET,
    ROW_PREFIX,
    answer_row,
    first_line,
    key_hints,
    wrap_text,
)
from auditkit.questionnaire.session import AnswerError, SaveFailed, Session, parse_typed
from auditkit.questionnaire.words import is_yes, question_of, summary_line, wrap_items
from auditkit.rubric.model import Question

COMMANDS = {
    "n": "note",
    "?": "help",
    "h": "help",
    "x": "na",
    "d": "unknown",
    "b": "back",
    "s": "skip",
    "r": "review",
    "q": "quit",
}


def _command(name: str) -> str:
    return f"\0{name}"


def _bindings(question: Question, unknown: bool):
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()
    for key, name in COMMANDS.items():
        # ``x`` is bound even where "not applicable" is not allowed: it then says so.
        if name == "unknown" and not unknown:
            continue

        def handler(event, name: str = name) -> None:
            event.app.exit(result=_command(name))

        bindings.add(key)(handler)
    # A digit answers at once: the number printed beside the answer (``digit_keys``).
    for value, digit in digit_keys(question).items():

        def answer(event, value: str = value) -> None:
            event.app.exit(result=value)

        bindings.add(digit, eager=True)(answer)
    return bindings


def _header(session: Session, question: Question, show_help: bool) -> str:
    progress = session.progress(question)
    # While the inventory is open the total is a range (the fewest to the most questions its
    # answers can lead to), never a number that grows as the owner answers.
    if question.kind == "adoption":
        kind = _("adoption · phase {phase}").format(phase=question.phase)
    else:
        kind = _("safeguard from phase {phase}").format(phase=question.phase)
    if progress.section_number is None:
        where = _("({number} of {total})").format(
            number=format_integer(progress.inventory_number),
            total=format_integer(progress.inventory_total),
        )
    else:
        where = _("(principle {number} of {total})").format(
            number=format_integer(progress.section_number),
            total=format_integer(progress.section_total),
        )
    parts = [
        first_line(
            [
                ("b", question_of(progress.number, session.length())),
                ("ansicyan", progress.section),
                ("", where),
                ("", kind),
            ]
        ),
        "",
        f"<b>{escape(wrap_text(question.text))}</b>",
    ]
    if show_help:
        parts += ["", f"<i>{escape(wrap_text(question.help))}</i>"]
        if question.look_for:
            evidence = _("Evidence: {text}").format(text=question.look_for)
            parts.append(f"<i>{escape(wrap_text(evidence))}</i>")
    answer = session.answer_of(question.id)
    if answer is not None and answer.note:
        parts += ["", escape(wrap_text(_("Note: {note}").format(note=answer.note)))]
    if answer is not None and answer.is_na:
        now = _("Now: not applicable ({reason})").format(reason=answer.na_reason)
        parts += ["", escape(wrap_text(now))]
    elif answer is not None and answer.is_unknown:
        parts += ["", escape(_("Now: don't know"))]
    parts.append("")
    return "\n".join(parts)


def digit_keys(question: Question) -> dict[str, str]:
    """{answer value: the digit that chooses it}, by the session's rule for typed digits: on
    a numbered scale (maturity 0–4) the level itself, elsewhere the row among the answers.
    The same digit is printed beside the answer, so the number seen is the key to press."""
    keys = {}
    for digit in "0123456789":
        value = parse_typed(question, digit)
        if value is not None:
            keys.setdefault(value, digit)
    return keys


def _options(question: Question, unknown: bool) -> list[tuple[str, object]]:

    keys = digit_keys(question)
    options = []
    for level in question.scale.levels:
        digit = keys.get(level.value)
        # Maturity labels begin with their level ("3 · Routine"): that is the number shown.
        number = "" if digit is None or level.label.startswith(digit) else f"{digit}."
        options.append((level.value, answer_row(number, level.label, level.description)))
    if unknown:
        options.append(
            (
                _command("unknown"),
                answer_row(
                    "d.", _("Don't know"), _("(never checked or measured: not counted as no)")
                ),
            )
        )
    if question.allow_na:
        options.append(
            (_command("na"), answer_row("x.", _("Not applicable…"), _("(asks for a reason)")))
        )
    return options


def choose(message, *, options, default=None, bottom_toolbar=None, key_bindings=None):
    """prompt_toolkit's ``choice`` list without its own row numbers.

    ``choice`` numbers every row 1, 2, 3 … and binds those digits to move the cursor. Our rows
    carry their own numbers (``digit_keys``): a placeholder row or a 0–4 scale would otherwise
    show one number and answer another. ``ChoiceInput`` has no option for this, so the list
    widget it builds (the focused control's owner) is told not to number its rows."""
    from prompt_toolkit.shortcuts.choice_input import ChoiceInput

    class Unnumbered(ChoiceInput):
        def _create_application(self):
            application = super()._create_application()
            radio_list = application.layout.current_control.text.__self__
            radio_list.show_numbers = False
            return application

    return Unnumbered(
        message=message,
        options=options,
        default=default,
        bottom_toolbar=bottom_toolbar,
        key_bindings=key_bindings,
    ).prompt()


def ask_text(message: str, default: str = "", *, required: bool = False) -> str | None:
    """One line of text; None when the owner cancels with Ctrl-C or leaves a required line empty."""
    from prompt_toolkit import prompt

    try:
        text = prompt(message, default=default)
    except (KeyboardInterrupt, EOFError):
        return None
    if required and not text.strip():
        return None
    return text.strip()


def run(session: Session) -> str:
    """Ask until the owner finishes ('done') or stops ('quit'). Answers are saved as they go."""
    from prompt_toolkit.formatted_text import HTML
    from prompt_toolkit.shortcuts import clear

    show_help = False
    notice = ""
    editing = False  # a question opened from the review: saving it returns there
    while True:
        question = session.current()
        if question is None or (editing and question.id != editing):
            editing = False
            outcome = review(session, finished=question is None)
            if outcome == "done":
                return "done"
            editing = outcome if outcome not in ("continue",) else False
            continue
        clear()
        answer = session.answer_of(question.id)
        default = answer.value if answer is not None and answer.value else None
        if default == "n/a":
            default = _command("na")
        elif default == "unknown":
            default = _command("unknown")
        options = _options(question, session.allows_unknown(question))
        if default is None:
            # Nothing preselected: Enter alone must not answer "Yes" or "Live".
            options.insert(
                0,
                (
                    _command("pick"),
                    HTML("<i>" + escape(_("Choose an answer with ↑↓, then Enter")) + "</i>"),
                ),
            )
            default = _command("pick")
        header = _header(session, question, show_help) + (
            notice and f"\n<b>{escape(wrap_text(notice))}</b>\n"
        )
        notice = ""
        try:
            result = choose(
                HTML(header),
                options=options,
                default=default,
                bottom_toolbar=key_hints(question.allow_na, session.allows_unknown(question)),
                key_bindings=_bindings(question, session.allows_unknown(question)),
            )
        except KeyboardInterrupt:
            return "interrupted"  # everything is saved; the exit code says how it ended
        except EOFError:
            return "quit"
        try:  # a failed save or a refused note is said on the same question, nothing lost
            if not result.startswith("\0"):
                session.answer(result)
                show_help = False
                continue
            command = result[1:]
            if command == "pick":
                notice = _(
                    "Nothing chosen yet: move to an answer with ↑↓ and press Enter ({key} skips)."
                ).format(key="s")
                continue
            if command == "quit":
                return "quit"
            if command == "help":
                show_help = not show_help
            elif command == "note":
                text = ask_text(_("Note (evidence, optional): "), answer.note if answer else "")
                if text is not None:
                    share = None
                    if text.strip() and session.answers.speaks_as != "owner":
                        allowed = ask_text(_("May this note be shown, without your name? (y/N): "))
                        share = is_yes(allowed or "")
                    session.note(text, share=share)
            elif command == "na" and not question.allow_na:
                notice = _(
                    '"Not applicable" is not an answer here: if your business does not use or '
                    "do this, choose the answer that says so ({key} skips the question for now)."
                ).format(key="s")
            elif command == "na":
                earlier = answer.na_reason if answer is not None and answer.is_na else ""
                reason = ask_text(
                    _("Why does this not apply? (one line, required): "), earlier, required=True
                )
                if reason:
                    session.not_applicable(reason)
            elif command == "unknown":
                session.dont_know()
            elif command == "back":
                session.back()
            elif command == "skip":
                session.skip()
            elif command == "review":
                outcome = review(session, finished=False)
                if outcome == "done":
                    return "done"
                editing = outcome if outcome != "continue" else False

        except (SaveFailed, AnswerError) as refused:
            notice = str(refused)


def review(session: Session, *, finished: bool) -> str:
    """List every question with its state: 'done', 'continue', or the id of the question
    picked for editing."""
    from prompt_toolkit.formatted_text import HTML
    from prompt_toolkit.shortcuts import clear

    clear()
    counts = session.summary()
    heading = _("Review — you reached the end of the questions") if finished else _("Review")
    width = max(40, shutil.get_terminal_size((100, 30)).columns - 4)
    lines = [
        f"<b>{escape(heading)}</b>",
        escape(wrap_items(summary_line(counts, session.length()), width)),
    ]
    kept = session.not_counted()
    if kept:
        lines.append(
            escape(
                ngettext(
                    "{count} earlier answer is kept but not counted: its condition no longer "
                    "holds.",
                    "{count} earlier answers are kept but not counted: their condition no "
                    "longer holds.",
                    len(kept),
                ).format(count=format_integer(len(kept)))
            )
        )
    lines.append("")
    # The catalog's own markup (<b>), no user text: drawn as it is.
    options: list[tuple[str, object]] = [(_command("finish"), HTML(_("<b>Finish</b> and save")))]
    if not finished:
        options.append((_command("continue"), _("Back to the questions")))
    row_width = max(40, shutil.get_terminal_size((100, 30)).columns) - LIST_OFFSET - ROW_PREFIX - 2
    for question in session.questions():
        number = session.progress(question).number  # the number the question was asked under
        answer = session.answer_of(question.id)
        colour = ""
        if answer is None or answer.value is None:
            skipped = answer is not None and answer.skipped
            state, colour = (
                (_("skipped"), "ansiyellow") if skipped else (_("unanswered"), "ansired")
            )
        elif answer.is_na:
            state = _("n/a")
        elif answer.is_unknown:
            state = _("don't know")
        else:
            state = question.scale.level(answer.value).label
        # The question's start, cut to what is left of the line (never at the screen's edge).
        room = row_width - len(f"{number}. {state}  ")
        text = question.text if len(question.text) <= room else question.text[: room - 1] + "…"
        shown = f"<style fg='{colour}'>{escape(state)}</style>" if colour else escape(state)
        options.append((question.id, HTML(f"<b>{number}.</b> {shown}  {escape(text)}")))
    try:
        result = choose(  # unnumbered rows: each shows its question's own number instead
            HTML("\n".join(lines)),
            options=options,
            bottom_toolbar=_("Enter: edit the question, or finish"),
        )
    except (KeyboardInterrupt, EOFError):
        return "done"
    if result == _command("finish"):
        return "done"
    if result == _command("continue"):
        return "continue"
    session.go_to(result)
    return result  # the question to edit; saving it returns to the review
