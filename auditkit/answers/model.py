"""Answers as plain objects, and which questions apply given the answers so far.

A question is *answered* with a value on its scale, *not applicable* (``n/a`` with a reason,
where the rubric allows it), *skipped* (the owner wants to come back to it) or simply
*unanswered*. A question whose ``when:`` condition does not hold is *not asked*: an answer it
already has is kept in the file but not counted, so changing an earlier answer back restores it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from auditkit.i18n import N_
from auditkit.rubric.model import Question, Rubric

# One limit for a note wherever it is typed or read: the browser form (maxlength), the server,
# the terminal and 'answers validate'. A page of evidence fits; a pasted file does not.
NOTE_LIMIT = 20_000

NOT_APPLICABLE = "n/a"
# "Don't know / never measured": an answer (the owner did answer) that says nothing about the
# practice. It counts towards completeness and is shown as such, but scores exactly as an open
# safeguard: missing at the pessimistic end, met at the optimistic one — never silently "no".
# Allowed on every safeguard; on the automation inventory only for staff and others (the owner
# knows what the business bought; staff say what they see, or that they do not know):
# ``unknown_allowed``.
UNKNOWN = "unknown"
UNKNOWN_LABEL = N_("Don't know")  # shown through _() where a person reads it
# Staff respondents needed before their answers count or are shown (answers.voices).
ANONYMITY_FLOOR = 3
FORMAT = "auditkit-answers/1"
ACTION_STATUSES = ("open", "in progress", "done", "dropped")
# How a person reads each status (through _()): the report's plan, and what a plan file may
# say instead of the code (a German owner writes "erledigt" for done).
ACTION_STATUS_WORDS = {
    "open": N_("open"),
    "in progress": N_("in progress"),
    "done": N_("done"),
    "dropped": N_("dropped"),
}


@dataclass(frozen=True)
class PlannedAction:
    """What the business decided to do about one recommendation (``actions:`` in the file).

    Filled in by hand or by ``auditkit plan import``; ``due`` is an ISO date (YYYY-MM-DD) or
    empty. A follow-up audit counts which are done and which are overdue.
    """

    owner: str = ""
    due: str = ""
    status: str = "open"
    note: str = ""


@dataclass(frozen=True)
class Answer:
    value: str | None = None  # a value on the question's scale, "n/a", or None (skipped)
    note: str = ""
    na_reason: str = ""
    answered_at: str = ""
    skipped: bool = False
    # Staff: "my note may be shown, without my name". Without it a staff member's note is
    # never shown to anyone; an owner's notes are theirs to show.
    share_note: bool = False

    @property
    def is_na(self) -> bool:
        return self.value == NOT_APPLICABLE

    @property
    def is_unknown(self) -> bool:
        return self.value == UNKNOWN

    @property
    def is_given(self) -> bool:
        """An answer on the scale (not N/A, not "don't know", not skipped)."""
        return self.value is not None and not self.is_na and not self.is_unknown


@dataclass
class AnswerSet:
    """Everything an answers file holds."""

    rubric_id: str
    rubric_version: str = ""
    rubric_sha256: str = ""
    sector: str | None = None
    rubric_file: str | None = (
        None  # set only for a rubric given as a file, relative to the answers file
    )
    business: dict[str, str] = field(default_factory=dict)
    respondent: dict[str, str] = field(default_factory=dict)
    started: str = ""
    updated: str = ""
    answers: dict[str, Answer] = field(default_factory=dict)
    # The rubric's question ids when the file was last saved: tells new questions from
    # questions simply not reached yet when the rubric changes under a half-finished file.
    rubric_questions: tuple[str, ...] = ()
    actions: dict[str, PlannedAction] = field(default_factory=dict)  # question id → plan

    def with_answer(self, question_id: str, answer: Answer) -> AnswerSet:
        answers = dict(self.answers)
        answers[question_id] = answer
        return replace(self, answers=answers)

    def values(self) -> dict[str, str | None]:
        return {qid: answer.value for qid, answer in self.answers.items()}

    @property
    def speaks_as(self) -> str:
        """The respondent's role (``respondent.speaks_as``): owner unless the file says staff
        or other, so a file from before several voices scores as it always did."""
        return self.respondent.get("speaks_as") or "owner"


@dataclass(frozen=True)
class AnswerCounts:
    """How far the questions asked have been answered; every question falls in one bucket."""

    asked: int
    answered: int  # on the scale
    not_applicable: int
    skipped: int
    unanswered: int
    unknown: int = 0  # "don't know": answered, but open for scoring

    @property
    def given(self) -> int:
        """Answered on the scale, marked not applicable or "don't know": what completeness
        counts (the owner has said all they can)."""
        return self.answered + self.not_applicable + self.unknown


def unknown_allowed(question: Question, role: str) -> bool:
    """Whether "don't know" is an answer to ``question`` from a respondent of ``role``: on
    every safeguard, and on the inventory for everyone but the owner. A staff member's "don't
    know" on the inventory brings in none of that automation's follow-up questions and never
    counts towards the adoption phase (only the owner's inventory does, answers.voices)."""
    return question.kind != "adoption" or role != "owner"


def count_answers(asked: Iterable[Question], answers: AnswerSet) -> AnswerCounts:
    """Count the answers to the questions ``asked`` (already filtered by their conditions)."""
    buckets = {"answered": 0, "not_applicable": 0, "skipped": 0, "unanswered": 0, "unknown": 0}
    total = 0
    for question in asked:
        total += 1
        answer = answers.answers.get(question.id)
        if answer is None or answer.value is None:
            buckets["skipped" if answer is not None and answer.skipped else "unanswered"] += 1
        elif answer.is_na:
            buckets["not_applicable"] += 1
        elif answer.is_unknown:
            buckets["unknown"] += 1
        else:
            buckets["answered"] += 1
    return AnswerCounts(asked=total, **buckets)


def applies(question: Question, rubric: Rubric, values: Mapping[str, str | None]) -> bool:
    """Whether ``question`` is asked, given answer ``values`` by question id.

    A condition on a question that is itself not asked does not hold: chatbot follow-up
    questions disappear with the chatbot question they depend on.
    """
    if not question.when:
        return True
    for condition in question.when:
        if all(
            values.get(target) in allowed and applies(rubric.question(target), rubric, values)
            for target, allowed in condition.answers
        ):
            return True
    return False


def applicable_questions(rubric: Rubric, values: Mapping[str, str | None]) -> list[Question]:
    """The questions asked for these answers, in asking order."""
    return [q for q in rubric.questions if applies(q, rubric, values)]


def questions_for(rubric: Rubric, answers: AnswerSet) -> list[Question]:
    """The questions put to this file's respondent: those that apply to the answers so far
    and that the rubric's ``ask:`` puts to their role (staff are not asked about vendors)."""
    role = answers.speaks_as
    return [q for q in applicable_questions(rubric, answers.values()) if q.asks(role)]
