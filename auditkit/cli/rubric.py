"""``auditkit rubric``: list, show and validate rubrics."""

from __future__ import annotations

from pathlib import Path

import click

from auditkit.cli.output import say
from auditkit.cli.translation import translation_language
from auditkit.errors import EXIT_INPUT, EXIT_OK, InputError


@click.group("rubric")
def rubric_group() -> None:
    """List, show and validate rubrics and sector overlays."""


@rubric_group.command("list")
def list_rubrics() -> None:
    """List shipped and user rubrics with id, version and question count.

    User rubrics are read from the folders in AUDITKIT_RUBRICS (separated like PATH)
    and from ~/.config/auditkit/rubrics.
    """
    from auditkit.rubric import registry
    from auditkit.rubric.resolve import load_file_strict

    rows = []
    for entry in registry.entries():
        try:
            count = str(len(load_file_strict(entry.file).questions))
        except InputError:
            count = "invalid"
        kind = "rubric" if entry.kind == "rubric" else f"sector of {entry.extends}"
        origin = "shipped" if entry.shipped else str(entry.file)
        rows.append((entry.id, entry.version or "-", count, kind, entry.title, origin))
    header = ("ID", "VERSION", "QUESTIONS", "KIND", "TITLE", "SOURCE")
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        say("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


@rubric_group.command("show")
@click.argument("rubric")
@click.option("--sector", "-s", metavar="SECTOR", help="Apply a sector overlay (id or file).")
@click.option("--details", "-d", is_flag=True, help="Also show help, evidence and recommendations.")
@click.option(
    "--lang",
    "language",
    metavar="LANG",
    callback=translation_language,
    help="Show the rubric's texts in this language (e.g. de); untranslated texts stay English "
    "and are counted at the end.",
)
def show(rubric: str, sector: str | None, details: bool, language: str | None) -> None:
    """Show RUBRIC (an id or a file) as a readable outline."""
    from auditkit.rubric.outline import render_outline
    from auditkit.rubric.resolve import load_rubric
    from auditkit.rubric.translate import localize

    the_rubric, fallbacks = localize(load_rubric(rubric, sector), language)
    say(render_outline(the_rubric, details=details))
    if fallbacks.count:
        say(
            f"\n{fallbacks.count} of {fallbacks.total} texts have no current {language!r} "
            f"translation and are shown in English; 'auditkit rubric validate --lang "
            f"{language}' lists them.",
            err=True,
        )


@rubric_group.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--lang",
    "language",
    metavar="LANG",
    callback=translation_language,
    help="Also check the translations into LANG (e.g. de): every text missing, every one made "
    "from English that has changed since (stale), and every mistake in the translation files.",
)
def validate(files: tuple[Path, ...], language: str | None) -> int:
    """Check rubric and overlay FILES; report every problem with file:line:column.

    With --lang, also check their translations (each file's translations/ID.LANG.yaml).
    Exit code 0 when all are valid, 2 when any is not.
    """
    from auditkit.rubric.resolve import load_file_strict

    status = EXIT_OK
    reported: set[str] = set()  # a base rubric's problems once, however many overlays name it
    for file in files:
        try:
            rubric = load_file_strict(file)
        except InputError as error:
            say(error.format(), err=True)
            status = EXIT_INPUT
            continue
        what = (
            f"sector overlay {rubric.sector!r} of {rubric.id!r}"
            if rubric.sector
            else f"rubric {rubric.id!r}"
        )
        if language is None:
            say(f"{file}: valid {what} {rubric.version}, {len(rubric.questions)} questions")
            continue
        from auditkit.rubric.translate import check_translations

        fallbacks, problems = check_translations(rubric, language)
        fresh = [p for p in problems if p.format() not in reported]
        reported.update(p.format() for p in problems)
        for problem in fresh:
            say(problem.format(), err=True)
        translated = fallbacks.total - fallbacks.count
        summary = (
            f"{file}: valid {what} {rubric.version}; {language!r}: {translated} of "
            f"{fallbacks.total} texts translated"
        )
        if problems:
            status = EXIT_INPUT
            summary += (
                f", {len(fallbacks.missing)} missing, {len(fallbacks.stale)} stale"
                f"{f', {len(problems) - fallbacks.count} other problems' if len(problems) > fallbacks.count else ''}"
            )
        say(summary)
    return status
