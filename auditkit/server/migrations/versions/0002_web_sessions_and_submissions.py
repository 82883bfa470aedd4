"""The web application: sessions, sign-in throttling, staff submissions kept apart, evidence.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _answer_columns() -> list[sa.Column]:
    return [
        sa.Column("question_id", sa.String(200), nullable=False),
        sa.Column("value", sa.String(50), nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("na_reason", sa.Text, nullable=False),
        sa.Column("skipped", sa.Boolean, nullable=False),
        sa.Column("share_note", sa.Boolean, nullable=False),
    ]


def _reference(table: str, *, nullable: bool = False, kind=sa.Integer) -> sa.Column:
    return sa.Column(
        f"{table}_id",
        kind,
        sa.ForeignKey(f"{table}.id", ondelete="CASCADE"),
        nullable=nullable,
        index=True,
    )


def upgrade() -> None:
    # A plain ADD COLUMN (no table rebuild) on every database.
    op.add_column(
        "respondent",
        sa.Column("submitted", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "submission",
        sa.Column("id", sa.String(32), primary_key=True),
        _reference("audit"),
        sa.Column("role", sa.String(10), nullable=False),
    )
    op.create_table(
        "submitted_answer",
        sa.Column("id", sa.Integer, primary_key=True),
        _reference("submission", kind=sa.String(32)),
        *_answer_columns(),
        sa.UniqueConstraint("submission_id", "question_id"),
    )
    op.create_table(
        "web_session",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        _reference("advisor", nullable=True),
        _reference("respondent", nullable=True),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "sign_in_failure",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(300), nullable=False, index=True),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer, primary_key=True),
        _reference("audit"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("evidence", "sign_in_failure", "web_session", "submitted_answer", "submission"):
        op.drop_table(table)
    with op.batch_alter_table("respondent") as batch:
        batch.drop_column("submitted")
