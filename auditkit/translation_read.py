"""Read a translation file into its texts and the hashes of the English they were made from.

Problems of a file's own form (unknown keys, wrong types, a text without ``from:``) are
collected, never raised: a broken translation never stops an audit, its texts fall back to
English, and ``rubric validate --lang`` reports why, at file:line:column.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

from auditkit.errors import InputError, fill, quoted_list
from auditkit.fields import Fields, describe
from auditkit.i18n import _
from auditkit.translation import Entry, Layout, TranslationFile, normalise_language
from auditkit.yamlsource import PathKey, YamlDocument, load_yaml


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
    top = Fields(document, (), result.problems, _("the translation file"))
    if not top.ok:
        return result
    top.check_keys((layout.id_key, "language", "from", *layout.top, *layout.sections))
    named = top.get(layout.id_key, str, "")
    if named != source_id:
        top.problem(
            (layout.id_key,) if named else (),
            fill(
                _("this file translates {named}, but sits where the translation of {id} belongs")
                if named
                else _(
                    "this file names nothing it translates, but sits where the translation of "
                    "{id} belongs"
                ),
                named=named,
                id=repr(source_id),
            ),
            expected=f"{layout.id_key}: {source_id}",
            found=repr(named) if named else fill(_("no '{key}:' key"), key=layout.id_key),
            fix=fill(_("set '{key}: {id}', or rename the file"), key=layout.id_key, id=source_id),
        )
    language = top.get("language", str, "")
    if normalise_language(language) != lang:
        top.problem(
            ("language",) if language else (),
            fill(_("the file name says the language is {language}"), language=repr(lang)),
            expected=f"language: {lang}",
            found=repr(language) if language else fill(_("no '{key}:' key"), key="language"),
            fix=fill(
                _("set 'language: {language}', or rename the file to match its language"),
                language=lang,
            ),
        )
    _read_item(document, (), layout.top, layout, result, _("the translation file"))
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
                fill(_("{key} maps ids to their texts"), key=repr(path[0])),
                expected=_("a mapping such as 'handoff.reach-person:' with texts below it"),
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
            nested = Fields(
                document,
                (*path, name),
                result.problems,
                fill(_("{key} of {what}"), key=repr(name), what=what),
            )
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
                    fill(
                        _(
                            "the translation of {what}: {name} does not say which English it "
                            "was made from"
                        ),
                        what=what,
                        name=name,
                    ),
                    expected=fill(
                        _("'{name}: <hash>' under 'from:' of {what}"), name=name, what=what
                    ),
                    found=_("no hash") if made_from is None else describe(made_from),
                    fix=_(
                        "write the hash in quotes (a hash of digits only is read as a number); "
                        "'auditkit rubric validate --lang' shows the hash of the English now"
                    ),
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
                    fill(
                        _("'from:' of {what} names {name}, which is not a text here"),
                        what=what,
                        name=repr(name),
                    ),
                    key=True,
                    expected=fill(_("one of {choices}"), choices=quoted_list(fields)),
                    fix=_("remove it, or check its spelling"),
                )
            )


def _key(part: Hashable) -> str:
    """A YAML key as text: a level written ``0:`` (a number) is the level "0"."""
    return str(int(part)) if isinstance(part, float) and part.is_integer() else str(part)
