"""The rubric's texts in the language of the page being drawn.

A questionnaire session keeps its rubric in English (its ids and levels are what it stores);
each page, in its own respondent's language, shows the question, its help, its scale and its
principle through the rubric's translations (``auditkit.rubric.translate.localize``, kept
beside the rubric). Localized rubrics are cached per rubric content and language: drawing a
page costs a dictionary lookup after the first.
"""

from __future__ import annotations

from typing import Any

from auditkit.i18n import ENGLISH, current

_CACHE: dict[tuple, Any] = {}
_LIMIT = 64  # rubrics × languages kept; a server sees a handful


def localized_rubric(rubric: Any) -> Any:
    """``rubric`` with its texts in the current language; the same object in English or when
    the rubric's translations are not installed. Ids, levels and weights are unchanged."""
    language = current()
    if language == ENGLISH:
        return rubric
    try:
        from auditkit.rubric.translate import localize
    except ImportError:  # the rubric's translations ship separately (issue 40r)
        return rubric
    key = (rubric.id, rubric.version, rubric.sector, rubric.sha256, language)
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) >= _LIMIT:
            _CACHE.clear()
        found = _CACHE[key] = localize(rubric, language)[0]
    return found


def localized_question(rubric: Any, question: Any) -> Any:
    """The question as the current language shows it (same id, same scale values)."""
    shown = localized_rubric(rubric)
    return question if shown is rubric else shown.question(question.id)
