"""The crosswalk's plain words in another language: rule titles, the sentences for owners, the
"only if" conditions, the law's name, and the crosswalk's title and disclaimer.

Ids, dates, jurisdictions, articles, links to rubric questions and sources stay as they are;
the verification notes (``note:``) are for the auditor who checks the entry against the
official text and stay in the language they were written in. Translations sit beside each file
(``translations/<crosswalk id>.<lang>.yaml``; an overlay of a country's rules carries its own),
in the format of rubric translations (docs/rubric-format.md, "Translations").

``only_if`` is said after "only if" ("Nur wenn …"), so a translation is written as the rest of
that sentence (in German a subordinate clause, verb last).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from auditkit.errors import Problem
from auditkit.obligations.model import Crosswalk, Obligation
from auditkit.translation import (
    Fallbacks,
    Key,
    Layout,
    Wanted,
    is_source_language,
    normalise_language,
    translation_home,
)
from auditkit.translation_pick import pick
from auditkit.yamlsource import PathKey, load_yaml

OBLIGATION_TEXTS = ("title", "instrument", "owner_text", "only_if")
CROSSWALK_LAYOUT = Layout(
    id_key="translation",
    top=("title", "disclaimer"),
    sections={"obligations": (1, OBLIGATION_TEXTS)},
)


def localize_crosswalk(crosswalk: Crosswalk, lang: str | None) -> tuple[Crosswalk, Fallbacks]:
    """The crosswalk with its texts in ``lang`` where a current translation exists; English
    (counted in the fallbacks) where none does or where the English changed since."""
    if is_source_language(lang):
        return crosswalk, Fallbacks(total=0)
    wanted = crosswalk_texts(crosswalk)
    chosen, fallbacks, _ = pick(wanted, normalise_language(lang), CROSSWALK_LAYOUT)
    by_key = {w.key: chosen[(w.file, w.key)] for w in wanted if (w.file, w.key) in chosen}

    def obligation(o: Obligation) -> Obligation:
        return dataclasses.replace(
            o,
            **{
                name: by_key.get(("obligations", o.id, name), getattr(o, name))
                for name in OBLIGATION_TEXTS
            },
        )

    return (
        dataclasses.replace(
            crosswalk,
            title=by_key.get(("", "title"), crosswalk.title),
            disclaimer=by_key.get(("", "disclaimer"), crosswalk.disclaimer),
            obligations=tuple(obligation(o) for o in crosswalk.obligations),
        ),
        fallbacks,
    )


def check_crosswalk_translations(
    crosswalk: Crosswalk, lang: str
) -> tuple[Fallbacks, list[Problem]]:
    """Every missing or stale text and every mistake in the translation files, located."""
    _, fallbacks, problems = pick(
        crosswalk_texts(crosswalk), normalise_language(lang), CROSSWALK_LAYOUT, check=True
    )
    return fallbacks, problems


def crosswalk_texts(crosswalk: Crosswalk) -> list[Wanted]:
    found: list[Wanted] = []
    homes: dict[str, tuple[str, str]] = {}

    def want(key: Key, english: str, file: str, path: PathKey, label: str) -> None:
        if not english:
            return
        if file not in homes:
            homes[file] = translation_home(file)
        found.append(Wanted(key, english, file, path, label, *homes[file]))

    base = crosswalk.files[0] if crosswalk.files else ""
    if base:
        for name in ("title", "disclaimer"):
            want(("", name), getattr(crosswalk, name), base, (name,), f"the crosswalk's {name}")
    for o in crosswalk.obligations:
        path = _entry_path(o)
        for name in OBLIGATION_TEXTS:
            where = (*path, "when", name) if name == "only_if" else (*path, name)
            want(
                ("obligations", o.id, name),
                getattr(o, name),
                o.origin,
                where,
                f"rule {o.id!r}: {name}",
            )
    return found


def _entry_path(o: Obligation) -> PathKey:
    """Where an entry stands in its file: under ``obligations:`` (the crosswalk) or ``add:``
    (an overlay)."""
    document = load_yaml(Path(o.origin))
    for section in ("obligations", "add"):
        entries = document.value_at((section,))
        if isinstance(entries, list):
            for index, entry in enumerate(entries):
                if isinstance(entry, dict) and entry.get("id") == o.id:
                    return (section, index)
    return ()
