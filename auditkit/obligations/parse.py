"""Read the crosswalk and its overlays, checking every field where it stands.

The shipped crosswalk (``rubrics/obligations/crosswalk.yaml``) and any overlay (a file with
``extends: <crosswalk id>`` that ``add:``s a country's rules or ``remove:``s entries) are read
with the bounded, position-keeping YAML loader, and every mistake is reported at its file,
line and column, all at once, as rubric files are. Question and inventory ids are checked
against the rubric the crosswalk names (with its shipped sector overlays, whose questions an
entry may also name), so a renamed question breaks the check at the entry that names it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from auditkit.bias.catalog import EVIDENCE_METRICS
from auditkit.errors import InputError, Problem
from auditkit.fields import Fields, describe
from auditkit.obligations.model import (
    RELATIONS,
    ROLES,
    SIZE_BANDS,
    Crosswalk,
    EvidenceLink,
    Obligation,
    SafeguardLink,
)
from auditkit.yamlsource import YamlDocument, load_yaml

CROSSWALK_KEYS = ("crosswalk", "version", "rubric", "title", "disclaimer", "obligations")
OVERLAY_KEYS = ("crosswalk_overlay", "extends", "title", "version", "add", "remove")
ENTRY_KEYS = {
    "id": "stable id, e.g. eu.gdpr.art22-human-intervention",
    "title": "a few words naming the duty",
    "jurisdiction": "where it applies: EU, a country code (DE) or a US state (US-CA, US-NY-NYC)",
    "instrument": "the law or regulation",
    "article": "the article or section",
    "binds": "who it is addressed to",
    "applies_from": "the date from which it applies, YYYY-MM-DD",
    "applies_until": "a sunset date, if the text has one",
    "when": "conditions: automations, sizes, only_if",
    "safeguards": "rubric questions and how they relate",
    "evidence": "log checks that evidence it",
    "owner_text": "one plain sentence for owners: 'You must …'",
    "source": "the official text's address",
    "last_verified": "the day the source was last read, YYYY-MM-DD",
    "verified": "true when the article and dates were checked against the official text",
    "checked": "the addresses read on last_verified",
    "note": "what was found instead, where not verified",
}
REQUIRED = (
    "id",
    "title",
    "jurisdiction",
    "instrument",
    "article",
    "binds",
    "applies_from",
    "owner_text",
    "source",
    "last_verified",
    "verified",
)
WHEN_KEYS = ("automations", "sizes", "only_if")
# EU, a two-letter country code, or a country with subdivisions: US-CA, US-NY-NYC.
JURISDICTION = re.compile(r"^(EU|[A-Z]{2}(-[A-Z0-9]{1,4}){0,2})$")


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
    top = Fields(base, (), problems, "the crosswalk")
    top.check_keys(CROSSWALK_KEYS, required=("crosswalk", "version", "rubric", "disclaimer"))
    crosswalk_id = top.identifier("crosswalk")
    rubric_id = top.get("rubric", str, "")
    entries = _entries(base, ("obligations",), top, problems)
    applied: list[str] = []
    for overlay_path in overlays:
        document = load_yaml(overlay_path)
        head = Fields(document, (), problems, "the obligations overlay")
        if not head.ok:
            continue
        head.check_keys(OVERLAY_KEYS, required=("crosswalk_overlay", "extends"))
        extends = head.get("extends", str, "")
        if extends and extends != crosswalk_id:
            head.problem(
                ("extends",),
                f"the overlay extends {extends!r}, but the crosswalk is {crosswalk_id!r}",
                expected=f"extends: {crosswalk_id}",
                found=repr(extends),
            )
        for index, removed in enumerate(head.get("remove", list, [])):
            if removed not in {e.id for e in entries}:
                head.problem(
                    ("remove", index),
                    f"'remove' names {removed!r}, which no earlier file defines",
                    fix="check the id with 'auditkit rules --format json'",
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


class _Entry:
    """An obligation with the document and path it was read from, for later checks."""

    def __init__(self, obligation: Obligation, document: YamlDocument, path: tuple) -> None:
        self.obligation = obligation
        self.document = document
        self.path = path

    @property
    def id(self) -> str:
        return self.obligation.id


def _entries(
    document: YamlDocument, key_path: tuple, top: Fields, problems: list[Problem]
) -> list[_Entry]:
    raw = top.get(key_path[-1], list, [])
    found = []
    for index in range(len(raw)):
        entry = _parse_entry(document, (*key_path, index), problems)
        if entry is not None:
            found.append(entry)
    return found


def _date(f: Fields, key: str) -> dt.date | None:
    value = f.data.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    f.problem(
        (key,),
        f"{key!r} of {f.what} is not a date",
        expected="a date as YYYY-MM-DD, e.g. 2026-08-02",
        found=describe(value),
    )
    return None


def _strings(f: Fields, key: str, *, pattern: re.Pattern | None = None) -> tuple[str, ...]:
    raw = f.get(key, (list, str), None)
    if raw is None:
        return ()
    values = [raw] if isinstance(raw, str) else raw
    result = []
    for index, value in enumerate(values):
        at = (key, index) if isinstance(raw, list) else (key,)
        if not isinstance(value, str) or not value.strip():
            f.problem(
                at, f"{key!r} of {f.what} holds something that is not text", found=describe(value)
            )
        elif pattern is not None and not pattern.match(value):
            f.problem(
                at,
                f"{value!r} in {key!r} of {f.what} is not a jurisdiction code",
                expected="EU, a country code such as DE, or a subdivision such as US-CA or US-NY-NYC",
                found=repr(value),
            )
        else:
            result.append(value.strip())
    return tuple(result)


def _choices(f: Fields, key: str, allowed: Sequence[str]) -> tuple[str, ...]:
    values = _strings(f, key)
    for index, value in enumerate(values):
        if value not in allowed:
            f.problem(
                (key, index) if isinstance(f.data.get(key), list) else (key,),
                f"{value!r} in {key!r} of {f.what} is not one of the known values",
                expected=", ".join(allowed),
                found=repr(value),
            )
    return tuple(v for v in values if v in allowed)


def _parse_entry(document: YamlDocument, path: tuple, problems: list[Problem]) -> _Entry | None:
    entry_id = document.value_at((*path, "id"))
    what = f"obligation {entry_id!r}" if entry_id else f"obligation number {path[-1] + 1}"
    f = Fields(document, path, problems, what)
    if not f.ok:
        return None
    f.check_keys(ENTRY_KEYS, required=REQUIRED)
    before = len(problems)
    applies_from = _date(f, "applies_from")
    last_verified = _date(f, "last_verified")
    applies_until = _date(f, "applies_until")
    if applies_from and applies_until and applies_until <= applies_from:
        f.problem(("applies_until",), f"{what} ends before it starts", found=str(applies_until))
    source = f.text("source")
    if source and not source.startswith("https://"):
        f.problem(
            ("source",),
            f"'source' of {what} must be the address of the official text",
            expected="an https:// address",
            found=describe(source),
        )
    verified = f.get("verified", bool, None)
    note = " ".join(f.text("note").split())
    if verified is False and not note:
        f.problem(
            (),
            f"{what} is not verified and does not say what was found instead",
            expected="note: what was read, where, and what could not be checked",
            found="no 'note' key",
        )
    when = (
        Fields(document, (*path, "when"), problems, f"'when' of {what}")
        if "when" in f.data
        else None
    )
    if when is not None and when.ok:
        when.check_keys(WHEN_KEYS)
    sizes = _choices(when, "sizes", SIZE_BANDS) if when and when.ok else SIZE_BANDS
    links = []
    for index, _raw in enumerate(f.get("safeguards", list, [])):
        sub = Fields(
            document, (*path, "safeguards", index), problems, f"safeguard {index + 1} of {what}"
        )
        if sub.ok:
            sub.check_keys(("question", "relation"), required=("question", "relation"))
            relation = sub.choice("relation", RELATIONS)
            if sub.get("question", str, "") and relation:
                links.append(SafeguardLink(sub.get("question", str), relation))  # type: ignore[arg-type]
    evidence = []
    for index, _raw in enumerate(f.get("evidence", list, [])):
        sub = Fields(
            document, (*path, "evidence", index), problems, f"evidence {index + 1} of {what}"
        )
        if sub.ok:
            sub.check_keys(("check", "metric"), required=("check",))
            check = sub.choice("check", tuple(EVIDENCE_METRICS))
            metric = sub.get("metric", str, "")
            if check and metric:
                sub.choice("metric", EVIDENCE_METRICS[check])
            if check:
                evidence.append(EvidenceLink(check, metric))
    obligation = Obligation(
        id=f.identifier("id"),
        title=f.text("title"),
        jurisdictions=_strings(f, "jurisdiction", pattern=JURISDICTION),
        instrument=f.text("instrument"),
        article=f.text("article"),
        binds=_choices(f, "binds", ROLES),
        applies_from=applies_from or dt.date.min,
        applies_until=applies_until,
        owner_text=" ".join(f.text("owner_text").split()),
        source=source,
        last_verified=last_verified or dt.date.min,
        verified=bool(verified),
        automations=_strings(when, "automations") if when and when.ok else (),
        sizes=sizes or SIZE_BANDS,
        only_if=" ".join(when.text("only_if").split()) if when and when.ok else "",
        safeguards=tuple(links),
        evidence=tuple(evidence),
        checked=_strings(f, "checked"),
        note=note,
        origin=document.file,
    )
    if len(problems) > before:
        return None
    return _Entry(obligation, document, path)


def _check_unique(entries: list[_Entry], problems: list[Problem]) -> None:
    seen: dict[str, _Entry] = {}
    for entry in entries:
        if entry.id in seen:
            first = seen[entry.id].document.mark((*seen[entry.id].path, "id"))
            problems.append(
                entry.document.problem(
                    (*entry.path, "id"),
                    f"obligation id {entry.id!r} is used twice",
                    found=f"first in {seen[entry.id].document.file} at line {first.line}",
                    fix="give the new entry its own id, or 'remove:' the old one first",
                )
            )
        seen[entry.id] = entry


def _check_ids(entry: _Entry, known: set[str], problems: list[Problem]) -> None:
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
                    f"obligation {entry.id!r} names {question_id!r}, which is not a question "
                    "of the rubric",
                    found=repr(question_id),
                    fix=f"did you mean {guess!r}?"
                    if guess
                    else "check the id with 'auditkit rubric show'",
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
                    ("rubric",), f"the crosswalk names rubric {rubric_id!r}, which cannot be loaded"
                )
            ]
        ) from None
    for entry in registry.entries():
        if entry.kind == "overlay" and entry.extends == rubric_id and entry.shipped:
            ids |= {q.id for q in load_rubric(rubric_id, str(entry.file)).questions}
    return ids
