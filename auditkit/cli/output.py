"""Where a command's output goes: the -o option, checked when the command line is read, and
the one way to write the text to that file or to standard output.

A report that takes seconds to render, or a questionnaire whose opening was already typed,
must not fail at the very end because ``-o`` points into a folder that does not exist or
cannot be written: that is bad input (exit 2), said at once with the path and the fix.
"""

from __future__ import annotations

import os
from pathlib import Path

import click


class OutputFile(click.Path):
    """A file to write: its folder must exist and be writable; the file itself may not exist."""

    def __init__(self) -> None:
        super().__init__(path_type=Path, dir_okay=False)

    def convert(self, value, param, ctx):  # type: ignore[override]
        path = super().convert(value, param, ctx)
        folder = Path(path).parent if str(Path(path).parent) else Path(".")
        if not folder.is_dir():
            self.fail(
                f"the folder {str(folder)!r} does not exist: create it first "
                f"(mkdir -p {folder}), or write somewhere else",
                param,
                ctx,
            )
        if not os.access(folder, os.W_OK | os.X_OK):
            self.fail(
                f"the folder {str(folder)!r} cannot be written to: choose another", param, ctx
            )
        if Path(path).exists() and not os.access(path, os.W_OK):
            self.fail(f"{str(path)!r} cannot be overwritten: it is read-only", param, ctx)
        return path


# Every command that writes a text output takes the same -o option.
output_option = click.option(
    "-o", "--output", type=OutputFile(), help="Write to FILE instead of standard output."
)


def emit(text: str, output: Path | None, message: str | None = None) -> None:
    """Print ``text``, or write it to ``output`` atomically and say so on standard error
    (``message``, default "Wrote FILE"; an empty message says nothing)."""
    from auditkit.fileio import atomic_write

    if output is None:
        click.echo(text, nl=False)
        return
    atomic_write(output, text)
    if message != "":
        click.echo(message or f"Wrote {output}", err=True)
