"""Read the crosswalk and its overlays, checking every field where it stands.

The shipped crosswalk (``rubrics/obligations/crosswalk.yaml``) and any overlay (a file with
``extends: <crosswalk id>`` that ``add:``s a country's rules or ``remove:``s entries) are read
with the bounded, position-keeping YAML loader, and every mistake is reported at its file,
line and column, all at once, as rubric files are. Question and inventory ids are checked
against the rubric the crosswalk names (with its shipped sector overlays, whose questions an
entry may also name), so a renamed question breaks the check at the entry that names it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from auditkit.errors import InputError, Problem, fill
from auditkit.fields import Fields
from auditkit.i18n import _
from auditkit.obligations.entry import LocatedObligation, parse_entry
from auditkit.obligations.model import Crosswalk
from auditkit.yamlsource import YamlDocument, load_yaml

CROSSWALK_KEYS = ("crosswalk", "version", "rubric", "title", "disclaimer", "obligations")
OVERLAY_KEYS = ("crosswalk_overlay", "extends", "title", "version", "add", "remove")


def shipped_crosswalk() -> Path:
    from auditkit.rubric.registry import data_dir

    return data_dir("rubrics") / "obligations" / "crosswalk.yaml"


def env_overlays() -> list[Path]:
    """Overlay files named in AUDITKIT_OBLIGATIONS (separated like PATH; a folder means every
    ``.yaml`` file in it), so an advisor's country rules apply wherever obligations are read."""
    found: list[Path] = []
    for part in os.environ.get("AUDITKIT_OBLIGATIONS", "").split(os.pathsep):
        if not part:
            continue
        path = Path(part)
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")))
        else:
            found.append(path)
    return found


def load_crosswalk(
    overlays: Sequence[Path | str] = (),
    *,
    crosswalk: Path | str | None = None,
    question_ids: Iterable[str] | None = None,
) -> Crosswalk:
    """The crosswalk with ``overlays`` applied in order (entries added, or removed by id).

    ``question_ids`` are the ids entries may name; by default those of the rubric the crosswalk
    names, with its shipped sector overlays. Raises InputError with every problem of every file.
    """
    problems: list[Problem] = []
    base = load_yaml(crosswalk or shipped_crosswalk())
    top = Fields(base, (), problems, _("the crosswalk"))
    top.check_keys(CROSSWALK_KEYS, required=("crosswalk", "version", "rubric", "disclaimer"))
    crosswalk_id = top.identifier("crosswalk")
    rubric_id = top.get("rubric", str, "")
    entries = _entries(base, ("obligations",), top, problems)
    applied: list[str] = []
    for overlay_path in overlays:
        document = load_yaml(overlay_path)
        head = Fields(document, (), problems, _("the obligations overlay"))
        if not head.ok:
            continue
        head.check_keys(OVERLAY_KEYS, required=("crosswalk_overlay", "extends"))
        extends = head.get("extends", str, "")
        if extends and extends != crosswalk_id:
            head.problem(
                ("extends",),
                fill(
                    _("the overlay extends {extends}, but the crosswalk is {crosswalk}"),
                    extends=repr(extends),
                    crosswalk=repr(crosswalk_id),
                ),
                expected=f"extends: {crosswalk_id}",
                found=repr(extends),
            )
        for index, removed in enumerate(head.get("remove", list, [])):
            if removed not in {e.id for e in entries}:
                head.problem(
                    ("remove", index),
                    fill(_("'remove' names {id}, which no earlier file defines"), id=repr(removed)),
                    fix=_("check the id with 'auditkit rules --format json'"),
                )
            entries = [e for e in entries if e.id != removed]
        entries += _entries(document, ("add",), head, problems)
        applied.append(head.identifier("crosswalk_overlay"))
    _check_unique(entries, problems)
    known = set(question_ids) if question_ids is not None else _rubric_ids(rubric_id, base)
    for entry in entries:
        _check_ids(entry, known, problems)
    if problems:
        raise InputError(problems)
    return Crosswalk(
        id=crosswalk_id,
        version=str(top.get("version", (str, int, float), "")),
        rubric=rubric_id,
        title=top.text("title"),
        disclaimer=" ".join(top.text("disclaimer").split()),
        obligations=tuple(e.obligation for e in entries),
        overlays=tuple(applied),
        files=(base.file, *(str(p) for p in overlays)),
    )


def _entries(
    document: YamlDocument, key_path: tuple, top: Fields, problems: list[Problem]
) -> list[LocatedObligation]:
    raw = top.get(key_path[-1], list, [])
    found = []
    for index in range(len(raw)):
        entry = parse_entry(document, (*key_path, index), problems)
        if entry is not None:
            found.append(entry)
    return found


def _check_unique(entries: list[LocatedObligation], problems: list[Problem]) -> None:
    seen: dict[str, LocatedObligation] = {}
    for entry in entries:
        if entry.id in seen:
            first = seen[entry.id].document.mark((*seen[entry.id].path, "id"))
            problems.append(
                entry.document.problem(
                    (*entry.path, "id"),
                    fill(_("obligation id {id} is used twice"), id=repr(entry.id)),
                    found=fill(
                        _("first in {file} at line {line}"),
                        file=seen[entry.id].document.file,
                        line=first.line,
                    ),
                    fix=_("give the new entry its own id, or 'remove:' the old one first"),
                )
            )
        seen[entry.id] = entry


def _check_ids(entry: LocatedObligation, known: set[str], problems: list[Problem]) -> None:
    """Every inventory and safeguard id an entry names must be a question of the rubric."""
    data = entry.document.value_at(entry.path) or {}
    named = [
        (("when", "automations", i), value)
        for i, value in enumerate(entry.obligation.automations)
        if isinstance((data.get("when") or {}).get("automations"), list)
    ]
    named += [
        (("safeguards", i, "question"), link.question)
        for i, link in enumerate(entry.obligation.safeguards)
    ]
    for where, question_id in named:
        if question_id not in known:
            from auditkit.errors import did_you_mean

            guess = did_you_mean(question_id, known)
            problems.append(
                entry.document.problem(
                    (*entry.path, *where),
                    fill(
                        _(
                            "obligation {id} names {question}, which is not a question of the rubric"
                        ),
                        id=repr(entry.id),
                        question=repr(question_id),
                    ),
                    found=repr(question_id),
                    fix=fill(_("did you mean {guess}?"), guess=repr(guess))
                    if guess
                    else _("check the id with 'auditkit rubric show'"),
                )
            )


def _rubric_ids(rubric_id: str, base: YamlDocument) -> set[str]:
    """The question ids of the rubric and of every shipped sector overlay of it."""
    from auditkit.rubric import registry
    from auditkit.rubric.resolve import load_rubric

    if not rubric_id:
        return set()
    try:
        ids = {q.id for q in load_rubric(rubric_id).questions}
    except InputError:
        raise InputError(
            [
                base.problem(
                    ("rubric",),
                    fill(
                        _("the crosswalk names rubric {rubric}, which cannot be loaded"),
                        rubric=repr(rubric_id),
                    ),
                )
            ]
        ) from None
    for entry in registry.entries():
        if entry.kind == "overlay" and entry.extends == rubric_id and entry.shipped:
            ids |= {q.id for q in load_rubric(rubric_id, str(entry.file)).questions}
    return ids
