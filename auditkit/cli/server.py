"""``auditkit server``: set up and look after the practice server's database.

Thin commands: each opens the database (migrating it, and saying so), calls one function of
``auditkit.server`` and prints what it did. SQLAlchemy, Alembic and Argon2 are imported only
here, inside the commands.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from auditkit.cli.output import say

DB_HELP = (
    "The database: an SQLite file (created if missing; default server.db) or "
    "postgresql://USER@HOST/DATABASE (the password from the URL or PGPASSWORD)."
)


@contextmanager
def _opened(db: str) -> Iterator:
    """The database, migrated (and saying so on stderr), closed when the command is done."""
    from auditkit.server.database import open_database

    database, migration = open_database(db)
    if migration.changed:
        say(f"{migration.sentence()[0].upper()}{migration.sentence()[1:]}.", err=True)
    try:
        yield database
    finally:
        database.close()


@click.group("server")
def server_group() -> None:
    """The practice server: run it, create its database, add advisors, back it up, export
    answers."""


@server_group.command("init")
@click.option("--db", default="server.db", show_default=True, help=DB_HELP)
def init_command(db: str) -> None:
    """Create the database, or migrate it to this auditkit's schema."""
    from auditkit.server.database import open_database

    database, migration = open_database(db)
    database.close()
    say(f"{db}: {migration.sentence()}.")


@server_group.command("add-advisor")
@click.argument("email")
@click.option("--name", default="", help="The advisor's name, as clients see it.")
@click.option("--db", default="server.db", show_default=True, help=DB_HELP)
def add_advisor_command(email: str, name: str, db: str) -> None:
    """Create an advisor's account. The password is asked for twice and never shown; a script
    may pass it in AUDITKIT_PASSWORD instead."""
    from auditkit.server.records import add_advisor

    password = os.environ.get("AUDITKIT_PASSWORD") or click.prompt(
        "Password (at least 12 characters)", hide_input=True, confirmation_prompt=True
    )
    with _opened(db) as database:
        advisor_id = add_advisor(database, email, password, name)
    say(f"Advisor {advisor_id} created: {email.strip().lower()}.")


@server_group.command("backup")
@click.option("--db", default="server.db", show_default=True, help=DB_HELP)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The copy to write (SQLite only; for PostgreSQL use pg_dump, or 'server export').",
)
def backup_command(db: str, output: Path) -> None:
    """A consistent copy of a live SQLite database, taken while the server keeps answering."""
    from auditkit.errors import InputError
    from auditkit.server.database import backup_sqlite

    with _opened(db) as database:
        if database.dialect != "sqlite":
            raise InputError.single(
                "--db",
                "backup copies SQLite databases",
                fix="for PostgreSQL run pg_dump, or 'auditkit server export' for answers files",
            )
        backup_sqlite(database, output)
    say(f"Wrote {output}")


@server_group.command("export")
@click.argument("audit_id", type=int)
@click.option("--db", default="server.db", show_default=True, help=DB_HELP)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the answers files (owner.yaml, staff-1.yaml, …).",
)
def export_command(audit_id: int, db: str, output: Path) -> None:
    """Every respondent's answers of one audit as ordinary answers files, for 'auditkit score
    FOLDER', 'report', 'compare' and 'plan'."""
    from auditkit.server.answering import audit_rubric, export_audit

    with _opened(db) as database:
        written = export_audit(database, audit_id, audit_rubric(database, audit_id), output)
    for path in written:
        say(f"Wrote {path}")
    say(f"Next: auditkit score {output}")


@server_group.command("run")
@click.option("--db", default="server.db", show_default=True, help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port",
    default=8040,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="The port to listen on; 0 takes a free one.",
)
@click.option(
    "--host-name",
    "host_names",
    multiple=True,
    metavar="NAME",
    help="A host name people type to reach the server (repeatable); others are refused. "
    "Needed unless the server listens on 127.0.0.1.",
)
@click.option(
    "--tls-cert",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The TLS certificate (PEM, with its chain), to serve HTTPS itself.",
)
@click.option(
    "--tls-key",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The certificate's private key (PEM).",
)
@click.option(
    "--behind-proxy",
    metavar="ADDRESS",
    help="A reverse proxy with TLS in front: trust its forwarded headers (from ADDRESS only) "
    "and mark cookies Secure.",
)
@click.option(
    "--brand",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    metavar="BRAND.yaml",
    help="The brand file for every report, as for 'auditkit report --brand'.",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Web worker processes; one per core is a good start (PostgreSQL or SQLite alike).",
)
def run_command(
    db, host, port, host_names, tls_cert, tls_key, behind_proxy, brand, workers
) -> None:
    """Run the practice server: advisors sign in, invite owners and staff by link, and see
    their clients' results. Without TLS it listens on 127.0.0.1 only (see docs/deploy.md)."""
    from auditkit.server.run import Exposure, run_server

    exposure = Exposure(host, port, tuple(host_names), tls_cert, tls_key, behind_proxy)
    run_server(db, exposure, brand, workers)
