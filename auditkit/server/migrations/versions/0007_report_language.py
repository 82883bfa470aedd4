"""The language an audit's reports are made in, chosen by the advisor on the audit's page.

Revision ID: 0007
Revises: 0006

One nullable column on ``audit``. Audits of an earlier schema get none: their report, plan
and owner's summary are made in the server's ``--lang`` until the advisor picks a language
(``server.report_language``). A language code only ("de"), never a translated text.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit") as table:
        table.add_column(sa.Column("report_language", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit") as table:
        table.drop_column("report_language")
