"""the recent bookings of one customer are found by email or phone: the booking throttles

Revision ID: 0010
Revises: 0009
Create Date: 2027-01-05 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for column in ("customer_email", "customer_phone"):
        op.create_index(
            f"ix_appointments_{column}_created",
            "appointments",
            [column, "created_at"],
            schema="booking",
        )


def downgrade() -> None:
    for column in ("customer_email", "customer_phone"):
        op.drop_index(f"ix_appointments_{column}_created", "appointments", schema="booking")
