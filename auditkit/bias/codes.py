"""Readable names for the group codes logs use: ISO 639-1 languages and ISO 3166 countries.

A chatbot log's ``language`` column says ``pl`` and ``en``; an owner must read "Polish
speakers", never "Pl reach a person…". When the user names no groups (``--labels``, the
Python ``labels=``, the server's "Group names" field), a group column whose values are all
common codes gets these words, and the result lists them in ``labels_guessed`` so every
interface asks the reader to check and name the groups. Words the user gives always win.

Which table applies: the column's name first (``language``, ``lang``, ``locale`` → languages;
``country``, ``nation`` → countries), else the codes' case (ISO writes languages in lower and
countries in upper case). A column with any value outside the table gets no guesses at all:
half-translated groups would read worse than codes. A small table ships with the package
(the languages and countries a European small business's customers commonly have), so the
words never depend on an installed locale library's version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

LANGUAGES = {
    "ar": "Arabic",
    "bg": "Bulgarian",
    "bn": "Bengali",
    "bs": "Bosnian",
    "ca": "Catalan",
    "cs": "Czech",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "et": "Estonian",
    "eu": "Basque",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "ga": "Irish",
    "gl": "Galician",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "hu": "Hungarian",
    "hy": "Armenian",
    "id": "Indonesian",
    "is": "Icelandic",
    "it": "Italian",
    "ja": "Japanese",
    "ka": "Georgian",
    "kk": "Kazakh",
    "ko": "Korean",
    "ku": "Kurdish",
    "lb": "Luxembourgish",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "mk": "Macedonian",
    "ms": "Malay",
    "mt": "Maltese",
    "nl": "Dutch",
    "no": "Norwegian",
    "nb": "Norwegian",
    "pa": "Punjabi",
    "pl": "Polish",
    "ps": "Pashto",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "so": "Somali",
    "sq": "Albanian",
    "sr": "Serbian",
    "sv": "Swedish",
    "sw": "Swahili",
    "ta": "Tamil",
    "th": "Thai",
    "ti": "Tigrinya",
    "tl": "Tagalog",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "vi": "Vietnamese",
    "zh": "Chinese",
}

COUNTRIES = {
    "AL": "Albania",
    "AT": "Austria",
    "AU": "Australia",
    "BA": "Bosnia and Herzegovina",
    "BE": "Belgium",
    "BG": "Bulgaria",
    "BR": "Brazil",
    "BY": "Belarus",
    "CA": "Canada",
    "CH": "Switzerland",
    "CN": "China",
    "CY": "Cyprus",
    "CZ": "Czechia",
    "DE": "Germany",
    "DK": "Denmark",
    "EE": "Estonia",
    "EG": "Egypt",
    "ES": "Spain",
    "FI": "Finland",
    "FR": "France",
    "GB": "the United Kingdom",
    "GE": "Georgia",
    "GR": "Greece",
    "HR": "Croatia",
    "HU": "Hungary",
    "IE": "Ireland",
    "IL": "Israel",
    "IN": "India",
    "IS": "Iceland",
    "IT": "Italy",
    "JP": "Japan",
    "KR": "South Korea",
    "LT": "Lithuania",
    "LU": "Luxembourg",
    "LV": "Latvia",
    "MA": "Morocco",
    "MD": "Moldova",
    "ME": "Montenegro",
    "MK": "North Macedonia",
    "MT": "Malta",
    "MX": "Mexico",
    "NL": "the Netherlands",
    "NO": "Norway",
    "NZ": "New Zealand",
    "PH": "the Philippines",
    "PK": "Pakistan",
    "PL": "Poland",
    "PT": "Portugal",
    "RO": "Romania",
    "RS": "Serbia",
    "RU": "Russia",
    "SE": "Sweden",
    "SI": "Slovenia",
    "SK": "Slovakia",
    "SY": "Syria",
    "TR": "Türkiye",
    "UA": "Ukraine",
    "US": "the United States",
    "VN": "Vietnam",
    "ZA": "South Africa",
}
COUNTRIES["UK"] = COUNTRIES["GB"]  # not ISO, but what many systems write

LANGUAGE_COLUMN = re.compile(r"lang|locale|sprache|langue|idioma|lingua|jezyk|język", re.I)
COUNTRY_COLUMN = re.compile(r"country|nation|land|pays|pais|país|paese|kraj", re.I)
LOCALE = re.compile(r"^([a-z]{2})[-_]([A-Za-z]{2})$")
MISSING = "(missing)"


def guess_labels(values_by_column: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Words for the codes of each group column (column → its values) that are all common
    language or country codes; nothing for a column with any other value."""
    words: dict[str, str] = {}
    for column, values in values_by_column.items():
        codes = sorted({str(v) for v in values if v is not None and str(v) != MISSING})
        if not codes:
            continue
        kind = _kind(column, codes)
        named = {code: _name(code, kind) for code in codes} if kind else {}
        if named and all(named.values()):
            words.update({code: word for code, word in named.items() if word})
    return words


def _kind(column: str, codes: list[str]) -> str | None:
    if LANGUAGE_COLUMN.search(column):
        return "language"
    if COUNTRY_COLUMN.search(column):
        return "country"
    if all(code.islower() or LOCALE.match(code) for code in codes):
        return "language"
    if all(code.isupper() for code in codes):
        return "country"
    return None


def _name(code: str, kind: str) -> str | None:
    """The code in words, in the run's language (English when none is active): the guess is
    made while the command runs, so its words are the language the user reads."""
    from auditkit.bias.code_words import CUSTOMERS_IN, SPEAKERS
    from auditkit.i18n import ENGLISH, _, current

    if kind == "language":
        locale = LOCALE.match(code)
        if locale:
            language = LANGUAGES.get(locale.group(1))
            country = COUNTRIES.get(locale.group(2).upper())
            if not (language and country):
                return None
            if current() == ENGLISH:
                return f"{language} speakers in {country}"
            # "Personen, die Deutsch sprechen (Kundschaft in Österreich)": two whole phrases.
            return _("{speakers} ({place})").format(
                speakers=_(SPEAKERS[locale.group(1)]),
                place=_(CUSTOMERS_IN[locale.group(2).upper()]),
            )
        return _(SPEAKERS[code.lower()]) if code.lower() in SPEAKERS else None
    country = code.upper()
    return _(CUSTOMERS_IN[country]) if country in CUSTOMERS_IN else None
