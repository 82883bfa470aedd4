"""The pseudo-locale ``en-XA``: every English string of the template (``auditkit.pot``) with
its letters swapped for accented look-alikes and about 30 % longer, built here from the
template, never written by hand.

Tests render every page and report in it: a word of plain English left on a page was never
put through the catalog, and a line that is cut or overflows with the longer text would be
cut in German too. Placeholders (``%(name)s``, ``{name}``), markup (``<…>``) and entities
(``&amp;``) are kept as they are, so the pseudo text formats and renders like a translation.
"""

from __future__ import annotations

import functools
import io
import re

# Every ASCII letter to an accented look-alike: pseudo text keeps no plain-ASCII word, so an
# untranslated word on a page is easy to find.
_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
# Kept as they are: the option tokens of error messages (``{{group language}}``, ``{{score
# {score}}}``, see auditkit.wording: each interface renders them in its own words), printf and
# str.format placeholders (with a conversion, as click's "{name!r}"), markup and entities.
_KEPT = re.compile(
    r"\{\{[^{}]*(?:\{\w*\}[^{}]*)*\}\}"
    r"|%\([a-z_]+\)[sd]|%[sd]|\{[a-z_0-9]*(?:![rsa])?\}|<[^>]*>|&[a-z#0-9]+;"
)
_PAD = "ŵôŕð ŧéẋţ ļôñĝéŕ ɱàķéš ŧĥîš ŵŕàþ "


def pseudo_text(text: str) -> str:
    """'Save and continue' → 'Šàṽé àñð çöñţîñûé ŵôŕð'. Placeholders and tags are kept; the
    padding (about 30 % of the letters, at least one short word) is added at the end, where
    a cut line shows it first."""
    if not text:
        return text
    parts, last = [], 0
    for found in _KEPT.finditer(text):
        parts.append(text[last : found.start()].translate(_ACCENTED))
        parts.append(found.group())
        last = found.end()
    parts.append(text[last:].translate(_ACCENTED))
    visible = len(_KEPT.sub("", text))
    extra = max(3, round(visible * 0.3))
    padding = (_PAD * (extra // len(_PAD) + 1))[:extra].rstrip()
    trailing = text[len(text.rstrip()) :]
    return "".join(parts).rstrip() + " " + padding + trailing


@functools.cache
def pseudo_mo() -> bytes:
    """The compiled pseudo catalog, built from the shipped template."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from auditkit.i18n.catalogs import LOCALE

    with (LOCALE / "auditkit.pot").open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            message.string = tuple(pseudo_text(part) for part in message.id)
        else:
            message.string = pseudo_text(message.id)
        message.flags.discard("fuzzy")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


# The rubric's translations (auditkit.rubric.translate) apply the same transform to every
# rubric text in the pseudo-locale, so page tests cover the questions as well.
RUBRIC_TRANSFORMS = {"en-XA": pseudo_text}
