"""Translation files beside YAML sources (rubrics, sector overlays, the obligations crosswalk).

A file ``X.yaml`` whose id is ``ID`` is translated into language ``LANG`` by
``translations/ID.LANG.yaml`` in the folder of ``X.yaml``: the texts a person reads, keyed by
the same ids as the English, each with a short hash of the English it was made from
(``from:``). When the English changes, the hash no longer matches and the translation is
*stale*: like a "fuzzy" entry in gettext, it is not shown (the English is, and counted) until a
translator checks it and updates the hash. Keys in the English that have no translation are
*missing*. Both are reported with file, line and column by ``check`` and counted by ``pick``.

This module knows nothing about rubrics: callers list the texts they want (``Wanted``) with the
file and YAML path their English came from, and the layout of the translation file (``Layout``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from auditkit.errors import Problem
from auditkit.yamlsource import PathKey, YamlDocument, load_yaml

# The language a source is written in; asking for it translates nothing.
SOURCE_LANGUAGE = "en"
# ``from:`` holds this many hex digits of the SHA-256 of the English text: enough that an edit
# is never mistaken for the old text (1 in 4 billion), short enough to type.
HASH_DIGITS = 8

Key = tuple[str, ...]  # ("questions", "adopt.kiosk", "help"), ("", "title"), (..., "levels", "0")


def source_hash(text: str) -> str:
    """The hash a translation records of its English: whitespace-insensitive, so re-wrapping a
    paragraph in the English file does not make its translations stale."""
    normal = " ".join(text.split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:HASH_DIGITS]


def normalise_language(lang: str | None) -> str:
    """``de_AT``, ``de-at`` → ``de-AT``; ``DE`` → ``de``; None or empty → the source language."""
    if not lang or not lang.strip():
        return SOURCE_LANGUAGE
    parts = lang.strip().replace("_", "-").split("-")
    return "-".join([parts[0].lower(), *(p.upper() if len(p) == 2 else p for p in parts[1:])])


def language_chain(lang: str) -> tuple[str, ...]:
    """Where to look, most specific first: ``de-AT`` → (``de-AT``, ``de``)."""
    lang = normalise_language(lang)
    base = lang.split("-")[0]
    return (lang,) if base == lang else (lang, base)


def is_source_language(lang: str | None) -> bool:
    return normalise_language(lang).split("-")[0] == SOURCE_LANGUAGE


@dataclass(frozen=True)
class Layout:
    """What a translation file may hold: top-level text fields, and sections of items keyed by
    id (``depth`` ids deep: 1 for questions, 2 for scales' levels) with their text fields.
    ``nested`` fields are mappings of sub-keys to texts (a question's ``levels``)."""

    id_key: str  # the key naming the source's id ("translation")
    top: tuple[str, ...]
    sections: dict[str, tuple[int, tuple[str, ...]]]
    nested: tuple[str, ...] = ()


@dataclass(frozen=True)
class Wanted:
    """One English text a reader sees, and where it was written."""

    key: Key
    english: str
    file: str
    path: PathKey  # its place in ``file``, for "missing" problems
    label: str  # how messages name it: "question 'adopt.kiosk': help"
    home: str  # its translations: f"{home}.{lang}.yaml" (see ``translation_home``)
    source_id: str  # the id of the source, which the translation file names


@dataclass(frozen=True)
class Entry:
    text: str
    made_from: str  # the hash in ``from:``; "" when it is not given
    document: YamlDocument
    path: PathKey


@dataclass
class TranslationFile:
    file: Path
    lang: str
    entries: dict[Key, Entry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # of the file's own form


@dataclass(frozen=True)
class Fallbacks:
    """What was shown in English because no current translation exists.

    ``missing`` and ``stale`` name each text (``question 'adopt.kiosk': help``); ``total`` is
    how many texts were looked at, so a report can say "12 of 431 texts are in English"."""

    lang: str = SOURCE_LANGUAGE
    missing: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()
    total: int = 0

    @property
    def count(self) -> int:
        return len(self.missing) + len(self.stale)

    def __add__(self, other: Fallbacks) -> Fallbacks:
        return Fallbacks(
            self.lang,
            self.missing + other.missing,
            self.stale + other.stale,
            self.total + other.total,
        )


def document_id(document: YamlDocument) -> str:
    data = document.data if isinstance(document.data, dict) else {}
    for key in ("overlay", "crosswalk_overlay", "crosswalk", "id"):
        if isinstance(data.get(key), str):
            return data[key]
    return Path(document.file).stem


def translation_home(source_file: str | Path) -> tuple[str, str]:
    """Where the translations of a YAML source live, without the ``.LANG.yaml`` ending, and
    the source's id: ``rubrics/sectors/retail.yaml`` → (``rubrics/sectors/translations/retail``,
    ``retail``)."""
    source = Path(source_file)
    source_id = document_id(load_yaml(source))
    return str(source.parent / "translations" / source_id), source_id


def translation_file(home: str, lang: str) -> Path:
    return Path(f"{home}.{lang}.yaml")
