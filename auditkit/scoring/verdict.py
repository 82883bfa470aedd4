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

from auditkit.rubric.model import named_phase
from auditkit.scoring.model import AutomationResult, Completeness, Gap, Verdict
from auditkit.scoring.severity import LABELS, MEANINGS

MINIMUM = (
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
        f" A phase-{exposure_phase} pilot already runs without the phase-{exposure_phase} "
        "safeguards in place: put them in place before it goes live."
        if piloting_ahead
        else ""
    )
    if value >= 2:
        return Gap(
            value,
            "high",
            "Over-automated (high)",
            f"Automation is in {named_phase(adoption_phase)} but safeguards only reach "
            f"{named_phase(safeguard_phase)}: customers meet automation without the "
            "protections it needs." + pilot,
        )
    if value == 1:
        return Gap(
            value,
            "elevated",
            "Over-automated (elevated)",
            f"Automation is one phase ahead of its safeguards: automation in "
            f"{named_phase(adoption_phase)}, safeguards in {named_phase(safeguard_phase)}. "
            "Close the gap before automating further." + pilot,
        )
    if value == 0 and piloting_ahead:
        return Gap(
            value,
            "balanced",
            "Balanced",
            f"Safeguards keep pace with the automation in use, both in "
            f"{named_phase(adoption_phase)}, but not with the pilots." + pilot,
        )
    if value == 0:
        return Gap(
            value,
            "balanced",
            "Balanced",
            f"Safeguards keep pace with automation: both in {named_phase(adoption_phase)}.",
        )
    return Gap(
        value,
        "headroom",
        "Headroom",
        f"Safeguards reach {named_phase(safeguard_phase)}, ahead of automation in "
        f"{named_phase(adoption_phase)}: there is room to automate further with confidence.",
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
    label = LABELS[severity]
    graded = {"severity": severity, "severity_optimistic": severity_optimistic, "label": label}
    if not has_enough_answers(completeness):
        missing = []
        if completeness.adoption_open:
            missing.append(
                f"{completeness.adoption_open} of {completeness.adoption_asked} automation "
                f"question{'s' if completeness.adoption_open != 1 else ''} open"
            )
        missing.append(
            f"{completeness.safeguards_answered} of {completeness.safeguards_asked} "
            "safeguards answered"
        )
        return Verdict(
            available=False,
            headline=(
                "Not enough answers for a verdict yet: "
                f"{completeness.answered} of {completeness.asked} answered"
            ),
            explanation=(
                f"{'; '.join(missing).capitalize()}. A verdict needs {MINIMUM}. On the answers "
                f"so far it could read anything from “{label}” to "
                f"“{LABELS[severity_optimistic]}”."
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
            f"{explanation} {which[0].upper()}{which[1:]} cannot change this verdict, but "
            "answer them for a complete picture."
            if open_safeguards != 1
            else f"{explanation} {which[0].upper()}{which[1:]} cannot change this verdict, but "
            "answer it for a complete picture.",
            **graded,
        )
    return Verdict(
        True,
        f"{label} on the answers given",
        f"{explanation} It could read “{LABELS[severity_optimistic]}” if {which} "
        f"{'is' if open_safeguards == 1 else 'are'} in place — answer "
        f"{'it' if open_safeguards == 1 else 'them'} to know.",
        **graded,
    )


def _open_words(count: int, unknown: int) -> str:
    """ "the 3 open safeguards (1 answered "don't know")" """
    head = "the one open safeguard" if count == 1 else f"the {count} open safeguards"
    if unknown:
        head += f" ({unknown} answered “don't know”)"
    return head


def explain(severity: int, automations: Sequence[AutomationResult]) -> str:
    """What the severity means, and the automations that set it with what they lack."""
    sentences = [MEANINGS[severity]]
    for automation in automations:
        if severity == 0 or automation.severity != severity:
            continue
        lacking = [
            f"{s.name[0].lower()}{s.name[1:]} ({STATE_WORDS.get(s.status, s.status)})"
            for s in automation.safeguards
            if s.critical and s.status not in ("met",)
        ]
        name = automation.name[0].upper() + automation.name[1:]
        if lacking:
            sentences.append(f"{name} falls short on: {'; '.join(lacking)}.")
        else:
            in_place = sum(1 for s in automation.safeguards if s.status == "met")
            sentences.append(
                f"{name}: {in_place} of the {len(automation.safeguards)} safeguards it calls "
                "for are in place."
            )
        break  # the worst automation, named in full; the others are listed with their state
    others = [a.name for a in automations if a.severity == severity][1:]
    if severity and others:
        sentences.append(f"So {'does' if len(others) == 1 else 'do'} {_joined(others)}.")
    return " ".join(sentences)


def _joined(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# The one number for how far safeguards reach, explained once in owner words (the overall
# score: every principle's share of its safeguards in place, weighted by the principle).
REACH_WORDS = (
    "of the safeguards this audit asks that apply to you, the share in place, the ones that "
    "protect customers most counting most."
)
STATE_WORDS = {
    "met": "in place",
    "missing": "missing",
    "weak": "only partly in place",
    "capped": "evidence shows it is not in place",
    "unanswered": "not answered",
    "unknown": "don't know",
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
    return f"{low_text}%" if low_text == high_text else f"{low_text}–{high_text}%"


def coverage_span(low: float | None, high: float | None) -> str:
    """A coverage (a share, 0–1) as a percentage or the range of one."""
    return percent_span(None if low is None else low * 100, None if high is None else high * 100)


def phase_span(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"
