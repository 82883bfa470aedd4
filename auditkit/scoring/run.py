"""From files to a score: the I/O edge around the pure ``score`` function."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from auditkit.answers.check import Reconciliation, reconcile, rubric_for
from auditkit.answers.store import load_answers
from auditkit.rubric.model import Rubric
from auditkit.scoring.compute import score
from auditkit.scoring.evidence import BiasEvidence, load_bias_file
from auditkit.scoring.model import ScoreResult


@dataclass(frozen=True)
class ScoredFile:
    rubric: Rubric
    reconciliation: Reconciliation
    result: ScoreResult


def score_answers_file(
    answers_path: Path | str,
    bias_paths: Sequence[Path | str] = (),
    *,
    rubric: str | None = None,
    sector: str | None = None,
    evidence: Sequence[BiasEvidence] = (),
) -> ScoredFile:
    """Load an answers file and its rubric, reconcile them, read bias evidence, and score."""
    answer_set, document = load_answers(answers_path)
    the_rubric = rubric_for(answer_set, answers_path, rubric, sector)
    reconciliation = reconcile(answer_set, the_rubric, document)
    all_evidence = [*evidence, *(load_bias_file(path) for path in bias_paths)]
    result = score(the_rubric, reconciliation.answers, all_evidence)
    return ScoredFile(the_rubric, reconciliation, result)


def migration_notes(reconciliation: Reconciliation) -> list[str]:
    """What changed between the rubric the answers were made with and the current one."""
    notes = [
        f"answer to {old!r} now counts for {new!r} (renamed)"
        for old, new in reconciliation.migrated
    ]
    notes += [
        f"answer to {old!r} dropped: the rubric no longer asks it" for old in reconciliation.removed
    ]
    if reconciliation.new_questions:
        notes.append(
            f"the rubric changed since these answers were started: {len(reconciliation.new_questions)} "
            "questions have no answer yet (resume with 'auditkit assess -o FILE')"
        )
    return notes
