"""How many questions a respondent is asked, and how long that takes: the rule every front end
shows (the question pages, the opening page, a staff member's welcome), so that what is
promised is what is asked.

The inventory comes first and its answers decide which safeguards follow. So the length is a
range: the questions that are asked whatever the open answers turn out to be (``least``), and
those that some answers to them could bring in (``most``). Once every question a condition looks
at is answered, the two meet and the length is exact; it moves again only when an answer a
condition looks at is changed. A skipped question is open (it may still be answered); "don't
know" and "not applicable" are answers, and bring in no follow-up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from auditkit.rubric.model import Question, Rubric

# What one question takes, reading the help now and then: staff of the testers' guest house
# took 20–40 seconds a question, owners (who look things up) a little longer.
SECONDS_PER_QUESTION = {"owner": 35, "staff": 30, "other": 30}


@dataclass(frozen=True)
class Length:
    """How many questions are asked: between ``least`` and ``most`` (equal once exact)."""

    least: int
    most: int
    role: str = "owner"

    @property
    def exact(self) -> bool:
        return self.least == self.most

    @property
    def minutes(self) -> tuple[int, int]:
        """(fewest, most) minutes, rounded up to whole 5 minutes (never 0): a promise a
        person can plan around, which the slower end still keeps."""
        seconds = SECONDS_PER_QUESTION.get(self.role, 30)
        return tuple(max(5, 5 * math.ceil(n * seconds / 300)) for n in (self.least, self.most))

    def plus(self, other: Length) -> Length:
        """The range covering both (the opening page, before a sector is chosen)."""
        return Length(min(self.least, other.least), max(self.most, other.most), self.role)


def length(rubric: Rubric, values: Mapping[str, str | None], role: str = "owner") -> Length:
    """How many questions of ``rubric`` a respondent of ``role`` is asked, given the answer
    ``values`` so far (question id → value; None or absent: not answered yet)."""
    asked = [q for q in rubric.questions if q.asks(role)]
    least = sum(1 for q in asked if _must_apply(q, rubric, values))
    most = sum(1 for q in asked if _could_apply(q, rubric, values))
    return Length(least, most, role)


def length_before_starting(rubric: Rubric, role: str = "owner") -> Length:
    """The length before any answer: from everything "no" to everything in use."""
    return length(rubric, {}, role)


def _open(values: Mapping[str, str | None], question_id: str) -> bool:
    return values.get(question_id) is None


def _must_apply(question: Question, rubric: Rubric, values: Mapping[str, str | None]) -> bool:
    """Asked whatever the open answers turn out to be: some alternative of its condition
    already holds on answers given (the rule of answers.model.applies, open answers failing)."""
    if not question.when:
        return True
    return any(
        all(
            not _open(values, target)
            and values.get(target) in allowed
            and _must_apply(rubric.question(target), rubric, values)
            for target, allowed in condition.answers
        )
        for condition in question.when
    )


def _could_apply(question: Question, rubric: Rubric, values: Mapping[str, str | None]) -> bool:
    """Asked for some answers to the open questions: every part of some alternative either
    holds already or waits on an open question whose scale has an allowed value."""
    if not question.when:
        return True
    return any(
        all(
            (
                values.get(target) in allowed
                or (
                    _open(values, target)
                    and any(v in allowed for v in rubric.question(target).scale.values)
                )
            )
            and _could_apply(rubric.question(target), rubric, values)
            for target, allowed in condition.answers
        )
        for condition in question.when
    )


def length_of_choices(rubric: str | None, sector: str | None, role: str) -> Length:
    """The length before the opening is filled in: of the sector given, or of the base
    rubric and every sector overlay that extends it (the one chosen is among them)."""
    from auditkit import DEFAULT_RUBRIC
    from auditkit.questionnaire.session import base_rubric_id, sectors_for
    from auditkit.rubric import load_rubric

    reference = rubric or DEFAULT_RUBRIC
    if sector:
        return length_before_starting(load_rubric(reference, sector), role)
    found = length_before_starting(load_rubric(reference), role)
    for sector_id, _ in sectors_for(base_rubric_id(rubric)):
        found = found.plus(length_before_starting(load_rubric(reference, sector_id), role))
    return found
