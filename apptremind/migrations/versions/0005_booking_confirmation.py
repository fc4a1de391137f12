"""booking confirmation sent

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 16:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "appointments",
        sa.Column("confirmation_sent_at", sa.DateTime(timezone=True), nullable=True),
        schema="booking",
    )


def downgrade() -> None:
    op.drop_column("appointments", "confirmation_sent_at", schema="booking")
