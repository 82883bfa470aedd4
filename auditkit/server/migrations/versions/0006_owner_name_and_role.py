"""The owner's name and role, asked on the welcome page as ``auditkit serve`` asks them.

Revision ID: 0006
Revises: 0005

Two columns on ``respondent``, empty for every respondent of an earlier schema (their cover
then reads "the owner"). Staff and "someone else" are never asked: the columns stay empty.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("respondent") as table:
        table.add_column(
            sa.Column("person_name", sa.String(200), nullable=False, server_default="")
        )
        table.add_column(
            sa.Column("person_role", sa.String(200), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("respondent") as table:
        table.drop_column("person_role")
        table.drop_column("person_name")
