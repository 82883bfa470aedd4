"""The command line's help in the language of the run: every command's help, short help and
epilog and every option's help, read from the click tree, put through the catalog while the
command runs and put back after.

Help texts stay where a developer writes them, as docstrings and ``help=`` literals; nothing
marks them. ``extract`` (a Babel extraction method named in babel.cfg for ``auditkit/cli``)
walks the same tree, so a new command or option is in the template without anyone wrapping
it, and the message of a text is the same at extraction and at run time (``messages``).

Metavars (FILE, COLUMN, ANSWERS) stay as they are in every language, as option names do: the
help texts name them, and a translation names them the same way.

One message per paragraph: a translator sees a paragraph, not a page, and click re-wraps a
translated paragraph as it wraps the English one. A paragraph click keeps as written (it
starts with the ``\\b`` marker: examples, key lists) keeps its lines in the message; the
marker itself stays outside it. The texts are put back afterwards so that the tree, shared
by every run in one process (the tests run the CLI in-process), never keeps a language.

English touches nothing: ``translated_help`` is entered only for another language.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

KEEP = "\b\n"  # click's marker: print this paragraph's lines as they are


def messages(text: str | None) -> list[str]:
    """The catalog messages of one help text, in order (one per paragraph)."""
    return [message for _keep, message in _paragraphs(text or "")]


def _paragraphs(text: str) -> list[tuple[bool, str]]:
    found = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        if paragraph.startswith(KEEP):
            found.append((True, paragraph[len(KEEP) :]))
        elif paragraph.strip():
            found.append((False, " ".join(paragraph.split())))
    return found


def translate(text: str) -> str:
    """A help text in the language of the current ``use`` block, paragraph by paragraph."""
    from auditkit.i18n import gettext

    return "\n\n".join(
        (KEEP if keep else "") + gettext(message) for keep, message in _paragraphs(text)
    )


def walk(
    command: click.Command, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command under ``command`` (itself first, hidden ones too) with its words."""
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from walk(sub, (*path, name))


def help_option(command: click.Command, root: click.Command) -> click.Option | None:
    """The command's ``--help`` option, made now (click makes and keeps it on first use, with
    its help text in whatever language click's words were in at that moment)."""
    names = root.context_settings.get("help_option_names", ["--help"])
    return command.get_help_option(click.Context(command, help_option_names=names))


def _texts(command: click.Command, root: click.Command) -> Iterator[tuple[Any, str]]:
    """Each (object, attribute) holding words a person reads in ``--help`` or an error."""
    yield command, "help"
    yield command, "short_help"
    yield command, "epilog"
    for param in [*command.params, help_option(command, root)]:
        if param is None:
            continue
        if isinstance(param, click.Option):
            yield param, "help"
        if isinstance(param.type, click.Path):  # "Datei 'x' existiert nicht"
            yield param.type, "name"


@contextlib.contextmanager
def translated_help(root: click.Command) -> Iterator[None]:
    """Within the block, the whole tree speaks the current language; English again after."""
    from auditkit.i18n import gettext

    kept: list[tuple[Any, str, str | None]] = []
    seen: set[tuple[int, str]] = set()
    commands = [command for _path, command in walk(root)]
    for command in commands:  # the metavar stays FILE while click's word becomes "Datei"
        for param in command.params:  # (all first: options may share one type object)
            path_option = isinstance(param, click.Option) and isinstance(param.type, click.Path)
            if path_option and param.metavar is None:
                kept.append((param, "metavar", None))
                param.metavar = param.type.name.upper()
    for command in commands:
        for holder, attribute in _texts(command, root):
            text = getattr(holder, attribute, None)
            if not text or (id(holder), attribute) in seen:
                continue
            seen.add((id(holder), attribute))
            kept.append((holder, attribute, text))
            words = gettext(text) if attribute == "name" else translate(text)
            setattr(holder, attribute, words)
    try:
        yield
    finally:
        for holder, attribute, text in reversed(kept):
            setattr(holder, attribute, text)


# Commands whose --lang names the translation being checked or written, not the language the
# person at the terminal reads (a translator checks Polish with the tool's words in English),
# with the flag that makes it so (None: always).
CHECKS_A_TRANSLATION = {
    ("rubric", "validate"): None,
    ("rubric", "translation"): None,
    ("rules",): "--validate",
}


def language_of(args: list[str], environment: str | None, root: click.Command) -> str:
    """The language the command line speaks, read before click parses (click answers
    ``--help`` as soon as it meets it, before any option's value is looked at): the last
    ``--lang X`` or ``--lang=X`` anywhere on the line, else AUDITKIT_LANG, else English. A
    language auditkit has no catalog for (a mistake that ``--lang`` itself reports) leaves the
    command line in English, and so does the --lang of a command in ``CHECKS_A_TRANSLATION``
    (``auditkit rubric validate --lang pl``)."""
    from auditkit.i18n import ENGLISH, PSEUDO, SHIPPED, normalize

    chosen = environment
    command, path, index = root, [], 0
    while index < len(args) and args[index] != "--":
        arg = args[index]
        if arg == "--lang" or arg.startswith("--lang="):
            value = args[index + 1] if arg == "--lang" and index + 1 < len(args) else None
            value = arg.partition("=")[2] if arg.startswith("--lang=") else value
            if not _checks_a_translation(tuple(path), args) and value is not None:
                chosen = value
            index += 2 if arg == "--lang" else 1
            continue
        if isinstance(command, click.Group) and arg in command.commands:
            command = command.commands[arg]
            path.append(arg)
        index += 1
    tag = normalize(chosen)
    return tag if tag in SHIPPED or tag == PSEUDO else ENGLISH


def _checks_a_translation(path: tuple[str, ...], args: list[str]) -> bool:
    if path not in CHECKS_A_TRANSLATION:
        return False
    flag = CHECKS_A_TRANSLATION[path]
    return flag is None or flag in args


def extract(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extraction method for ``auditkit/cli/*.py``: the file's ``_()`` calls as the
    Python method finds them, then the help texts of the commands defined in the file (the
    module's name in babel.cfg: ``auditkit.cli.helptext:extract``)."""
    from babel.messages.extract import extract_python

    yield from extract_python(fileobj, keywords, comment_tags, options)
    from auditkit.cli import cli
    from auditkit.cli.click_words import MESSAGES
    from auditkit.cli.language import HELP, WORDS_HELP

    # Texts every command shares (--help, --lang) are marked once where they are defined.
    shared = {HELP, WORDS_HELP, *MESSAGES}
    here = Path(fileobj.name).resolve()
    for path, command in walk(cli):
        function = inspect.unwrap(command.callback) if command.callback else None
        if function is None or Path(inspect.getsourcefile(function) or "").resolve() != here:
            continue
        line = inspect.getsourcelines(function)[1]
        name = " ".join(("auditkit", *path))
        for holder, attribute in _texts(command, cli):
            text = getattr(holder, attribute, None)
            if not text:
                continue
            if attribute == "name" or text in shared:  # marked in click_words / language
                continue
            where = name if holder is command else f"{name} {_option_name(holder)}"
            for message in messages(text):
                yield line, "_", message, [f"help of '{where}'"]


def _option_name(option: click.Option) -> str:
    return max(option.opts, key=len)
