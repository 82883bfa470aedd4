"""A rubric in another language: its texts replaced, everything that counts left alone.

``localize(rubric, "de")`` returns the rubric with every text a person reads in German where a
current translation exists (title, principles, questions, help, evidence, short names,
recommendations, maturity-level descriptions, the answer scales' words, the sector's title),
and a ``Fallbacks`` that counts and names the texts left in English. Ids, levels, credits,
weights, conditions and the content hash are unchanged, so answers given in German and in
English merge and compare: an answers file stores the id and the level, never the words.

Translations sit beside what they translate (``translations/<id>.<lang>.yaml`` next to the
rubric, next to each sector overlay; ``rubrics/translations/scales.<lang>.yaml`` for the scales
defined in code), so an overlay carries its own translations and may add languages. The format
is in docs/rubric-format.md ("Translations"); translators read docs/translating.md.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from auditkit.errors import Problem
from auditkit.rubric import scales as scales_module
from auditkit.rubric.model import Level, Principle, Question, Rubric, Scale
from auditkit.rubric.registry import data_dir
from auditkit.rubric.scales import SCALES
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
from auditkit.yamlsource import load_yaml

__all__ = ["PSEUDO_LANGUAGES", "Fallbacks", "check_translations", "localize"]

RUBRIC_LAYOUT = Layout(
    id_key="translation",
    top=("title", "description"),
    sections={
        "principles": (1, ("title", "why")),
        "questions": (1, ("text", "help", "look_for", "short", "recommendation", "levels")),
    },
    nested=("levels",),
)
SCALES_LAYOUT = Layout(
    id_key="translation",
    top=(),
    sections={"scales": (2, ("label", "description"))},
)
SCALES_ID = "scales"

# Pseudo-locales turn the English itself into test text (accents, longer words) instead of
# reading a file: lang → transform. Filled by auditkit.i18n when it defines one (issue 40).
PSEUDO_LANGUAGES: dict[str, Callable[[str], str]] = {}


def _pseudo(lang: str) -> Callable[[str], str] | None:
    if not PSEUDO_LANGUAGES and lang.split("-")[0] == "en":
        try:  # the machinery's pseudo-locale, when installed (kept optional: no import cycle)
            from auditkit.i18n import pseudo  # type: ignore[attr-defined]

            PSEUDO_LANGUAGES.update(pseudo.RUBRIC_TRANSFORMS)
        except (ImportError, AttributeError):
            pass
    return PSEUDO_LANGUAGES.get(lang) or PSEUDO_LANGUAGES.get(normalise_language(lang))


def localize(rubric: Rubric, lang: str | None) -> tuple[Rubric, Fallbacks]:
    """The rubric with its texts in ``lang`` where a current translation exists.

    ``lang`` may be regional (``de-AT`` uses ``de-AT`` files, then ``de``); English (or None)
    returns the rubric as it is. A text without a translation, or whose translation was made
    from English that has changed since (stale), keeps its English and is named in the
    fallbacks; an unknown language falls back entirely. Nothing here raises on a broken
    translation file: ``check_translations`` (``rubric validate --lang``) reports it.
    """
    code = normalise_language(lang)
    transform = _pseudo(code) if lang else None  # en-XA is "English", made strange for tests
    if transform is None and is_source_language(lang):
        return rubric, Fallbacks(total=0)
    key = (rubric.sha256, rubric.sources, code, _stamps(rubric, code), transform)
    if rubric.sha256 and key in _localized:
        return _localized[key]
    result = _localize(rubric, code, transform)
    if rubric.sha256:
        if len(_localized) >= 64:  # a server localizes the same few rubrics over and over
            _localized.pop(next(iter(_localized)))
        _localized[key] = result
    return result


# Localized rubrics by what they were made from: the rubric (its hash and files), the language,
# and the size and time of every translation file that could apply, so an edited translation
# is read again. Rubrics are immutable, so one result can be shared by every caller.
_localized: dict[tuple, tuple[Rubric, Fallbacks]] = {}


def _stamps(rubric: Rubric, code: str) -> tuple:
    from auditkit.translation import language_chain, translation_file

    homes = [translation_home(source)[0] for source in rubric.sources]
    homes.append(str(data_dir("rubrics") / "translations" / SCALES_ID))
    stamps = []
    for home in homes:
        for each in language_chain(code):
            try:
                stat = translation_file(home, each).stat()
                stamps.append((home, each, stat.st_mtime_ns, stat.st_size))
            except OSError:
                stamps.append((home, each, None, None))
    return tuple(stamps)


def _localize(
    rubric: Rubric, code: str, transform: Callable[[str], str] | None
) -> tuple[Rubric, Fallbacks]:
    wanted = texts_of(rubric)
    if transform is not None:
        chosen = {(w.file, w.key): transform(w.english) for w in wanted}
        fallbacks = Fallbacks(code, total=len(wanted))
    else:
        chosen, fallbacks = {}, Fallbacks(code)
        for layout, part in _by_layout(wanted):
            found, counted, _ = pick(part, code, layout)
            chosen.update(found)
            fallbacks += counted
    return _rebuild(rubric, wanted, chosen, code), fallbacks


def check_translations(rubric: Rubric, lang: str) -> tuple[Fallbacks, list[Problem]]:
    """Every problem with the ``lang`` translations of this rubric: each missing and stale
    text, each translation of a text that does not exist, and every mistake in the files'
    form, located at file:line:column (missing ones at the English)."""
    wanted = texts_of(rubric)
    problems: list[Problem] = []
    fallbacks = Fallbacks(normalise_language(lang))
    known = _written_by_each_file(rubric)
    for layout, part in _by_layout(wanted):
        _, found, located = pick(part, lang, layout, check=True, known=known)
        fallbacks += found
        problems += located
    return fallbacks, problems


def _written_by_each_file(rubric: Rubric) -> dict[str, set[Key]]:
    """Per source file, the texts that file writes (for a base rubric, all of its own texts,
    also those a sector overlay rewrites), and every level of every shipped scale."""
    from auditkit.rubric.resolve import load_file_strict

    known: dict[str, set[Key]] = {}
    for source in rubric.sources:
        alone = load_file_strict(Path(source))
        known[source] = {w.key for w in texts_of(alone) if w.file == source}
    known[scales_module.__file__] = {
        ("scales", scale.id, level.value, name)
        for scale in SCALES.values()
        for level in scale.levels
        for name in ("label", "description")
    }
    return known


def _by_layout(wanted: list[Wanted]) -> list[tuple[Layout, list[Wanted]]]:
    scales = [w for w in wanted if w.key[0] == "scales"]
    rest = [w for w in wanted if w.key[0] != "scales"]
    return [(RUBRIC_LAYOUT, rest), (SCALES_LAYOUT, scales)]


# ---------------------------------------------------------------------------- which texts


_KIND_SECTION = {"principle": "principles", "question": "questions"}


def texts_of(rubric: Rubric) -> list[Wanted]:
    """Every text of the rubric a person reads, with where its English was written."""
    homes: dict[str, tuple[str, str]] = {}
    found: list[Wanted] = []
    for (kind, item_id, name), (file, path) in rubric.origins.items():
        english = _english(rubric, kind, item_id, name)
        if not english:
            continue
        if file not in homes:
            homes[file] = translation_home(file)
        if kind in ("rubric", "sector"):
            key: Key = ("", name)
            label = f"the {'sector' if kind == 'sector' else 'rubric'}'s {name}"
        else:
            key = (_KIND_SECTION[kind], item_id, *name.split("."))
            label = f"{kind} {item_id!r}: {name}"
        home, source_id = homes[file]
        found.append(Wanted(key, english, file, path, label, home, source_id))
    found.extend(_scale_texts(rubric))
    return found


def _english(rubric: Rubric, kind: str, item_id: str, name: str) -> str:
    if kind == "rubric":
        return getattr(rubric, name)
    if kind == "sector":  # the overlay's description is read where sectors are chosen
        if name == "title":
            return rubric.sector_title or ""
        file, path = rubric.origins[(kind, item_id, name)]
        value = load_yaml(file).value_at(path)
        return " ".join(value.split()) if isinstance(value, str) else ""
    if kind == "principle":
        return getattr(rubric.principle(item_id), name)
    question = rubric.question(item_id)
    if name.startswith("levels."):
        return question.scale.level(name.split(".", 1)[1]).description
    return getattr(question, name)


def _scale_texts(rubric: Rubric) -> list[Wanted]:
    """The answer scales' words, as written in code (scales.py), for the scales this rubric
    uses. A question's own level descriptions (``levels:``) are the question's texts."""
    used = {q.scale.id for q in rubric.questions}
    file = scales_module.__file__
    home = str(data_dir("rubrics") / "translations" / SCALES_ID)
    found = []
    for scale in SCALES.values():
        if scale.id not in used:
            continue
        for level in scale.levels:
            for name in ("label", "description"):
                found.append(
                    Wanted(
                        ("scales", scale.id, level.value, name),
                        getattr(level, name),
                        file,
                        (scale.id,),  # where to start looking in scales.py
                        f"scale {scale.id!r} level {level.value!r}: {name}",
                        home,
                        SCALES_ID,
                    )
                )
    return found


# ---------------------------------------------------------------------------- rebuilding


def _rebuild(
    rubric: Rubric, wanted: list[Wanted], chosen: dict[tuple[str, Key], str], lang: str
) -> Rubric:
    text: dict[Key, str] = {
        w.key: chosen[(w.file, w.key)] for w in wanted if (w.file, w.key) in chosen
    }

    def say(key: Key, english: str) -> str:
        return text.get(key, english)

    def scale_of(question: Question) -> Scale:
        own = question.scale
        base = SCALES.get(own.id)
        levels = []
        for level in own.levels:
            shared = base.level(level.value) if base else level
            own_words = level.description != shared.description  # the question's `levels:`
            description = (
                say(("questions", question.id, "levels", level.value), level.description)
                if own_words
                else say(("scales", own.id, level.value, "description"), level.description)
            )
            label = say(("scales", own.id, level.value, "label"), level.label)
            levels.append(Level(level.value, label, level.credit, description))
        return Scale(own.id, tuple(levels))

    def question(q: Question) -> Question:
        fields = {
            name: say(("questions", q.id, name), getattr(q, name))
            for name in ("text", "help", "look_for", "short", "recommendation")
        }
        return dataclasses.replace(q, scale=scale_of(q), **fields)

    def principle(p: Principle) -> Principle:
        return dataclasses.replace(
            p,
            title=say(("principles", p.id, "title"), p.title),
            why=say(("principles", p.id, "why"), p.why),
        )

    sector_title = rubric.sector_title
    if sector_title:
        sector_key = ("", "title")
        sector_file = rubric.origins.get(("sector", "", "title"), ("", ()))[0]
        sector_title = chosen.get((sector_file, sector_key), sector_title)
    base_file = rubric.origins.get(("rubric", "", "title"), ("", ()))[0]
    return dataclasses.replace(
        rubric,
        title=chosen.get((base_file, ("", "title")), rubric.title),
        description=chosen.get((base_file, ("", "description")), rubric.description),
        sector_title=sector_title,
        principles=tuple(principle(p) for p in rubric.principles),
        questions=tuple(question(q) for q in rubric.questions),
        lang=lang,
    )


def shipped_scales_file(lang: str) -> Path:
    return data_dir("rubrics") / "translations" / f"{SCALES_ID}.{lang}.yaml"


def sector_words(
    file: Path | str, title: str, description: str, lang: str | None
) -> tuple[str, str]:
    """A sector overlay's title and description in ``lang`` where its translation is current,
    for the lists where a sector is chosen (its questions are localized with the rubric).
    The pseudo-locale transforms them like every other rubric text."""
    transform = _pseudo(normalise_language(lang)) if lang else None
    if transform is not None:
        return transform(title), transform(description)
    if is_source_language(lang):
        return title, description
    home, source_id = translation_home(file)
    wanted = [
        Wanted(("", name), english, str(file), (name,), f"the sector's {name}", home, source_id)
        for name, english in (("title", title), ("description", description))
        if english
    ]
    chosen, _, _ = pick(wanted, normalise_language(lang), RUBRIC_LAYOUT)
    return (
        chosen.get((str(file), ("", "title")), title),
        chosen.get((str(file), ("", "description")), description),
    )
