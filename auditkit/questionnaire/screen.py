"""What the full-screen questionnaire draws, fitted to the terminal's width: the key hints,
the header's first line, and an answer's row with its description.

Nothing is cut at the screen's edge, whatever the language: text wraps between words, a
" · "-separated line between its items, and an answer's description continues under its
label. prompt_toolkit's choice list does not wrap its rows (a long row is cut), so the rows
are wrapped here, knowing what the list draws left of them (``LIST_OFFSET``, ``ROW_PREFIX``,
measured in tmux).
"""

from __future__ import annotations

import shutil
import textwrap
from html import escape

from auditkit.i18n import _
from auditkit.questionnaire.words import wrap_items


def key_hints(allow_na: bool, unknown: bool = False) -> str:
    """The key hints, wrapped at the terminal's width (on a 50-column terminal they take
    three lines instead of being cut off)."""
    # The keys are the same in every language: placeholders, never in the translation.
    hints = [
        _("{key} move").format(key="↑↓"),
        _("{key} choose").format(key="Enter"),
        _("{key} note").format(key="n"),
        _("{key} help").format(key="?"),
    ]
    if unknown:
        hints.append(_("{key} don't know").format(key="d"))
    if allow_na:
        hints.append(_("{key} not applicable").format(key="x"))
    hints += [
        _("{key} back").format(key="b"),
        _("{key} skip").format(key="s"),
        _("{key} review").format(key="r"),
        _("{key} save & quit").format(key="q"),
    ]
    width = max(20, shutil.get_terminal_size((100, 30)).columns - 1)
    # Break only between hints ("·"), never inside one: a key stays beside its word.
    return wrap_items(" · ".join(hints), width)


def wrap_text(text: str) -> str:
    """Wrap at the terminal's width so words are never split across lines."""
    width = max(40, shutil.get_terminal_size((100, 30)).columns - 4)
    return "\n".join(textwrap.wrap(text, width)) or text


# What prompt_toolkit's choice list draws before each row's own text: the cursor mark and a
# space (``choose`` turns its row numbers off). The list itself starts LIST_OFFSET columns in
# and keeps a column for its scroll bar: a row's line is that much narrower than the screen.
ROW_PREFIX = 2
LIST_OFFSET = 3


def description_lines(lead: str, description: str, indent: int) -> str:
    """An answer's description after its label, wrapped at the terminal's width: the lines
    after the first start ``indent`` columns in (under the label), instead of the text being
    cut at the screen's edge (German descriptions are often longer than a line). ``lead`` is
    the row's text before the description (number and label) as drawn."""
    width = max(30, shutil.get_terminal_size((100, 30)).columns - LIST_OFFSET - 2)
    first = ROW_PREFIX + len(lead) + 2  # two spaces between the label and its description
    indented = " " * (ROW_PREFIX + indent)
    lines = textwrap.wrap(
        "\0" * first + description,  # stands for what is drawn before it on the first line
        width,
        subsequent_indent=indented,
        break_long_words=False,
        break_on_hyphens=False,
    )
    if len(lines[0]) <= width:
        return "\n".join([lines[0].lstrip("\x00"), *lines[1:]])
    # The label leaves no room for the description's first word: it starts on the next line.
    lines = textwrap.wrap(
        description,
        width,
        initial_indent=indented,
        subsequent_indent=indented,
        break_on_hyphens=False,
    )
    return "\n" + "\n".join(lines)


def first_line(pieces: list[tuple[str, str]]) -> str:
    """The header's first line: its pieces (each with its tag, or none) joined by " · ",
    wrapped at the terminal's width between pieces (a piece wider than a line between its
    words), so a longer language never cuts a word at the screen's edge. The parenthesis
    after the section (where it is) stays beside it."""
    width = max(40, shutil.get_terminal_size((100, 30)).columns - 4)
    lines: list[list[str]] = [[]]
    used = 0
    for index, (tag, text) in enumerate(pieces):
        joint = "" if index == 0 else (" " if text.startswith("(") else " · ")
        for number, part in enumerate(textwrap.wrap(text, width) or [text]):
            glue = joint if number == 0 else ""
            if used and (number > 0 or used + len(glue) + len(part) > width):
                lines.append([])
                used, glue = 0, ""
            shown = escape(part)
            lines[-1].append(escape(glue) + (f"<{tag}>{shown}</{tag}>" if tag else shown))
            used += len(glue) + len(part)
    return "\n".join("".join(line) for line in lines)


def answer_row(number: str, label: str, description: str):
    """One answer row: its key in bold, its label, and its description in grey, wrapped
    under the label when it is longer than the line."""
    from prompt_toolkit.formatted_text import HTML

    lead = f"{number} {label}" if number else label
    # Later lines start under the label's words: after "1. ", or after "3 · " on a scale
    # whose labels carry their number.
    if number:
        indent = len(number) + 1
    else:
        head, dot, _rest = label.partition("· ")
        indent = len(head) + 2 if dot and head.strip().isdigit() else 0
    rest = description_lines(lead, description, indent) if description else ""
    return HTML(
        f"<b>{number}</b>{' ' if number else ''}{escape(label)}"
        + (f"  <style fg='ansibrightblack'>{escape(rest)}</style>" if rest else "")
    )
