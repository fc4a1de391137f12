"""a booking may carry the client's Idempotency-Key, unique within its business

Revision ID: 0014
Revises: 0013
Create Date: 2027-01-28 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "appointments", sa.Column("idempotency_key", sa.Text(), nullable=True), schema="booking"
    )
    op.create_index(
        "uq_appointments_business_idempotency_key",
        "appointments",
        ["business_id", "idempotency_key"],
        unique=True,
        schema="booking",
        postgresql_where=sa.text("idempotency_key IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index(
        "uq_appointments_business_idempotency_key",
        table_name="appointments",
        schema="booking",
        postgresql_where=sa.text("idempotency_key IS NOT NULL"),
    )
    op.drop_column("appointments", "idempotency_key", schema="booking")
