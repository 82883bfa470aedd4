"""Several voices in one audit: the owner's answers merged with the staff's, conservatively.

An audit may have several respondents, each with an answers file of the same business and
rubric and a role (``respondent.speaks_as``: owner, staff or other; owner when absent). The
merge produces one ordinary answer set, so scoring, the report and the plan run on it
unchanged, and a list of where views differ.

**The rule** (docs/scoring.md), for each safeguard asked of both the owner and the others:

* the adoption inventory and every question asked of the owner only are the owner's answers;
* a safeguard counts for no more than the owner says, and no more than the others' median
  says: with the answers' credits (yes 1, partly 0.5, no 0; maturity 0–1), the merged credit
  is the lower of the owner's and the median of the others' answers, as the scale's level at or
  below it. Owner "yes" with the staff "no" is "no"; with the staff split half and half
  (median between yes and no) it is "partly";
* "not applicable" is the owner's call: the owner's n/a stands; a staff n/a is no answer;
* an owner who has not answered leaves the question unanswered, whatever the staff said;
* a question asked of staff only takes the others' median.

**Anonymity.** Everyone who is not an owner is pooled as "staff" (front-line staff and others
together). Their answers enter the merge, and any breakdown is shown, only when at least
``ANONYMITY_FLOOR`` of them answered: with fewer, the merged result would give one person's
answer away (the owner knows their own answer; where the result is lower, a staff member said
so), so their answers are kept apart and the report says how many are waiting. No staff name
is read, and a staff note is shown only when its author allowed it, never with a name.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from auditkit.answers.model import ANONYMITY_FLOOR, NOT_APPLICABLE, Answer, AnswerSet, applies
from auditkit.errors import InputError
from auditkit.rubric.model import Question, Rubric, Scale

DIFFERENCE_SHOWN = 0.25  # a gap in credit (owner − staff mean) from which views "differ"


@dataclass(frozen=True)
class Respondent:
    """One answers file of the audit: its role, and a name only for an owner."""

    path: Path
    role: str  # owner | staff | other
    answers: AnswerSet

    @property
    def name(self) -> str:
        """An owner's name, for the cover; staff are never named."""
        return self.answers.respondent.get("name", "") if self.role == "owner" else ""


@dataclass(frozen=True)
class ViewsOfQuestion:
    """Where the owner's answer and the staff's differ on one question."""

    question_id: str
    principle: str
    text: str
    owner: str  # the owner's answer, as its label
    staff: tuple[tuple[str, int], ...]  # (label, how many) in the scale's order, counts > 0
    answered: int  # staff who answered on the scale
    merged: str  # the merged answer, as its label
    gap: float  # owner's credit − the staff's mean credit: > 0 when the owner sees more
    notes: tuple[str, ...] = ()  # staff notes their authors allowed to be shown, nameless

    def sentence(self) -> str:
        """ "You answered Yes; of the 4 staff who answered, 3 said No and 1 said Partly." """
        said = [f"{count} said {label}" for label, count in sorted(self.staff, key=lambda s: -s[1])]
        listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
        people = "member of staff" if self.answered == 1 else "staff"
        return (
            f"You answered {self.owner}; of the {self.answered} {people} who answered, {listed}. "
            f"Counted as: {self.merged}."
        )


@dataclass
class Voices:
    """Who answered and how their views compare (empty apart from the owner for one file)."""

    respondents: tuple[Respondent, ...]
    staff_counted: bool  # the staff's answers entered the merge (at least the floor answered)
    differences: tuple[ViewsOfQuestion, ...] = ()
    # Per principle: (id, the owner's mean credit, the staff's mean credit) over the questions
    # both were asked and answered; None where nobody of a side answered.
    by_principle: tuple[tuple[str, float | None, float | None], ...] = ()
    notes: list[str] = field(default_factory=list)  # what the report must say about the merge
    # How far apart the views are: the mean of |owner's credit − staff's mean credit| over the
    # safeguards both answered (0 agree … 1 opposite), and how many that is; None when the
    # staff's answers are not counted. A follow-up compares it (``compare``).
    distance: float | None = None
    compared: int = 0

    @property
    def owners(self) -> tuple[Respondent, ...]:
        return tuple(r for r in self.respondents if r.role == "owner")

    @property
    def staff(self) -> tuple[Respondent, ...]:
        return tuple(r for r in self.respondents if r.role != "owner")

    @property
    def several(self) -> bool:
        return len(self.respondents) > 1

    def who(self) -> str:
        """ "the owner and 4 staff" — how many people of each kind answered."""
        owners, staff = len(self.owners), len(self.staff)
        first = "the owner" if owners == 1 else f"{owners} owners or managers"
        if not staff:
            return first
        return f"{first} and {staff} {'member of staff' if staff == 1 else 'staff'}"


def merge_voices(
    rubric: Rubric, answer_sets: Sequence[tuple[Path, AnswerSet]]
) -> tuple[AnswerSet, Voices]:
    """One answer set for the audit, and its voices. A single file comes back unchanged."""
    respondents = tuple(Respondent(Path(p), a.speaks_as, a) for p, a in answer_sets)
    owners = [r for r in respondents if r.role == "owner"]
    if not owners:
        raise InputError.single(
            str(respondents[0].path),
            "an audit needs the owner's answers: every file given is a staff member's",
            expected="one answers file with respondent.speaks_as: owner (or without speaks_as)",
            fix="add the owner's answers file to the command",
        )
    _same_business(respondents)
    if len(respondents) == 1:
        return respondents[0].answers, Voices(respondents, staff_counted=False)
    staff = [r for r in respondents if r.role != "owner"]
    counted = len(staff) >= ANONYMITY_FLOOR
    voices = Voices(respondents, staff_counted=counted)
    if staff and not counted:
        voices.notes.append(
            f"{len(staff)} member{'s' if len(staff) != 1 else ''} of staff answered; their "
            f"answers are kept apart until at least {ANONYMITY_FLOOR} have, so that nobody's "
            "answer can be read off the result"
        )
    base = owners[0].answers
    merged = replace(base, answers=dict(base.answers))
    owner_values = {
        q.id: _median_value(q, [o.answers.answers.get(q.id) for o in owners])
        for q in rubric.questions
    }
    differences, sums = [], {}
    for question in rubric.questions:
        if question.kind == "adoption" or not counted:
            continue
        asked_owner, asked_staff = (
            "owner" in question.ask,
            ("staff" in question.ask or "other" in question.ask),
        )
        if not asked_staff:
            continue
        staff_answers = [
            r.answers.answers.get(question.id)
            for r in staff
            if question.asks(r.role) and applies(question, rubric, r.answers.values())
        ]
        given = [a for a in staff_answers if a is not None and a.is_given]
        owner = owner_values[question.id] if asked_owner else None
        value = _merged_value(question, owner, given, asked_owner)
        if value is not None:
            merged.answers[question.id] = value
        if asked_owner and owner is not None and owner.is_given and given:
            owner_credit = question.scale.level(owner.value).credit
            staff_credits = [question.scale.level(a.value).credit for a in given]
            mean = statistics.fmean(staff_credits)
            sums.setdefault(question.principle, [[], []])
            sums[question.principle][0].append(owner_credit)
            sums[question.principle][1].append(mean)
            if abs(owner_credit - mean) >= DIFFERENCE_SHOWN - 1e-9:
                differences.append(
                    ViewsOfQuestion(
                        question.id,
                        question.principle,
                        question.text,
                        question.scale.level(owner.value).label,
                        _distribution(question.scale, given),
                        len(given),
                        _label(question.scale, merged.answers.get(question.id)),
                        owner_credit - mean,
                        tuple(a.note for a in given if a.note and a.share_note),
                    )
                )
    voices.differences = tuple(sorted(differences, key=lambda d: (-abs(d.gap), d.question_id)))
    gaps = [abs(o - s) for owner, staff in sums.values() for o, s in zip(owner, staff, strict=True)]
    voices.compared = len(gaps)
    voices.distance = statistics.fmean(gaps) if gaps else None
    voices.by_principle = tuple(
        (p.id, statistics.fmean(sums[p.id][0]), statistics.fmean(sums[p.id][1]))
        for p in rubric.principles
        if p.id in sums
    )
    return merged, voices


def _merged_value(
    question: Question, owner: Answer | None, given: list[Answer], asked_owner: bool
) -> Answer | None:
    """The merged answer to one safeguard (the module's rule); None leaves the owner's."""
    if not given:
        return None if asked_owner else Answer()
    staff_credit = statistics.median(question.scale.level(a.value).credit for a in given)
    if not asked_owner:
        return Answer(value=_level_at_or_below(question.scale, staff_credit))
    if owner is None or not owner.is_given:
        return None  # unanswered or n/a: the owner's call
    credit = min(question.scale.level(owner.value).credit, staff_credit)
    value = _level_at_or_below(question.scale, credit)
    return replace(owner, value=value)


def _median_value(question: Question, answers: list[Answer | None]) -> Answer | None:
    """The owners' answer: one owner's own, or several owners' median (their n/a if all
    said n/a)."""
    present = [a for a in answers if a is not None]
    if len(present) <= 1:
        return present[0] if present else None
    given = [a for a in present if a.is_given]
    if not given:
        return next((a for a in present if a.value == NOT_APPLICABLE), present[0])
    credit = statistics.median(question.scale.level(a.value).credit for a in given)
    return replace(given[0], value=_level_at_or_below(question.scale, credit))


def _level_at_or_below(scale: Scale, credit: float) -> str:
    fitting = [level for level in scale.levels if level.credit <= credit + 1e-9]
    return max(fitting, key=lambda level: level.credit).value


def _distribution(scale: Scale, given: list[Answer]) -> tuple[tuple[str, int], ...]:
    counts = {level.value: 0 for level in scale.levels}
    for answer in given:
        counts[answer.value] += 1
    return tuple((scale.level(v).label, n) for v, n in counts.items() if n)


def _label(scale: Scale, answer: Answer | None) -> str:
    if answer is None or answer.value is None:
        return "unanswered"
    if answer.is_na:
        return "not applicable"
    return scale.level(answer.value).label


def _same_business(respondents: Sequence[Respondent]) -> None:
    """Every file is of one business and one rubric: a file of another audit is refused."""
    first = respondents[0]
    for other in respondents[1:]:
        for what, mine, theirs in (
            ("rubric", first.answers.rubric_id, other.answers.rubric_id),
            (
                "business",
                first.answers.business.get("name", ""),
                other.answers.business.get("name", ""),
            ),
        ):
            if theirs and mine and theirs != mine:
                raise InputError.single(
                    str(other.path),
                    f"is for another {what} ({theirs!r}) than {first.path.name} ({mine!r})",
                    expected="the answers files of one audit: one business, one rubric",
                    fix="give the files of one audit only",
                )
