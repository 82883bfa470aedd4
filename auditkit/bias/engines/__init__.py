"""Count where the log lives: an engine reached with ``--connection URL``.

A log too big for a laptop stays on its engine; only the counting query's cells (a few
hundred rows) come back. Each engine is a module with one class behind the ``Engine`` seam;
adding one (Trino, BigQuery…) is a new module and a line in ``SCHEMES``.

URL forms:
  duckdb:///path/to/file.duckdb             a DuckDB database file (opened read-only)
  postgresql://user[:password]@host[:port]/database
  postgresql://user@/database?host=/run/postgresql   (a Unix socket)
  spark://local[N]   or   spark://local       Spark in this process, N cores (default: all)
  spark://HOST:PORT                         a Spark standalone cluster's master

Passwords come from the URL or the engine's own variables (PGPASSWORD, ~/.pgpass) and are
never printed: ``redact`` removes them from every name shown, and engine messages are
scrubbed before they are shown.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from auditkit.errors import InputError, fill
from auditkit.i18n import _

if TYPE_CHECKING:
    import pandas as pd

SCHEMES = {
    "duckdb": ("auditkit.bias.engines.duckdb_file", "DuckDBFile"),
    "postgresql": ("auditkit.bias.engines.postgres", "PostgreSQL"),
    "postgres": ("auditkit.bias.engines.postgres", "PostgreSQL"),
    "spark": ("auditkit.bias.engines.spark", "Spark"),
}


def redact(url: str) -> str:
    """``url`` without its password (and without a query string's password parameter)."""
    if password_of(url) is None:
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        credentials, host = netloc.rsplit("@", 1)
        netloc = credentials.split(":", 1)[0] + "@" + host
    query = "&".join(
        item for item in parts.query.split("&") if not item.lower().startswith("password=")
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def password_of(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:  # spark://local[2]: brackets that are no IPv6 address, and no password
        return None
    for item in parts.query.split("&"):
        if item.lower().startswith("password="):
            return item.split("=", 1)[1] or None
    return parts.password


@dataclass
class Engine:
    """One connection to an engine that holds logs. Subclasses say how to connect, how to
    describe a relation's columns and how to run the counting query."""

    url: str
    dialect: str = "duckdb"
    title: str = ""
    extra: str = ""  # the pip extra that installs the driver
    secrets: list[str] = field(default_factory=list)

    @property
    def location(self) -> str:
        """The URL as it may be shown: in messages, JSON provenance and the report."""
        return redact(self.url)

    def scrub(self, text: str) -> str:
        """An engine's message with any password taken out."""
        for secret in [*self.secrets, password_of(self.url)]:
            if secret:
                text = text.replace(secret, "***")
        return text

    def columns(self, relation: str) -> dict[str, bool]:
        """Column name → whether the engine already stores it as a number."""
        raise NotImplementedError

    def run(self, sql: str) -> pd.DataFrame:
        raise NotImplementedError

    def progress(self) -> float | None:
        """Percent done of the running query, where the engine reports it."""
        return None

    def close(self) -> None:
        """Release the connection (a no-op where there is nothing to release)."""

    @contextlib.contextmanager
    def translating(self) -> Iterator[None]:
        """Run engine calls inside this: an error that is the user's to fix leaves as the
        InputError ``translate`` makes of it; any other propagates unchanged."""
        try:
            yield
        except Exception as error:
            translated = self.translate(error)
            if translated is error:
                raise
            raise translated from None

    def translate(self, error: Exception) -> Exception:
        """The engine's error as an InputError where it is the user's to fix (a missing table,
        a query that does not run); ``error`` itself where it is not."""
        return error

    def fail(self, what: str, error: Exception, fix: str) -> InputError:
        """An engine error as exit 2: the engine and location named, the password never."""
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        from auditkit.errors import fill

        return InputError.single(
            self.location,
            fill(
                _("{what} ({engine}: {reason})"),
                what=what,
                engine=self.title,
                reason=self.scrub(first),
            ),
            fix=fix,
        )


def open_engine(url: str) -> Engine:
    """The engine a ``--connection`` URL names, connected."""
    scheme = url.split(":", 1)[0].lower().split("+")[0] if ":" in url else ""
    if scheme not in SCHEMES:
        raise InputError.single(
            "--connection",
            fill(_("auditkit cannot reach {scheme} engines"), scheme=repr(scheme))
            if scheme
            else _("auditkit cannot tell the engine from this URL"),
            expected=_(
                "duckdb:///file.duckdb, postgresql://user@host/db, spark://local[2] "
                "or spark://host:7077"
            ),
            found=redact(url),
            fix=_(
                "for another warehouse, print the query with --print-sql --dialect NAME and "
                "pass its result back with --counts"
            ),
        )
    module_name, class_name = SCHEMES[scheme]
    module = importlib.import_module(module_name)
    return getattr(module, class_name).connect(url)


def missing_driver(title: str, package: str, extra: str) -> InputError:
    return InputError.single(
        "--connection",
        fill(_("the {engine} driver ({package}) is not installed"), engine=title, package=package),
        fix=f"pip install 'auditkit[{extra}]'",
    )
