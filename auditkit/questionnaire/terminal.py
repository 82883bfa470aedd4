"""The keyboard-driven terminal front end.

auditkit owns the question loop (``Session``); prompt_toolkit draws one widget at a time: its
``choice`` list for the answer scale, and ``prompt`` for a line of text. Owning the loop is what
makes back, skip, review and resume possible, and Ctrl-C safe: every answer is already saved
when a key is pressed, so an interrupt only ends the loop.
"""

from __future__ import annotations

import shutil
import textwrap
from html import escape

from auditkit.questionnaire.session import AnswerError, SaveFailed, Session, parse_typed
from auditkit.rubric.model import Question


def _keys(allow_na: bool, unknown: bool = False) -> str:
    """The key hints, wrapped at the terminal's width (on a 50-column terminal they take
    three lines instead of being cut off)."""
    na = (" · d don't know" if unknown else "") + (" · x not applicable" if allow_na else "")
    hints = (
        f"↑↓ move · Enter choose · n note · ? help{na} · b back · s skip · r review · q save & quit"
    )
    width = max(20, shutil.get_terminal_size((100, 30)).columns - 1)
    return "\n".join(textwrap.wrap(hints, width))


def _wrap(text: str) -> str:
    """Wrap at the terminal's width so words are never split across lines."""
    width = max(40, shutil.get_terminal_size((100, 30)).columns - 4)
    return "\n".join(textwrap.wrap(text, width)) or text


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
    total = f"{progress.least} to {progress.most}" if progress.about else str(progress.total)
    kind = (
        f"adoption · phase {question.phase}"
        if question.kind == "adoption"
        else f"safeguard from phase {question.phase}"
    )
    where = (
        f"({progress.inventory_number} of {progress.inventory_total})"
        if progress.section_number is None
        else f"(principle {progress.section_number} of {progress.section_total})"
    )
    parts = [
        f"<b>Question {progress.number} of {total}</b> · "
        f"<ansicyan>{escape(progress.section)}</ansicyan> {where} · {kind}",
        "",
        f"<b>{escape(_wrap(question.text))}</b>",
    ]
    if show_help:
        parts += ["", f"<i>{escape(_wrap(question.help))}</i>"]
        if question.look_for:
            parts.append(f"<i>{escape(_wrap('Evidence: ' + question.look_for))}</i>")
    answer = session.answer_of(question.id)
    if answer is not None and answer.note:
        parts += ["", escape(_wrap(f"Note: {answer.note}"))]
    if answer is not None and answer.is_na:
        parts += ["", f"Now: not applicable ({escape(answer.na_reason)})"]
    elif answer is not None and answer.is_unknown:
        parts += ["", "Now: don't know"]
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
    from prompt_toolkit.formatted_text import HTML

    keys = digit_keys(question)
    options = []
    for level in question.scale.levels:
        digit = keys.get(level.value)
        # Maturity labels begin with their level ("3 · Routine"): that is the number shown.
        number = "" if digit is None or level.label.startswith(digit) else f"{digit}."
        label = (
            f"<b>{number}</b>{' ' if number else ''}{escape(level.label)}  "
            f"<style fg='ansibrightblack'>{escape(level.description)}</style>"
        )
        options.append((level.value, HTML(label)))
    if unknown:
        options.append(
            (
                _command("unknown"),
                HTML(
                    "<b>d.</b> Don't know  "
                    "<style fg='ansibrightblack'>(never checked or measured: not counted as no)</style>"
                ),
            )
        )
    if question.allow_na:
        options.append(
            (
                _command("na"),
                HTML(
                    "<b>x.</b> Not applicable…  "
                    "<style fg='ansibrightblack'>(asks for a reason)</style>"
                ),
            )
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
                0, (_command("pick"), HTML("<i>Choose an answer with ↑↓, then Enter</i>"))
            )
            default = _command("pick")
        header = _header(session, question, show_help) + (
            notice and f"\n<b>{escape(_wrap(notice))}</b>\n"
        )
        notice = ""
        try:
            result = choose(
                HTML(header),
                options=options,
                default=default,
                bottom_toolbar=_keys(question.allow_na, session.allows_unknown(question)),
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
                notice = "Nothing chosen yet: move to an answer with ↑↓ and press Enter (s skips)."
                continue
            if command == "quit":
                return "quit"
            if command == "help":
                show_help = not show_help
            elif command == "note":
                text = ask_text("Note (evidence, optional): ", answer.note if answer else "")
                if text is not None:
                    share = None
                    if text.strip() and session.answers.speaks_as != "owner":
                        allowed = ask_text("May this note be shown, without your name? (y/N): ")
                        share = (allowed or "").lower().startswith("y")
                    session.note(text, share=share)
            elif command == "na" and not question.allow_na:
                notice = (
                    '"Not applicable" is not an answer here: if your business does not use or '
                    "do this, choose the answer that says so (s skips the question for now)."
                )
            elif command == "na":
                earlier = answer.na_reason if answer is not None and answer.is_na else ""
                reason = ask_text(
                    "Why does this not apply? (one line, required): ", earlier, required=True
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
    unanswered, skipped = session.open_questions()
    counts = session.summary()
    lines = [
        "<b>Review</b>" + (" — you reached the end of the questions" if finished else ""),
        f"{counts.answered} answered · {counts.not_applicable} not applicable · "
        f"{len(skipped)} skipped · {len(unanswered)} unanswered, of {counts.asked}",
    ]
    kept = session.not_counted()
    if kept:
        lines.append(
            f"{len(kept)} earlier answers are kept but not counted: their condition no longer holds."
        )
    lines.append("")
    options: list[tuple[str, object]] = [(_command("finish"), HTML("<b>Finish</b> and save"))]
    if not finished:
        options.append((_command("continue"), "Back to the questions"))
    for question in session.questions():
        number = session.progress(question).number  # the number the question was asked under
        answer = session.answer_of(question.id)
        if answer is None or answer.value is None:
            state = (
                "<style fg='ansiyellow'>skipped</style>"
                if answer is not None and answer.skipped
                else "<style fg='ansired'>unanswered</style>"
            )
        elif answer.is_na:
            state = "n/a"
        elif answer.is_unknown:
            state = "don't know"
        else:
            state = escape(question.scale.level(answer.value).label)
        text = question.text if len(question.text) < 70 else question.text[:67] + "…"
        options.append((question.id, HTML(f"<b>{number}.</b> {state}  {escape(text)}")))
    try:
        result = choose(  # unnumbered rows: each shows its question's own number instead
            HTML("\n".join(lines)),
            options=options,
            bottom_toolbar="Enter: edit the question, or finish",
        )
    except (KeyboardInterrupt, EOFError):
        return "done"
    if result == _command("finish"):
        return "done"
    if result == _command("continue"):
        return "continue"
    session.go_to(result)
    return result  # the question to edit; saving it returns to the review
