"""booking customer notices

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 17:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_notices",
        sa.Column("appointment_id", sa.UUID(), nullable=False),
        sa.Column("notice", sa.String(length=40), nullable=False),
        sa.Column("provider_id", sa.String(length=255), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"], ["booking.appointments.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("appointment_id", "notice"),
        schema="booking",
    )


def downgrade() -> None:
    op.drop_table("customer_notices", schema="booking")
