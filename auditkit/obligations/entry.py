"""One crosswalk entry read from YAML and checked field by field, with the place it stood.

Every mistake becomes a located problem (file, line, column, what was expected); an entry with
any problem is dropped so the loader can report all problems of all files at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from auditkit.bias.catalog import EVIDENCE_METRICS
from auditkit.errors import Problem, fill
from auditkit.fields import Fields, describe
from auditkit.i18n import _
from auditkit.obligations.model import (
    RELATIONS,
    ROLES,
    SIZE_BANDS,
    EvidenceLink,
    Obligation,
    SafeguardLink,
)
from auditkit.yamlsource import YamlDocument

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


class LocatedObligation:
    """An obligation with the document and path it was read from, for later checks."""

    def __init__(self, obligation: Obligation, document: YamlDocument, path: tuple) -> None:
        self.obligation = obligation
        self.document = document
        self.path = path

    @property
    def id(self) -> str:
        return self.obligation.id


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
        fill(_("{key} of {what} is not a date"), key=repr(key), what=f.what),
        expected=_("a date as YYYY-MM-DD, e.g. 2026-08-02"),
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
                at,
                fill(
                    _("{key} of {what} holds something that is not text"),
                    key=repr(key),
                    what=f.what,
                ),
                found=describe(value),
            )
        elif pattern is not None and not pattern.match(value):
            f.problem(
                at,
                fill(
                    _("{value} in {key} of {what} is not a jurisdiction code"),
                    value=repr(value),
                    key=repr(key),
                    what=f.what,
                ),
                expected=_(
                    "EU, a country code such as DE, or a subdivision such as US-CA or US-NY-NYC"
                ),
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
                fill(
                    _("{value} in {key} of {what} is not one of the known values"),
                    value=repr(value),
                    key=repr(key),
                    what=f.what,
                ),
                expected=", ".join(allowed),
                found=repr(value),
            )
    return tuple(v for v in values if v in allowed)


def parse_entry(
    document: YamlDocument, path: tuple, problems: list[Problem]
) -> LocatedObligation | None:
    entry_id = document.value_at((*path, "id"))
    what = (
        fill(_("obligation {id}"), id=repr(entry_id))
        if entry_id
        else fill(_("obligation number {number}"), number=path[-1] + 1)
    )
    f = Fields(document, path, problems, what)
    if not f.ok:
        return None
    f.check_keys(ENTRY_KEYS, required=REQUIRED)
    before = len(problems)
    applies_from = _date(f, "applies_from")
    last_verified = _date(f, "last_verified")
    applies_until = _date(f, "applies_until")
    if applies_from and applies_until and applies_until <= applies_from:
        f.problem(
            ("applies_until",),
            fill(_("{what} ends before it starts"), what=what),
            found=str(applies_until),
        )
    source = f.text("source")
    if source and not source.startswith("https://"):
        f.problem(
            ("source",),
            fill(_("'source' of {what} must be the address of the official text"), what=what),
            expected=_("an https:// address"),
            found=describe(source),
        )
    verified = f.get("verified", bool, None)
    note = " ".join(f.text("note").split())
    if verified is False and not note:
        f.problem(
            (),
            fill(_("{what} is not verified and does not say what was found instead"), what=what),
            expected=_("note: what was read, where, and what could not be checked"),
            found=_("no 'note' key"),
        )
    when = (
        Fields(document, (*path, "when"), problems, fill(_("'when' of {what}"), what=what))
        if "when" in f.data
        else None
    )
    if when is not None and when.ok:
        when.check_keys(WHEN_KEYS)
    sizes = _choices(when, "sizes", SIZE_BANDS) if when and when.ok else SIZE_BANDS
    links = []
    for index, _raw in enumerate(f.get("safeguards", list, [])):
        sub = Fields(
            document,
            (*path, "safeguards", index),
            problems,
            fill(_("safeguard {number} of {what}"), number=index + 1, what=what),
        )
        if sub.ok:
            sub.check_keys(("question", "relation"), required=("question", "relation"))
            relation = sub.choice("relation", RELATIONS)
            if sub.get("question", str, "") and relation:
                links.append(SafeguardLink(sub.get("question", str), relation))  # type: ignore[arg-type]
    evidence = []
    for index, _raw in enumerate(f.get("evidence", list, [])):
        sub = Fields(
            document,
            (*path, "evidence", index),
            problems,
            fill(_("evidence {number} of {what}"), number=index + 1, what=what),
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
    return LocatedObligation(obligation, document, path)
