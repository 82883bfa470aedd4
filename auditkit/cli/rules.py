"""``auditkit rules``: the obligations crosswalk, filtered by jurisdiction and date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from auditkit.cli.output import emit, output_option, say
from auditkit.cli.translation import translation_language
from auditkit.i18n import ENGLISH, _, current, ngettext


class IsoDate(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):  # type: ignore[override]
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(
                _("{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-08-02").format(
                    value=value
                ),
                param,
                ctx,
            )


def _today() -> dt.date:
    """Today, or the day SOURCE_DATE_EPOCH names, so a listing repeats byte for byte as
    reports do (reporting.run.report_date has the same rule; it imports the renderer)."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


@click.command("rules")
@click.option(
    "-j",
    "--jurisdiction",
    "jurisdictions",
    multiple=True,
    metavar="CODE",
    help="Only rules protecting customers there: EU, a country (FR: EU rules too), or a US "
    "state or city (US-CA, US-NY-NYC). Repeat for several.",
)
@click.option(
    "--as-of",
    type=IsoDate(),
    help="Show only the rules that applied on DATE (YYYY-MM-DD); dates are counted from it.",
)
@click.option(
    "--overlay",
    "overlays",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="An obligations overlay adding a country's rules (repeat; AUDITKIT_OBLIGATIONS too).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("table", "json")),
    default="table",
    show_default=True,
    help="Text for people, or JSON for tools.",
)
@click.option("--validate", is_flag=True, help="Only check the crosswalk and the overlays.")
@click.option(
    "--lang",
    "language",
    metavar="LANG",
    callback=translation_language,
    help="The rules' titles and sentences in this language (e.g. de); with --validate, check "
    "their translations: every one missing or made from English that changed since.",
)
@output_option
def rules_command(
    jurisdictions: tuple[str, ...],
    as_of: dt.date | None,
    overlays: tuple[Path, ...],
    output_format: str,
    validate: bool,
    language: str | None,
    output: Path | None,
) -> int | None:
    """List the rules on automation this audit knows, with their dates and official sources.

    Guidance, not legal advice: every listing says when the entries were last verified and
    marks those whose article or date could not be checked against the official text.

    \b
    Examples:
      auditkit rules                              every rule, dates counted from today
                                                  (or from SOURCE_DATE_EPOCH)
      auditkit rules -j FR --as-of 2026-07-01     what applied in France on 1 July 2026
      auditkit rules --overlay my-country.yaml --validate
    """
    from auditkit.obligations.applies import serves
    from auditkit.obligations.parse import env_overlays, load_crosswalk
    from auditkit.obligations.render import in_force, render_json, render_table

    crosswalk = load_crosswalk([*env_overlays(), *overlays])
    if validate:
        count = len(crosswalk.obligations)
        if crosswalk.overlays:
            line = ngettext(
                "valid: crosswalk {id} {version} with {overlays}, {count} rule",
                "valid: crosswalk {id} {version} with {overlays}, {count} rules",
                count,
            )
        else:
            line = ngettext(
                "valid: crosswalk {id} {version}, {count} rule",
                "valid: crosswalk {id} {version}, {count} rules",
                count,
            )
        say(
            line.format(
                id=crosswalk.id,
                version=crosswalk.version,
                overlays=", ".join(crosswalk.overlays),
                count=count,
            )
        )
        return _validate_translations(crosswalk, language) if language else None
    if language is None and current() != ENGLISH:  # AUDITKIT_LANG, or --lang before 'rules'
        language = current()
    if language:
        from auditkit.obligations.translate import localize_crosswalk

        crosswalk, _fallbacks = localize_crosswalk(crosswalk, language)
    codes = tuple(code.strip().upper() for code in jurisdictions)
    day = as_of or _today()
    chosen = [
        o
        for o in crosswalk.obligations
        if (not codes or serves(codes, o.jurisdictions)) and (as_of is None or in_force(o, as_of))
    ]
    if output_format == "json":
        filters = {"jurisdictions": list(codes), "as_of": as_of.isoformat() if as_of else None}
        emit(render_json(crosswalk, chosen, day, filters), output)
        return
    words = ""
    if codes and as_of:
        words = _(" in {places} that applied on that date").format(places=", ".join(codes))
    elif codes:
        words = _(" in {places}").format(places=", ".join(codes))
    elif as_of:
        words = _(" that applied on that date")
    emit(render_table(crosswalk, chosen, day, words), output, human=True)


def _validate_translations(crosswalk, language: str) -> int:
    from auditkit.errors import EXIT_INPUT, EXIT_OK
    from auditkit.obligations.translate import check_crosswalk_translations

    fallbacks, problems = check_crosswalk_translations(crosswalk, language)
    for problem in problems:
        say(problem.format(), err=True)
    translated = fallbacks.total - fallbacks.count
    line = _("'{language}': {translated} of {total} texts translated").format(
        language=language, translated=translated, total=fallbacks.total
    )
    if problems:
        line += ", " + _("{missing} missing, {stale} stale").format(
            missing=len(fallbacks.missing), stale=len(fallbacks.stale)
        )
    say(line)
    return EXIT_INPUT if problems else EXIT_OK
