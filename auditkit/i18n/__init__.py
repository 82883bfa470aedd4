"""One translation layer for every string a person reads (gettext catalogs managed with Babel).

Code marks a string with ``_("…")`` (or ``ngettext(singular, plural, n)`` when a count decides
the form); templates use ``{% trans %}``. The language is chosen per run or per request with
``use(language)`` and kept in a context variable, so two requests in two languages never see
each other's catalog. English is the source language: with English chosen nothing is loaded
and nothing beyond the standard library is imported, so ``import auditkit`` and ``auditkit
--help`` stay as fast as before. Another language loads its compiled catalog (``.mo``, read by
the standard library's ``gettext``) the first time it is asked for; a source checkout whose
``.mo`` is missing or older than its ``.po`` compiles it then with Babel (see catalogs.py).

Nothing falls back silently: a string the chosen catalog lacks shows its English text and is
recorded in ``missed()``; the report's methodology says how many fell back.

Module-level constants cannot call ``_()`` at import time (no language is chosen yet): they
are marked with ``N_("…")`` (extraction sees them; the text is unchanged) and translated
where they are used, with ``_(CONSTANT)``.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator
from typing import Any

ENGLISH = "en"
# The languages shipped with complete catalogs, and the pseudo-locale the tests use (accents
# and about 30 % longer strings, generated from the English catalog: see pseudo.py).
SHIPPED = ("en", "de")
PSEUDO = "en-XA"
# Names each language is offered under on a language picker, in its own language.
NATIVE_NAMES = {"en": "English", "de": "Deutsch", PSEUDO: "Ƥšéûðö"}

_active: contextvars.ContextVar[Any] = contextvars.ContextVar("auditkit_language", default=None)


def normalize(language: str | None) -> str:
    """A language tag as auditkit names it: "de", "en", "en-XA"; "de_DE", "de-AT" and "DE"
    become "de". An unknown tag is returned as given (lower-case) so that ``check`` can say
    what exists; ``None`` or "" is English."""
    if not language:
        return ENGLISH
    text = language.strip().replace("_", "-")
    if text.lower() == PSEUDO.lower():
        return PSEUDO
    return text.split("-")[0].lower()


def available() -> tuple[str, ...]:
    """Every language a person can choose (the pseudo-locale is for tests, not offered)."""
    return SHIPPED


def check(language: str | None) -> str:
    """The normalized language, or a ValueError naming those that exist."""
    tag = normalize(language)
    if tag not in SHIPPED and tag != PSEUDO:
        raise ValueError(
            f"there is no '{language}' translation; choose one of {', '.join(SHIPPED)}"
        )
    return tag


def from_environment(explicit: str | None = None) -> str:
    """The language a command runs in: its --lang, else AUDITKIT_LANG, else English (never
    the system locale: a report's language is chosen, not inherited from a server's LANG)."""
    return check(explicit or os.environ.get("AUDITKIT_LANG") or ENGLISH)


def current() -> str:
    catalog = _active.get()
    return ENGLISH if catalog is None else catalog.language


@contextlib.contextmanager
def use(language: str | None) -> Iterator[Any]:
    """Run the block in ``language``; yields the catalog (whose ``missed`` set collects the
    strings that fell back to English), or None for English."""
    tag = check(language)
    catalog = None
    if tag != ENGLISH:
        from auditkit.i18n.catalogs import load

        catalog = load(tag).tracked()
    token = _active.set(catalog)
    try:
        yield catalog
    finally:
        _active.reset(token)


def gettext(message: str) -> str:
    catalog = _active.get()
    return message if catalog is None else catalog.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    catalog = _active.get()
    if catalog is None:
        return singular if n == 1 else plural
    return catalog.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (module-level constants)."""
    return message


def missed() -> set[str]:
    """The English strings shown so far in this block because the catalog lacked them."""
    catalog = _active.get()
    return set() if catalog is None else set(catalog.missed)


_ = gettext


def install_jinja(environment: Any) -> Any:
    """Give a Jinja environment (the sandboxed report one too) ``{% trans %}``, ``_()`` and
    ``ngettext()`` answered by the language of the current ``use`` block, so one environment
    serves every language. Newstyle gettext: values placed in a translated string are
    autoescaped like any other value. Also ``language()`` for ``<html lang>``."""
    environment.add_extension("jinja2.ext.i18n")
    environment.policies["ext.i18n.trimmed"] = True
    environment.install_gettext_callables(gettext, ngettext, newstyle=True)
    environment.globals["language"] = current
    environment.filters["day_words"] = _day_words
    environment.filters["time_tag"] = _time_tag
    return environment


def _day_words(day: Any) -> str:
    """A template's date in the current language's words ("6. Dezember 2026")."""
    from auditkit.i18n.formatting import format_date

    return format_date(day)


def _time_tag(day: Any) -> Any:
    """A date for a page: the words a reader reads, the ISO date a machine reads
    (``<time datetime="2026-12-06">6. Dezember 2026</time>``)."""
    from markupsafe import Markup, escape

    return Markup('<time datetime="{iso}">{words}</time>').format(
        iso=escape(day.isoformat()), words=_day_words(day)
    )


__all__ = [
    "ENGLISH",
    "N_",
    "PSEUDO",
    "SHIPPED",
    "_",
    "available",
    "check",
    "current",
    "from_environment",
    "gettext",
    "install_jinja",
    "missed",
    "ngettext",
    "normalize",
    "use",
]
