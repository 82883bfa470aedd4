"""click's own words ("Usage:", "Options:", "Error: No such option …") in the language of
the run.

click translates its words with the standard library's ``gettext.gettext`` and
``gettext.ngettext``, bound at import in each of its modules as ``_`` and ``ngettext``
(``from gettext import gettext as _``). The standard library answers those from the
process-wide text domain and the LANGUAGE/LANG variables, which auditkit does not use (a
run's language is chosen with --lang or AUDITKIT_LANG, never inherited from the system, and
kept per run in a context variable). So ``speak`` points click's two names at auditkit's
``gettext``/``ngettext``, which answer from the current ``use`` block and give the English
text itself when none is active: click's English is unchanged, byte for byte. It is called
only when a run is in another language; English touches nothing.

click's messages are auditkit's to translate: the ones a user of auditkit can meet are listed
below with ``N_`` so that extraction puts them in the catalog. tests/test_cli_language.py
checks every one is still a message of the installed click (a click release that rewords
one would otherwise silently show it in English).
"""

from __future__ import annotations

import gettext as stdlib_gettext
import sys

from auditkit.i18n import N_

# The click modules whose words a user can meet (all loaded by ``import click``).
MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")

MESSAGES = (
    # Help pages.
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
    N_("(dynamic)"),
    # Usage errors.
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Missing command."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Option {name!r} does not take a value."),
    N_("Argument {name!r} takes {nargs} values."),
    N_("Invalid start character for option ({option})"),
    N_("Value must be an iterable."),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("{name} {filename!r} is not executable."),
    N_("Could not open file {filename!r}: {message}"),
    N_("unknown error"),
    N_("file"),
    N_("directory"),
    N_("path"),
    # Prompts (server add-advisor asks for a password twice).
    N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."),
    N_("Error: invalid input"),
    N_("Choose from:\n\t{choices}"),
    N_("Aborted!"),
)


# click's words that take a count (ngettext): marked for extraction in ``_marked`` below.
PLURALS = (
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."),
)


def _marked() -> None:  # pragma: no cover - never called; for extraction only
    from auditkit.i18n import ngettext

    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1)
    ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 1)
    ngettext(
        "Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", 1
    )
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1)
    ngettext(
        "Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given.", 1
    )


def speak() -> None:
    """From now on click's words answer from auditkit's catalog (idempotent; see above)."""
    from auditkit.i18n import gettext, ngettext

    for name in MODULES:
        module = sys.modules.get(f"click.{name}")
        if module is None:
            continue
        for attribute, value in list(vars(module).items()):
            if value is stdlib_gettext.gettext:
                setattr(module, attribute, gettext)
            elif value is stdlib_gettext.ngettext:
                setattr(module, attribute, ngettext)
