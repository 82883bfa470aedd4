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
from auditkit.rubric.model import PHASE_NAMES, PHASE_SAFEGUARDS, Rubric, named_phase
from auditkit.scoring.model import PhaseResult, SafeguardResult, Why

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
        return f" (you noted: “{' '.join(words).rstrip('.;,:')}”)"
    cut = SHORT_WORDS
    for index, word in enumerate(words[:NOTE_WORDS]):
        if index >= 2 and word.endswith((";", ".", ",", ":", "—")):
            cut = index + 1
            break
    text = " ".join(words[:cut]).rstrip(".;,:— ")
    return f" (you noted, shortened: “{text}”)"


def _joined(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


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
        f" {_count(open_count, 'automation question')} of {len(inventory)} "
        f"{'is' if open_count == 1 else 'are'} not answered yet, and may raise it."
        if open_count
        else ""
    )
    if phase == 0:
        if open_count:
            return f"Adoption phase 0 (Manual) on the answers so far:{still_open}"
        return "Adoption phase 0 (Manual): none of the automations this audit asks about is in use."
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
    head = f"Adoption phase {phase} ({PHASE_NAMES[phase]}) because of "
    if live:
        return head + f"what is in use: {'; '.join(live)}.{still_open}"
    return (
        head + f"{_count(len(pilots), 'pilot')} of that phase, which together count: "
        f"{'; '.join(pilots)}.{still_open}"
    )


def safeguard_reason(
    rubric: Rubric,
    phase: int,
    phases: Sequence[PhaseResult],
    safeguards: Sequence[SafeguardResult],
) -> str:
    """What holds the safeguard phase at ``phase``: the next phase's first failing test."""
    threshold = f"{rubric.threshold:.0%}"
    if phase >= 3:
        return (
            f"Safeguard phase 3 ({PHASE_NAMES[3]}): the safeguards of every phase reach the "
            f"{threshold} each phase needs."
        )
    target = phases[phase]  # the phase above: phases[0] is phase 1
    own = [
        s
        for s in safeguards
        if s.phase == target.phase and (s.credit is not None or s.status == "unanswered")
    ]
    missing = sum(1 for s in own if s.status in ("missing", "capped"))
    weak = sum(1 for s in own if s.status == "weak")
    unanswered = sum(1 for s in own if s.status == "unanswered")
    head = f"Safeguard phase {phase} ({PHASE_NAMES[phase]}) because "
    parts = []
    if missing:
        parts.append(f"{missing} {'is' if missing == 1 else 'are'} missing")
    if weak:
        parts.append(f"{weak} only partly in place")
    if unanswered:
        parts.append(f"{unanswered} not answered yet (counted as missing)")
    state = _joined(parts) if parts else "none is missing"
    of_them = (
        f"of the {_count(len(own), 'safeguard')} of phase {target.phase} "
        f"({PHASE_SAFEGUARDS[target.phase]}), {state}"
    )
    if target.gating_missing:
        gate = rubric.question(target.gating_missing[0])
        return (
            head + f"{of_them}, and the phase cannot be reached without this one: "
            f"{gate.name[0].lower() + gate.name[1:]}."
        )
    own_share = target.own_coverage
    if own_share is not None and own_share < rubric.threshold - 1e-9:
        return head + f"{of_them}: too few to reach the phase, which needs {threshold} of its own."
    return (
        head + f"the own safeguards of {named_phase(target.phase)} are enough, but with those "
        f"of the phases below they fall short of the {threshold} both need."
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
