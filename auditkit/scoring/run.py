"""From files to a score: the I/O edge around the pure ``score`` function."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from auditkit.answers.check import Reconciliation, reconcile, rubric_for
from auditkit.answers.model import AnswerSet
from auditkit.answers.staff import StaffAggregate
from auditkit.answers.staff_file import is_staff_document, staff_from_document
from auditkit.answers.store import load_answers
from auditkit.answers.voices import Voices, merge_voices
from auditkit.errors import InputError, fill
from auditkit.i18n import _
from auditkit.obligations.model import Crosswalk
from auditkit.rubric.model import Rubric
from auditkit.scoring.compute import score
from auditkit.scoring.evidence import BiasEvidence, load_bias_file
from auditkit.scoring.model import ScoreResult


@dataclass(frozen=True)
class ScoredFile:
    rubric: Rubric
    reconciliation: Reconciliation  # the owner's file, its answers merged with the others'
    result: ScoreResult
    voices: Voices | None = None  # who answered; None for one file given as a path
    paths: tuple[Path, ...] = ()  # every answers file of the audit, the owner's first
    # Rubric texts shown in English because the chosen language has no current translation.
    translation_fallbacks: int = 0


def audit_files(answers: Path | str | Sequence[Path | str]) -> list[Path]:
    """The answers files of one audit: a file, several files, or a folder of ``*.yaml``."""
    given = [answers] if isinstance(answers, str | Path) else list(answers)
    paths: list[Path] = []
    for item in map(Path, given):
        if item.is_dir():
            found = sorted(item.glob("*.yaml"))
            if not found:
                raise InputError.single(
                    str(item),
                    _("is a folder that holds no answers file"),
                    expected=_("a folder of answers files (*.yaml), one per respondent"),
                )
            paths += found
        else:
            paths.append(item)
    return list(dict.fromkeys(paths))


def team_of(owner_path: Path | str) -> list[Path]:
    """The owner's answers file and the staff's beside it: the files of the same folder that
    are answers files of the same business and rubric, from someone other than the owner.
    ``auditkit serve`` shows the owner the merged audit when staff answered there too; any
    other file (another business, not an answers file) is left alone."""
    owner_path = Path(owner_path)
    try:
        owner, _document = load_answers(owner_path)
    except InputError:
        return [owner_path]
    if owner.speaks_as != "owner":
        return [owner_path]
    team = [owner_path]
    for path in sorted(owner_path.parent.glob("*.yaml")):
        if path == owner_path:
            continue
        try:
            other, _document = load_answers(path)
        except InputError:
            continue
        same = (other.rubric_id, other.business.get("name", "")) == (
            owner.rubric_id,
            owner.business.get("name", ""),
        )
        if same and other.speaks_as != "owner":
            team.append(path)
    return team


def score_answers_file(
    answers_path: Path | str | Sequence[Path | str],
    bias_paths: Sequence[Path | str] = (),
    *,
    rubric: str | None = None,
    sector: str | None = None,
    evidence: Sequence[BiasEvidence] = (),
    language: str | None = None,
    as_of: dt.date | None = None,
) -> ScoredFile:
    """Load an audit's answers file (or its several respondents' files, merged by
    ``answers.voices``) and its rubric, reconcile them, read bias evidence, and score.

    ``language`` ("de") scores with the rubric's texts in that language, so every sentence
    built from it (answer labels, first steps, where views differ) reads in it; ids, levels
    and weights are the same in every language, so the scores are too.

    The rules that apply are named against ``as_of``: by default the audit's own date (the
    owner's last answer), so the same files always name the same rules the same way."""
    paths = audit_files(answers_path)
    staff, answer_paths = _staff_aggregate(paths)
    if not answer_paths:
        raise InputError.single(
            str(paths[0]),
            _("an audit needs the owner's answers: every file given is a staff member's"),
            expected=_("one answers file with respondent.speaks_as: owner (or without speaks_as)"),
            fix=_("add the owner's answers file to the command"),
        )
    loaded = [(path, *load_answers(path)) for path in answer_paths]
    # The owner's file names the rubric and the sector; staff files follow it.
    loaded.sort(key=lambda item: item[1].speaks_as != "owner")
    owner_path, owner_set, _owner_document = loaded[0]
    the_rubric = rubric_for(owner_set, owner_path, rubric, sector)
    fallbacks = 0
    if language and language != "en":
        the_rubric, fallbacks = _localized(the_rubric, language)
    reconciled = [(path, reconcile(a, the_rubric, doc)) for path, a, doc in loaded]
    merged, voices = merge_voices(the_rubric, [(path, r.answers) for path, r in reconciled], staff)
    reconciliation = reconciled[0][1]
    reconciliation.answers = merged
    all_evidence = [*evidence, *(load_bias_file(path) for path in bias_paths)]
    crosswalk = rules_crosswalk(the_rubric)
    if crosswalk is not None and language and language != "en":
        crosswalk, missed = _localized_crosswalk(crosswalk, language)
        fallbacks += missed
    result = score(
        the_rubric,
        merged,
        all_evidence,
        crosswalk=crosswalk,
        as_of=as_of or audit_day(owner_set),
    )
    every = tuple(path for path, *_ in loaded) + ((staff.path,) if staff and staff.path else ())
    return ScoredFile(the_rubric, reconciliation, result, voices, every, fallbacks)


def _localized(rubric, language: str):
    """The rubric's texts in ``language`` and how many fell back to English (the rubric
    translations beside the rubric: auditkit.rubric.translate)."""
    try:
        from auditkit.rubric.translate import localize
    except ImportError:  # the rubric's translations arrive with issue 40r
        return rubric, 0
    localized, fallbacks = localize(rubric, language)
    return localized, fallbacks.count


def audit_day(answers: AnswerSet) -> dt.date:
    """The day of the audit: the owner's last answer (or the file's start), else today."""
    text = (answers.updated or answers.started or "")[:10]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return dt.date.today()


def rules_crosswalk(rubric: Rubric) -> Crosswalk | None:
    """The crosswalk (with AUDITKIT_OBLIGATIONS overlays) when it is written for ``rubric``'s
    questions; None for another rubric, whose ids mean something else."""
    from auditkit.obligations.profile import crosswalk

    found = crosswalk()
    return found if found.rubric == rubric.id else None


def _localized_crosswalk(found: Crosswalk, language: str) -> tuple[Crosswalk, int]:
    """The rules' plain words (titles, sentences for owners, conditions, the law's name, the
    disclaimer) in ``language``, and how many fell back to English; the pseudo-locale
    transforms them like every other text so the tests see they went through here."""
    import dataclasses

    from auditkit.i18n import PSEUDO
    from auditkit.obligations.translate import OBLIGATION_TEXTS, localize_crosswalk

    if language == PSEUDO:
        from auditkit.i18n.pseudo import pseudo_text

        def pseudo(obligation):
            texts = {name: getattr(obligation, name) for name in OBLIGATION_TEXTS}
            return dataclasses.replace(
                obligation, **{name: pseudo_text(text) for name, text in texts.items() if text}
            )

        return dataclasses.replace(
            found,
            title=pseudo_text(found.title),
            disclaimer=pseudo_text(found.disclaimer),
            obligations=tuple(pseudo(o) for o in found.obligations),
        ), 0
    localized, fallbacks = localize_crosswalk(found, language)
    return localized, fallbacks.count


def _staff_aggregate(paths: list[Path]) -> tuple[StaffAggregate | None, list[Path]]:
    """The audit's staff aggregate (``staff.yaml``, at most one) and the answers files."""
    from auditkit.yamlsource import load_yaml

    staff: StaffAggregate | None = None
    others = []
    for path in paths:
        document = load_yaml(path)
        if not is_staff_document(document):
            others.append(path)
            continue
        if staff is not None:
            raise InputError.single(
                str(path),
                fill(_("is a second staff answers file (the first: {file})"), file=staff.path),
                expected=_("one staff.yaml per audit: it already counts every staff member"),
                fix=_("give the staff answers of one audit only"),
            )
        staff = staff_from_document(document, path)
    return staff, others


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
        made_with = reconciliation.answers.rubric_version
        notes.append(
            "the rubric changed since these answers were started"
            + (f" (they were made with version {made_with})" if made_with else "")
            + f": {len(reconciliation.new_questions)} questions have no answer yet and are "
            "asked again, never guessed from old answers (resume with 'auditkit assess -o FILE')"
        )
    return notes
