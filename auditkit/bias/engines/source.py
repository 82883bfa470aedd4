"""A log on an engine: a table (``--table``) or a query (``--query``) and its columns."""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditkit.bias.dialects import DIALECTS
from auditkit.bias.engines import Engine
from auditkit.errors import InputError
from auditkit.i18n import _

TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*){0,2}$")


def table_relation(table: str, dialect: str) -> str:
    """``table``, ``schema.table`` or ``catalog.schema.table``, each part quoted for the
    dialect: a name, never SQL, so nothing the user typed can run."""
    if not TABLE_NAME.match(table):
        raise InputError.single(
            "--table",
            _("not a table name"),
            expected=_("NAME, SCHEMA.NAME or CATALOG.SCHEMA.NAME (letters, digits, _ and $)"),
            found=repr(table),
            fix=_("give the table's name; for a filtered or joined source, use --query"),
        )
    return ".".join(DIALECTS[dialect].quote(part) for part in table.split("."))


def query_relation(query: str, dialect: str) -> str:
    """A SELECT the user wrote, checked to only read and generated again from its parse
    (``readonly.checked_query``), as a subquery; the counting query gives it an alias."""
    from auditkit.bias.engines.readonly import checked_query

    body = query.strip().rstrip(";").strip()
    if not body:
        raise InputError.single(
            "--query",
            _("the query is empty"),
            expected=_("a SELECT (or WITH … SELECT) statement"),
            fix=_("give a SELECT that returns the log's rows"),
        )
    return f"({checked_query(body, dialect)})"


@dataclass
class EngineSource:
    engine: Engine
    relation: str
    table: str | None
    query: str | None
    columns: dict[str, bool]  # name → stored as a number

    @property
    def label(self) -> str:
        where = f"table {self.table}" if self.table else "a query"
        return f"{where} on {self.engine.location}"

    @property
    def numeric(self) -> frozenset[str]:
        return frozenset(name for name, number in self.columns.items() if number)


def open_source(engine: Engine, table: str | None, query: str | None) -> EngineSource:
    if (table is None) == (query is None):
        raise InputError.single(
            "--connection",
            _("say what to count: --table NAME or --query SQL (one of the two)"),
            fix=_("for example --table chats"),
        )
    relation = (
        table_relation(table, engine.dialect)
        if table
        else query_relation(query or "", engine.dialect)
    )
    with engine.translating():
        columns = engine.columns(relation)
    return EngineSource(engine, relation, table, query, columns)
