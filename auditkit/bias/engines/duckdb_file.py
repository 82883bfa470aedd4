"""A DuckDB database file (``duckdb:///path/to/file.duckdb``), only ever read.

Opened read-only, with extension installing and autoloading off and the configuration locked
once open: a query cannot ``INSTALL httpfs``, load one, or ``SET`` its way back. With no
network extension loaded, nothing can be read from a URL (the query check refuses URLs
anyway, and COPY, ATTACH, EXPORT, PRAGMA and SET). Local files stay readable through
``read_csv`` and its siblings, as the user's own files are.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditkit.bias.engines import Engine
from auditkit.errors import InputError
from auditkit.i18n import _

if TYPE_CHECKING:
    import pandas as pd

NUMERIC_TYPES = frozenset(
    [
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "HUGEINT",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
        "UHUGEINT",
        "FLOAT",
        "DOUBLE",
        "REAL",
        "DECIMAL",
    ]
)


def is_numeric(duckdb_type: str) -> bool:
    return duckdb_type.split("(")[0].upper() in NUMERIC_TYPES


class DuckDBFile(Engine):
    connection: Any = None  # a read-only DuckDB connection, set by connect()

    @classmethod
    def connect(cls, url: str) -> DuckDBFile:
        import duckdb

        path = Path(url.split(":", 1)[1].removeprefix("//"))  # duckdb:///abs or duckdb://rel
        engine = cls(url, dialect="duckdb", title="DuckDB")
        if not path.is_file():
            raise InputError.single(
                str(path),
                _("no DuckDB database file here"),
                fix=_("check the path after duckdb:// (three slashes for an absolute path)"),
            )
        try:
            engine.connection = duckdb.connect(
                str(path),
                read_only=True,
                config={
                    "autoinstall_known_extensions": False,
                    "autoload_known_extensions": False,
                    "allow_community_extensions": False,
                    "lock_configuration": True,
                },
            )
        except duckdb.Error as error:
            raise engine.fail(
                _("cannot open the database"), error, _("check that it is a DuckDB file")
            ) from None
        return engine

    def columns(self, relation: str) -> dict[str, bool]:
        described = self.connection.execute(f"DESCRIBE SELECT * FROM {relation} AS src").fetchall()
        return {row[0]: is_numeric(row[1]) for row in described}

    def run(self, sql: str) -> pd.DataFrame:
        return self.connection.execute(sql).df()

    def progress(self) -> float | None:
        done = self.connection.query_progress()
        return done if done >= 0 else None

    def close(self) -> None:
        self.connection.close()

    def translate(self, error: Exception) -> Exception:
        import duckdb

        if isinstance(error, duckdb.CatalogException):
            return self.fail(_("no such table"), error, _("check --table (SCHEMA.NAME) or --query"))
        if isinstance(error, duckdb.PermissionException):
            return self.fail(
                _("the query tries to write or reach outside; auditkit only reads"),
                error,
                _("give a SELECT"),
            )
        user_errors = tuple(
            getattr(duckdb, name)
            for name in (
                "ParserException",
                "BinderException",
                "ConversionException",
                "InvalidInputException",
                "NotImplementedException",
                "OutOfRangeException",
                "IOException",
                "HTTPException",
            )
            if hasattr(duckdb, name)
        )
        if isinstance(error, user_errors):
            return self.fail(_("the query does not run"), error, _("check --query"))
        return error
