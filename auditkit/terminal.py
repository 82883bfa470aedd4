"""Text for people: no control character from a business name, a rubric or a log value
reaches a terminal, whether output goes to it directly or through a pipe or a file.

Human-readable outputs (tables, Markdown, messages, the line questionnaire) pass their text
through ``plain``, which replaces every control character but newline and tab with "?" —
escape sequences included, so a colour code in a business name is shown, not obeyed.
auditkit's own colours are added after that, by ``Styler``. JSON, CSV and YAML outputs keep
the bytes exact.

An ESC in a business name could clear the screen, move the cursor or retitle the window; a
BEL rings. When standard output or error is a terminal, the CLI writes through
``SafeTerminal``, which replaces every control character but newline and tab with "?" — and
keeps colour codes (SGR sequences, ``ESC [ … m``), the only ones auditkit itself writes.
Output to a file or a pipe (JSON, CSV) is left byte for byte as it is.
"""

from __future__ import annotations

import io
import re

CONTROL = re.compile(r"\x1b\[[0-9;]*m|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


USER_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain(text: str) -> str:
    """``text`` with every control character but newline and tab shown as "?"."""
    return USER_CONTROL.sub("?", text)


_OPEN, _CLOSE, _END = "\ue000", "\ue001", "\ue002"
_MARKED = re.compile(f"{_OPEN}(\\d+){_CLOSE}(.*?){_END}", re.S)


class Styler:
    """auditkit's colours for a human-readable output that also holds user text.

    ``style`` marks a piece with private-use characters instead of escape codes; ``finish``
    makes the whole text ``plain`` (removing any escape code the user text brought) and only
    then turns the marks into colours. Without colour, ``style`` returns the text as it is."""

    def __init__(self, color: bool) -> None:
        self.color = color
        self._styles: list[dict] = []

    def style(self, text: str, **styles: object) -> str:
        if not self.color:
            return text
        self._styles.append(styles)
        return f"{_OPEN}{len(self._styles) - 1}{_CLOSE}{text}{_END}"

    def finish(self, text: str) -> str:
        import click

        text = plain(text)
        if not self.color:
            return text
        return _MARKED.sub(lambda m: click.style(m.group(2), **self._styles[int(m.group(1))]), text)


def printable(text: str) -> str:
    return CONTROL.sub(
        lambda m: m.group() if m.group().endswith("m") and len(m.group()) > 1 else "?", text
    )


class SafeTerminal(io.TextIOBase):
    """A text stream that writes ``printable`` text to the terminal stream it wraps."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding

    @property
    def buffer(self):
        return self._stream.buffer
