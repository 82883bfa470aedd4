"""Planned actions: the action plan as the client filled it in (owner, due date, status).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "planned_action",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "audit_id",
            sa.Integer,
            sa.ForeignKey("audit.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("question_id", sa.String(200), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.UniqueConstraint("audit_id", "question_id"),
    )


def downgrade() -> None:
    op.drop_table("planned_action")
