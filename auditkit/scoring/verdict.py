"""The verdict in words: the gap at one end of the range, and the headline for the whole range.

Every output (table, JSON, JUnit, report, the browser's results page) shows ``Verdict.headline``
first, so the rules that keep it honest live here once:

* an unanswered safeguard is unknown, not met: the headline is the **pessimistic** end, and says
  what the open safeguards could change ("… could be balanced if the 47 open safeguards are
  in place — answer them to know");
* too few answers give **no verdict at all** (``MINIMUM`` below), never "balanced";
* a pilot is exposure: a business piloting phase-p automation is never told it has headroom
  while its phase-p safeguards fall short.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditkit.i18n import N_, _, ngettext
from auditkit.rubric.model import named_phase
from auditkit.scoring.model import AutomationResult, Completeness, Gap, Verdict
from auditkit.scoring.severity import LABELS, MEANINGS

MINIMUM = N_(
    "every automation question answered and at least half of the safeguards that apply "
    "answered (not applicable counts as an answer)"
)


def gap_verdict(adoption_phase: int, safeguard_phase: int, exposure_phase: int = 0) -> Gap:
    """The over-automation gap and its verdict in words.

    ``exposure_phase`` is the highest phase with any automation live *or in pilot*. A pilot
    does not put the business in its phase, but customers meet it: when it runs beyond the
    safeguard phase, the gap is never negative ("headroom"), and the explanation names it.
    """
    effective = adoption_phase
    piloting_ahead = exposure_phase > max(adoption_phase, safeguard_phase)
    if piloting_ahead:
        effective = max(adoption_phase, safeguard_phase)
    value = effective - safeguard_phase
    pilot = (
        " "
        + _(
            "A phase-{phase} pilot already runs without the phase-{phase} safeguards in place: "
            "put them in place before it goes live."
        ).format(phase=exposure_phase)
        if piloting_ahead
        else ""
    )
    if value >= 2:
        return Gap(
            value,
            "high",
            _("Over-automated (high)"),
            _(
                "Automation is in {adoption} but safeguards only reach {safeguard}: customers "
                "meet automation without the protections it needs."
            ).format(adoption=named_phase(adoption_phase), safeguard=named_phase(safeguard_phase))
            + pilot,
        )
    if value == 1:
        return Gap(
            value,
            "elevated",
            _("Over-automated (elevated)"),
            _(
                "Automation is one phase ahead of its safeguards: automation in {adoption}, "
                "safeguards in {safeguard}. Close the gap before automating further."
            ).format(adoption=named_phase(adoption_phase), safeguard=named_phase(safeguard_phase))
            + pilot,
        )
    if value == 0 and piloting_ahead:
        return Gap(
            value,
            "balanced",
            _("Balanced"),
            _(
                "Safeguards keep pace with the automation in use, both in {adoption}, but not "
                "with the pilots."
            ).format(adoption=named_phase(adoption_phase))
            + pilot,
        )
    if value == 0:
        return Gap(
            value,
            "balanced",
            _("Balanced"),
            _("Safeguards keep pace with automation: both in {adoption}.").format(
                adoption=named_phase(adoption_phase)
            ),
        )
    return Gap(
        value,
        "headroom",
        _("Headroom"),
        _(
            "Safeguards reach {safeguard}, ahead of automation in {adoption}: there is room "
            "to automate further with confidence."
        ).format(adoption=named_phase(adoption_phase), safeguard=named_phase(safeguard_phase)),
    )


def verdict(
    pessimistic: Gap,
    optimistic: Gap,
    completeness: Completeness,
    severity: int = 0,
    severity_optimistic: int = 0,
    automations: Sequence[AutomationResult] = (),
) -> Verdict:
    """The headline for a possibly partial file: the severity at the pessimistic end first
    (``severity.py``), then what the open safeguards could change. ``pessimistic`` and
    ``optimistic`` are the phase gap's ends, kept for the ladder."""
    open_safeguards = completeness.safeguards_open
    label = _(LABELS[severity])
    better = _(LABELS[severity_optimistic])
    graded = {"severity": severity, "severity_optimistic": severity_optimistic, "label": label}
    if not has_enough_answers(completeness):
        missing = []
        if completeness.adoption_open:
            missing.append(
                ngettext(
                    "{open} of {asked} automation question open",
                    "{open} of {asked} automation questions open",
                    completeness.adoption_open,
                ).format(open=completeness.adoption_open, asked=completeness.adoption_asked)
            )
        missing.append(
            _("{answered} of {asked} safeguards answered").format(
                answered=completeness.safeguards_answered, asked=completeness.safeguards_asked
            )
        )
        return Verdict(
            available=False,
            headline=_(
                "Not enough answers for a verdict yet: {answered} of {asked} answered"
            ).format(answered=completeness.answered, asked=completeness.asked),
            explanation=_(
                "{missing}. A verdict needs {minimum}. On the answers so far it could read "
                "anything from “{label}” to “{better}”."
            ).format(
                missing=_first_upper("; ".join(missing)),
                minimum=_(MINIMUM),
                label=label,
                better=better,
            ),
            **graded,
        )
    explanation = explain(severity, automations)
    if not open_safeguards:
        return Verdict(True, label, explanation, **graded)
    which = _open_words(open_safeguards, completeness.safeguards_unknown)
    if severity_optimistic == severity:
        return Verdict(
            True,
            label,
            explanation
            + " "
            + ngettext(
                "{which} cannot change this verdict, but answer it for a complete picture.",
                "{which} cannot change this verdict, but answer them for a complete picture.",
                open_safeguards,
            ).format(which=which[0].upper() + which[1:]),
            **graded,
        )
    return Verdict(
        True,
        _("{label} on the answers given").format(label=label),
        explanation
        + " "
        + ngettext(
            "It could read “{better}” if {which} is in place — answer it to know.",
            "It could read “{better}” if {which} are in place — answer them to know.",
            open_safeguards,
        ).format(better=better, which=which),
        **graded,
    )


def _open_words(count: int, unknown: int) -> str:
    """ "the 3 open safeguards (1 answered "don't know")" """
    head = ngettext("the one open safeguard", "the {count} open safeguards", count).format(
        count=count
    )
    if unknown:
        head += " " + _("({unknown} answered “don't know”)").format(unknown=unknown)
    return head


def explain(severity: int, automations: Sequence[AutomationResult]) -> str:
    """What the severity means, and the automations that set it with what they lack."""
    sentences = [_(MEANINGS[severity])]
    for automation in automations:
        if severity == 0 or automation.severity != severity:
            continue
        lacking = [
            f"{inline(s.name)} ({_(STATE_WORDS.get(s.status, s.status))})"
            for s in automation.safeguards
            if s.critical and s.status not in ("met",)
        ]
        name = automation.name[0].upper() + automation.name[1:]
        if lacking:
            sentences.append(
                _("{name} falls short on: {lacking}.").format(name=name, lacking="; ".join(lacking))
            )
        else:
            in_place = sum(1 for s in automation.safeguards if s.status == "met")
            sentences.append(
                _("{name}: {in_place} of the {total} safeguards it calls for are in place.").format(
                    name=name, in_place=in_place, total=len(automation.safeguards)
                )
            )
        break  # the worst automation, named in full; the others are listed with their state
    others = [a.name for a in automations if a.severity == severity][1:]
    if severity and others:
        sentences.append(
            ngettext("So does {names}.", "So do {names}.", len(others)).format(
                names=_joined(others)
            )
        )
    return " ".join(sentences)


def inline(name: str) -> str:
    """A name placed inside a sentence: English lower-cases its first letter ("a person is
    reachable…"); German keeps it, since its nouns are capitalised."""
    from auditkit.i18n import ENGLISH, current

    return name[:1].lower() + name[1:] if current() == ENGLISH else name


def _joined(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return _("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])


# The one number for how far safeguards reach, explained once in owner words (the overall
# score: every principle's share of its safeguards in place, weighted by the principle).
REACH_WORDS = N_(
    "of the safeguards this audit asks that apply to you, the share in place, the ones that "
    "protect customers most counting most."
)
STATE_WORDS = {
    "met": N_("in place"),
    "missing": N_("missing"),
    "weak": N_("only partly in place"),
    "capped": N_("evidence shows it is not in place"),
    "unanswered": N_("not answered"),
    "unknown": N_("don't know"),
}


def has_enough_answers(completeness: Completeness) -> bool:
    """The documented minimum for a verdict (``MINIMUM``)."""
    if completeness.adoption_open:
        return False
    return 2 * completeness.safeguards_answered >= completeness.safeguards_asked


def percent_span(low: float | None, high: float | None) -> str:
    """A percentage (0–100), or the range a partial file leaves: "25%" or "25–60%"."""
    if low is None:
        return "–"
    low_text = f"{low:.0f}"
    high_text = f"{(low if high is None else high):.0f}"
    from auditkit.i18n.formatting import percent_sign

    return percent_sign(low_text if low_text == high_text else f"{low_text}–{high_text}")


def coverage_span(low: float | None, high: float | None) -> str:
    """A coverage (a share, 0–1) as a percentage or the range of one."""
    return percent_span(None if low is None else low * 100, None if high is None else high * 100)


def phase_span(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def _first_upper(text: str) -> str:
    """The first letter capitalised and nothing else lowered (``str.capitalize`` lowers
    the rest, which turns German nouns like "Fragen" into "fragen")."""
    return text[:1].upper() + text[1:]
