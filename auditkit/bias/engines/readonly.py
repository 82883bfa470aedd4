"""A ``--query`` is one SELECT, by construction: parsed, checked, and re-written from the parse.

The user's SQL is never pasted into auditkit's counting query as text. It is parsed with
sqlglot in the engine's dialect and refused (exit 2) unless it is exactly one statement that
only reads: a SELECT, a WITH … SELECT, a UNION of those, VALUES or TABLE. Then the SQL that
runs is generated from that parse, without comments — so no ``)`` can close auditkit's
subquery, no ``;`` can start a second statement, no ``--`` can comment out the rest, and what
runs is what was checked.

Refused inside the statement, wherever they stand (a CTE included): data-modifying statements
(INSERT, UPDATE, DELETE, MERGE, ``WITH x AS (DELETE … RETURNING *)``), DDL, COPY, SET, PRAGMA,
ATTACH, INSTALL and LOAD, transaction control, functions with side effects (``nextval``,
``setval``, server file and large-object functions, ``dblink``, advisory locks, ``set_config``,
``pg_sleep``), and any literal that names a network location (``read_csv('https://…')``).
Reading the user's own local files (``read_csv('chats.csv')``) stays allowed.

This is the first of three walls; the engines add their own: a PostgreSQL session that is
read-only by default (a COMMIT does not undo it) and statements sent through the extended
protocol, one at a time; a DuckDB database opened read-only with extension installing and
loading off and its configuration locked.
"""

from __future__ import annotations

import re

from auditkit.errors import InputError, fill
from auditkit.i18n import _

# auditkit's dialect names → sqlglot's
SQLGLOT_DIALECTS = {
    "duckdb": "duckdb",
    "postgres": "postgres",
    "bigquery": "bigquery",
    "snowflake": "snowflake",
    "spark": "spark",
    "databricks": "databricks",
    "trino": "trino",
    "tsql": "tsql",
}

SIDE_EFFECTS = frozenset(
    {
        "nextval",
        "setval",
        "currval",
        "lastval",
        "set_config",
        "pg_sleep",
        "pg_sleep_for",
        "pg_sleep_until",
        "pg_read_file",
        "pg_read_binary_file",
        "pg_ls_dir",
        "pg_stat_file",
        "pg_terminate_backend",
        "pg_cancel_backend",
        "pg_reload_conf",
        "pg_rotate_logfile",
        "pg_switch_wal",
        "pg_create_restore_point",
        "lo_import",
        "lo_export",
        "lo_unlink",
        "lo_create",
        "lo_put",
        "lo_from_bytea",
        "dblink",
        "dblink_exec",
        "dblink_connect",
        "pg_advisory_lock",
        "pg_advisory_xact_lock",
        "pg_try_advisory_lock",
        "pg_notify",
        "txid_current",
        "pg_current_xact_id",
        # DuckDB
        "install_extension",
        "load_extension",
        "copy_database",
        "checkpoint",
        "force_checkpoint",
    }
)

NETWORK = re.compile(r"^\s*(https?|s3a?|s3n|gcs|gs|r2|az|azure|abfss?|hf|ftp)://", re.I)


def checked_query(query: str, dialect: str) -> str:
    """The user's SELECT, checked to only read and generated again from its parse; an
    InputError saying what is wrong otherwise."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    read = SQLGLOT_DIALECTS.get(dialect, dialect)
    body = query.strip()
    _refuse_unbalanced(body, read)
    try:
        statements = [s for s in sqlglot.parse(body, read=read) if s is not None]
    except (ParseError, TokenError) as error:
        raise _refused(
            fill(
                _("the query does not parse as {dialect} SQL ({reason})"),
                dialect=dialect,
                reason=_first_line(error),
            ),
            _("check the brackets and quotes; give one SELECT statement"),
        ) from None
    if len(statements) != 1:
        raise _refused(
            fill(_("the query holds {count} statements"), count=len(statements)),
            _("give exactly one SELECT statement (no ';' between statements)"),
        )
    (statement,) = statements
    if not isinstance(statement, exp.Query | exp.Values):
        raise _refused(
            fill(
                _("the query is not a SELECT but {kind}: auditkit only reads"),
                kind=_kind(statement),
            ),
            _("give a SELECT (or WITH … SELECT) that returns the log's rows"),
        )
    for node in statement.walk():
        writes = _writes(node, exp)
        if writes:
            raise _refused(writes, _("remove it; give a SELECT that returns the log's rows"))
    return statement.sql(dialect=read, comments=False)


def _writes(node, exp) -> str | None:
    """What ``node`` would do besides reading, as the message refusing it; None when it only
    reads."""
    if isinstance(node, exp.Insert | exp.Update | exp.Delete | exp.Merge):
        return fill(
            _("the query tries to change data ({kind}): auditkit only reads"), kind=_kind(node)
        )
    if isinstance(node, exp.DDL | exp.Drop | exp.Alter | exp.TruncateTable):
        return fill(
            _("the query tries to change the database ({kind}): auditkit only reads"),
            kind=_kind(node),
        )
    forbidden = tuple(
        getattr(exp, name)
        for name in (
            "Copy",
            "Set",
            "Pragma",
            "Attach",
            "Detach",
            "Install",
            "Command",
            "Transaction",
            "Commit",
            "Rollback",
            "Use",
            "LoadData",
            "Grant",
            "TruncateTable",
        )
        if hasattr(exp, name)
    )
    if isinstance(node, forbidden):
        return fill(_("the query tries to run {kind}: auditkit only reads"), kind=_kind(node))
    if isinstance(node, exp.Func):
        name = (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).lower()
        if name in SIDE_EFFECTS:
            return fill(
                _(
                    "the query tries to call {name}(), which changes the database or reaches "
                    "outside it: auditkit only reads"
                ),
                name=name,
            )
    if isinstance(node, exp.Literal) and node.is_string and NETWORK.match(node.this):
        return _("the query tries to read from the network: auditkit only reads")
    return None


def _refuse_unbalanced(body: str, read: str) -> None:
    """A ')' that closes more than the query opened is how a query escapes a subquery: said
    in those words (brackets in strings and comments do not count: the tokenizer skips them)."""
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.errors import TokenError
    from sqlglot.tokens import TokenType

    try:
        tokens = Dialect.get_or_raise(read).tokenize(body)
    except TokenError:
        return  # an unclosed quote: the parse names it
    depth = 0
    for token in tokens:
        depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(token.token_type, 0)
        if depth < 0:
            raise _refused(
                fill(
                    _(
                        "the query's brackets do not balance: the ')' on line {line}, column "
                        "{column} closes a bracket the query never opened"
                    ),
                    line=token.line,
                    column=token.col,
                ),
                _("give one SELECT statement whose brackets balance"),
            )
    if depth > 0:
        raise _refused(
            fill(_("the query's brackets do not balance: {count} '(' never closed"), count=depth),
            _("give one SELECT statement whose brackets balance"),
        )


def _kind(node) -> str:
    return type(node).__name__.upper()


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return re.sub(r"\x1b\[[0-9;]*m", "", text[0]) if text else type(error).__name__


def _refused(message: str, fix: str) -> InputError:
    return InputError.single("--query", message, fix=fix)
