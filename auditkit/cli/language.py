"""``--lang``: the language of what a command writes for people (reports, plans, pages).

One option for every command that produces text people read (report, plan, assess, serve,
demo), also set for all of them by the AUDITKIT_LANG environment variable. Checked here, so a
language that does not exist is a usage error (exit 2) naming those that do, before any work.
"""

from __future__ import annotations

import click

HELP = (
    "Language of what people read: en (English, the default) or de (Deutsch). "
    "AUDITKIT_LANG sets it for every command."
)


def _check(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    from auditkit.i18n import check

    try:
        return check(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from None


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
