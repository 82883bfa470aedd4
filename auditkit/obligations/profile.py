"""Where the business serves customers and its size band: the two facts the crosswalk needs
that the rubric does not ask, kept as answers by id in the answers file.

``business.markets`` holds the places as codes separated by commas (``EU, US-CA``; ``elsewhere``
for "none of the places the rules list"), ``business.size`` a size band (``micro``, ``small``,
``medium``, ``large``) or ``unknown``. The opening asks them once, of the owner only (staff are
never asked), and only what the crosswalk uses: the places its entries name, and the size only
when some entry depends on it. Edge cases:

- A file without ``business.markets`` was made before the question existed: no rule is named
  (the business is concerned by none), and the owner is asked when they next open the file.
- ``elsewhere`` alone is an answer: the rules listed do not cover any place served.
- A member state's code (``FR``) is accepted and counts as the European Union; a code no entry
  names is kept (an overlay may add its rules later).
- The size ``unknown`` keeps size-dependent rules, marked as depending on the size.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from auditkit.i18n import N_, _
from auditkit.obligations.model import SIZE_BANDS, Crosswalk

MARKETS = "business.markets"
SIZE = "business.size"
PROFILE_IDS = (MARKETS, SIZE)
ELSEWHERE = "elsewhere"
SIZE_UNKNOWN = "unknown"
CODE = re.compile(r"^(EU|[A-Z]{2}(-[A-Z0-9]{1,4}){0,2})$")

# Owner words for the places the shipped crosswalk names; an overlay's code without a name here
# is shown as its code.
PLACE_NAMES = {
    "EU": N_("The European Union (any of its member countries)"),
    "US-CA": N_("California"),
    "US-CO": N_("Colorado"),
    "US-NY-NYC": N_("New York City"),
    "US-UT": N_("Utah"),
    ELSEWHERE: N_("Somewhere else (none of the places above)"),
}
MARKETS_TEXT = N_("Where do you serve customers?")
MARKETS_HELP = N_(
    "Choose every place where you sell to customers or where your customers live. Some rules "
    "on automation apply only in some places; this tells the audit which ones to name."
)
SIZE_TEXT = N_("How big is your business?")
SIZE_HELP = N_(
    "Count the people who work for you (full-time equivalent) and the yearly turnover. Some "
    "rules do not apply to the smallest businesses."
)
SIZE_LABELS = {
    "micro": N_("Fewer than 10 people, and turnover of at most 2 million euros a year"),
    "small": N_("10 to 49 people (or fewer, with more than 2 million euros a year)"),
    "medium": N_("50 to 249 people"),
    "large": N_("250 people or more"),
    SIZE_UNKNOWN: N_("I am not sure"),
}
SIZE_SHORT = {
    "micro": N_("fewer than 10 people"),
    "small": N_("10 to 49 people"),
    "medium": N_("50 to 249 people"),
    "large": N_("250 people or more"),
    SIZE_UNKNOWN: N_("size not known"),
}
NOT_GIVEN = N_(
    "Where you serve customers was not given, so no rule is named. Open the questionnaire "
    "again to answer it."
)


@dataclass(frozen=True)
class ProfileQuestion:
    id: str
    text: str
    help: str
    choices: tuple[tuple[str, str], ...]  # (value kept in the file, owner words)
    multiple: bool


@functools.cache
def crosswalk() -> Crosswalk:
    """The shipped crosswalk with the overlays named in AUDITKIT_OBLIGATIONS, read once."""
    from auditkit.obligations.parse import env_overlays, load_crosswalk

    return load_crosswalk(env_overlays())


def place_name(code: str) -> str:
    """The place's name in the current language; an overlay's unnamed code as it is."""
    return _(PLACE_NAMES[code]) if code in PLACE_NAMES else code


def place_short(code: str) -> str:
    """The place inside a sentence: 'the European Union', 'California'."""
    return _("the European Union") if code == "EU" else place_name(code)


def profile_questions(cw: Crosswalk | None = None) -> tuple[ProfileQuestion, ...]:
    """The opening's questions about the business, only as far as the crosswalk uses them."""
    cw = cw or crosswalk()
    codes = sorted({c for o in cw.obligations for c in o.jurisdictions}, key=_place_order)
    questions = [
        ProfileQuestion(
            MARKETS,
            _(MARKETS_TEXT),
            _(MARKETS_HELP),
            tuple((c, place_name(c)) for c in [*codes, ELSEWHERE]),
            True,
        )
    ]
    if any(set(o.sizes) != set(SIZE_BANDS) for o in cw.obligations):
        questions.append(
            ProfileQuestion(
                SIZE,
                _(SIZE_TEXT),
                _(SIZE_HELP),
                tuple((band, _(SIZE_LABELS[band])) for band in (*SIZE_BANDS, SIZE_UNKNOWN)),
                False,
            )
        )
    return tuple(questions)


def _place_order(code: str) -> tuple[int, str]:
    return (0 if code == "EU" else 1, PLACE_NAMES.get(code, code))  # the same in every language


def parse_markets(values: list[str] | str) -> tuple[str, ...]:
    """Codes from a form's ticked boxes or typed text ('EU, US-CA', 'california', '1,3' is not
    handled here: front ends map numbers). Raises ValueError naming the first unknown word."""
    items = values.split(",") if isinstance(values, str) else list(values)
    by_name = {name.split(" (")[0].lower(): code for code, name in PLACE_NAMES.items()}
    by_name.update({"eu": "EU", "european union": "EU", "nyc": "US-NY-NYC"})
    found: list[str] = []
    for raw in items:
        text = " ".join(str(raw).split())
        if not text:
            continue
        code = by_name.get(text.lower()) or (text.upper() if CODE.match(text.upper()) else None)
        if text.lower() == ELSEWHERE:
            code = ELSEWHERE
        if code is None:
            raise ValueError(text)
        if code not in found:
            found.append(code)
    if len(found) > 1 and ELSEWHERE in found:
        found.remove(ELSEWHERE)  # "somewhere else" as well as a place listed: the place counts
    return tuple(found)


def markets_of(answers: Mapping[str, object]) -> tuple[str, ...] | None:
    """The places from an answers mapping (Answer objects or plain values); None when not
    answered. ``elsewhere`` is dropped: no rule lists it."""
    raw = _value(answers.get(MARKETS))
    if raw is None:
        return None
    try:
        codes = parse_markets(raw)
    except ValueError:
        return None
    return tuple(c for c in codes if c != ELSEWHERE)


def size_of(answers: Mapping[str, object]) -> str | None:
    """The size band; None when not answered or not known."""
    raw = _value(answers.get(SIZE))
    return raw if raw in SIZE_BANDS else None


def _value(answer: object) -> str | None:
    value = getattr(answer, "value", answer)
    return None if value is None else str(value)


def check_profile_answer(question_id: str, value: str) -> str | None:
    """Why a stored profile answer is not valid (for 'answers validate'), or None."""
    if question_id == SIZE:
        if value not in (*SIZE_BANDS, SIZE_UNKNOWN):
            from auditkit.errors import fill
            from auditkit.i18n import _

            return fill(_("one of {choices}"), choices=", ".join((*SIZE_BANDS, SIZE_UNKNOWN)))
        return None
    try:
        parse_markets(value)
    except ValueError:
        from auditkit.i18n import _

        return _("place codes separated by commas, e.g. 'EU, US-CA', or 'elsewhere'")
    return None
