"""The questionnaire's state: where the owner is, what they answered, saved after every change.

The session owns the question loop; front ends (a terminal UI, plain line prompts) only show a
question and report what the owner did. Every change is written to the answers file at once,
atomically, so stopping at any moment — Ctrl-C, a closed laptop, ``kill -9`` — loses at most
the answer being typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from auditkit.answers.check import Reconciliation, reconcile
from auditkit.answers.model import (
    NOT_APPLICABLE,
    Answer,
    AnswerCounts,
    AnswerSet,
    applicable_questions,
    applies,
    count_answers,
)
from auditkit.answers.store import load_answers, save_answers
from auditkit.rubric.model import Question, Rubric


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class Session:
    rubric: Rubric
    answers: AnswerSet
    path: Path
    position: int = 0  # index into the questions asked now
    history: list[str] = field(default_factory=list)  # question ids visited, for 'back'
    changes: Reconciliation | None = None  # what changed since the file was started

    # ------------------------------------------------------------------ opening and resuming
    @classmethod
    def start(
        cls, rubric: Rubric, path: Path, business: dict[str, str], respondent: dict[str, str]
    ) -> Session:
        stamp = now()
        answers = AnswerSet(
            rubric_id=rubric.id,
            rubric_version=rubric.version,
            rubric_sha256=rubric.sha256,
            sector=rubric.sector,
            rubric_file=_rubric_file(rubric, path),
            business=business,
            respondent=respondent,
            started=stamp,
            updated=stamp,
        )
        session = cls(rubric, answers, Path(path))
        session.save()
        return session

    @classmethod
    def resume(cls, rubric: Rubric, path: Path) -> Session:
        """Continue a file: migrate renamed questions, and start at the first unanswered one."""
        answer_set, document = load_answers(path)
        changes = reconcile(answer_set, rubric, document)
        answers = replace(
            changes.answers,
            rubric_version=rubric.version,
            rubric_sha256=rubric.sha256,
            sector=rubric.sector,
        )
        session = cls(rubric, answers, Path(path), changes=changes)
        session.position = session.first_open()
        if changes.migrated or changes.removed:
            session.save()
        return session

    # ------------------------------------------------------------------ what is asked
    def questions(self) -> list[Question]:
        """The questions asked for the answers so far, in order (conditions re-evaluated)."""
        return applicable_questions(self.rubric, self.answers.values())

    def current(self) -> Question | None:
        asked = self.questions()
        return asked[self.position] if self.position < len(asked) else None

    def answer_of(self, question_id: str) -> Answer | None:
        return self.answers.answers.get(question_id)

    def is_open(self, question: Question) -> bool:
        answer = self.answer_of(question.id)
        return answer is None or answer.value is None

    def first_open(self) -> int:
        asked = self.questions()
        for index, question in enumerate(asked):
            if self.is_open(question):
                return index
        return len(asked)

    def open_questions(self) -> tuple[list[Question], list[Question]]:
        """(unanswered, skipped) among the questions asked now."""
        unanswered, skipped = [], []
        for question in self.questions():
            answer = self.answer_of(question.id)
            if answer is not None and answer.skipped and answer.value is None:
                skipped.append(question)
            elif self.is_open(question):
                unanswered.append(question)
        return unanswered, skipped

    def not_counted(self) -> list[str]:
        """Answers kept in the file for questions whose condition no longer holds."""
        values = self.answers.values()
        return [
            q.id
            for q in self.rubric.questions
            if q.id in self.answers.answers and not applies(q, self.rubric, values)
        ]

    # ------------------------------------------------------------------ what the owner does
    def answer(self, value: str, note: str | None = None) -> None:
        question = self._require_current()
        previous = self.answer_of(question.id) or Answer()
        self._set(
            question,
            Answer(value=value, note=previous.note if note is None else note, answered_at=now()),
        )
        self._advance(question)

    def not_applicable(self, reason: str, note: str | None = None) -> None:
        question = self._require_current()
        if not question.allow_na:
            raise ValueError(f"{question.id} does not allow 'not applicable'")
        if not reason.strip():
            raise ValueError("a reason is required")
        previous = self.answer_of(question.id) or Answer()
        self._set(
            question,
            Answer(
                value=NOT_APPLICABLE,
                na_reason=reason.strip(),
                note=previous.note if note is None else note,
                answered_at=now(),
            ),
        )
        self._advance(question)

    def note(self, text: str) -> None:
        """Keep a note at once, even before the question is answered."""
        question = self._require_current()
        previous = self.answer_of(question.id) or Answer()
        self._set(question, replace(previous, note=text.strip()))

    def skip(self) -> None:
        question = self._require_current()
        previous = self.answer_of(question.id) or Answer()
        if previous.value is None:
            self._set(question, replace(previous, skipped=True))
        self._advance(question)

    def back(self) -> bool:
        if not self.history:
            return False
        target = self.history.pop()
        return self.go_to(target, remember=False)

    def go_to(self, question_id: str, *, remember: bool = True) -> bool:
        ids = [q.id for q in self.questions()]
        if question_id not in ids:
            return False
        current = self.current()
        if remember and current is not None:
            self.history.append(current.id)
        self.position = ids.index(question_id)
        return True

    # ------------------------------------------------------------------ saving
    def save(self) -> None:
        self.answers.updated = now()
        self.answers.rubric_questions = tuple(q.id for q in self.rubric.questions)
        save_answers(self.answers, self.path)

    def _set(self, question: Question, answer: Answer) -> None:
        self.answers.answers[question.id] = answer
        self.save()

    def _advance(self, question: Question) -> None:
        # Conditions may have changed: find the answered question in the new list, move past it.
        self.history.append(question.id)
        ids = [q.id for q in self.questions()]
        self.position = ids.index(question.id) + 1 if question.id in ids else self.position

    def _require_current(self) -> Question:
        question = self.current()
        if question is None:
            raise IndexError("no current question")
        return question

    def summary(self) -> AnswerCounts:
        return count_answers(self.questions(), self.answers)


def _rubric_file(rubric: Rubric, path: Path) -> str | None:
    """For a rubric given as a file (not shipped, not found by id), remember where it is."""
    from auditkit.rubric import registry

    source = Path(rubric.sources[0]).resolve() if rubric.sources else None
    if source is None:
        return None
    known = {entry.file.resolve() for entry in registry.entries()}
    if source in known:
        return None
    try:
        return str(source.relative_to(Path(path).resolve().parent))
    except ValueError:
        return str(source)
