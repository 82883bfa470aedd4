"""Render the report context to HTML (Jinja) and to PDF (WeasyPrint), safely and reproducibly.

Templates come from the advisor's folder first (``--templates DIR``, one file at a time) and
fall back to the shipped ones. An override can also extend a shipped template and change one
block (``{% extends "default:report.html" %}``, datasette's model): the ``default:`` prefix
always names the shipped file, so the rest of the report stays current. Autoescaping is on,
undefined variables are errors, and the environment is sandboxed: a template can place values
and use filters, never reach Python's internals.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from auditkit.errors import InputError, fill
from auditkit.i18n import _
from auditkit.rubric.registry import data_dir

MAIN_TEMPLATE = "report.html"
# Resource limits for templates (shipped ones render in about 30 ms): no string or list built
# by '*' longer than this, no exponent larger, no filter padding wider, no render longer.
MAX_SIZE = 1_000_000
MAX_EXPONENT = 100
RENDER_SECONDS = 5


class TemplateLimit(Exception):
    """A template asked for more than the limits allow."""


class _ReportSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with the arithmetic that builds huge values capped."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):  # type: ignore[override]
        if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
            raise TemplateLimit(f"an exponent above {MAX_EXPONENT}")
        if operator == "*":
            for value, times in ((left, right), (right, left)):
                sized = isinstance(value, str | list | tuple) and isinstance(times, int)
                if sized and len(value) * times > MAX_SIZE:
                    raise TemplateLimit(f"a value longer than {MAX_SIZE:,}")
        return super().call_binop(context, operator, left, right)


def _capped(filter_function, position: int):
    """A padding filter (center, indent, wordwrap…) whose width argument is capped."""

    def capped(*args, **kwargs):
        width = args[position] if len(args) > position else kwargs.get("width", 0)
        if isinstance(width, int) and width > MAX_SIZE:
            raise TemplateLimit(f"a width above {MAX_SIZE:,}")
        return filter_function(*args, **kwargs)

    return capped


def css_string(value: object) -> Markup:
    """Text safe inside a CSS string or url(""): every character that can end a CSS string or
    a <style> element (quotes, backslash, newline, carriage return, form feed and every other
    control character, angle brackets) is written as a CSS hex escape."""
    text = str(value)
    escaped = re.sub(r'["\'\\<>\x00-\x1f\x7f]', lambda m: f"\\{ord(m.group()):x} ", text)
    return Markup(escaped)


class ConfinedLoader(FileSystemLoader):
    """A FileSystemLoader that follows a symlink only while it stays inside its folder: a
    template pack's partial linked to /etc/passwd must not end up in a client's report."""

    def get_source(self, environment, template):  # type: ignore[override]
        source, filename, uptodate = super().get_source(environment, template)
        root = Path(self.searchpath[0]).resolve()
        if not Path(filename).resolve().is_relative_to(root):
            raise InputError.single(
                str(filename),
                _("is a link to a file outside the templates folder, so it is not read"),
                fix=_("copy the file into the templates folder instead of linking to it"),
            )
        return source, filename, uptodate


def environment(template_dir: Path | None) -> ImmutableSandboxedEnvironment:
    shipped = FileSystemLoader(str(data_dir("templates")))
    loaders = [ConfinedLoader(str(template_dir))] if template_dir else []
    loaders += [PrefixLoader({"default": shipped}, delimiter=":"), shipped]
    env = _ReportSandbox(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["css"] = css_string
    # {% trans %} and _() in the (sandboxed) report templates, answered in the language of the
    # report being made (auditkit.i18n.use). The gettext callables are plain functions of
    # strings: the sandbox's rules on attributes and calls are unchanged.
    from auditkit.i18n import install_jinja

    install_jinja(env)
    for name, position in (("center", 1), ("indent", 1), ("wordwrap", 2), ("truncate", 1)):
        if name in env.filters:
            env.filters[name] = _capped(env.filters[name], position)
    return env


def _template_frame(error: BaseException) -> tuple[str, int] | None:
    """The innermost template file and line of a runtime error: Jinja rewrites tracebacks so
    that template frames carry the template's own file name and line."""
    found = None
    trace = error.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".css")):
            found = (filename, trace.tb_lineno)
        trace = trace.tb_next
    return found


def _include_chain(error: BaseException) -> list[tuple[str, int]]:
    """The templates a runaway include went through, outermost first, up to the first one
    entered twice: [report.html:26, partials/cover.html:1, partials/cover.html:1] for a
    cover that includes itself. Template frames carry the template's file and line (as in
    ``_template_frame``), and Jinja names the frame that enters one "top-level template code";
    a block or macro frame moves the line of the template entered last."""
    chain: list[tuple[str, int]] = []
    trace = error.__traceback__
    while trace is not None:
        code = trace.tb_frame.f_code
        if code.co_filename.endswith((".html", ".css")):
            if code.co_name == "top-level template code" or not chain:  # a template entered
                if code.co_filename in [name for name, _ in chain]:
                    chain.append((code.co_filename, trace.tb_lineno))
                    break  # the cycle is closed
                chain.append((code.co_filename, trace.tb_lineno))
            else:  # a block or macro of the template entered last
                chain[-1] = (chain[-1][0], trace.tb_lineno)
        trace = trace.tb_next
    return chain


def _template_name(filename: str, template_dir: Path | None) -> str:
    """A template's name as --templates and the shipped folder spell it (partials/cover.html)."""
    for root in (template_dir, data_dir("templates")):
        if root is not None:
            try:
                return str(Path(filename).resolve().relative_to(Path(root).resolve()))
            except ValueError:
                continue
    return filename


def _render(template, context: dict[str, Any]) -> str:
    """Render with a limit on the processor time the rendering uses (main thread only: it
    uses SIGPROF). Processor time, not time on the clock: a template cannot wait for anything
    (the sandbox reads no file and fetches nothing), so only its own work can run away, while
    a machine busy with other work (the practice server renders at the lowest priority,
    ``server.reports.REPORT_NICENESS``) would otherwise fail a report that is fine."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        return template.render(**context)

    def stop(signum, frame):
        raise TemplateLimit(f"more than {RENDER_SECONDS} s of rendering")

    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, RENDER_SECONDS)
    try:
        return template.render(**context)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def check_overrides(template_dir: Path) -> None:
    """Every template file of an override folder must replace a shipped template or be included
    by name from one: a 'cover.html' saved beside report.html instead of in partials/ would
    otherwise be silently ignored. Files that are not templates (.html, .css) are assets
    (fonts, images) and are left alone."""
    from auditkit.errors import did_you_mean, quoted_list

    shipped_root = data_dir("templates")
    shipped = sorted(
        str(p.relative_to(shipped_root))
        for p in shipped_root.rglob("*")
        if p.suffix in (".html", ".css")
    )
    files = [
        p
        for p in sorted(Path(template_dir).rglob("*"))
        if p.suffix in (".html", ".css") and p.is_file()
    ]
    # An advisor's own partial is fine when a template includes it by name.
    mentioned = " ".join(
        f.read_text(encoding="utf-8", errors="replace") for f in files if not f.is_symlink()
    )
    for path in files:
        name = str(path.relative_to(template_dir))
        if name not in shipped and f'"{name}"' not in mentioned and f"'{name}'" not in mentioned:
            guess = did_you_mean(name, shipped) or next(
                (s for s in shipped if Path(s).name == Path(name).name), None
            )
            raise InputError.single(
                str(path),
                fill(
                    _("{name} replaces no template of the report, so it would be ignored"),
                    name=repr(name),
                ),
                expected=fill(_("one of {choices}"), choices=quoted_list(shipped)),
                fix=fill(_("did you mean {guess}? Move the file there"), guess=repr(guess))
                if guess
                else _("name the file after the template it replaces"),
            )


def check_blocks(template_dir: Path) -> None:
    """A block an override fills must be one its base template defines: Jinja silently
    ignores ``{% block methodolgy %}`` in a template that extends another, so the advisor's
    text would never appear. Overrides that extend nothing are whole templates of their own."""
    from jinja2 import nodes

    from auditkit.errors import did_you_mean, quoted_list

    env = environment(None)
    shipped_root = data_dir("templates")
    defined = set()
    for path in shipped_root.rglob("*.html"):
        tree = env.parse(path.read_text(encoding="utf-8"))
        defined |= {block.name for block in tree.find_all(nodes.Block)}
    for path in sorted(Path(template_dir).rglob("*.html")):
        if not path.is_file():
            continue
        source = path.read_text(encoding="utf-8", errors="replace")
        try:
            tree = env.parse(source)
        except TemplateError:
            continue  # a syntax error is reported, with its line, when the report renders
        if tree.find(nodes.Extends) is None:
            continue
        for block in tree.find_all(nodes.Block):
            if block.name not in defined:
                guess = did_you_mean(block.name, defined)
                raise InputError.single(
                    str(path),
                    fill(
                        _(
                            "the block {block} is not a block of the report, so its content "
                            "would never appear"
                        ),
                        block=repr(block.name),
                    ),
                    line=block.lineno,
                    expected=fill(_("one of {choices}"), choices=quoted_list(sorted(defined))),
                    fix=fill(_("did you mean {guess}?"), guess=repr(guess))
                    if guess
                    else _("use one of the names above"),
                )


def section_titles_in_contents(html: str) -> str:
    """The contents list each section by the title it is rendered with: an override that
    retitles a section ("Our method" for "Methodology") is what the reader sees in both."""
    headings = {
        anchor: title.strip()
        for anchor, _, title in re.findall(
            r'<section id="([^"]+)"[^>]*>\s*<h([12])[^>]*>(.*?)</h\2>', html, re.S
        )
    }

    def retitle(match: re.Match) -> str:
        anchor = match.group(2)
        return f"{match.group(1)}{headings.get(anchor, match.group(3))}</a>"

    nav = re.search(r'<nav[^>]* class="toc".*?</nav>', html, re.S)
    if not nav:
        return html
    fixed = re.sub(
        r'(<li><a href="#([^"]+)">)(.*?)</a>', retitle, nav.group(0)
    )  # top-level entries only: sub-entries (class="sub") are the sections' own titles
    return html[: nav.start()] + fixed + html[nav.end() :]


def render_html(context: dict[str, Any], template_dir: Path | None = None) -> str:
    if template_dir is not None:
        check_overrides(template_dir)
        check_blocks(template_dir)
    try:
        html = _render(environment(template_dir).get_template(MAIN_TEMPLATE), context)
        return section_titles_in_contents(html)
    except RecursionError as error:
        chain = _include_chain(error)
        culprit = chain[-1] if chain else (str(template_dir or MAIN_TEMPLATE), None)
        shown = " → ".join(f"{_template_name(name, template_dir)}:{line}" for name, line in chain)
        raise InputError.single(
            culprit[0],
            fill(
                _(
                    "a report template includes itself (directly, or through another "
                    "template): {chain}"
                ),
                chain=shown,
            )
            if shown
            else _("a report template includes itself (directly, or through another template)"),
            line=culprit[1],
            fix=_(
                "check the {% include %} and {% extends %} lines of the templates in "
                "{{templates}}: a template cannot include the file it is in"
            ),
        ) from None
    except (TemplateLimit, OverflowError, MemoryError) as error:
        where = _template_frame(error)
        raise InputError.single(
            # An override is named by its path (an editor opens it); a shipped template by
            # its name, not by where this installation keeps it.
            (where[0] if template_dir else _template_name(where[0], None))
            if where
            else MAIN_TEMPLATE,
            fill(_("the report template asked for too much: {reason}"), reason=error),
            line=where[1] if where else None,
            fix=_(
                "check the template override in {{templates}}: templates place values, they do "
                "not build large ones"
            ),
        ) from None
    except TemplateError as error:
        name = getattr(error, "filename", None) or getattr(error, "name", None) or MAIN_TEMPLATE
        line = getattr(error, "lineno", None)
        where = _template_frame(error)
        if where and not getattr(error, "lineno", None):
            name, line = where
        raise InputError.single(
            str(name),
            fill(_("the report template failed: {reason}"), reason=error.message or error),
            line=line,
            fix=_("check the template override in {{templates}}; undefined variables are errors"),
        ) from None


def render_pdf(
    html: str,
    *,
    template_dir: Path | None,
    brand_folder: Path | None,
    identifier: str,
    source_date_epoch: int = 0,
) -> tuple[bytes, list[str]]:
    """The PDF bytes, and the URLs the renderer was refused."""
    from weasyprint import HTML

    from auditkit.reporting.fetcher import SafeFetcher

    roots = [data_dir("templates")]
    if template_dir:
        roots.append(template_dir)
    if brand_folder:
        roots.append(brand_folder)
    fetcher = SafeFetcher(roots)
    base = (template_dir or data_dir("templates")).resolve()
    document = HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
    # fontTools stamps the subset fonts it writes with the current time unless
    # SOURCE_DATE_EPOCH is set: pin it to the report's date so the bytes repeat.
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    try:
        pdf = document.write_pdf(
            pdf_tags=True,
            presentational_hints=False,
            pdf_identifier=hashlib.sha256(identifier.encode()).hexdigest()[:32].encode(),
        )
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    return pdf, fetcher.refused
