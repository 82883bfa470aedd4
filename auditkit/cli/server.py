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

from auditkit.cli.language import language_option
from auditkit.cli.output import say
from auditkit.i18n import N_, _

FLOOR_HELP = N_(
    "The least number of staff whose answers are shown together: per question, and per "
    "release. 3, or more; never fewer."
)


def _floor_option(function):
    from auditkit.answers.model import ANONYMITY_FLOOR

    return click.option(
        "--staff-floor",
        default=ANONYMITY_FLOOR,
        show_default=True,
        type=click.IntRange(ANONYMITY_FLOOR, 1000),
        help=FLOOR_HELP,
    )(function)


DB_HELP = N_(
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
        _("Password (at least 12 characters)"), hide_input=True, confirmation_prompt=True
    )
    with _opened(db) as database:
        advisor_id = add_advisor(database, email, password, name)
    say(
        _("Advisor {number} created: {email}.").format(
            number=advisor_id, email=email.strip().lower()
        )
    )


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
    import sqlite3

    from auditkit.errors import InputError
    from auditkit.server.database import backup_sqlite

    with _opened(db) as database:
        if database.dialect != "sqlite":
            raise InputError.single(
                "--db",
                _("backup copies SQLite databases"),
                fix=_("for PostgreSQL run pg_dump, or 'auditkit server export' for answers files"),
            )
        try:
            backup_sqlite(database, output)
        except (OSError, sqlite3.Error) as error:
            raise InputError.single(
                str(output),
                _("the backup could not be written"),
                found=getattr(error, "strerror", None) or str(error),
                fix=_(
                    "give -o a path in a folder you may write to, on a disk with room for a "
                    "copy of the database"
                ),
            ) from None
    say(_("Wrote {file}").format(file=output))


@server_group.command("export")
@click.argument("audit_id", type=int)
@click.option("--db", default="server.db", show_default=True, help=DB_HELP)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the files (owner.yaml, and staff.yaml: the staff's answers counted).",
)
@_floor_option
def export_command(audit_id: int, db: str, output: Path, staff_floor: int) -> None:
    """One audit's answers as files for 'auditkit score FOLDER', 'report', 'compare' and
    'plan': the owner's answers file, and the staff's released answers counted together
    (staff.yaml), each question only where at least the floor answered. No staff member's
    own answers ever leave the server."""
    from auditkit.server.answering import audit_rubric, export_audit
    from auditkit.server.report_language import report_language

    with _opened(db) as database:
        rubric = audit_rubric(database, audit_id)
        written = export_audit(database, audit_id, rubric, output, staff_floor)
        language = report_language(database, audit_id, "")
    for path in written:
        say(_("Wrote {file}").format(file=path))
    say(_("Next: auditkit score {folder}").format(folder=output))
    if language and language != "en":
        # Answers files hold no language; the audit's choice travels as the command to run.
        say(
            _("Its report in the audit's language: {command}").format(
                command=f"auditkit report {output} -o report.pdf --lang {language}"
            )
        )


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
@_floor_option
@language_option
def run_command(
    db,
    host,
    port,
    host_names,
    tls_cert,
    tls_key,
    behind_proxy,
    brand,
    workers,
    staff_floor,
    language,
) -> None:
    """Run the practice server: advisors sign in, invite owners and staff by link, and see
    their clients' results. Without TLS it listens on 127.0.0.1 only (see docs/deploy.md)."""
    from auditkit.server.run import Exposure, run_server

    exposure = Exposure(host, port, tuple(host_names), tls_cert, tls_key, behind_proxy)
    run_server(db, exposure, brand, workers, staff_floor, language)
