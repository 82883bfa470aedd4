"""From files to a comparison or a plan: the I/O edge around the pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from auditkit.answers.check import reconcile, rubric_for
from auditkit.answers.store import load_answers, save_answers
from auditkit.errors import InputError, fill
from auditkit.followup.compare import compare, refuse_other_sector
from auditkit.followup.model import Comparison
from auditkit.followup.plan import import_plan
from auditkit.followup.record import EarlierAudit, read_earlier
from auditkit.i18n import _
from auditkit.scoring.compute import score
from auditkit.scoring.evidence import from_bias_data, read_bias_json
from auditkit.scoring.run import ScoredFile, score_answers_file


def earlier_audit(before: EarlierAudit, later: ScoredFile) -> ScoredFile:
    """The earlier audit scored with the later audit's rubric and its own bias evidence, so
    both are read the same way; renamed questions carry over through the migrations."""
    answer_set, document = before.answers, before.document
    if answer_set.rubric_id != later.rubric.id:
        raise InputError.single(
            before.label,
            fill(
                _(
                    "the audits use different rubrics ({before} and {after}): there is no way "
                    "to carry answers from one to the other"
                ),
                before=repr(answer_set.rubric_id),
                after=repr(later.rubric.id),
            ),
            fix=_("compare two audits made with the same rubric (its versions may differ)"),
        )
    refuse_other_sector(answer_set.sector, later.reconciliation.answers.sector, before.label)
    reconciliation = reconcile(answer_set, later.rubric, document)
    evidence = [from_bias_data(data, before.label) for data in before.bias]
    return ScoredFile(
        later.rubric, reconciliation, score(later.rubric, reconciliation.answers, evidence)
    )


def compare_files(
    before: Path,
    after: Path | Sequence[Path],
    *,
    bias_before: Sequence[Path] = (),
    bias_after: Sequence[Path] = (),
    force: bool = False,
    language: str | None = None,
) -> Comparison:
    """Score both audits with the later audit's rubric, and compare them. ``before`` is the
    earlier audit's record (its evidence inside) or its answers file (with ``bias_before``).
    ``language``: the rubric's texts (questions, principles) in it, as ``score`` shows them."""
    earlier = read_earlier(before, bias_before)
    after_bias = [read_bias_json(path) for path in bias_after]
    later = score_answers_file(
        after,
        evidence=[from_bias_data(d, str(p)) for d, p in zip(after_bias, bias_after, strict=True)],
        language=language,
    )
    return compare(
        earlier_audit(earlier, later),
        later,
        bias_before=earlier.bias,
        bias_after=after_bias,
        force=force,
        views_before=earlier.views,
        files=(str(before), str(later.paths[0])),
    )


def import_plan_into(plan_csv: Path, answers_path: Path, date_order: str | None = None) -> int:
    """Read an edited plan and store its actions in the answers file; the count stored.

    Any safeguard of the rubric is accepted: a plan made at the last audit may be imported
    into this one, where the actions already done are no longer recommendations.
    """
    answer_set, _document = load_answers(answers_path)
    rubric = rubric_for(answer_set, answers_path)
    actions = import_plan(plan_csv, {q.id for q in rubric.safeguards}, date_order=date_order)
    answer_set.actions = {**answer_set.actions, **actions}
    save_answers(answer_set, answers_path)
    return len(actions)
