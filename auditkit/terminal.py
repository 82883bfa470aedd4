"""Text for a terminal: no control character from a business name, a rubric or a log value
reaches it.

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
