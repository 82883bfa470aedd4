"""Load YAML with ``yaml.safe_load`` semantics while remembering where every value stood.

Validation errors must name the line and column of the offending key or value, which
``safe_load`` forgets. We compose the node tree with PyYAML's SafeLoader (so only safe tags are
ever constructed) and build plain Python values from it ourselves, recording a position for
every path. Duplicate mapping keys, which ``safe_load`` silently lets the last one win, are
reported as problems: in a rubric or answers file they are always a mistake.
"""

from __future__ import annotations

import contextlib
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from auditkit.errors import InputError, Problem, fill
from auditkit.fileio import read_text
from auditkit.i18n import _
from auditkit.i18n.formatting import format_integer

PathKey = tuple[Hashable, ...]

# Bounded parsing. Aliases are composed as shared nodes and only multiply when values are
# built, so a "billion laughs" file of a few lines would expand without end: values are built
# under a budget. The largest shipped input (a rubric with a sector overlay) builds about 3,000
# values and nests 6 levels; these limits are far above that and far below trouble.
MAX_VALUES = 200_000
MAX_DEPTH = 40
MAX_BYTES = 10 * 1024 * 1024


class _Budget:
    def __init__(self) -> None:
        self.values = 0


# The C parser when PyYAML was built with libyaml: same safe semantics and marks, ~5× faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Mark:
    """A 1-based line and column in a file."""

    line: int
    column: int


@dataclass
class YamlDocument:
    """Plain data from a YAML file, plus where each path's key and value stood in it."""

    file: str
    data: Any
    value_marks: dict[PathKey, Mark] = field(default_factory=dict)
    key_marks: dict[PathKey, Mark] = field(default_factory=dict)

    def value_at(self, path: PathKey) -> Any:
        """The value at ``path``, or None where the path does not exist (yet)."""
        value = self.data
        for key in path:
            if (isinstance(value, dict) and key in value) or (
                isinstance(value, list) and isinstance(key, int) and key < len(value)
            ):
                value = value[key]
            else:
                return None
        return value

    def mark(self, path: PathKey, *, key: bool = False) -> Mark:
        """Where ``path`` stands; falls back to the nearest enclosing value that has a mark."""
        if key and path in self.key_marks:
            return self.key_marks[path]
        while path:
            if path in self.value_marks:
                return self.value_marks[path]
            path = path[:-1]
        return self.value_marks.get((), Mark(1, 1))

    def problem(self, path: PathKey, message: str, *, key: bool = False, **details: Any) -> Problem:
        """A problem located at ``path`` (its key with ``key=True``, else its value)."""
        where = self.mark(path, key=key)
        return Problem(self.file, message, line=where.line, column=where.column, **details)


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


def _yaml_error_problem(file: str, error: yaml.YAMLError, text: str = "") -> Problem:
    """The parser's complaint, with a plain sentence on top for the mistakes people make:
    a tab where spaces are needed, a colon inside unquoted text, text that starts with a
    character YAML reserves."""
    if isinstance(error, yaml.reader.ReaderError):  # a character YAML forbids (NUL, BEL…)
        before = text[: error.position]
        return Problem(
            file,
            fill(
                _("holds a control character (code {code}) that YAML does not allow"),
                code=f"{error.character:#04x}",
            ),
            line=before.count("\n") + 1,
            column=error.position - before.rfind("\n"),
            fix=_("delete the character (it is invisible in most editors: retype the line)"),
        )
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    technical = problem + (f" ({context})" if context else "")
    lines = text.splitlines()
    line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
    at = line_text[mark.column] if mark and mark.column < len(line_text) else ""
    key = line_text.strip().split(":", 1)[0] if ":" in line_text else "key"
    # The parser's own words (``technical``) are quoted as it wrote them, in English.
    message = fill(_("this is not valid YAML: {reason}"), reason=technical)
    fix = _(
        "check the indentation and quoting around this place; text containing ':' or '#' "
        "must be quoted"
    )
    if at == "\t" or "\t" in line_text[: len(line_text) - len(line_text.lstrip())]:
        message = fill(
            _("a tab where spaces are needed: YAML indents with spaces only ({reason})"),
            reason=technical,
        )
        fix = _("replace the tab with spaces (two per level, as in the lines around it)")
    elif "mapping values are not allowed" in problem:
        message = fill(_("a colon inside text that is not in quotes ({reason})"), reason=technical)
        fix = fill(_('put the text after "{key}:" in double quotes, e.g. {key}: "…: …"'), key=key)
    elif at and at in "@`":
        message = fill(
            _("text that starts with {character}, which YAML reserves ({reason})"),
            character=repr(at),
            reason=technical,
        )
        fix = fill(_('put the text after "{key}:" in double quotes'), key=key)
    return Problem(
        file,
        message,
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
        fix=fix,
    )


def parse_yaml(text: str, file: str) -> YamlDocument:
    """Parse YAML ``text`` (read from ``file``, named in messages) into a located document."""
    if len(text) > MAX_BYTES:
        raise InputError.single(
            file,
            fill(
                _(
                    "is {size} MB: larger than any rubric, answers or brand file should be "
                    "(the limit is {limit} MB)"
                ),
                size=len(text) // (1024 * 1024),
                limit=MAX_BYTES // (1024 * 1024),
            ),
            fix=_("check that this is the file you meant; split a very large rubric into overlays"),
        )
    _refuse_deep_nesting(text, file)
    loader = _Loader(text)
    problems: list[Problem] = []
    document = YamlDocument(file=file, data=None)
    try:
        node = loader.get_single_node()
        if node is not None:
            document.data = _build(loader, node, (), document, problems, _Budget())
    except yaml.YAMLError as error:
        raise InputError([_yaml_error_problem(file, error, text)]) from None
    except RecursionError:
        raise InputError.single(
            file,
            fill(_("is nested more than {depth} levels deep"), depth=MAX_DEPTH),
            fix=_("check the indentation and brackets; no auditkit file nests that deep"),
        ) from None
    finally:
        loader.dispose()
    if problems:
        raise InputError(problems)
    return document


def _refuse_deep_nesting(text: str, file: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH at the first node past it, from the event stream.

    This runs before the node tree is composed because the parsers have depth limits of their
    own that differ between releases (libyaml in PyYAML 6.0.4 stops at 1,000 flow levels, the
    pure-Python composer recurses until Python's stack runs out): counting events, which come
    one at a time, gives the same budget and the same place with any release. libyaml scans a
    whole flow run before its first event, so when it fails the pure-Python parser (slower,
    but only ever run on a file that is broken anyway) finds the place. Other syntax errors
    are left to the real parse, which reports them with its own marks."""
    try:
        _count_depth(_Loader(text), file)
    except yaml.YAMLError:
        if _Loader is not yaml.SafeLoader:
            with contextlib.suppress(yaml.YAMLError):
                _count_depth(yaml.SafeLoader(text), file)


def _count_depth(loader: yaml.SafeLoader, file: str) -> None:
    open_collections = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.CollectionEndEvent):
                open_collections -= 1
                continue
            if isinstance(event, yaml.NodeEvent) and open_collections > MAX_DEPTH:
                where = event.start_mark
                raise InputError.single(
                    file,
                    fill(_("is nested more than {depth} levels deep"), depth=MAX_DEPTH),
                    line=where.line + 1,
                    column=where.column + 1,
                    fix=_("check the indentation and brackets; no auditkit file nests that deep"),
                )
            if isinstance(event, yaml.CollectionStartEvent):
                open_collections += 1
            elif isinstance(event, yaml.StreamEndEvent):
                return
    finally:
        loader.dispose()


_cache: dict[tuple[Path, int, int], YamlDocument] = {}


def load_yaml(path: Path | str) -> YamlDocument:
    """Read and parse a YAML file, turning unreadable files into an InputError.

    Parsed documents are cached per process by path, size and modification time: listing
    rubrics reads each base rubric once, not once per overlay. Callers must not mutate them.
    """
    path = Path(path)
    try:
        stat = path.stat()
        key = (path.resolve(), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = None
    if key in _cache:
        return _cache[key]
    document = _read_and_parse(path)
    if key is not None:
        _cache[key] = document
    return document


def _read_and_parse(path: Path) -> YamlDocument:
    text = read_text(
        path,
        expected=_("a YAML file"),
        missing_fix=_("check the path, or run the command from its folder"),
    )
    return parse_yaml(text, str(path))


def _build(
    loader: yaml.SafeLoader,  # or CSafeLoader
    node: yaml.Node,
    path: PathKey,
    document: YamlDocument,
    problems: list[Problem],
    budget: _Budget,
) -> Any:
    budget.values += 1
    if budget.values > MAX_VALUES or len(path) > MAX_DEPTH:
        too_deep = len(path) > MAX_DEPTH
        raise InputError(
            [
                _at(
                    document,
                    node,
                    fill(_("is nested more than {depth} levels deep"), depth=MAX_DEPTH)
                    if too_deep
                    else fill(
                        _("expands to more than {count} values (aliases that repeat aliases?)"),
                        count=format_integer(MAX_VALUES),
                    ),
                    fix=_("check the indentation and brackets")
                    if too_deep
                    else _("write the values out, or use fewer nested aliases ('*name')"),
                )
            ]
        )
    document.value_marks[path] = _mark(node)
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in SAFE_TAGS:
        raise _tag_refused(document, node)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolve '<<' merge keys as safe_load does
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node, document, problems)
            if not isinstance(key, Hashable) or isinstance(key, list | dict):
                problems.append(_at(document, key_node, _("a mapping key must be a plain value")))
                continue
            child = (*path, key)
            if key in result:
                first = document.key_marks[child]
                problems.append(
                    _at(
                        document,
                        key_node,
                        fill(_("duplicate key {key}"), key=repr(key)),
                        expected=_("each key once per mapping"),
                        found=fill(
                            _("{key} again; first at line {line}"), key=repr(key), line=first.line
                        ),
                        fix=_("remove one of the two, or merge them"),
                    )
                )
                continue
            document.key_marks[child] = _mark(key_node)
            result[key] = _build(loader, value_node, child, document, problems, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(loader, item, (*path, index), document, problems, budget)
            for index, item in enumerate(node.value)
        ]
    return _scalar(loader, node, document, problems)


SAFE_TAGS = frozenset(
    {
        "tag:yaml.org,2002:map",
        "tag:yaml.org,2002:seq",
        "tag:yaml.org,2002:omap",
        "tag:yaml.org,2002:pairs",
        "tag:yaml.org,2002:set",
    }
)


def _scalar(
    loader: yaml.SafeLoader, node: yaml.Node, document: YamlDocument, problems: list[Problem]
) -> Any:
    """A scalar's value; one that looks like a date but is none (2026-02-30) is a located
    problem, not a crash deep in PyYAML's constructor."""
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError:
        raise _tag_refused(document, node) from None
    except ValueError as error:
        problems.append(
            _at(
                document,
                node,
                fill(
                    _("{value} looks like a date but is not one ({reason})"),
                    value=repr(node.value),
                    reason=error,
                ),
                expected=_("a real date as YYYY-MM-DD"),
                found=repr(node.value),
                fix=_("correct the date, or put it in quotes if it is meant as text"),
            )
        )
        return None


def _tag_refused(document: YamlDocument, node: yaml.Node) -> InputError:
    """safe_load refuses a tag it cannot construct (!!python/…); so do we, at its place."""
    return InputError(
        [
            _at(
                document,
                node,
                fill(_("the tag {tag} is not allowed"), tag=repr(node.tag)),
                expected=_("plain YAML values: text, numbers, lists and mappings"),
                fix=_("remove the tag (the part starting with '!')"),
            )
        ]
    )


def _at(document: YamlDocument, node: yaml.Node, message: str, **details: Any) -> Problem:
    """A problem at a node's line and column (before the node has a path in the document)."""
    where = _mark(node)
    return Problem(document.file, message, line=where.line, column=where.column, **details)
