"""How an option is named in the interface the user called: a flag, a keyword, a form field.

The same mistake reaches auditkit three ways: ``auditkit bias chatbot log.csv -g lang`` on the
command line, ``auditkit.bias.chatbot("log.csv", group="lang")`` from Python, and the practice
server's evidence form. A fix that says "use --group" is wrong in two of them. So errors are
written once, interface-neutral: where a fix names an option it writes a token,

    ``{{group}}``             the option itself
    ``{{group language}}``    the option with a value

and each front end renders the message in its own words (``InputError.speaking``): the
command line as ``--group language``, Python as ``group="language"``, the web form as
``language in the "Group columns" field``. An option the web form does not have is said as
what to do instead, never as a flag the page cannot take.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditkit.i18n import N_, _

INTERFACES = ("cli", "python", "web", "report")
# 'auditkit report --bias CHECK:LOG' runs a check with the bias command's options under other
# names: its messages name these (the rest as the bias command names them).
REPORT_FLAGS = {"group": "--bias-group", "column": "--bias-column", "decimal": "--bias-decimal"}
TOKEN = re.compile(r"\{\{(\w+)(?: ([^{}]*))?\}\}")
OFFLINE = N_("run 'auditkit bias' on a computer and upload its JSON result")


@dataclass(frozen=True)
class Option:
    """One option's name in each interface. ``web`` is a form field's label, or None when the
    form has no such field: then ``web_instead`` says what to do (``{value}`` is filled in)."""

    cli: str
    python: str
    web: str | None = None
    web_instead: str = OFFLINE
    pairs: bool = False  # NAME=VALUE on the command line; a dict in Python
    web_values: tuple[tuple[str, str], ...] = ()  # a value as the form's choice names it


OPTIONS = {
    "group": Option("--group", "group", N_("Group columns")),
    "column": Option("--column", "column", N_("Columns named differently"), pairs=True),
    "positive": Option("--positive", "positive", pairs=True),
    "outcome": Option("--outcome", "outcome", N_("Outcome column")),
    "truth": Option("--truth", "truth"),
    "score": Option("--score", "score"),
    "threshold": Option("--threshold", "threshold"),
    "within": Option("--within", "within"),
    "proxy_column": Option("--proxy-column", "proxy_column"),
    "tolerance": Option("--tolerance", "tolerance"),
    "counts": Option("--counts", "counts"),
    "connection": Option("--connection", "data"),
    "table": Option("--table", "table"),
    "query": Option("--query", "query"),
    "labels": Option("--labels", "labels", N_("Group names")),
    "decimal": Option(
        "--decimal",
        "decimal",
        N_("Decimal mark"),
        web_values=((",", N_("Comma (169,5)")), (".", N_("Point (169.5)"))),
    ),
    "encoding": Option(
        "--encoding",
        "encoding",
        web_instead=N_("save the log as UTF-8 (CSV UTF-8) and upload it again"),
    ),
    "log_format": Option(
        "--log-format",
        "log_format",
        web_instead=N_("give the file the extension of its type (.csv, .xlsx, .parquet, .jsonl)"),
    ),
    # The score's and the report's own options (Python: auditkit.score / auditkit.report).
    "rubric": Option(
        "--rubric",
        "rubric",
        web_instead=N_(
            "import the file into an audit of the rubric it names, or correct its 'rubric:' lines"
        ),
    ),
    "sector": Option(
        "--sector",
        "sector",
        web_instead=N_("import the file into an audit of a client in the sector it names"),
    ),
    "templates": Option(
        "--templates",
        "templates",
        web_instead=N_("ask the server's administrator to check the report templates"),
    ),
    "date": Option("--date", "date", web_instead=N_("leave the date to the server")),
    "bias": Option("--bias", "bias", web_instead=N_("upload it as evidence on the audit's page")),
    "date_order": Option(
        "--date-order",
        "date_order",
        N_("Dates like 03/04/2027"),
        web_values=(("dmy", N_("day first (3 April)")), ("mdy", N_("month first (4 March)"))),
    ),
}


# Commands and arguments named in a message, by interface.
PHRASES = {
    "bias_command": {"cli": "auditkit bias", "python": "auditkit.bias", "web": N_("the log")},
    "log": {
        "cli": N_("a LOG file"),
        "python": N_("data (a path or a DataFrame)"),
        "web": N_("a log file"),
    },
    "print_sql": {
        "cli": "--print-sql",
        "python": "auditkit.bias.run.print_sql()",
        "web": N_("the command line's 'auditkit bias'"),
    },
    **{
        f"example_{check}": {
            "cli": f"auditkit bias {check} chats.csv --group language",
            "python": f'auditkit.bias.{check}("chats.csv", group="language")',
            "web": N_("choose the log file and name its group column"),
        }
        for check in ("chatbot", "segmentation", "check")
    },
    "bias_json": {
        "cli": "'auditkit bias … --format json'",
        "python": "BiasCheck.to_json()",
        "web": N_("'auditkit bias' (its JSON result)"),
    },
}


def speak(text: str | None, interface: str = "cli") -> str | None:
    """``text`` with every option token in the words of ``interface``."""
    if text is None or "{{" not in text:
        return text
    return TOKEN.sub(lambda found: _option(found.group(1), found.group(2), interface), text)


def _option(name: str, value: str | None, interface: str) -> str:
    # The words around an option are translated here, as the message around them was where
    # it was raised; flags, keywords and values never are.
    if name in PHRASES:
        return _(PHRASES[name]["cli" if interface == "report" else interface])
    option = OPTIONS[name]
    if interface == "report":
        flag = REPORT_FLAGS.get(name, option.cli)
        return f"{flag} {value}" if value else flag
    if interface == "python":
        return f"{option.python}={_python_value(option, value)}" if value else f"{option.python}="
    if interface == "web":
        if option.web is None:
            return _(option.web_instead)
        field = _(option.web)
        if not value:
            return _('the "{field}" field').format(field=field)
        chosen = dict(option.web_values).get(value)
        if chosen:
            return _('the "{field}" field set to “{choice}”').format(field=field, choice=_(chosen))
        return _('{value} in the "{field}" field').format(value=value, field=field)
    return f"{option.cli} {value}" if value else option.cli


def _python_value(option: Option, value: str) -> str:
    if option.pairs and "=" in value:
        name, _, mapped = value.partition("=")
        return "{" + f"{name.strip()!r}: {mapped.strip()!r}" + "}"
    parts = value.split()
    if len(parts) > 1 and all(_number(p) for p in parts):
        return "(" + ", ".join(parts) + ")"
    if _number(value):
        return value
    return repr(value)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
