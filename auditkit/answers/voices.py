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
* a question asked of staff only takes the others' median;
* a staff member's "don't know" is no answer on the scale: it is counted apart and shown as
  such ("2 of 5 staff did not know"), never merged, and never helps a question reach the floor.
  Staff answers to the inventory (a "don't know" included) only decide what that person is
  asked: the adoption phase is the owner's.

**Anonymity.** Everyone who is not an owner is pooled as "staff" (front-line staff and others
together), and enters only as an aggregate (``answers.staff``): counts per question, shown and
merged only for a question at least ``ANONYMITY_FLOOR`` staff answered (a floor per cell, not
per audit). With fewer, the merged result would give one person's answer away (the owner
knows their own answer; where the result is lower, a staff member said so), so the question
keeps the owner's answer and the report says too few answered to show. No staff name is
read, and a staff note is shown only when its author allowed it, never with a name.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from auditkit.answers.model import (
    ANONYMITY_FLOOR,  # noqa: F401  (re-exported)
    NOT_APPLICABLE,
    UNKNOWN,
    Answer,
    AnswerSet,
)
from auditkit.answers.staff import (
    Cell,
    StaffAggregate,
    counted_questions,
    publish,
    tally,
)
from auditkit.answers.staff_file import check_against
from auditkit.errors import InputError, fill
from auditkit.i18n import _, ngettext
from auditkit.rubric.model import Question, Rubric, Scale
from auditkit.rubric.scales import owner_label

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
    unknown: int = 0  # staff who said they did not know (not among ``answered``)

    def sentence(self) -> str:
        """ "You answered Yes; of the 4 staff who answered, 3 said No and 1 said Partly." and,
        when some did not know, " 2 of 6 staff did not know." """
        said = [
            ngettext("{count} said {label}", "{count} said {label}", count).format(
                count=count, label=owner_label(label)
            )
            for label, count in sorted(self.staff, key=lambda s: -s[1])
        ]
        listed = (
            said[0]
            if len(said) == 1
            else _("{first} and {last}").format(first=", ".join(said[:-1]), last=said[-1])
        )
        text = ngettext(
            "You answered {owner}; of the {count} member of staff who answered, {listed}. "
            "Counted as: {merged}.",
            "You answered {owner}; of the {count} staff who answered, {listed}. "
            "Counted as: {merged}.",
            self.answered,
        ).format(
            owner=owner_label(self.owner),
            count=self.answered,
            listed=listed,
            merged=owner_label(self.merged),
        )
        if self.unknown:
            text += " " + did_not_know(self.unknown, self.answered + self.unknown) + "."
        return text


def did_not_know(unknown: int, people: int) -> str:
    """ "2 of 5 staff did not know": staff who answered "don't know", among all who answered
    the question (on the scale or not)."""
    return _("{unknown} of {people} staff did not know").format(unknown=unknown, people=people)


@dataclass(frozen=True)
class NotKnown:
    """A staff question some staff did not know the answer to (only for a cell shown)."""

    question_id: str
    principle: str
    text: str
    unknown: int
    people: int

    def sentence(self) -> str:
        return did_not_know(self.unknown, self.people)


@dataclass
class Voices:
    """Who answered and how their views compare (empty apart from the owner for one file).

    Staff are here only as their aggregate (``answers.staff``): how many sent, and per
    question the counts at or above the floor. No staff member's own answers are kept."""

    respondents: tuple[Respondent, ...]  # the owners' (and managers') files
    staff_counted: bool  # some staff answers entered the merge (a question at the floor)
    staff: StaffAggregate | None = None
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
    staff_files: tuple[Path, ...] = ()  # the files the staff's answers came from
    withheld: tuple[str, ...] = ()  # staff questions with too few answers to show
    # Shown questions where some staff said "don't know": counted apart, never merged.
    not_known: tuple[NotKnown, ...] = ()

    @property
    def owners(self) -> tuple[Respondent, ...]:
        return self.respondents

    @property
    def staff_count(self) -> int:
        return self.staff.senders if self.staff is not None else 0

    @property
    def several(self) -> bool:
        return len(self.respondents) > 1 or self.staff_count > 0

    def who(self) -> str:
        """ "the owner and 4 staff" — how many people of each kind answered."""
        owners, staff = len(self.owners), self.staff_count
        first = (
            _("the owner")
            if owners == 1
            else ngettext("{count} owner or manager", "{count} owners or managers", owners).format(
                count=owners
            )
        )
        if not staff:
            return first
        return ngettext(
            "{first} and {count} member of staff", "{first} and {count} staff", staff
        ).format(first=first, count=staff)


def merge_voices(
    rubric: Rubric,
    answer_sets: Sequence[tuple[Path, AnswerSet]],
    staff: StaffAggregate | None = None,
) -> tuple[AnswerSet, Voices]:
    """One answer set for the audit, and its voices. A single file comes back unchanged.

    Staff come either as their aggregate (``staff``, a ``staff.yaml``) or as individual
    answers files among ``answer_sets``, which are counted together into an aggregate
    first (``answers.staff``): the merge only ever sees counts at or above the floor. The
    two are never mixed (mixing would let files reach a floor the others alone did not)."""
    respondents = tuple(Respondent(Path(p), a.speaks_as, a) for p, a in answer_sets)
    owners = tuple(r for r in respondents if r.role == "owner")
    if not owners:
        where = str(respondents[0].path) if respondents else str(staff.path if staff else "")
        raise InputError.single(
            where,
            _("an audit needs the owner's answers: every file given is a staff member's"),
            expected=_("one answers file with respondent.speaks_as: owner (or without speaks_as)"),
            fix=_("add the owner's answers file to the command"),
        )
    _same_business(respondents, staff)
    people = [r for r in respondents if r.role != "owner"]
    base = owners[0].answers
    if people and staff is not None:
        raise InputError.single(
            str(people[0].path),
            fill(
                _(
                    "is one staff member's answers file, and {file} already holds the staff's "
                    "answers counted together"
                ),
                file=staff.path.name if staff.path else _("a staff answers file"),
            ),
            expected=_(
                "either the staff's aggregate (staff.yaml) or their answers files, not both"
            ),
            fix=_("give one of the two"),
        )
    staff_files: tuple[Path, ...] = tuple(r.path for r in people)
    if people:
        staff = publish(
            rubric, base.business, tally(rubric, [r.answers for r in people]), source="files"
        )
    elif staff is not None:
        check_against(staff, rubric)
        staff_files = (staff.path,) if staff.path else ()
    if staff is None and len(owners) == 1:
        return base, Voices(owners, staff_counted=False)
    cells = staff.cells if staff is not None else {}
    asked_staff = [q.id for q in counted_questions(rubric)]
    withheld = tuple(q for q in asked_staff if q not in cells) if staff is not None else ()
    voices = Voices(
        owners, staff_counted=bool(cells), staff=staff, staff_files=staff_files, withheld=withheld
    )
    if staff is not None and staff.senders and withheld:
        floor = staff.floor
        voices.notes.append(
            _(
                "on {withheld} of the {asked} questions put to staff, too few answered to show "
                "(fewer than {floor}): their answers are kept apart, so that nobody's answer can "
                "be read off the result"
            ).format(withheld=len(withheld), asked=len(asked_staff), floor=floor)
            if cells
            else _(
                "{who} answered; staff answers are shown only where at least {floor} answered a "
                "question, and are kept apart until then, so that nobody's answer can be read "
                "off the result"
            ).format(who=voices.who(), floor=floor)
        )
    merged = replace(base, answers=dict(base.answers))
    owner_values = {
        q.id: _median_value(q, [o.answers.answers.get(q.id) for o in owners])
        for q in rubric.questions
    }
    differences, sums, not_known = [], {}, []
    for question in counted_questions(rubric):
        cell = cells.get(question.id)
        if cell is None:
            continue
        asked_owner = "owner" in question.ask
        owner = owner_values[question.id] if asked_owner else None
        credits = [  # "don't know" is no answer on the scale: it never enters the merge
            question.scale.level(value).credit
            for value, count in cell.levels.items()
            if value != UNKNOWN
            for _ in range(count)
        ]
        if cell.unknown:
            not_known.append(
                NotKnown(question.id, question.principle, question.text, cell.unknown, cell.people)
            )
        value = _merged_value(question, owner, credits, asked_owner)
        if value is not None:
            merged.answers[question.id] = value
        if asked_owner and owner is not None and owner.is_given and credits:
            owner_credit = question.scale.level(owner.value).credit
            mean = statistics.fmean(credits)
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
                        _distribution(question.scale, cell),
                        cell.answered,
                        _label(question.scale, merged.answers.get(question.id)),
                        owner_credit - mean,
                        tuple(sorted(cell.notes)),
                        cell.unknown,
                    )
                )
    voices.differences = tuple(sorted(differences, key=lambda d: (-abs(d.gap), d.question_id)))
    voices.not_known = tuple(not_known)
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
    question: Question, owner: Answer | None, credits: list[float], asked_owner: bool
) -> Answer | None:
    """The merged answer to one safeguard (the module's rule); None leaves the owner's."""
    if not credits:
        return None if asked_owner else Answer()
    staff_credit = statistics.median(credits)
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


def _distribution(scale: Scale, cell: Cell) -> tuple[tuple[str, int], ...]:
    counts = {level.value: cell.levels.get(level.value, 0) for level in scale.levels}
    return tuple((scale.level(v).label, n) for v, n in counts.items() if n)


def _label(scale: Scale, answer: Answer | None) -> str:
    if answer is None or answer.value is None:
        return _("unanswered")
    if answer.is_na:
        return _("not applicable")
    return scale.level(answer.value).label


def _same_business(respondents: Sequence[Respondent], staff: StaffAggregate | None) -> None:
    """Every file is of one business and one rubric: a file of another audit is refused."""
    first = respondents[0]
    others = [(r.path, r.answers.rubric_id, r.answers.business) for r in respondents[1:]]
    if staff is not None:
        others.append((staff.path or Path("staff.yaml"), staff.rubric_id, staff.business))
    for path, rubric_id, business in others:
        for what, mine, theirs in (
            ("rubric", first.answers.rubric_id, rubric_id),
            ("business", first.answers.business.get("name", ""), business.get("name", "")),
        ):
            if theirs and mine and theirs != mine:
                raise InputError.single(
                    str(path),
                    fill(
                        _("is for another rubric ({theirs}) than {file} ({mine})")
                        if what == "rubric"
                        else _("is for another business ({theirs}) than {file} ({mine})"),
                        theirs=repr(theirs),
                        file=first.path.name,
                        mine=repr(mine),
                    ),
                    expected=_("the answers files of one audit: one business, one rubric"),
                    fix=_("give the files of one audit only"),
                )
