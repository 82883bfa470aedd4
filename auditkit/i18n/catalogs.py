"""Finding, compiling and loading the message catalogs (imported only for a language other
than English).

Layout (GNU gettext's, which Babel and every translation tool read)::

    auditkit/i18n/locale/auditkit.pot                     the English strings (extracted)
    auditkit/i18n/locale/<lang>/LC_MESSAGES/auditkit.po   a translator's file
    auditkit/i18n/locale/<lang>/LC_MESSAGES/auditkit.mo   compiled, read at run time

A wheel ships the ``.mo`` files (compiled by the build hook, hatch_build.py). A source checkout
or an editable install may have none, or one older than its ``.po`` after a translator's
edit: then the ``.po`` is compiled here with Babel, in memory, and written beside it when the
folder is writable, so a translator sees an edit on the next run without a build step.
"""

from __future__ import annotations

import contextlib
import functools
import gettext as stdlib_gettext
import io
import os
from pathlib import Path

LOCALE = Path(__file__).parent / "locale"
DOMAIN = "auditkit"


def po_path(language: str) -> Path:
    return LOCALE / _folder(language) / "LC_MESSAGES" / f"{DOMAIN}.po"


def _folder(language: str) -> str:
    return language.replace("-", "_")


class Catalog:
    """One language's messages. ``gettext`` answers from the catalog, or gives the English
    text and records it in ``missed`` (an empty translation counts as missing, as in GNU
    gettext)."""

    def __init__(self, language: str, translations: stdlib_gettext.GNUTranslations) -> None:
        self.language = language
        self._translations = translations
        self._messages = translations._catalog  # type: ignore[attr-defined]
        self.missed: set[str] = set()

    def tracked(self) -> Catalog:
        """The same messages with a fresh ``missed`` set (one per report or request)."""
        copy = Catalog.__new__(Catalog)
        copy.language = self.language
        copy._translations = self._translations
        copy._messages = self._messages
        copy.missed = set()
        return copy

    def gettext(self, message: str) -> str:
        if not message:
            return message
        found = self._messages.get(message)
        if not found:
            self.missed.add(message)
            return message
        return found

    def ngettext(self, singular: str, plural: str, n: float) -> str:
        # A count may arrive as a float (a share of rows, 2.0 people); gettext's plural rules
        # take integers, and a fractional amount reads as plural in the languages we ship.
        if not isinstance(n, int):
            n = int(n) if float(n).is_integer() else 2
        if (singular, 0) not in self._messages:
            self.missed.add(singular)
            return singular if n == 1 else plural
        return self._translations.ngettext(singular, plural, n)


@functools.cache
def load(language: str) -> Catalog:
    """The catalog of a shipped language, or the pseudo-locale built from the template."""
    from auditkit.i18n import PSEUDO

    if language == PSEUDO:
        from auditkit.i18n.pseudo import pseudo_mo

        data = pseudo_mo()
    else:
        data = compiled(language)
    return Catalog(language, stdlib_gettext.GNUTranslations(io.BytesIO(data)))


def compiled(language: str) -> bytes:
    """The ``.mo`` bytes of a language: the shipped file when it is current, else the
    ``.po`` compiled now (and saved when the folder is writable)."""
    po = po_path(language)
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        return mo.read_bytes()
    if not po.exists():
        raise FileNotFoundError(f"no catalog for '{language}' at {po}")
    data = compile_po(po)
    # An installed, read-only package: compiled in memory every run. Written beside and
    # renamed, so another process reading the catalog at the same moment (two test workers,
    # two server workers) sees the old file or the whole new one, never half of it.
    with contextlib.suppress(OSError):
        partial = mo.with_name(f".{mo.name}.{os.getpid()}.tmp")
        partial.write_bytes(data)
        os.replace(partial, mo)
    return data


def compile_po(po: Path) -> bytes:
    """A ``.po`` file compiled to ``.mo`` bytes with Babel; fuzzy entries are left out (a
    translator marked them unsure), so they show English and are counted as missing."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()
