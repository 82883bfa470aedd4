"""Groups and numbers in a reader's words: "Polish speakers", "238 seconds", "about half
as often". Shared by the score (a safeguard capped by evidence says why in these words) and
the report's owner pages, so both name a group and a gap the same way."""

from __future__ import annotations

from auditkit.i18n import N_

TIME_UNITS = ("second", "minute", "hour", "day", "week")


def group_name(code: str, labels: dict[str, str]) -> str:
    """A group in words; an intersection (``pl × 55+``) word by word."""
    if code in labels:
        return labels[code]
    parts = [p.strip() for p in code.split("×")]
    if len(parts) > 1:
        return ", ".join(labels.get(p, p) for p in parts)
    return code


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def in_minutes(values: list[float | None], kind: str, unit: str) -> bool:
    """Whether durations in seconds read better in minutes: when any of those said together
    passes 90 seconds, all of them are in minutes (never "4 minutes against 80 seconds")."""
    return (
        kind == "mean"
        and unit.startswith("second")
        and any(v is not None and abs(v) > 90 for v in values)
    )


def amount(value: float | None, kind: str, unit: str, minutes: bool | None = None) -> str:
    """A metric's value as a reader says it: a share in %, a mean with its unit; a duration
    in seconds in minutes past 90 seconds (or when ``minutes`` says so for its neighbours)."""
    from auditkit.i18n import _, ngettext
    from auditkit.i18n.formatting import format_decimal, percent_sign

    if value is None:
        return _("no value")
    if minutes is None:
        minutes = in_minutes([value], kind, unit)
    if minutes:
        # Four minutes, not 238 seconds: a wait an owner can picture.
        count = value / 60
        digits = 0 if float(f"{count:.1f}").is_integer() else 1
        return ngettext("{number} minute", "{number} minutes", round(count, 1)).format(
            number=format_decimal(count, digits)
        )
    if kind == "mean":
        digits = 0 if abs(value) >= 100 or float(f"{value:.1f}").is_integer() else 1
        number = format_decimal(value, digits)
        return f"{number} {_(unit) if unit else ''}".strip()
    if kind == "auc":
        return format_decimal(value, 2)
    return percent_sign(f"{value * 100:.0f}")


def ratio_words(ratio: float, kind: str, unit: str) -> str:
    """How a ratio reads in English, without the word that joins the other group: "about
    half as often", "nearly twice as long" (the auditor-facing label sentence; an owner's
    sentence uses ``comparison``, which every language translates whole)."""
    how = "as often" if kind != "mean" else ("as long" if _is_time(unit) else "as much")
    if ratio <= 0:
        return f"never, where the others are served {how.removeprefix('as ')}"
    if ratio < 1:
        for limit, words in (
            (0.2, "less than a fifth"),
            (0.29, "about a quarter"),
            (0.4, "about a third"),
            (0.6, "about half"),
            (0.72, "about two thirds"),
            (0.87, "about three quarters"),
        ):
            if ratio < limit:
                return f"{words} {how}"
        return f"a little less {how.removeprefix('as ')}"
    if ratio < 1.15:
        return f"a little more {how.removeprefix('as ')}"
    if ratio < 1.4:
        return f"about a quarter more {how.removeprefix('as ')}"
    if ratio < 1.75:
        return f"about one and a half times {how}"
    if ratio < 2.25:
        return f"about twice {how}"
    return f"about {ratio:.0f} times {how}"


# How one group compares with another, up to the word before the other group's name ("about
# half as often as" English speakers). Whole phrases, one per band and per kind of measure
# (how often, how long, how much), so that each language says them its own way: German
# "nur etwa halb so oft wie", "etwas länger als". The upper limit of each band, in order.
COMPARISONS: tuple[tuple[float, dict[str, str]], ...] = (
    (
        0.2,
        {
            "often": N_("less than a fifth as often as"),
            "long": N_("less than a fifth as long as"),
            "much": N_("less than a fifth as much as"),
        },
    ),
    (
        0.29,
        {
            "often": N_("about a quarter as often as"),
            "long": N_("about a quarter as long as"),
            "much": N_("about a quarter as much as"),
        },
    ),
    (
        0.4,
        {
            "often": N_("about a third as often as"),
            "long": N_("about a third as long as"),
            "much": N_("about a third as much as"),
        },
    ),
    (
        0.6,
        {
            "often": N_("about half as often as"),
            "long": N_("about half as long as"),
            "much": N_("about half as much as"),
        },
    ),
    (
        0.72,
        {
            "often": N_("about two thirds as often as"),
            "long": N_("about two thirds as long as"),
            "much": N_("about two thirds as much as"),
        },
    ),
    (
        0.87,
        {
            "often": N_("about three quarters as often as"),
            "long": N_("about three quarters as long as"),
            "much": N_("about three quarters as much as"),
        },
    ),
    (
        1.0,
        {
            "often": N_("a little less often than"),
            "long": N_("a little shorter than"),
            "much": N_("a little less than"),
        },
    ),
    (
        1.15,
        {
            "often": N_("a little more often than"),
            "long": N_("a little longer than"),
            "much": N_("a little more than"),
        },
    ),
    (
        1.4,
        {
            "often": N_("about a quarter more often than"),
            "long": N_("about a quarter longer than"),
            "much": N_("about a quarter more than"),
        },
    ),
    (
        1.75,
        {
            "often": N_("about one and a half times as often as"),
            "long": N_("about one and a half times as long as"),
            "much": N_("about one and a half times as much as"),
        },
    ),
    (
        2.25,
        {
            "often": N_("about twice as often as"),
            "long": N_("about twice as long as"),
            "much": N_("about twice as much as"),
        },
    ),
)
NEVER = {
    "often": N_("not at all, unlike"),
    "long": N_("not at all, unlike"),
    "much": N_("not at all, unlike"),
}
TIMES = {
    "often": N_("about {count} times as often as"),
    "long": N_("about {count} times as long as"),
    "much": N_("about {count} times as much as"),
}


def comparison(ratio: float, kind: str, unit: str) -> str:
    """How a group compares with another, in the reader's language, ending where the other
    group is named: "about half as often as", "etwa doppelt so lange wie". A ratio of 0 is
    "not at all, unlike"; from 2.25 on the factor is a whole number ("about 3 times as")."""
    from auditkit.i18n import _
    from auditkit.i18n.formatting import format_integer

    how = "often" if kind != "mean" else ("long" if _is_time(unit) else "much")
    if ratio <= 0:
        return _(NEVER[how])
    for limit, words in COMPARISONS:
        if ratio < limit:
            return _(words[how])
    return _(TIMES[how]).format(count=format_integer(round(ratio)))


def _is_time(unit: str) -> bool:
    return any(unit.startswith(word) for word in TIME_UNITS)


def ratio_number(value: float | None, digits: int = 2) -> str:
    """A ratio as the language writes it: "0.56" / "0,56"; "∞" when the reference has none;
    "–" for no ratio. The command line's tables and the findings' sentences share it."""
    import math

    from auditkit.i18n.formatting import format_decimal

    if value is None:
        return "–"
    return "∞" if math.isinf(value) else format_decimal(value, digits)


def signed(value: float, digits: int) -> str:
    """A difference with its sign, as the language writes numbers: "+0.7" / "-0.7" in English
    (what the command line always printed; the pseudo-locale too, as it formats numbers as
    English), "+0,7" / "−0,7" (a true minus) in other languages."""
    from auditkit.i18n import ENGLISH, PSEUDO, current
    from auditkit.i18n.formatting import format_decimal

    minus = "-" if current() in (ENGLISH, PSEUDO) else "−"
    return ("+" if value >= 0 else minus) + format_decimal(abs(value), digits)


# A verdict as a reader sees it. The JSON keeps the English (the published schema's words);
# the command line's table, JUnit and the report show these through the catalog.
VERDICT_WORDS = {
    "reference": N_("reference"),
    "within tolerance": N_("within tolerance"),
    "disadvantaged": N_("disadvantaged"),
    "advantaged": N_("advantaged"),
    "differs": N_("differs"),
    "disadvantaged (size uncertain)": N_("disadvantaged (size uncertain)"),
    "advantaged (size uncertain)": N_("advantaged (size uncertain)"),
    "differs (size uncertain)": N_("differs (size uncertain)"),
    "inconclusive": N_("inconclusive"),
    "insufficient data": N_("insufficient data"),
    "not judged": N_("not judged"),
    "proxy": N_("proxy"),
    "no proxy shown": N_("no proxy shown"),
    "cannot tell": N_("cannot tell"),
}


def verdict_words(verdict: str) -> str:
    """A verdict kept in a bias result (English, the published schema's words), as the run's
    language says it; an unknown one as it is."""
    from auditkit.i18n import _

    return _(VERDICT_WORDS[verdict]) if verdict in VERDICT_WORDS else verdict


def figure(value: float | None, kind: str) -> str:
    """A metric's value for the auditor's tables: a share in % with one decimal, a mean with
    two, an AUC with three, as the language writes numbers ("35.3%" / "35,3 %"); "–" for
    none. The command line's table and the report's annex both use it."""
    from auditkit.i18n.formatting import format_decimal, format_percent

    if value is None:
        return "–"
    if kind == "auc":
        return format_decimal(value, 3)
    return format_percent(value, 1) if kind != "mean" else format_decimal(value, 2)


def p_value(p: float) -> str:
    """An adjusted p-value in two significant digits ("0.78", "3.7e-56"), with the
    language's decimal mark ("0,78")."""
    from auditkit.i18n import ENGLISH, PSEUDO, current

    text = f"{p:.2g}"
    return text if current() in (ENGLISH, PSEUDO) else text.replace(".", ",")
