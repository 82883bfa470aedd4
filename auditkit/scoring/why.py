"""Why the business stands where it does, in two sentences an owner can check.

A phase number alone reads as a misunderstanding when the owner does not see its cause: a
bakery told "phase 3" for its online ordering must be told that online ordering is a
self-service portal, and that this is what phase 3 means. So every output (the terminal, the
JSON, the report's owner summary and the browser's results page) prints these sentences, built
once here from the score:

* the **adoption phase** names the automations in use that put the business in it, with the
  owner's own note when there is one ("online ordering on our website");
* the **safeguard phase** says what holds it: how many of the next phase's own safeguards are
  missing or only partly in place, against the share each phase needs, or the cumulative share,
  or the one safeguard the phase cannot do without.

Open answers count as they do in the verdict: an unanswered automation as "not in use", an
unanswered safeguard as missing, and the sentence says how many are open.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditkit.answers.model import AnswerSet
from auditkit.i18n import _, ngettext
from auditkit.i18n.formatting import format_percent
from auditkit.rubric.model import PHASE_NAMES, PHASE_SAFEGUARDS, Rubric, named_phase
from auditkit.scoring.model import PhaseResult, SafeguardResult, Why
from auditkit.scoring.verdict import inline

NOTE_WORDS = 10  # an owner's note up to this many words is quoted whole
SHORT_WORDS = 8  # a longer one is cut at its first clause, or after this many words


def quoted_note(note: str) -> str:
    """The owner's note in their words: whole when it is short; else its first clause (or its
    first words), whole words only and said to be "shortened" outside the quote, so no
    sentence ever puts words in the owner's mouth that end mid-phrase ("the desk is…")."""
    words = note.split()
    if not words:
        return ""
    if len(words) <= NOTE_WORDS:
        return " " + _("(you noted: “{note}”)").format(note=" ".join(words).rstrip(".;,:"))
    cut = SHORT_WORDS
    for index, word in enumerate(words[:NOTE_WORDS]):
        if index >= 2 and word.endswith((";", ".", ",", ":", "—")):
            cut = index + 1
            break
    text = " ".join(words[:cut]).rstrip(".;,:— ")
    return " " + _("(you noted, shortened: “{note}”)").format(note=text)


def _joined(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else (many or one + 's')}"


def adoption_reason(rubric: Rubric, answers: AnswerSet, phase: int, asked: set[str]) -> str:
    """The automations that put the business in ``phase`` (live ones, or the pilots that count
    for a phase when two run together)."""
    inventory = [q for q in rubric.adoption_questions if q.id in asked]
    open_count = sum(
        1 for q in inventory if answers.answers.get(q.id) is None or not answers.answers[q.id].value
    )
    still_open = (
        " "
        + ngettext(
            "{count} automation question of {total} is not answered yet, and may raise it.",
            "{count} automation questions of {total} are not answered yet, and may raise it.",
            open_count,
        ).format(count=open_count, total=len(inventory))
        if open_count
        else ""
    )
    if phase == 0:
        if open_count:
            return _("Adoption phase 0 (Manual) on the answers so far:") + still_open
        return _(
            "Adoption phase 0 (Manual): none of the automations this audit asks about is in use."
        )
    live, pilots = [], []
    for question in rubric.adoption_questions:
        answer = answers.answers.get(question.id)
        if question.phase != phase or question.id not in asked or answer is None:
            continue
        if not answer.is_given:
            continue
        credit = question.scale.level(answer.value).credit
        named = question.name + quoted_note(answer.note)
        if credit >= 1:
            live.append(named)
        elif credit > 0:
            pilots.append(named)
    if live:
        return (
            _("Adoption phase {phase} ({name}) because of what is in use: {live}.").format(
                phase=phase, name=_(PHASE_NAMES[phase]), live="; ".join(live)
            )
            + still_open
        )
    return (
        ngettext(
            "Adoption phase {phase} ({name}) because of {count} pilot of that phase, which "
            "together count: {pilots}.",
            "Adoption phase {phase} ({name}) because of {count} pilots of that phase, which "
            "together count: {pilots}.",
            len(pilots),
        ).format(
            phase=phase, name=_(PHASE_NAMES[phase]), count=len(pilots), pilots="; ".join(pilots)
        )
        + still_open
    )


def safeguard_reason(
    rubric: Rubric,
    phase: int,
    phases: Sequence[PhaseResult],
    safeguards: Sequence[SafeguardResult],
) -> str:
    """What holds the safeguard phase at ``phase``: the next phase's first failing test."""
    threshold = format_percent(rubric.threshold)
    if phase >= 3:
        return _(
            "Safeguard phase 3 ({name}): the safeguards of every phase reach the {threshold} "
            "each phase needs."
        ).format(name=_(PHASE_NAMES[3]), threshold=threshold)
    target = phases[phase]  # the phase above: phases[0] is phase 1
    own = [
        s
        for s in safeguards
        if s.phase == target.phase and (s.credit is not None or s.status == "unanswered")
    ]
    missing = sum(1 for s in own if s.status in ("missing", "capped"))
    weak = sum(1 for s in own if s.status == "weak")
    unanswered = sum(1 for s in own if s.status == "unanswered")
    head = _("Safeguard phase {phase} ({name}) because").format(
        phase=phase, name=_(PHASE_NAMES[phase])
    )
    parts = []
    if missing:
        parts.append(
            ngettext("{count} is missing", "{count} are missing", missing).format(count=missing)
        )
    if weak:
        parts.append(_("{count} only partly in place").format(count=weak))
    if unanswered:
        parts.append(_("{count} not answered yet (counted as missing)").format(count=unanswered))
    state = _joined(parts) if parts else _("none is missing")
    of_them = ngettext(
        "of the {count} safeguard of phase {phase} ({whom}), {state}",
        "of the {count} safeguards of phase {phase} ({whom}), {state}",
        len(own),
    ).format(
        count=len(own), phase=target.phase, whom=_(PHASE_SAFEGUARDS[target.phase]), state=state
    )
    if target.gating_missing:
        gate = rubric.question(target.gating_missing[0])
        return (
            head
            + " "
            + _("{of_them}, and the phase cannot be reached without this one: {gate}.").format(
                of_them=of_them, gate=inline(gate.name)
            )
        )
    own_share = target.own_coverage
    if own_share is not None and own_share < rubric.threshold - 1e-9:
        return (
            head
            + " "
            + _(
                "{of_them}: too few to reach the phase, which needs {threshold} of its own."
            ).format(of_them=of_them, threshold=threshold)
        )
    return (
        head
        + " "
        + _(
            "the own safeguards of {phase} are enough, but with those of the phases below they "
            "fall short of the {threshold} both need."
        ).format(phase=named_phase(target.phase), threshold=threshold)
    )


def why(
    rubric: Rubric,
    answers: AnswerSet,
    asked: set[str],
    adoption_phase: int,
    safeguard_phase: int,
    phases: Sequence[PhaseResult],
    safeguards: Sequence[SafeguardResult],
) -> Why:
    return Why(
        adoption=adoption_reason(rubric, answers, adoption_phase, asked),
        safeguard=safeguard_reason(rubric, safeguard_phase, phases, safeguards),
    )
