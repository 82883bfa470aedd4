"""Plain line prompts, for when standard input is not a terminal (pipes, scripts, CI).

One line per question: an answer (its value or its number), optionally followed by ``# note``;
``x REASON`` for not applicable; ``b`` back, ``s`` skip, ``?`` help, ``q`` save and stop. At the
end of input the session is saved and the loop stops: it never waits for a terminal that is
not there.
"""

from __future__ import annotations

from collections.abc import Callable

from auditkit.questionnaire.session import Session, parse_typed
from auditkit.rubric.model import Question


def _describe(session: Session, question: Question, write: Callable[[str], None]) -> None:
    progress = session.progress(question)
    principle = session.rubric.principle(question.principle).title
    # While the inventory decides, the total is the range it can still lead to ("1/26-66").
    total = f"{progress.least}-{progress.most}" if progress.about else str(progress.total)
    write(f"\n[{progress.number}/{total}] {principle}")
    write(question.text)
    # The values are what a script types; in another language the labels are shown instead
    # (typing either, or the number, gives the same answer).
    words = (
        (lambda level: level.value) if session.rubric.lang == "en" else (lambda level: level.label)
    )
    choices = "  ".join(
        f"{i}) {words(level)}" for i, level in enumerate(question.scale.levels, start=1)
    )
    extra = "  d) don't know" if session.allows_unknown(question) else ""
    extra += "  x REASON) not applicable" if question.allow_na else ""
    write(f"  {choices}{extra}   (b back, s skip, ? help, q quit)")


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
        text, _, note = line.partition("#")
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
                write(f"Evidence: {question.look_for}")
        elif text.startswith("x ") or text == "x":
            reason = text[1:].strip()
            if not question.allow_na:
                write("This question does not allow 'not applicable'.")
            elif not reason:
                write("Give a reason: x REASON")
            else:
                session.not_applicable(reason, note or None)
        elif session.allows_unknown(question) and text in (
            "d",
            "don't know",
            "dont know",
            "unknown",
        ):
            session.dont_know(note or None)
        elif (value := parse_typed(question, text)) is not None:
            session.answer(value, note or None)
        else:
            write(f"Not an answer: {text!r}. Use one of: {', '.join(question.scale.values)}")
