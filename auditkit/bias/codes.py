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
from typing import Any

from auditkit.i18n import N_, _, use

# Each code's speakers and each country as a whole phrase, so that every language says them
# its own way ("Polish speakers" / "Polnischsprachige"; "in the Netherlands" / "in den
# Niederlanden"). Marked for the catalogs and translated where they are shown.
SPEAKERS = {
    "ar": N_("Arabic speakers"),
    "bg": N_("Bulgarian speakers"),
    "bn": N_("Bengali speakers"),
    "bs": N_("Bosnian speakers"),
    "ca": N_("Catalan speakers"),
    "cs": N_("Czech speakers"),
    "cy": N_("Welsh speakers"),
    "da": N_("Danish speakers"),
    "de": N_("German speakers"),
    "el": N_("Greek speakers"),
    "en": N_("English speakers"),
    "es": N_("Spanish speakers"),
    "et": N_("Estonian speakers"),
    "eu": N_("Basque speakers"),
    "fa": N_("Persian speakers"),
    "fi": N_("Finnish speakers"),
    "fr": N_("French speakers"),
    "ga": N_("Irish speakers"),
    "gl": N_("Galician speakers"),
    "he": N_("Hebrew speakers"),
    "hi": N_("Hindi speakers"),
    "hr": N_("Croatian speakers"),
    "hu": N_("Hungarian speakers"),
    "hy": N_("Armenian speakers"),
    "id": N_("Indonesian speakers"),
    "is": N_("Icelandic speakers"),
    "it": N_("Italian speakers"),
    "ja": N_("Japanese speakers"),
    "ka": N_("Georgian speakers"),
    "kk": N_("Kazakh speakers"),
    "ko": N_("Korean speakers"),
    "ku": N_("Kurdish speakers"),
    "lb": N_("Luxembourgish speakers"),
    "lt": N_("Lithuanian speakers"),
    "lv": N_("Latvian speakers"),
    "mk": N_("Macedonian speakers"),
    "ms": N_("Malay speakers"),
    "mt": N_("Maltese speakers"),
    "nl": N_("Dutch speakers"),
    "no": N_("Norwegian speakers"),
    "nb": N_("Norwegian speakers"),
    "pa": N_("Punjabi speakers"),
    "pl": N_("Polish speakers"),
    "ps": N_("Pashto speakers"),
    "pt": N_("Portuguese speakers"),
    "ro": N_("Romanian speakers"),
    "ru": N_("Russian speakers"),
    "sk": N_("Slovak speakers"),
    "sl": N_("Slovenian speakers"),
    "so": N_("Somali speakers"),
    "sq": N_("Albanian speakers"),
    "sr": N_("Serbian speakers"),
    "sv": N_("Swedish speakers"),
    "sw": N_("Swahili speakers"),
    "ta": N_("Tamil speakers"),
    "th": N_("Thai speakers"),
    "ti": N_("Tigrinya speakers"),
    "tl": N_("Tagalog speakers"),
    "tr": N_("Turkish speakers"),
    "uk": N_("Ukrainian speakers"),
    "ur": N_("Urdu speakers"),
    "vi": N_("Vietnamese speakers"),
    "zh": N_("Chinese speakers"),
}

COUNTRIES = {
    "AL": N_("in Albania"),
    "AT": N_("in Austria"),
    "AU": N_("in Australia"),
    "BA": N_("in Bosnia and Herzegovina"),
    "BE": N_("in Belgium"),
    "BG": N_("in Bulgaria"),
    "BR": N_("in Brazil"),
    "BY": N_("in Belarus"),
    "CA": N_("in Canada"),
    "CH": N_("in Switzerland"),
    "CN": N_("in China"),
    "CY": N_("in Cyprus"),
    "CZ": N_("in Czechia"),
    "DE": N_("in Germany"),
    "DK": N_("in Denmark"),
    "EE": N_("in Estonia"),
    "EG": N_("in Egypt"),
    "ES": N_("in Spain"),
    "FI": N_("in Finland"),
    "FR": N_("in France"),
    "GB": N_("in the United Kingdom"),
    "GE": N_("in Georgia"),
    "GR": N_("in Greece"),
    "HR": N_("in Croatia"),
    "HU": N_("in Hungary"),
    "IE": N_("in Ireland"),
    "IL": N_("in Israel"),
    "IN": N_("in India"),
    "IS": N_("in Iceland"),
    "IT": N_("in Italy"),
    "JP": N_("in Japan"),
    "KR": N_("in South Korea"),
    "LT": N_("in Lithuania"),
    "LU": N_("in Luxembourg"),
    "LV": N_("in Latvia"),
    "MA": N_("in Morocco"),
    "MD": N_("in Moldova"),
    "ME": N_("in Montenegro"),
    "MK": N_("in North Macedonia"),
    "MT": N_("in Malta"),
    "MX": N_("in Mexico"),
    "NL": N_("in the Netherlands"),
    "NO": N_("in Norway"),
    "NZ": N_("in New Zealand"),
    "PH": N_("in the Philippines"),
    "PK": N_("in Pakistan"),
    "PL": N_("in Poland"),
    "PT": N_("in Portugal"),
    "RO": N_("in Romania"),
    "RS": N_("in Serbia"),
    "RU": N_("in Russia"),
    "SE": N_("in Sweden"),
    "SI": N_("in Slovenia"),
    "SK": N_("in Slovakia"),
    "SY": N_("in Syria"),
    "TR": N_("in Türkiye"),
    "UA": N_("in Ukraine"),
    "US": N_("in the United States"),
    "VN": N_("in Vietnam"),
    "ZA": N_("in South Africa"),
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
    """The code's words in the current language: "Polish speakers", "Polish speakers in
    Poland" (a locale), "customers in Poland"; None for a code outside the tables."""
    if kind == "language":
        locale = LOCALE.match(code)
        if locale:
            speakers = SPEAKERS.get(locale.group(1))
            where = COUNTRIES.get(locale.group(2).upper())
            if not (speakers and where):
                return None
            return _("{speakers} {where}").format(speakers=_(speakers), where=_(where))
        speakers = SPEAKERS.get(code.lower())
        return _(speakers) if speakers else None
    where = COUNTRIES.get(code.upper())
    return _("customers {where}").format(where=_(where)) if where else None


def shown_labels(data: Mapping[str, Any]) -> dict[str, str]:
    """A bias result's group names for a reader: the user's words as given, and auditkit's
    guesses (``labels_guessed``) in the reader's language, whatever language the result was
    made in ("Polish speakers" in an English report, "Polnischsprachige" in a German one).
    A guess is re-worded only when it is still auditkit's own words for its code."""
    labels = {str(code): str(words) for code, words in (data.get("labels") or {}).items()}
    for code in data.get("labels_guessed") or ():
        code = str(code)
        stored = labels.get(code)
        for kind in ("language", "country"):
            with use("en"):
                english = _name(code, kind)
            here = _name(code, kind)
            if here and stored in (english, here):
                labels[code] = here
                break
    return labels
