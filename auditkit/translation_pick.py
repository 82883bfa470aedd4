"""Choose, for each English text, its current translation, and say what fell back and why.

A text whose translation was made from other English (its ``from:`` hash differs) is *stale*
and not shown; one with no translation is *missing*. ``check=True`` also locates every problem:
missing ones at the English's file:line:column, stale and superfluous ones at the translation's.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from auditkit.errors import Problem, did_you_mean, fill, quoted_list
from auditkit.i18n import _
from auditkit.translation import (
    Entry,
    Fallbacks,
    Key,
    Layout,
    TranslationFile,
    Wanted,
    language_chain,
    normalise_language,
    source_hash,
    translation_file,
)
from auditkit.translation_read import read_translation
from auditkit.yamlsource import load_yaml


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
        message=fill(
            _("no {language} translation of {text}"), language=repr(lang), text=text.label
        ),
        expected=fill(_("a translation in {file}"), file=target),
        found=fill(
            _("only the English: {text}"),
            text=f"{shown[:120]}{'…' if len(shown) > 120 else ''}",
        ),
        fix=fill(
            _(
                "add it there, with '{key}: \"{hash}\"' under 'from:' (docs/translating.md, "
                "'Translating a rubric')"
            ),
            key=_from_key(text.key, layout),
            hash=now,
        ),
    )


def _stale(text: Wanted, entry: Entry, now: str, layout: Layout) -> Problem:
    shown = " ".join(text.english.split())
    return entry.document.problem(
        entry.path,
        fill(
            _(
                "the translation of {text} was made from other English ({before}; the English "
                "is now {now})"
            ),
            text=text.label,
            before=entry.made_from or _("no hash"),
            now=now,
        ),
        expected=_("a translation of the English as it reads now"),
        found=fill(
            _("the English now: {text}"),
            text=f"{shown[:160]}{'…' if len(shown) > 160 else ''}",
        ),
        fix=fill(
            _("check the translation against it, then set '{key}: \"{hash}\"' under 'from:'"),
            key=_from_key(text.key, layout),
            hash=now,
        ),
    )


def _extra(key: Key, entry: Entry, writes: set[Key]) -> Problem:
    """A translation of nothing: an id that is not in the English, or a field it does not have
    (the English question has no ``look_for``, say)."""
    shown = "/".join(k for k in key if k)
    items = {k[:-1] for k in writes}
    if key[:-1] in items or (len(key) > 3 and key[:-2] in {k[:-2] for k in writes}):
        fields = sorted("/".join(k[len(key) - 1 :]) for k in writes if k[:-1] == key[:-1])
        message = fill(
            _("the English has no {field} here to translate ({where})"),
            field=repr(key[-1]),
            where=shown,
        )
        fix = (
            fill(_("remove it; the English here has {fields}"), fields=quoted_list(fields))
            if fields
            else _("remove it")
        )
    else:
        guess = did_you_mean("/".join(key[:-1]), sorted("/".join(k) for k in items))
        message = fill(
            _("the English has no {item} to translate"),
            item=repr("/".join(k for k in key[:-1] if k)),
        )
        fix = (
            fill(_("did you mean {guess}?"), guess=repr(guess))
            if guess
            else _("remove it, or check the id")
        )
    return entry.document.problem(
        entry.path,
        message,
        key=True,
        expected=_("a text the English file has (same section, id and field)"),
        found=repr(shown),
        fix=fix,
    )
