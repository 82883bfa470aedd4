"""Plain line prompts, for when standard input is not a terminal (pipes, scripts, CI).

One line per question: an answer (its value or its number), optionally followed by ``# note``;
``x REASON`` for not applicable; ``b`` back, ``s`` skip, ``?`` help, ``q`` save and stop. At the
end of input the session is saved and the loop stops: it never waits for a terminal that is
not there.
"""

from __future__ import annotations

from collections.abc import Callable

from auditkit.i18n import _
from auditkit.i18n.formatting import format_integer
from auditkit.questionnaire.session import Session, parse_typed
from auditkit.rubric.model import Question


def _describe(session: Session, question: Question, write: Callable[[str], None]) -> None:
    progress = session.progress(question)
    principle = session.rubric.principle(question.principle).title
    # While the inventory decides, the total is the range it can still lead to ("1/26-66"):
    # the length the web pages show (Session.length()).
    span = session.length()
    total = (
        format_integer(span.most)
        if span.exact
        else f"{format_integer(span.least)}-{format_integer(span.most)}"
    )
    write(f"\n[{format_integer(progress.number)}/{total}] {principle}")
    write(question.text)
    # The values are what a script types; in another language the labels are shown instead
    # (typing either, or the number, gives the same answer).
    words = (
        (lambda level: level.value) if session.rubric.lang == "en" else (lambda level: level.label)
    )
    choices = "  ".join(
        f"{i}) {words(level)}" for i, level in enumerate(question.scale.levels, start=1)
    )
    # The keys are what is typed in every language: placeholders, never translated.
    extra = (
        ("  " + _("{key}) don't know").format(key="d")) if session.allows_unknown(question) else ""
    )
    if question.allow_na:
        extra += "  " + _("{key} REASON) not applicable").format(key="x")
    keys = _("({back} back, {skip} skip, {help} help, {quit} quit)").format(
        back="b", skip="s", help="?", quit="q"
    )
    write(f"  {choices}{extra}   {keys}")


def _is_dont_know(text: str) -> bool:
    """ "d", or "don't know" as typed in English or in the reader's language."""
    words = {"d", "don't know", "dont know", "unknown", _("don't know").lower()}
    return text.lower() in words


def run(session: Session, read: Callable[[], str | None], write: Callable[[str], None]) -> str:
    """Ask through ``read``/``write``; 'done' at the end, 'quit' on q or end of input."""
    while True:
        question = session.current()
        if question is None:
            return "done"
        _describe(session, question, write)
        line = read()
        if line is None:
            return "quit"
        line = line.strip()
        text, _hash, note = line.partition("#")
        text, note = text.strip(), note.strip()
        if text in ("q", "quit"):
            return "quit"
        if text in ("b", "back"):
            session.back()
        elif text in ("s", "skip"):
            session.skip()
        elif text in ("?", "help"):
            write(question.help)
            if question.look_for:
                write(_("Evidence: {text}").format(text=question.look_for))
        elif text.startswith("x ") or text == "x":
            reason = text[1:].strip()
            if not question.allow_na:
                write(_("This question does not allow 'not applicable'."))
            elif not reason:
                write(_("Give a reason: {key} REASON").format(key="x"))
            else:
                session.not_applicable(reason, note or None)
        elif session.allows_unknown(question) and _is_dont_know(text):
            session.dont_know(note or None)
        elif (value := parse_typed(question, text)) is not None:
            session.answer(value, note or None)
        else:
            # The labels shown in another language; the values in English (what was listed).
            shown = (
                question.scale.values
                if session.rubric.lang == "en"
                else [level.label for level in question.scale.levels]
            )
            write(
                _("Not an answer: {typed}. Use one of: {answers}").format(
                    typed=repr(text), answers=", ".join(shown)
                )
            )
