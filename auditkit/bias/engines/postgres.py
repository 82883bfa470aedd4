"""PostgreSQL through psycopg 3, only ever read.

Three walls, each enough on its own against a query that tries to write:
- the query is one checked SELECT, generated again from its parse (``readonly.py``);
- the session is read-only by default (``default_transaction_read_only=on``, set when
  connecting): a ``COMMIT`` smuggled into a query ends a transaction, and the next one is
  read-only again; and the transaction itself is ``READ ONLY``;
- every statement goes through the extended protocol as a prepared statement, which holds
  exactly one statement: PostgreSQL refuses a second one instead of running it.
A role with only SELECT grants is still the best practice (docs/bias.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from auditkit.bias.engines import Engine, missing_driver
from auditkit.i18n import _

if TYPE_CHECKING:
    import pandas as pd

# Type OIDs of int2, int4, int8, float4, float8 and numeric: columns that are numbers already.
NUMERIC_OIDS = frozenset({21, 23, 20, 700, 701, 1700})


class PostgreSQL(Engine):
    connection: Any = None  # a psycopg connection, set by connect()

    @classmethod
    def connect(cls, url: str) -> PostgreSQL:
        try:
            import psycopg
        except ImportError:
            raise missing_driver("PostgreSQL", "psycopg", "postgres") from None
        engine = cls(url, dialect="postgres", title="PostgreSQL", extra="postgres")
        try:
            # libpq reads PGPASSWORD and ~/.pgpass itself; the URL's own password works too.
            engine.connection = psycopg.connect(
                url.replace("postgres://", "postgresql://", 1),
                connect_timeout=10,
                options=_read_only_options(url),
            )
        except psycopg.Error as error:
            raise engine.fail(
                _("cannot connect"),
                error,
                _(
                    "check the host, port, database and user; the password comes from the URL, "
                    "PGPASSWORD or ~/.pgpass"
                ),
            ) from None
        engine.connection.read_only = True  # the query only reads; the server enforces it
        return engine

    def columns(self, relation: str) -> dict[str, bool]:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {relation} AS src LIMIT 0", prepare=True)
            return {c.name: c.type_code in NUMERIC_OIDS for c in cursor.description}

    def run(self, sql: str) -> pd.DataFrame:
        import pandas as pd

        with self.connection.cursor() as cursor:
            cursor.execute(sql, prepare=True)  # extended protocol: one statement, never two
            names = [c.name for c in cursor.description]
            return pd.DataFrame(cursor.fetchall(), columns=names)

    def close(self) -> None:
        self.connection.rollback()  # nothing was written; end the read-only transaction
        self.connection.close()

    def translate(self, error: Exception) -> Exception:
        import psycopg

        errors = psycopg.errors
        if isinstance(error, errors.UndefinedTable):
            return self.fail(_("no such table"), error, _("check --table (SCHEMA.NAME) or --query"))
        if isinstance(error, errors.ReadOnlySqlTransaction):
            return self.fail(
                _("the query tries to write; auditkit only reads"), error, _("give a SELECT")
            )
        if isinstance(error, errors.InsufficientPrivilege):
            return self.fail(_("no permission"), error, _("ask for SELECT on the table"))
        if isinstance(error, psycopg.OperationalError):
            return self.fail(_("the connection failed"), error, _("check that the server is up"))
        sqlstate = getattr(error, "sqlstate", None) or ""
        if isinstance(error, psycopg.Error) and sqlstate[:2] in USER_SQLSTATE_CLASSES:
            # The query's own mistake: a column that does not exist, a type that does not
            # cast, a feature refused in a read-only transaction …
            return self.fail(_("the query does not run"), error, _("check --query"))
        return error


# SQLSTATE classes that are the query's to fix: data exceptions, invalid transaction state,
# syntax or access rule violations, features not supported, objects not in a usable state.
USER_SQLSTATE_CLASSES = frozenset({"22", "25", "2B", "3F", "42", "0A", "55", "21", "23"})


def _read_only_options(url: str) -> str:
    """The connection's ``options`` with the read-only default added to any the URL gives."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        given = conninfo_to_dict(url.replace("postgres://", "postgresql://", 1)).get("options")
    except Exception:  # a malformed URL is reported by connect() itself
        given = None
    return " ".join(part for part in (given, "-c default_transaction_read_only=on") if part)
