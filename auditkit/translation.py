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
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from auditkit.errors import InputError, Problem, did_you_mean, quoted_list
from auditkit.fields import Fields, describe
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


def read_translation(path: Path, lang: str, source_id: str, layout: Layout) -> TranslationFile:
    """Read a translation file; problems of its form (unknown keys, wrong types, a text without
    ``from:``) are collected in ``.problems``, never raised, so a broken translation never stops
    an audit: its texts fall back to English and ``rubric validate --lang`` reports why."""
    result = TranslationFile(path, lang)
    try:
        document = load_yaml(path)
    except InputError as error:
        result.problems.extend(error.problems)
        return result
    top = Fields(document, (), result.problems, "the translation file")
    if not top.ok:
        return result
    top.check_keys((layout.id_key, "language", "from", *layout.top, *layout.sections))
    named = top.get(layout.id_key, str, "")
    if named != source_id:
        top.problem(
            (layout.id_key,) if named else (),
            f"this file translates {named or 'nothing named'}, but sits where the "
            f"translation of {source_id!r} belongs",
            expected=f"{layout.id_key}: {source_id}",
            found=repr(named) if named else f"no '{layout.id_key}:' key",
            fix=f"set '{layout.id_key}: {source_id}', or rename the file",
        )
    language = top.get("language", str, "")
    if normalise_language(language) != lang:
        top.problem(
            ("language",) if language else (),
            f"the file name says the language is {lang!r}",
            expected=f"language: {lang}",
            found=repr(language) if language else "no 'language:' key",
            fix=f"set 'language: {lang}', or rename the file to match its language",
        )
    _read_item(document, (), layout.top, layout, result, "the translation file")
    for section, (depth, fields) in layout.sections.items():
        _read_section(document, (section,), depth, fields, layout, result)
    return result


def _read_section(
    document: YamlDocument,
    path: PathKey,
    depth: int,
    fields: tuple[str, ...],
    layout: Layout,
    result: TranslationFile,
) -> None:
    mapping = document.value_at(path)
    if mapping is None:
        return
    if not isinstance(mapping, dict):
        result.problems.append(
            document.problem(
                path,
                f"'{path[0]}' maps ids to their texts",
                expected="a mapping such as 'handoff.reach-person:' with texts below it",
                found=describe(mapping),
            )
        )
        return
    for item_id in mapping:
        item_path = (*path, item_id)
        if depth > 1:
            _read_section(document, item_path, depth - 1, fields, layout, result)
        else:
            what = f"{path[0]} {' '.join(map(str, item_path[1:]))!r}"
            _read_item(document, item_path, fields, layout, result, what)


def _read_item(
    document: YamlDocument,
    path: PathKey,
    fields: tuple[str, ...],
    layout: Layout,
    result: TranslationFile,
    what: str,
) -> None:
    f = Fields(document, path, result.problems, what)
    if not f.ok:
        return
    if path:
        f.check_keys((*fields, "from"))
    hashes = f.get("from", dict, {})
    texts: dict[str, tuple[str, PathKey]] = {}
    for name in fields:
        if name in layout.nested and name in f.data:
            nested = Fields(document, (*path, name), result.problems, f"'{name}' of {what}")
            for sub in nested.data:
                value = nested.text(sub, allow_empty=True)  # empty: not yet translated
                if value:
                    texts[f"{name}.{_key(sub)}"] = (value, (*path, name, sub))
        elif name in f.data:
            value = f.text(name, allow_empty=True)
            if value:
                texts[name] = (value, (*path, name))
    for name, (text, text_path) in texts.items():
        made_from = hashes.get(name)
        if not isinstance(made_from, str) or not made_from.strip():
            result.problems.append(
                document.problem(
                    text_path,
                    f"the translation of {what}: {name} does not say which English it was made from",
                    expected=f"'{name}: <hash>' under 'from:' of {what}",
                    found="no hash" if made_from is None else describe(made_from),
                    fix="write the hash in quotes (a hash of digits only is read as a number); "
                    "'auditkit rubric validate --lang' shows the hash of the English now",
                )
            )
            made_from = ""
        key = (*(str(p) for p in path[:1]), *(_key(p) for p in path[1:]), *name.split("."))
        if not path:
            key = ("", *name.split("."))
        result.entries[key] = Entry(text, str(made_from).strip(), document, text_path)
    for name in hashes:
        if name not in texts and isinstance(name, str) and name.split(".")[0] not in fields:
            result.problems.append(
                document.problem(
                    (*path, "from", name),
                    f"'from:' of {what} names {name!r}, which is not a text here",
                    key=True,
                    expected=f"one of {quoted_list(fields)}",
                    fix="remove it, or check its spelling",
                )
            )


def _key(part: Hashable) -> str:
    """A YAML key as text: a level written ``0:`` (a number) is the level "0"."""
    return str(int(part)) if isinstance(part, float) and part.is_integer() else str(part)


def pick(
    wanted: Iterable[Wanted],
    lang: str,
    layout: Layout,
    *,
    check: bool = False,
    known: dict[str, set[Key]] | None = None,
) -> tuple[dict[tuple[str, Key], str], Fallbacks, list[Problem]]:
    """For each wanted text, its current translation in ``lang`` (or its base language), else
    nothing: the caller keeps the English. Returns the chosen texts by (source file, key), the
    fallbacks, and, with ``check``, every problem located (form, missing, stale, extra).

    ``known`` lists, per source file, every text that file writes (default: the wanted ones);
    a translation of anything else is reported as having no English. It differs from the
    wanted texts when a sector overlay rewrites a text of its base: the base's translation of
    it is still right for the base alone, just not used with the overlay."""
    lang = normalise_language(lang)
    wanted = list(wanted)
    files: dict[tuple[str, str], TranslationFile | None] = {}
    chosen: dict[tuple[str, Key], str] = {}
    missing: list[str] = []
    stale: list[str] = []
    problems: list[Problem] = []
    asked: dict[str, set[Key]] = {}
    for text in wanted:
        asked.setdefault(text.file, set()).add(text.key)
        candidates = [_file(files, text, code, layout) for code in language_chain(lang)]
        entries = [(tf, tf.entries[text.key]) for tf in candidates if tf and text.key in tf.entries]
        now = source_hash(text.english)
        current = [entry for _, entry in entries if entry.made_from == now]
        if current:
            chosen[(text.file, text.key)] = current[0].text
            continue
        if entries:
            stale.append(text.label)
            if check:
                tf, entry = entries[0]
                problems.append(_stale(text, entry, now, layout))
        else:
            missing.append(text.label)
            if check:
                problems.append(_missing(text, lang, now, layout))
    if check:
        for (source, _code), tf in files.items():
            if tf is None:
                continue
            problems.extend(tf.problems)
            writes = (known or {}).get(source) or asked.get(source, set())
            for key, entry in tf.entries.items():
                if key not in writes:
                    problems.append(_extra(key, entry, writes))
    return chosen, Fallbacks(lang, tuple(missing), tuple(stale), len(wanted)), problems


def _file(
    files: dict[tuple[str, str], TranslationFile | None], text: Wanted, lang: str, layout: Layout
) -> TranslationFile | None:
    if (text.file, lang) not in files:
        path = translation_file(text.home, lang)
        files[(text.file, lang)] = (
            read_translation(path, lang, text.source_id, layout) if path.is_file() else None
        )
    return files[(text.file, lang)]


def _from_key(key: Key, layout: Layout) -> str:
    """The name a text has under ``from:``: its field, with a level's number (``levels.0``)."""
    depth = layout.sections[key[0]][0] if key[0] else 0
    return ".".join(key[1 + depth :])


def _missing(text: Wanted, lang: str, now: str, layout: Layout) -> Problem:
    target = translation_file(text.home, lang.split("-")[0])
    shown = " ".join(text.english.split())
    if text.file.endswith(".py"):  # texts defined in code (the answer scales): find the line
        lines = Path(text.file).read_text(encoding="utf-8").splitlines()
        # From the line that names the scale (its id, the first part of ``path``) on.
        start = next((n for n, s in enumerate(lines) if text.path and f'"{text.path[0]}"' in s), 0)
        line = next(
            (n for n, s in enumerate(lines[start:], start + 1) if f'"{text.english}"' in s), None
        )
        column = lines[line - 1].index(f'"{text.english}"') + 1 if line else None
        where = Problem(text.file, "", line=line, column=column)
    else:
        where = load_yaml(text.file).problem(text.path, "")
    return Problem(
        where.file,
        line=where.line,
        column=where.column,
        message=f"no {lang!r} translation of {text.label}",
        expected=f"a translation in {target}",
        found=f"only the English: {shown[:120]}{'…' if len(shown) > 120 else ''}",
        fix=f"add it there, with '{_from_key(text.key, layout)}: \"{now}\"' under 'from:' "
        "(docs/translating.md, 'Translating a rubric')",
    )


def _stale(text: Wanted, entry: Entry, now: str, layout: Layout) -> Problem:
    shown = " ".join(text.english.split())
    return entry.document.problem(
        entry.path,
        f"the translation of {text.label} was made from other English "
        f"({entry.made_from or 'no hash'}; the English is now {now})",
        expected="a translation of the English as it reads now",
        found=f"the English now: {shown[:160]}{'…' if len(shown) > 160 else ''}",
        fix=f"check the translation against it, then set '{_from_key(text.key, layout)}: \"{now}\"' under "
        "'from:'",
    )


def _extra(key: Key, entry: Entry, writes: set[Key]) -> Problem:
    """A translation of nothing: an id that is not in the English, or a field it does not have
    (the English question has no ``look_for``, say)."""
    shown = "/".join(k for k in key if k)
    items = {k[:-1] for k in writes}
    if key[:-1] in items or (len(key) > 3 and key[:-2] in {k[:-2] for k in writes}):
        fields = sorted("/".join(k[len(key) - 1 :]) for k in writes if k[:-1] == key[:-1])
        message = f"the English has no {key[-1]!r} here to translate ({shown})"
        fix = f"remove it; the English here has {quoted_list(fields)}" if fields else "remove it"
    else:
        guess = did_you_mean("/".join(key[:-1]), sorted("/".join(k) for k in items))
        message = f"the English has no {'/'.join(k for k in key[:-1] if k)!r} to translate"
        fix = f"did you mean {guess!r}?" if guess else "remove it, or check the id"
    return entry.document.problem(
        entry.path,
        message,
        key=True,
        expected="a text the English file has (same section, id and field)",
        found=repr(shown),
        fix=fix,
    )
