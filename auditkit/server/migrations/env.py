"""Alembic's environment for the practice server: always run from ``database.migrate`` with
the connection it passes in (``config.attributes["connection"]``); never reads alembic.ini."""

from __future__ import annotations

from alembic import context

from auditkit.server.schema import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
)
with context.begin_transaction():
    context.run_migrations()
