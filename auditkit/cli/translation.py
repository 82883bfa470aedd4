"""``--lang`` where it names the language of a translation to check or show (``rubric
validate``, ``rubric show``, ``rules``): any language code, since a translator checks a new
language's rubric texts before auditkit's own screens speak it."""

from __future__ import annotations

import click

from auditkit.i18n import _


def translation_language(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> str | None:
    from auditkit.translation import normalise_language

    if value is None:
        return None
    code = normalise_language(value)
    parts = code.split("-")
    if not parts[0].isalpha() or not all(part.isalnum() for part in parts):
        raise click.BadParameter(
            _("{value!r} is not a language code; use one such as de, pl or de-AT").format(
                value=value
            ),
            ctx=ctx,
            param=param,
        )
    return code
