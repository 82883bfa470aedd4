"""Dates, numbers and percentages as the reader's language writes them: the one place the
report, the plan and the pages format a number for a person.

English keeps auditkit's own forms without importing Babel ("6 December 2026", "52%",
"1,234", "169.5"), so English output is byte-for-byte what it was. Any other language goes
through Babel's CLDR data ("6. Dezember 2026", "52 %", "1.234", "169,5"); the space Babel
puts before a German percent sign is a no-break space, so "52 %" never splits over two lines.
The pseudo-locale formats as English (it tests strings, not numbers).
"""

from __future__ import annotations

from datetime import date

from auditkit.i18n import ENGLISH, PSEUDO, current


def _locale() -> str | None:
    language = current()
    return None if language in (ENGLISH, PSEUDO) else language


def format_date(day: date) -> str:
    """A day in words: "6 December 2026" / "6. Dezember 2026"."""
    locale = _locale()
    if locale is None:
        return f"{day.day} {day.strftime('%B %Y')}"
    from babel.dates import format_date as babel_date

    return babel_date(day, format="long", locale=locale)


def format_month(day: date) -> str:
    """A month in words: "December 2026" / "Dezember 2026"."""
    locale = _locale()
    if locale is None:
        return day.strftime("%B %Y")
    from babel.dates import format_date as babel_date

    return babel_date(day, format="LLLL y", locale=locale)


def format_integer(value: int) -> str:
    """A count with thousands separators: "12,345" / "12.345"."""
    locale = _locale()
    if locale is None:
        return f"{value:,}"
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale)


def format_number(value: float) -> str:
    """A number with as many decimals as it has (up to three): "7.25" / "7,25", "7"."""
    locale = _locale()
    if locale is None:
        return f"{value:g}"
    from babel.numbers import format_decimal as babel_decimal

    return babel_decimal(value, format="#,##0.###", locale=locale)


def format_decimal(value: float, digits: int = 1) -> str:
    """A number with a fixed count of decimals: "169.5" / "169,5"."""
    locale = _locale()
    if locale is None:
        return f"{value:.{digits}f}"
    from babel.numbers import format_decimal as babel_decimal

    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return babel_decimal(value, format=pattern, locale=locale)


def percent_sign(number: str) -> str:
    """A formatted number followed by the percent sign as the language writes it: "52%" /
    "52 %" (with a no-break space)."""
    locale = _locale()
    if locale is None:
        return f"{number}%"
    return f"{number}\u00a0%"


def format_percent(share: float, digits: int = 0) -> str:
    """A share (0–1) as a percentage: "52%" / "52 %"; "16.7%" / "16,7 %" with digits=1."""
    locale = _locale()
    if locale is None:
        return f"{share:.{digits}%}"
    return percent_sign(format_decimal(share * 100, digits))
