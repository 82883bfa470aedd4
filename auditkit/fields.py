"""Check the fields of one YAML mapping and collect located problems instead of stopping.

Rubrics, overlays, answers files and brand files are all small YAML mappings with known keys.
This helper reads one mapping of a located document, checks keys and types, and records one
problem per mistake (with line, column, what was expected and a fix) so that a file's problems
are all reported at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from typing import Any

from auditkit.errors import Problem, did_you_mean, fill, quoted_list
from auditkit.i18n import N_, _
from auditkit.yamlsource import PathKey, YamlDocument

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_TYPE_NAMES = {
    str: N_("text"),
    int: N_("a whole number"),
    float: N_("a number"),
    bool: N_("true or false"),
    list: N_("a list"),
    dict: N_("a mapping"),
}


def describe_kind(value: Any) -> str:
    """What a value is, without any of its content."""
    if value is None:
        return _("an empty file")
    if isinstance(value, list):
        return _("a list")
    return fill(
        _("{kind} (not shown)"),
        kind=_("text") if isinstance(value, str) else type(value).__name__,
    )


def describe(value: Any) -> str:
    """How a found value reads in a message: its YAML type and a short rendering."""
    if value is None:
        return _("nothing (empty value)")
    if isinstance(value, bool):
        return fill(_("{value} (a boolean)"), value=str(value).lower())
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "…"
    kinds = {str: N_("text"), int: N_("a number"), float: N_("a number")}
    kind = _(kinds[type(value)]) if type(value) in kinds else type(value).__name__
    return fill(_("{value} ({kind})"), value=text, kind=kind)


class Fields:
    """The fields of the mapping at ``path`` in ``document``; problems go to ``problems``.

    ``what`` names the mapping in messages, e.g. ``question 'handoff.reach-person'``, already
    translated (the messages place it as a noun: "'title' of {what} is empty").
    """

    def __init__(
        self, document: YamlDocument, path: PathKey, problems: list[Problem], what: str
    ) -> None:
        self.document = document
        self.path = path
        self.problems = problems
        self.what = what
        value = document.value_at(path)
        self.ok = isinstance(value, dict)
        self.data: dict[Any, Any] = value if self.ok else {}
        if not self.ok:
            self.problem(
                (),
                fill(_("{what} must be a mapping of keys to values"), what=what),
                expected=_("a mapping such as 'id: …' on its own lines"),
                # A whole file that is not what was expected (an extends: or rubric.file that
                # points at the wrong file, /etc/passwd) is named, never quoted.
                found=describe(value) if path else describe_kind(value),
            )

    def problem(
        self, key_path: PathKey, message: str, *, key: bool = False, **details: Any
    ) -> None:
        self.problems.append(
            self.document.problem((*self.path, *key_path), message, key=key, **details)
        )

    def check_keys(self, allowed: Collection[str], required: Collection[str] = ()) -> None:
        """Report unknown keys (with a suggestion) and missing required ones."""
        for key in self.data:
            if key not in allowed:
                guess = did_you_mean(str(key), allowed)
                self.problem(
                    (key,),
                    fill(_("unknown key {key} in {what}"), key=repr(key), what=self.what),
                    key=True,
                    expected=fill(
                        _("one of {choices}"), choices=quoted_list(sorted(allowed), limit=30)
                    ),
                    found=repr(key),
                    fix=fill(_("did you mean {guess}?"), guess=repr(guess))
                    if guess
                    else _("remove it, or check its spelling"),
                )
        for key in required:
            if key not in self.data and self.ok:
                self.problem(
                    (),
                    fill(
                        _("{what} is missing the required key {key}"), what=self.what, key=repr(key)
                    ),
                    expected=fill(_("'{key}: …' in this mapping"), key=key),
                    found=_("no such key"),
                    fix=fill(_("add '{key}:' with a value"), key=key),
                )

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        """The value of ``key`` if it has the right type; else report it and return default."""
        if key not in self.data or self.data[key] is None:
            return default  # 'key:' with nothing after it is the same as leaving it out
        value = self.data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # A bool is an int in Python, but 'weight: yes' is never meant as a number.
        if isinstance(value, bool) and bool not in kinds:
            ok = False
        elif float in kinds and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        else:
            ok = isinstance(value, kinds)
        if ok:
            return value
        names = [_(_TYPE_NAMES[k]) if k in _TYPE_NAMES else k.__name__ for k in kinds]
        named = (
            names[0]
            if len(names) == 1
            else fill(_("{first} or {second}"), first=", ".join(names[:-1]), second=names[-1])
        )
        self.problem(
            (key,),
            fill(_("{key} of {what} has the wrong type"), key=repr(key), what=self.what),
            expected=named,
            found=describe(value),
            fix=fill(_("write {key} as {kind}"), key=repr(key), kind=named),
        )
        return default

    def text(self, key: str, default: str = "", *, allow_empty: bool = False) -> str:
        value = self.get(key, str, None)
        # A value of the wrong type is already reported by get(); only a real blank is "empty".
        if value is None and key in self.data and self.data[key] is None and not allow_empty:
            self._empty(key)
        if value is None:
            return default
        if not value.strip() and key in self.data and not allow_empty:
            self._empty(key)
        return value.strip()

    def _empty(self, key: str) -> None:
        self.problem(
            (key,),
            fill(_("{key} of {what} is empty"), key=repr(key), what=self.what),
            fix=_("write some text, or remove the key"),
        )

    def identifier(self, key: str) -> str:
        value = self.get(key, str, "")
        if value and not ID_PATTERN.match(value):
            self.problem(
                (key,),
                fill(_("{key} of {what} is not a valid id"), key=repr(key), what=self.what),
                expected=_(
                    "lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
                ),
                found=repr(value),
                fix=fill(
                    _("use something like {id}"),
                    id=repr(re.sub(r"[^a-z0-9._-]+", "-", value.lower()).strip("-._")),
                ),
            )
        return value

    def number(
        self, key: str, default: float, *, low: float, high: float, low_open: bool = False
    ) -> float:
        value = self.get(key, float, None)
        if value is None:
            return default
        if not math.isfinite(value):  # .nan / .inf: never a weight or a threshold
            self.problem(
                (key,),
                fill(_("{key} of {what} is not a finite number"), key=repr(key), what=self.what),
                expected=fill(_("a number from {low} to {high}"), low=low, high=high),
                found=describe(value),
            )
            return default
        below = value <= low if low_open else value < low
        if below or value > high:
            self.problem(
                (key,),
                fill(_("{key} of {what} is out of range"), key=repr(key), what=self.what),
                expected=fill(
                    _("a number more than {low} and at most {high}")
                    if low_open
                    else _("a number at least {low} and at most {high}"),
                    low=low,
                    high=high,
                ),
                found=describe(value),
            )
            return default
        return float(value)

    def integer(self, key: str, *, low: int, high: int) -> int | None:
        value = self.get(key, int, None)
        if value is None:
            return None
        if not low <= value <= high:
            self.problem(
                (key,),
                fill(_("{key} of {what} is out of range"), key=repr(key), what=self.what),
                expected=fill(_("a whole number from {low} to {high}"), low=low, high=high),
                found=describe(value),
            )
            return None
        return value

    def choice(self, key: str, choices: Collection[str], default: str | None = None) -> str | None:
        value = self.get(key, str, None)
        if value is None:
            return default
        if value not in choices:
            guess = did_you_mean(value, choices)
            self.problem(
                (key,),
                fill(
                    _("{key} of {what} is not one of the allowed values"),
                    key=repr(key),
                    what=self.what,
                ),
                expected=fill(_("one of {choices}"), choices=quoted_list(choices)),
                found=repr(value),
                fix=fill(_("did you mean {guess}?"), guess=repr(guess))
                if guess
                else fill(_("choose one of {choices}"), choices=quoted_list(choices)),
            )
            return default
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.get(key, bool, None)
        return default if value is None else value
