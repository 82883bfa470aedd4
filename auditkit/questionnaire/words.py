"""The questionnaire's counts in words, for both terminal front ends (the full-screen one and
the line-by-line one) and the lines ``auditkit assess`` prints before and after them.

How many questions there are is the length the web pages show (``Session.length()``,
questionnaire/length.py): a range while the inventory's answers still decide which
safeguards follow ("of 46 to 68 questions"), one number once they are given. Counting only
the questions that apply on the answers so far would promise 46 and then ask 68.

Each sentence is whole in the catalog (exact and range are two sentences, plural forms by
``ngettext``), and every number goes through the reader's number format.
"""

from __future__ import annotations

from auditkit.answers.model import AnswerCounts
from auditkit.i18n import _, ngettext
from auditkit.i18n.formatting import format_integer
from auditkit.questionnaire.length import Length


def question_of(number: int, length: Length) -> str:
    """ "Question 3 of 46 to 68" while the length is open, "Question 3 of 52" after."""
    if length.exact:
        return _("Question {number} of {total}").format(
            number=format_integer(number), total=format_integer(length.most)
        )
    return _("Question {number} of {least} to {most}").format(
        number=format_integer(number),
        least=format_integer(length.least),
        most=format_integer(length.most),
    )


def answered_of(counts: AnswerCounts, length: Length) -> str:
    """How far a file got, for the resume screen: "12 of 46 to 68 questions answered"."""
    given = format_integer(counts.given)
    if length.exact:
        return ngettext(
            "{given} of {total} question answered",
            "{given} of {total} questions answered",
            length.most,
        ).format(given=given, total=format_integer(length.most))
    return _("{given} of {least} to {most} questions answered").format(
        given=given, least=format_integer(length.least), most=format_integer(length.most)
    )


def summary_line(counts: AnswerCounts, length: Length) -> str:
    """Every answer's state counted, then the questionnaire's length: the review's heading
    and the last lines ``assess`` prints. "Don't know" is named only when it was given."""
    parts = [
        ngettext("{count} answered", "{count} answered", counts.answered),
        ngettext("{count} not applicable", "{count} not applicable", counts.not_applicable),
    ]
    numbers = [counts.answered, counts.not_applicable]
    if counts.unknown:
        parts.append(ngettext("{count} don't know", "{count} don't know", counts.unknown))
        numbers.append(counts.unknown)
    parts += [
        ngettext("{count} skipped", "{count} skipped", counts.skipped),
        ngettext("{count} unanswered", "{count} unanswered", counts.unanswered),
    ]
    numbers += [counts.skipped, counts.unanswered]
    states = " · ".join(
        part.format(count=format_integer(n)) for part, n in zip(parts, numbers, strict=True)
    )
    if length.exact:
        return ngettext(
            "{states}, of {total} question.", "{states}, of {total} questions.", length.most
        ).format(states=states, total=format_integer(length.most))
    return _("{states}, of {least} to {most} questions (the tools in use decide how many).").format(
        states=states, least=format_integer(length.least), most=format_integer(length.most)
    )


def is_yes(typed: str) -> bool:
    """A typed "yes" to a (y/N) question: "y", or the first letter of "yes" in the reader's
    language ("j" for "ja"), so the key the prompt shows is the key that works."""
    text = typed.strip().lower()
    return bool(text) and (text[0] == "y" or text[0] == _("yes")[:1].lower())


def wrap_items(text: str, width: int, indent: str = "") -> str:
    """A " · "-separated line wrapped at ``width``, preferably between its items: an item's
    first two words never part ("29 unbeantwortet", "q save"), a longer item may wrap after
    them, so no line runs past ``width``."""
    import textwrap

    items = text.split(" · ")
    protected = " · ".join(item.replace(" ", "\u00a0", 1) for item in items)
    lines = textwrap.wrap(
        protected,
        max(20, width),
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n".join(lines).replace("\u00a0", " ")
