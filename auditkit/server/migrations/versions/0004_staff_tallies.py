"""Staff answers kept only as counts: sent submissions become a tally per audit; drafts sealed.

Revision ID: 0004
Revises: 0003

Every sent submission of an earlier schema is counted into its audit's pending tally (with
the audit's rubric, as ``answers.staff`` counts) and then deleted with its table: from this
schema on, no row holds one person's sent answers. The tallies are released by the same rule
as new sends (at least the floor of senders, the floor per question).
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_tally",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "audit_id",
            sa.Integer,
            sa.ForeignKey("audit.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("pending", sa.Text, nullable=False),
        sa.Column("released", sa.Text, nullable=False),
        sa.Column("released_on", sa.Date, nullable=True),
        sa.Column("rounds", sa.Integer, nullable=False),
        sa.UniqueConstraint("audit_id", "source"),
    )
    op.create_table(
        "trusted_device",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "advisor_id",
            sa.Integer,
            sa.ForeignKey("advisor.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("expires_at", sa.DateTime, nullable=False),
    )
    op.add_column(
        "audit",
        sa.Column("staff_closed", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.add_column("answer", sa.Column("sealed", sa.Text, nullable=True))
    _count_submissions(op.get_bind())
    op.drop_table("submitted_answer")
    op.drop_table("submission")


def _count_submissions(connection) -> None:
    from auditkit.answers.model import Answer, AnswerSet
    from auditkit.answers.staff import StaffTally, release, tally_one
    from auditkit.server.answering import rubric_named

    audits = connection.execute(
        sa.text(
            "SELECT DISTINCT s.audit_id, a.rubric, c.sector FROM submission s "
            "JOIN audit a ON a.id = s.audit_id JOIN client c ON c.id = a.client_id"
        )
    ).fetchall()
    for audit_id, rubric_id, sector in audits:
        rubric = rubric_named(rubric_id, sector)
        pending = StaffTally()
        submissions = connection.execute(
            sa.text("SELECT id, role FROM submission WHERE audit_id = :a"), {"a": audit_id}
        ).fetchall()
        for submission_id, role in submissions:
            rows = connection.execute(
                sa.text(
                    "SELECT question_id, value, note, share_note FROM submitted_answer "
                    "WHERE submission_id = :s"
                ),
                {"s": submission_id},
            ).fetchall()
            answers = {
                q: Answer(value=v, note=n or "", share_note=bool(shared))
                for q, v, n, shared in rows
            }
            person = AnswerSet(rubric_id=rubric.id, respondent={"speaks_as": role}, answers=answers)
            pending = pending.plus(tally_one(rubric, person))
        released, pending = release(StaffTally(), pending)
        connection.execute(
            sa.text(
                "INSERT INTO staff_tally (audit_id, source, pending, released, released_on, "
                "rounds) VALUES (:a, 'links', :p, :r, NULL, :n)"
            ),
            {
                "a": audit_id,
                "p": json.dumps(pending.to_data()),
                "r": json.dumps(released.to_data()),
                "n": 1 if released.senders else 0,
            },
        )


def downgrade() -> None:
    raise NotImplementedError("staff answers counted together cannot be taken apart again")
