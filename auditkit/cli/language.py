"""``--lang``: the language of what a command writes for people (reports, plans, pages) and
of the command line itself (its help, messages and errors).

One option for every command that produces text people read (report, plan, assess, serve,
demo), also set for all of them by the AUDITKIT_LANG environment variable. Checked here, so a
language that does not exist is a usage error (exit 2) naming those that do, before any work.

Every other command, and every group, takes ``--lang`` too (``every_command_speaks``), for
its help and messages: ``auditkit --lang de score …``, ``auditkit score … --lang de`` and
``AUDITKIT_LANG=de auditkit score …`` all run in German. The language itself is read from the
command line before click parses it (``helptext.language_of``, in ``auditkit.cli.main``);
these options check it and carry a ``--lang`` given before the command (``auditkit --lang de
report …``) to the command's own option.
"""

from __future__ import annotations

import click
from click.core import ParameterSource

from auditkit.i18n import N_, _

HELP = N_(
    "Language of what people read: en (English, the default) or de (Deutsch). "
    "AUDITKIT_LANG sets it for every command."
)
WORDS_HELP = N_(
    "Language of auditkit's help and messages: en (English, the default) or de (Deutsch). "
    "AUDITKIT_LANG sets it for every command."
)
CHOSEN = "auditkit.language"  # ctx.meta: a --lang given on the command line, before or after


def _check(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    from auditkit.i18n import SHIPPED, check

    given = ctx.get_parameter_source(param.name) == ParameterSource.COMMANDLINE
    if not given and ctx.meta.get(CHOSEN):
        value = ctx.meta[CHOSEN]
    try:
        language = check(value)
    except ValueError:
        raise click.BadParameter(
            _("there is no '{language}' translation; choose one of {languages}").format(
                language=value, languages=", ".join(SHIPPED)
            ),
            ctx=ctx,
            param=param,
        ) from None
    if given:
        ctx.meta[CHOSEN] = language
    return language


def language_option(function):
    return click.option(
        "--lang",
        "language",
        metavar="LANG",
        envvar="AUDITKIT_LANG",
        show_envvar=False,
        callback=_check,
        help=HELP,
    )(function)


def every_command_speaks(command: click.Command) -> None:
    """Give each command and group of the tree without a ``--lang`` of its own one that sets
    the language of its help and messages (called once, on the assembled tree). It reads no
    environment variable: an AUDITKIT_LANG auditkit has no catalog for leaves the words in
    English and fails only the commands whose output it would change."""
    from auditkit.cli.helptext import walk

    for _path, each in walk(command):
        if any("--lang" in getattr(param, "opts", ()) for param in each.params):
            continue
        each.params.append(
            click.Option(
                ["--lang", "language"],
                metavar="LANG",
                expose_value=False,
                callback=_check,
                help=WORDS_HELP,
            )
        )
