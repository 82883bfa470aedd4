"""Output paths checked when the command line is read, before any work is done.

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
