"""Test contacts on the practice server: an audit's contacts plan, and the contacts recorded.

Revision ID: 0005
Revises: 0004

Testers are respondents with the role ``tester`` (invited by link like staff), so no column
changes; a contact's free-text notes are never stored, so there is no column for them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _audit() -> sa.Column:
    return sa.Column(
        "audit_id", sa.Integer, sa.ForeignKey("audit.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "contacts_plan",
        sa.Column("id", sa.Integer, primary_key=True),
        _audit(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("audit_id"),
    )
    op.create_table(
        "contact_record",
        sa.Column("id", sa.Integer, primary_key=True),
        _audit(),
        sa.Column("entry", sa.String(64), nullable=False),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("persona", sa.String(100), nullable=False),
        sa.Column("scenario", sa.String(100), nullable=False),
        sa.Column("pair", sa.String(100), nullable=False),
        sa.Column("disclosed_first_turn", sa.String(5), nullable=False),
        sa.Column("turns_to_person", sa.String(20), nullable=False),
        sa.Column("minutes_to_person", sa.String(20), nullable=False),
        sa.Column("context_kept", sa.String(5), nullable=False),
        sa.Column("answer_right", sa.String(5), nullable=False),
        sa.Column("optout_offered", sa.String(5), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("audit_id", "entry"),
    )
    op.create_index("ix_contact_record_audit_id", "contact_record", ["audit_id"])


def downgrade() -> None:
    op.drop_table("contact_record")
    op.drop_table("contacts_plan")
