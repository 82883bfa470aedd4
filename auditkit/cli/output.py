"""Where a command's output goes: the -o option, checked when the command line is read, and
the one way to write the text to that file or to standard output.

A report that takes seconds to render, or a questionnaire whose opening was already typed,
must not fail at the very end because ``-o`` points into a folder that does not exist or
cannot be written: that is bad input (exit 2), said at once with the path and the fix.
"""

from __future__ import annotations

from pathlib import Path

import click

from auditkit.i18n import _


class OutputFile(click.Path):
    """A place to write: ``-`` (standard output), a file whose folder exists and can hold it,
    a symlink to one, or a device or FIFO written in place (``fileio.write_to`` has the rule).
    A folder, a pseudo-filesystem or a read-only place is refused here, before any work."""

    def __init__(self, *, dash: bool = True) -> None:
        super().__init__(path_type=Path, dir_okay=False, allow_dash=dash)
        self.dash = dash

    def convert(self, value, param, ctx):  # type: ignore[override]
        from auditkit.fileio import check_target

        if value == "-" and not self.dash:
            self.fail(_("must be a file: the answers are read back from it"), param, ctx)
        path = super().convert(value, param, ctx)
        refused = check_target(path)
        if refused:
            self.fail(f"{str(path)!r} {refused}", param, ctx)
        return path


# Every command that writes a text output takes the same -o option.
output_option = click.option(
    "-o", "--output", type=OutputFile(), help="Write to FILE instead of standard output."
)


def say(text: str, *, err: bool = False, nl: bool = True, **styles: object) -> None:
    """Print a line for people: every control character a user's text may bring (ESC, BEL,
    NUL …, from a business name, a rubric, a log value or a file name) shown as "?", through
    ``terminal.plain``, to a terminal, a pipe or a file alike. ``styles`` (``bold=True``) are
    click's, applied after, so auditkit's own colours stay. Every human-readable line the
    commands print goes through here or through ``emit(..., human=True)``."""
    from auditkit.terminal import plain

    text = plain(text)
    click.echo(click.style(text, **styles) if styles else text, err=err, nl=nl)  # type: ignore[arg-type]


def emit(
    text: str, output: Path | None, message: str | None = None, *, human: bool = False
) -> None:
    """Print ``text``, or write it to ``output`` atomically and say so on standard error
    (``message``, default "Wrote FILE"; an empty message says nothing). ``human``: a text for
    people built without ``terminal.Styler`` (which already makes its text plain and then
    adds colours this would remove), whose control characters are replaced as ``say`` does.
    JSON, CSV, XML and YAML keep their bytes exact (JSON escapes control characters itself)."""
    from auditkit.fileio import write_to
    from auditkit.terminal import plain

    if human:
        text = plain(text)
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return
    write_to(output, text)
    if message != "":
        say(message or _("Wrote {file}").format(file=output), err=True)


def say_removed_copies(path: Path) -> None:
    """Remove what an interrupted save of ``path`` left and say so, so a folder of an owner's
    notes does not silently collect copies of them (``assess`` and ``serve`` call it at start)."""
    from auditkit.fileio import remove_stale_copies

    for copy in remove_stale_copies(path):
        say(
            _("Removed {file}, a copy left by a save that was interrupted.").format(file=copy.name),
            err=True,
        )
