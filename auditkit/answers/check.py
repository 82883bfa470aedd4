"""Check an answers file against its rubric, and carry old answers over renamed questions.

Problems are located in the answers file (line and column) so a hand-edited file can be fixed
quickly. Question ids renamed in a newer rubric version are migrated through the rubric's
``migrations:`` map; ids the rubric says were removed are dropped and reported, never silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from auditkit.answers.model import Answer, AnswerSet, applies, unknown_allowed
from auditkit.errors import InputError, Problem, did_you_mean, fill, quoted_list
from auditkit.i18n import _
from auditkit.obligations.profile import PROFILE_IDS, check_profile_answer
from auditkit.rubric.model import Rubric
from auditkit.rubric.resolve import load_rubric
from auditkit.rubric.scales import parse_answer
from auditkit.yamlsource import YamlDocument, load_yaml


@dataclass
class Reconciliation:
    """The answers as the current rubric sees them, and what changed on the way."""

    answers: AnswerSet
    migrated: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    new_questions: list[str] = field(default_factory=list)

    @property
    def rubric_changed(self) -> bool:
        return bool(self.migrated or self.removed or self.new_questions)


def rubric_for(
    answer_set: AnswerSet,
    answers_path: Path | str,
    rubric: str | None = None,
    sector: str | None = None,
) -> Rubric:
    """The rubric an answers file was made with, unless the user names another one."""
    if rubric is None and answer_set.rubric_file:
        rubric = str(Path(answers_path).parent / answer_set.rubric_file)
    try:
        return load_rubric(rubric or answer_set.rubric_id, sector or answer_set.sector)
    except InputError as error:
        if rubric is not None and sector is not None:
            raise
        # The rubric or sector came from the answers file: point at the line that names it.
        sector_failed = sector is None and any(p.file == answer_set.sector for p in error.problems)
        if sector_failed:
            key = "sector"
        elif rubric is None:
            key = "file" if answer_set.rubric_file else "id"
        else:
            raise
        mark = load_yaml(answers_path).mark(("rubric", key))
        named = Problem(
            str(answers_path),
            _("the answers file names this sector")
            if key == "sector"
            else _("the answers file names this rubric"),
            line=mark.line,
            column=mark.column,
            fix=_("correct it, or name the rubric with {{rubric}} (and {{sector}})"),
        )
        raise InputError([*error.problems, named]) from None


def reconcile(
    answer_set: AnswerSet, rubric: Rubric, document: YamlDocument | None = None
) -> Reconciliation:
    """Migrate old ids and check every answer; raise InputError listing all problems."""
    problems: list[Problem] = []
    file = document.file if document else "answers"

    def problem(path: tuple, message: str, *, key: bool = False, **details: object) -> None:
        if document is not None:
            problems.append(document.problem(path, message, key=key, **details))
        else:
            problems.append(Problem(file, message, **details))  # type: ignore[arg-type]

    if answer_set.rubric_id and answer_set.rubric_id != rubric.id:
        problem(
            ("rubric", "id"),
            fill(
                _("these answers are for rubric {theirs}, not {ours}"),
                theirs=repr(answer_set.rubric_id),
                ours=repr(rubric.id),
            ),
            fix=_("score them with the rubric they were made for, or start a new answers file"),
        )

    def unknown(section: str, old_id: str, ids: set[str], message: str, expected: str, fix: str):
        """An id the rubric does not have, with the closest one it does."""
        guess = did_you_mean(old_id, ids)
        problem(
            (section, old_id),
            message,
            key=True,
            expected=expected,
            found=repr(old_id),
            fix=fill(_("did you mean {guess}?"), guess=repr(guess)) if guess else fix,
        )

    known = {q.id for q in rubric.questions}
    result = Reconciliation(answers=replace(answer_set, answers={}))
    for old_id, answer in answer_set.answers.items():
        if old_id in PROFILE_IDS:
            # Where the business serves customers and its size: not rubric questions, but the
            # opening's answers that decide which rules are named (``obligations.profile``).
            wrong = check_profile_answer(old_id, str(answer.value)) if answer.value else None
            if wrong:
                problem(
                    ("answers", old_id, "answer"),
                    fill(_("the answer to {question} is not valid"), question=repr(old_id)),
                    expected=wrong,
                    found=repr(answer.value),
                )
            result.answers.answers[old_id] = answer
            continue
        question_id = old_id
        if old_id not in known and old_id in rubric.migrations:
            target = rubric.migrations[old_id]
            if target is None:
                result.removed.append(old_id)
                continue
            if target in answer_set.answers:
                result.removed.append(old_id)  # the new id was answered too: the newer answer wins
                continue
            question_id = target
            result.migrated.append((old_id, target))
        if question_id not in known:
            unknown(
                "answers",
                old_id,
                known,
                fill(
                    _("{question} is not a question of rubric {rubric} {version}"),
                    question=repr(old_id),
                    rubric=repr(rubric.id),
                    version=rubric.version,
                ),
                _("a question id of the rubric (see 'auditkit rubric show')"),
                _("remove this answer, or check the rubric"),
            )
            continue
        if question_id in result.answers.answers and old_id != question_id:
            # Several old questions fold into one entry (rubric 1.3.0's three back-office
            # questions): the strongest answer counts, whichever came first in the file.
            kept = result.answers.answers[question_id]
            if _credit(rubric, question_id, kept) >= _credit(rubric, question_id, answer):
                continue
        if answer.value is not None and not answer.is_na and not answer.is_unknown:
            # A hand-edited 'Live' or 'Y' is the scale's 'live' or 'yes': stored canonical.
            canonical = parse_answer(rubric.question(question_id).scale, answer.value)
            answer = replace(answer, value=canonical) if canonical else answer
        _check_answer(rubric, question_id, old_id, answer, problem, answer_set.speaks_as)
        result.answers.answers[question_id] = answer
    result.answers.actions = {}
    safeguards = {q.id for q in rubric.safeguards}
    for old_id, action in answer_set.actions.items():
        question_id = rubric.migrations.get(old_id, old_id) if old_id not in known else old_id
        if question_id is None:
            continue  # the question was removed; so is the plan for it
        if question_id not in safeguards:
            unknown(
                "actions",
                old_id,
                safeguards,
                fill(
                    _("the action {question} is not for a safeguard of rubric {rubric}"),
                    question=repr(old_id),
                    rubric=repr(rubric.id),
                ),
                _("the question id of a recommendation (see 'auditkit plan')"),
                _("remove this action"),
            )
            continue
        result.answers.actions[question_id] = action
    if problems:
        raise InputError(problems)
    if answer_set.rubric_sha256 and answer_set.rubric_sha256 != rubric.sha256:
        # New means: not in the rubric the file was saved with (after migrations), and asked.
        before = {rubric.migrations.get(q, q) for q in answer_set.rubric_questions}
        values = result.answers.values()
        result.new_questions = [
            q.id
            for q in rubric.questions
            if q.id not in result.answers.answers
            and (q.id not in before if before else True)
            and applies(q, rubric, values)
        ]
    return result


def _credit(rubric: Rubric, question_id: str, answer: Answer) -> float:
    """An answer's credit on its question's scale; -1 for anything not on it."""
    scale = rubric.question(question_id).scale
    value = parse_answer(scale, answer.value) if answer.value is not None else None
    return scale.level(value).credit if value else -1.0


def _check_answer(
    rubric: Rubric, question_id: str, file_id: str, answer: Answer, problem, role: str = "owner"
) -> None:
    question = rubric.question(question_id)
    at = ("answers", file_id, "answer")
    if answer.is_unknown:
        if not unknown_allowed(question, role):
            problem(
                at,
                fill(
                    _(
                        "{question} asks whether an automation is in use: 'unknown' is not an "
                        "answer to it"
                    ),
                    question=repr(question_id),
                ),
                expected=fill(_("one of {choices}"), choices=quoted_list(question.scale.values)),
                found="'unknown'",
                fix=_("answer 'no' if you do not use it, 'planned' if it is only decided"),
            )
        return
    if answer.is_na:
        if not question.allow_na:
            problem(
                at,
                fill(_("{question} does not allow 'not applicable'"), question=repr(question_id)),
                expected=fill(_("one of {choices}"), choices=quoted_list(question.scale.values)),
                found="'n/a'",
                fix=_("choose the answer closest to the truth; 'no' if the practice is missing"),
            )
        elif not answer.na_reason:
            problem(
                at,
                fill(_("'n/a' for {question} needs a reason"), question=repr(question_id)),
                expected=_("na_reason: one line saying why the question does not apply"),
                found=_("no na_reason"),
                fix=_("add 'na_reason: …' next to the answer"),
            )
        return
    if answer.value is not None and answer.value not in question.scale.values:
        allowed = list(question.scale.values) + (["n/a"] if question.allow_na else [])
        allowed += ["unknown"] if unknown_allowed(question, role) else []
        guess = did_you_mean(answer.value, allowed)
        problem(
            at,
            fill(
                _("{answer} is not an answer on the {scale} scale of {question}"),
                answer=repr(answer.value),
                scale=question.scale.id,
                question=repr(question_id),
            ),
            expected=fill(_("one of {choices}"), choices=quoted_list(allowed)),
            found=repr(answer.value),
            fix=fill(_("did you mean {guess}?"), guess=repr(guess))
            if guess
            else fill(_("use one of {choices}"), choices=quoted_list(allowed)),
        )
