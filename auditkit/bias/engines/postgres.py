"""PostgreSQL through psycopg 3: the counting query runs in a read-only transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from auditkit.bias.engines import Engine, missing_driver

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
                url.replace("postgres://", "postgresql://", 1), connect_timeout=10
            )
        except psycopg.Error as error:
            raise engine.fail(
                "cannot connect",
                error,
                "check the host, port, database and user; the password comes from the URL, "
                "PGPASSWORD or ~/.pgpass",
            ) from None
        engine.connection.read_only = True  # the query only reads; the server enforces it
        return engine

    def columns(self, relation: str) -> dict[str, bool]:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {relation} AS src LIMIT 0")
            return {c.name: c.type_code in NUMERIC_OIDS for c in cursor.description}

    def run(self, sql: str) -> pd.DataFrame:
        import pandas as pd

        with self.connection.cursor() as cursor:
            cursor.execute(sql)
            names = [c.name for c in cursor.description]
            return pd.DataFrame(cursor.fetchall(), columns=names)

    def close(self) -> None:
        self.connection.rollback()  # nothing was written; end the read-only transaction
        self.connection.close()

    def translate(self, error: Exception) -> Exception:
        import psycopg

        if isinstance(error, psycopg.errors.UndefinedTable):
            return self.fail("no such table", error, "check --table (SCHEMA.NAME) or --query")
        if isinstance(error, psycopg.errors.UndefinedColumn | psycopg.errors.SyntaxError):
            return self.fail("the query does not run", error, "check --query")
        if isinstance(error, psycopg.errors.InsufficientPrivilege):
            return self.fail("no permission", error, "ask for SELECT on the table")
        if isinstance(error, psycopg.OperationalError):
            return self.fail("the connection failed", error, "check that the server is up")
        return error
