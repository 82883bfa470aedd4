"""``auditkit rubric``: list, show and validate rubrics."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditkit.cli.output import emit, output_option, say
from auditkit.cli.translation import translation_language
from auditkit.errors import EXIT_INPUT, EXIT_OK, InputError
from auditkit.i18n import _, ngettext


@click.group("rubric")
def rubric_group() -> None:
    """List, show and validate rubrics and sector overlays."""


@rubric_group.command("list")
def list_rubrics() -> None:
    """List shipped and user rubrics with id, version and question count.

    User rubrics are read from the folders in AUDITKIT_RUBRICS (separated like PATH)
    and from ~/.config/auditkit/rubrics.
    """
    from auditkit.i18n import current
    from auditkit.rubric import registry
    from auditkit.rubric.resolve import load_file_strict
    from auditkit.rubric.translate import sector_words

    rows = []
    for entry in registry.entries():
        try:
            count = str(len(load_file_strict(entry.file).questions))
        except InputError:
            count = _("invalid")
        kind = (
            _("rubric")
            if entry.kind == "rubric"
            else _("sector of {rubric}").format(rubric=entry.extends)
        )
        origin = _("shipped") if entry.shipped else str(entry.file)
        title, _description = sector_words(entry.file, entry.title, "", current())
        rows.append((entry.id, entry.version or "-", count, kind, title, origin))
    header = (_("ID"), _("VERSION"), _("QUESTIONS"), _("KIND"), _("TITLE"), _("SOURCE"))
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
    from auditkit.i18n import ENGLISH, current
    from auditkit.rubric.outline import render_outline
    from auditkit.rubric.resolve import load_rubric
    from auditkit.rubric.translate import localize

    if language is None and current() != ENGLISH:  # AUDITKIT_LANG, or --lang before 'rubric'
        language = current()
    the_rubric, fallbacks = localize(load_rubric(rubric, sector), language)
    # Plain and coloured by the outline itself (say() would show its colours as "?[1m").
    click.echo(render_outline(the_rubric, details=details, color=sys.stdout.isatty()))
    if fallbacks.count:
        say(
            "\n"
            + _(
                "{count} of {total} texts have no current '{language}' translation and are "
                "shown in English; 'auditkit rubric validate --lang {language}' lists them."
            ).format(count=fallbacks.count, total=fallbacks.total, language=language),
            err=True,
        )


@rubric_group.command("translation")
@click.argument("file")
@click.option(
    "--lang",
    "language",
    metavar="LANG",
    required=True,
    callback=translation_language,
    help="The language to translate into (e.g. pl, de-AT).",
)
@output_option
def translation(file: str, language: str, output: Path | None) -> None:
    """Write the translation file of FILE (a rubric or overlay, or 'scales') to fill in.

    Every text of FILE appears: those already translated with their translation, the others
    empty with the English above them. Without -o it is printed; it belongs in the file named
    at the end (translations/ID.LANG.yaml beside FILE). Guide: docs/translating.md.
    """
    from auditkit.rubric.translation_template import translation_template

    text, target = translation_template(file, language)
    emit(text, output)
    if output is None:
        say("# " + _("save it as {file}").format(file=target), err=True)


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
        if _is_translation(file):
            status = EXIT_INPUT
            continue
        try:
            rubric = load_file_strict(file)
        except InputError as error:
            say(error.format(), err=True)
            status = EXIT_INPUT
            continue
        what = (
            _("sector overlay '{sector}' of '{rubric}'").format(
                sector=rubric.sector, rubric=rubric.id
            )
            if rubric.sector
            else _("rubric '{rubric}'").format(rubric=rubric.id)
        )
        if language is None:
            say(
                ngettext(
                    "{file}: valid {what} {version}, {count} question",
                    "{file}: valid {what} {version}, {count} questions",
                    len(rubric.questions),
                ).format(file=file, what=what, version=rubric.version, count=len(rubric.questions))
            )
            continue
        from auditkit.rubric.translate import check_translations

        fallbacks, problems = check_translations(rubric, language)
        fresh = [p for p in problems if p.format() not in reported]
        reported.update(p.format() for p in problems)
        for problem in fresh:
            say(problem.format(), err=True)
        translated = fallbacks.total - fallbacks.count
        summary = _(
            "{file}: valid {what} {version}; '{language}': {translated} of {total} texts translated"
        ).format(
            file=file,
            what=what,
            version=rubric.version,
            language=language,
            translated=translated,
            total=fallbacks.total,
        )
        if problems:
            status = EXIT_INPUT
            summary += ", " + _("{missing} missing, {stale} stale").format(
                missing=len(fallbacks.missing), stale=len(fallbacks.stale)
            )
            if len(problems) > fallbacks.count:
                summary += ", " + _("{count} other problems").format(
                    count=len(problems) - fallbacks.count
                )
        say(summary)
    return status


def _is_translation(file: Path) -> bool:
    """A translation file given where a rubric was expected: say how it is checked instead of
    listing its keys as unknown rubric keys."""
    from auditkit.yamlsource import load_yaml

    try:
        data = load_yaml(file).data
    except InputError:
        return False  # reported, located, by the rubric loader
    if not isinstance(data, dict) or "translation" not in data:
        return False
    source = Path(file).parent.parent / f"{data.get('translation')}.yaml"
    language = data.get("language") or Path(file).suffixes[0].lstrip(".")
    say(
        _(
            "{file}: is a translation (of '{rubric}' into '{language}'), not a rubric\n"
            "  fix:      check it with its rubric: auditkit rubric validate --lang {language} "
            "{source}"
        ).format(
            file=file,
            rubric=data.get("translation"),
            language=language,
            source=source if source.is_file() else "RUBRIC-FILE",
        ),
        err=True,
    )
    return True
