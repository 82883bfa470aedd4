"""Compare two audits of the same business: what moved, question by question.

Both answers files are read with the rubric the *later* audit uses; the earlier file's answers
are carried over renamed questions through the rubric's ``migrations:``, and questions that
exist in only one version are listed as new or removed, never silently dropped. Pure: no I/O
(``run.py`` loads the files), no clock (an action is overdue against the later audit's date).
"""

from __future__ import annotations

from collections.abc import Sequence

from auditkit.answers.model import AnswerSet
from auditkit.errors import InputError
from auditkit.followup.model import (
    ActionProgress,
    AnswerChange,
    BiasChange,
    Comparison,
    PhaseChange,
    PrincipleChange,
)
from auditkit.rubric.model import Question, Rubric
from auditkit.scoring.run import ScoredFile


def audit_date(answers: AnswerSet) -> str:
    """The day an audit was made: its last save, else its start (ISO timestamps)."""
    return (answers.updated or answers.started or "")[:10]


def same_business(before: AnswerSet, after: AnswerSet) -> bool:
    def name(answers: AnswerSet) -> str:
        return " ".join((answers.business.get("name") or "").casefold().split())

    return name(before) == name(after)


def compare(
    before: ScoredFile,
    after: ScoredFile,
    *,
    bias_before: Sequence[dict] = (),
    bias_after: Sequence[dict] = (),
    force: bool = False,
    files: tuple[str, str] = ("before", "after"),
) -> Comparison:
    """What moved between ``before`` and ``after`` (both scored with the later rubric)."""
    old, new = before.reconciliation.answers, after.reconciliation.answers
    rubric = after.rubric  # both files are read with it (run.compare_files)
    notes = []
    if not same_business(old, new):
        names = f"{old.business.get('name') or '(unnamed)'!r} and {new.business.get('name') or '(unnamed)'!r}"
        if not force:
            raise InputError.single(
                files[1],
                f"these are audits of two businesses, {names}",
                fix="compare two audits of the same business, or add --force if the business "
                "was renamed",
            )
        notes.append(f"Compared with --force although the business names differ ({names}).")
    for old_id, new_id in before.reconciliation.migrated:
        notes.append(
            f"{old_id!r} was renamed {new_id!r} in the rubric; its earlier answer carried over."
        )
    before_result, after_result = before.result, after.result
    return Comparison(
        business=new.business.get("name") or "(business not named)",
        rubric=f"{rubric.id} {rubric.version}",
        before_date=audit_date(old),
        after_date=audit_date(new),
        before=before_result,
        after=after_result,
        phases=tuple(
            PhaseChange(
                a.phase,
                a.name,
                a.coverage,
                b.coverage,
                a.phase <= before_result.safeguard_phase,
                b.phase <= after_result.safeguard_phase,
            )
            for a, b in zip(before_result.phases, after_result.phases, strict=True)
        ),
        principles=tuple(
            PrincipleChange(a.id, a.title, a.percent, b.percent)
            for a, b in zip(before_result.principles, after_result.principles, strict=True)
        ),
        changes=tuple(_answer_changes(rubric, before, after)),
        closed=tuple(
            r
            for r in before_result.recommendations
            if r.question_id not in {n.question_id for n in after_result.recommendations}
        ),
        opened=tuple(
            r
            for r in after_result.recommendations
            if r.question_id not in {o.question_id for o in before_result.recommendations}
        ),
        bias=tuple(_bias_changes(bias_before, bias_after)),
        actions=action_progress(new.actions or old.actions, after_result, audit_date(new)),
        notes=tuple(notes),
    )


def _label(question: Question, answers: AnswerSet) -> str:
    answer = answers.answers.get(question.id)
    if answer is None or answer.value is None:
        return "—"
    if answer.is_na:
        return "Not applicable"
    return question.scale.level(answer.value).label


def _answer_changes(rubric: Rubric, before: ScoredFile, after: ScoredFile) -> list[AnswerChange]:
    old, new = before.reconciliation.answers, after.reconciliation.answers
    known_before = {before.rubric.migrations.get(q, q) for q in old.rubric_questions} - {None}
    changes = []
    for question in rubric.questions:
        a, b = old.answers.get(question.id), new.answers.get(question.id)
        label_a, label_b = _label(question, old), _label(question, new)
        if label_a == label_b:
            continue
        kind = _change_kind(question, a, b, known_before)
        changes.append(
            AnswerChange(
                question.id,
                question.text,
                question.principle,
                question.kind,
                kind,
                label_a,
                label_b,
                a.note if a else "",
                b.note if b else "",
            )
        )
    for removed in before.reconciliation.removed:
        changes.append(
            AnswerChange(
                removed,
                f"{removed} (no longer in the rubric)",
                "",
                "",
                "removed question",
                "answered",
                "—",
            )
        )
    return changes


def _change_kind(question: Question, a, b, known_before: set[str]) -> str:
    given_a = a is not None and a.value is not None
    given_b = b is not None and b.value is not None
    if not given_a and known_before and question.id not in known_before:
        return "new question"
    if not given_b:
        return "no longer answered"
    if not given_a:
        return "newly answered"
    if b.is_na:
        return "became not applicable"
    if a.is_na:
        return "no longer not applicable"
    if question.kind == "adoption":
        return "changed"
    credit_a, credit_b = question.scale.level(a.value).credit, question.scale.level(b.value).credit
    return (
        "improved" if credit_b > credit_a else ("regressed" if credit_b < credit_a else "changed")
    )


def _bias_changes(before: Sequence[dict], after: Sequence[dict]) -> list[BiasChange]:
    """Each metric's ratio for each group, before and after (only when both sides have it)."""

    def index(results: Sequence[dict]) -> dict[tuple[str, str, str], dict]:
        table = {}
        for data in results:
            for metric in data.get("metrics", []):
                for group in metric.get("groups", []):
                    table[(data.get("check", ""), metric["id"], group["group"])] = {
                        "label": metric.get("label", metric["id"]),
                        "ratio": group.get("ratio"),
                        "verdict": group.get("verdict", ""),
                    }
        return table

    old, new = index(before), index(after)
    return [
        BiasChange(
            metric,
            new[key]["label"],
            group,
            old[key]["ratio"],
            new[key]["ratio"],
            old[key]["verdict"],
            new[key]["verdict"],
        )
        for key in sorted(old.keys() & new.keys(), key=lambda k: (k[0], k[1], k[2]))
        for _, metric, group in [key]
    ]


def action_progress(actions: dict, result, today: str) -> ActionProgress:
    """How far the planned actions got; overdue against ``today`` (the later audit's date)."""
    done = sum(1 for a in actions.values() if a.status == "done")
    dropped = sum(1 for a in actions.values() if a.status == "dropped")
    overdue = tuple(
        question_id
        for question_id, action in actions.items()
        if action.status not in ("done", "dropped") and action.due and today and action.due < today
    )
    return ActionProgress(planned=len(actions), done=done, overdue=overdue, dropped=dropped)
