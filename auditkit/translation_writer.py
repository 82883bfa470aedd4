"""Write a translation file: the texts of one source, in its order, each with its ``from:``.

``auditkit rubric translate`` uses this to give a translator a file to fill in: every text of
the source appears, the ones already translated (and still current) with their translation,
the others empty with the English above them as a comment. An empty text counts as missing, so
a half-filled file never passes for a finished one. Stale translations are kept, with their
old hash and a comment showing the English as it reads now.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable

import yaml

from auditkit.translation import Key, Layout, TranslationFile, Wanted, source_hash

WIDTH = 96


def render_translation(
    wanted: Iterable[Wanted],
    layout: Layout,
    lang: str,
    source_id: str,
    existing: TranslationFile | None = None,
    *,
    header: str = "",
) -> str:
    wanted = list(wanted)
    entries = existing.entries if existing else {}
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines += [f"{layout.id_key}: {source_id}", f"language: {lang}"]
    groups: dict[tuple[str, ...], list[Wanted]] = {}
    for text in wanted:
        depth = layout.sections[text.key[0]][0] if text.key[0] else 0
        groups.setdefault(text.key[: 1 + depth], []).append(text)
    opened: set[tuple[str, ...]] = set()
    for item, texts in groups.items():
        indent = "  " * len(item[1:]) if item[0] else ""
        if item[0]:
            for level in range(1, len(item)):
                prefix = item[:level]
                if prefix not in opened:
                    opened.add(prefix)
                    name = prefix[-1]
                    if level == 1:
                        lines.append("")
                    lines.append("  " * (level - 1) + f"{_plain_key(name)}:")
            lines.append("  " * (len(item) - 1) + f"{_plain_key(item[-1])}:")
            indent = "  " * len(item)
        hashes: dict[str, str] = {}
        nested_open: set[str] = set()
        for text in texts:
            field = text.key[len(item) :]
            entry = entries.get(text.key)
            now = source_hash(text.english)
            translated = entry.text if entry else ""
            made_from = entry.made_from if entry and entry.made_from else now
            sub = indent
            if len(field) > 1:  # a nested text (a level of 'levels:')
                if field[0] not in nested_open:
                    nested_open.add(field[0])
                    lines.append(f"{indent}{field[0]}:")
                sub = indent + "  "
            if not entry:
                lines += _comment("en: " + text.english, sub)
            elif entry.made_from != now:
                lines += _comment("STALE, the English now reads: " + text.english, sub)
            lines += _value(_plain_key(field[-1]), translated, sub)
            hashes[".".join(field)] = made_from
        inner = ", ".join(f'{name}: "{value}"' for name, value in hashes.items())
        lines += _wrap_from(indent, inner)
    return "\n".join(lines) + "\n"


def _plain_key(name: str) -> str:
    return name if _reads_back(name) and not name.isdigit() else json.dumps(name)


def _reads_back(text: str) -> bool:
    try:
        return yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        return False


def _value(name: str, text: str, indent: str) -> list[str]:
    text = " ".join(text.split())
    single = f"{indent}{name}: {text}"
    if not text:
        return [f'{indent}{name}: ""']
    if len(single) <= WIDTH and _reads_back(text):
        return [single]
    if len(single) <= WIDTH:
        return [f"{indent}{name}: {json.dumps(text, ensure_ascii=False)}"]
    body = textwrap.wrap(text, WIDTH - len(indent) - 2, break_long_words=False)
    return [f"{indent}{name}: >-", *(f"{indent}  {line}" for line in body)]


def _comment(text: str, indent: str) -> list[str]:
    return [
        f"{indent}# {line}"
        for line in textwrap.wrap(" ".join(text.split()), WIDTH - 2 - len(indent))
    ]


def _wrap_from(indent: str, inner: str) -> list[str]:
    line = f"{indent}from: {{{inner}}}"
    if len(line) <= WIDTH:
        return [line]
    parts = inner.split(", ")
    return [f"{indent}from:", *(f"{indent}  {part}" for part in parts)]


def key_order(wanted: Iterable[Wanted]) -> list[Key]:
    return [w.key for w in wanted]
