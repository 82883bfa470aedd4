"""Compare two audits of the same business: what moved, question by question.

Both answers files are read with the rubric the *later* audit uses; the earlier file's answers
are carried over renamed questions through the rubric's ``migrations:``, and questions that
exist in only one version are listed as new or removed, never silently dropped. Pure: no I/O
(``run.py`` loads the files), no clock (an action is overdue against the later audit's date).
"""

from __future__ import annotations

from collections.abc import Sequence

from auditkit.answers.model import UNKNOWN_LABEL, AnswerSet
from auditkit.errors import InputError, fill
from auditkit.followup.model import (
    ActionProgress,
    AnswerChange,
    BiasChange,
    Comparison,
    OverdueAction,
    PhaseChange,
    PrincipleChange,
    ViewsChange,
)
from auditkit.i18n import _
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
    views_before: dict | None = None,
) -> Comparison:
    """What moved between ``before`` and ``after`` (both scored with the later rubric)."""
    old, new = before.reconciliation.answers, after.reconciliation.answers
    rubric = after.rubric  # both files are read with it (run.compare_files)
    notes = []
    check_order(old, new, files=files, force=force, notes=notes)
    if not same_business(old, new):
        names = f"{old.business.get('name') or '(unnamed)'!r} and {new.business.get('name') or '(unnamed)'!r}"
        if not force:
            raise InputError.single(
                files[1],
                fill(_("these are audits of two businesses, {names}"), names=names),
                fix=_(
                    "compare two audits of the same business, or add --force if the business "
                    "was renamed"
                ),
            )
        notes.append(f"Compared with --force although the business names differ ({names}).")
    made_with = old.rubric_version or "an older version"
    if (
        old.rubric_version != rubric.version
        and made_with.split(".")[0] != rubric.version.split(".")[0]
    ):
        notes.append(
            f"The scoring model changed between these audits (rubric {made_with} → "
            f"{rubric.version}): the earlier audit is scored again with the later rubric, so its "
            "verdict here may differ from the one it had then; what it did not answer under the "
            "new rubric counts as open, never guessed."
        )
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
        actions=action_progress(new.actions or old.actions, rubric, audit_date(new)),
        notes=tuple(notes),
        views=_views_change(views_before, after),
    )


def _views_change(before: dict | None, after: ScoredFile) -> ViewsChange | None:
    """How far the owner's and the staff's views were apart then (from the earlier record's
    score) and now; None when neither audit had counted staff answers."""
    then = before.get("distance") if before else None
    voices = after.voices
    now = voices.distance if voices is not None else None
    if then is None and now is None:
        return None
    return ViewsChange(
        then,
        len(before.get("differences", [])) if before else 0,
        now,
        len(voices.differences) if voices is not None else 0,
    )


def _label(question: Question, answers: AnswerSet) -> str:
    answer = answers.answers.get(question.id)
    if answer is None or answer.value is None:
        return "—"
    if answer.is_na:
        return "Not applicable"
    if answer.is_unknown:
        return UNKNOWN_LABEL
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
    if question.kind == "adoption" or a.is_unknown or b.is_unknown:
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
        for _check, metric, group in [key]
    ]


def action_progress(actions: dict, rubric: Rubric, today: str) -> ActionProgress:
    """How far the planned actions got; overdue against ``today`` (the later audit's date),
    each overdue action named with its owner and due date, the most overdue first."""
    done = sum(1 for a in actions.values() if a.status == "done")
    dropped = sum(1 for a in actions.values() if a.status == "dropped")
    known = {q.id: q for q in rubric.questions}
    overdue = tuple(
        sorted(
            (
                OverdueAction(
                    question_id,
                    _action_text(known.get(question_id), question_id),
                    action.owner,
                    action.due,
                )
                for question_id, action in actions.items()
                if action.status not in ("done", "dropped")
                and action.due
                and today
                and action.due < today
            ),
            key=lambda item: (item.due, item.question_id),
        )
    )
    return ActionProgress(planned=len(actions), done=done, overdue=overdue, dropped=dropped)


def _action_text(question: Question | None, question_id: str) -> str:
    if question is None:
        return question_id
    return question.recommendation or question.text


def check_order(
    old: AnswerSet, new: AnswerSet, *, files: tuple[str, str], force: bool, notes: list[str]
) -> None:
    """A follow-up compares an earlier audit with a later one of the same sector: the two in
    the wrong order, the same audit twice, or two sectors (whose questions differ) are said,
    not compared as if nothing were odd. ``--force`` lets a deliberate reversed order through."""
    before_day, after_day = audit_date(old), audit_date(new)
    if old.answers == new.answers and old.business == new.business and before_day == after_day:
        raise InputError.single(
            files[1],
            fill(
                _("this is the same audit as {file} (the same answers, the same day)"),
                file=files[0],
            ),
            fix=_("compare the last audit with this year's answers file"),
        )
    if before_day and after_day and before_day > after_day:
        if not force:
            raise InputError.single(
                files[0],
                fill(
                    _("the 'before' audit is dated {before}, after the 'after' audit ({after})"),
                    before=before_day,
                    after=after_day,
                ),
                fix=_("give the earlier audit first, or add --force to compare them as given"),
            )
        notes.append(f"Compared with --force although 'before' ({before_day}) is later.")
    refuse_other_sector(old.sector, new.sector, files[1])


def refuse_other_sector(before: str | None, after: str | None, file: str) -> None:
    """Two sectors' audits ask different questions: there is no fair comparison of them."""
    if (before or None) != (after or None):
        raise InputError.single(
            file,
            fill(
                _(
                    "the audits were made for different sectors, {before} and {after}: their "
                    "questions differ, so their scores cannot be compared"
                ),
                before=repr(before or _("no sector")),
                after=repr(after or _("no sector")),
            ),
            fix=_("compare two audits made for the same sector"),
        )
