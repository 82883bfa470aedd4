"""The one error type for bad input, and auditkit's exit-code contract.

Problems are raised deep (while loading a rubric, an answers file, a log) and turned into a
message plus exit code 2 in one place, the CLI. Each problem says where it is (file, line and
column, or row and column of a log), what was expected, what was found and how to fix it, so a
user never has to read a traceback to find their typo.

A fix that names an option writes it as a token (``{{group language}}``, see
``auditkit.wording``): the command line shows ``--group language``, Python
``group="language"`` and the web form its field, so a fix never names an option that the
interface the user called does not have. ``InputError.speaking(interface)`` picks the words;
the command line's are the default.

Every message is translated where it is raised, whole, with named placeholders filled by
``fill`` (which keeps the option tokens for the interface to render):
``fill(_("the log has no column {column}; name it with {{group COLUMN}}"), column=…)``. An
``InputError`` remembers the language it was raised in and says its own words ("expected:",
"row", "3 problems found.") in that language too, wherever it is printed. The Python API
speaks English unless a language is active (``auditkit.i18n.use``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from auditkit.i18n import _, current, use

EXIT_OK = 0
EXIT_THRESHOLD = 1  # an audit threshold (--fail-on...) was breached: a finding, for CI
EXIT_INPUT = 2  # bad input or usage
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report it; everything typed so far is saved
EXIT_INTERNAL = 3  # a bug in auditkit: never reported as 1, which CI would read as a finding


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as the input allows.

    ``line`` and ``column`` are 1-based. For tabular logs ``line`` holds the row number and
    ``column_name`` the column; either may be ``None`` when the problem concerns the whole file.
    """

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    expected: str | None = None
    found: str | None = None
    fix: str | None = None
    column_name: str | None = None

    def location(self, interface: str = "cli") -> str:
        from auditkit.wording import speak

        file = speak(self.file, interface) or self.file
        parts = [file]
        if self.column_name is not None:
            if self.line is not None:
                return fill(
                    _("{file}: row {row}, column {column}"),
                    file=file,
                    row=self.line,
                    column=repr(self.column_name),
                )
            return fill(_("{file}: column {column}"), file=file, column=repr(self.column_name))
        # file:line:column is a location editors and terminals jump to: the same in every
        # language.
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def format(self, interface: str = "cli") -> str:
        """The problem in the words of ``interface`` ('cli', 'python' or 'web')."""
        from auditkit.wording import speak

        lines = [f"{self.location(interface)}: {speak(self.message, interface)}"]
        # The labels as this language says them, their texts aligned after the longest.
        labels = {"expected": _("expected:"), "found": _("found:"), "fix": _("fix:")}
        width = max(len(label) for label in labels.values()) + 1
        for name, label in labels.items():
            text = getattr(self, name)
            if text is not None:
                lines.append(f"  {label.ljust(width)}{speak(text, interface)}")
        return "\n".join(lines)


@dataclass
class InputError(Exception):
    """Bad input: one or more problems, all reported together (exit code 2)."""

    problems: list[Problem] = field(default_factory=list)
    interface: str = "cli"  # whose words the message uses: 'cli', 'python' or 'web'
    # The language the problems were written in (the one active where it was raised): its
    # own words follow it wherever the error is printed.
    language: str | None = None

    def __post_init__(self) -> None:
        if self.language is None:
            self.language = current()
        super().__init__(self.format())

    def __reduce__(self):
        """Pickled by its problems, not by its printed text (``Exception`` pickles its
        ``args``, the text, which would come back as a list of its characters): an error
        raised in a process of the practice server's report pool reaches the page whole."""
        return (type(self), (list(self.problems), self.interface, self.language))

    def speaking(self, interface: str) -> InputError:
        """The same problems, with options named as ``interface`` names them."""
        return InputError(list(self.problems), interface, self.language)

    def format(self) -> str:
        if self.language != current():
            with use(self.language):
                return self._format()
        return self._format()

    def _format(self) -> str:
        from auditkit.i18n import ngettext

        count = len(self.problems)
        body = "\n".join(problem.format(self.interface) for problem in self.problems)
        if count > 1:
            body += "\n" + fill(
                ngettext("{count} problem found.", "{count} problems found.", count), count=count
            )
        return body

    @classmethod
    def single(cls, file: str, message: str, **details: object) -> InputError:
        return cls([Problem(file=file, message=message, **details)])  # type: ignore[arg-type]


class ThresholdBreached(Exception):
    """An audit threshold chosen with a --fail-on... option was breached (exit code 1)."""


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """Suggest the closest of ``choices`` to a mistyped ``word``, or None if nothing is close."""
    matches = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return matches[0] if matches else None


def quoted_list(items: Iterable[object], limit: int = 12) -> str:
    """Render choices for a message: ``'a', 'b', 'c'`` with a tail count when there are many."""
    items = list(items)
    shown = ", ".join(repr(str(i)) for i in items[:limit])
    if len(items) > limit:
        shown += ", " + fill(_("… ({count} more)"), count=len(items) - limit)
    return shown


# A named placeholder ``{name}``; ``{{name}}`` and ``{{name value}}`` are option tokens.
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: str, **values: object) -> str:
    """``template`` (a translated message) with its named placeholders replaced by ``values``
    and its option tokens kept for the interface to render: unlike ``str.format``, braces
    need no doubling, so a translator sees ``{{group language}}`` as the user will.

    ``{column}`` is a placeholder; ``{{group}}`` is a token (left as it is); inside a token a
    placeholder still fills (``{{score {score}}}`` → ``{{score probability}}``). A name with
    no value is left as written."""

    def replace(found: re.Match[str]) -> str:
        start, end = found.start(), found.end()
        token = template[start - 1 : start] == "{" and template[end : end + 1] == "}"
        name = found.group(1)
        if token or name not in values:
            return found.group()
        return str(values[name])

    return _PLACEHOLDER.sub(replace, template)
