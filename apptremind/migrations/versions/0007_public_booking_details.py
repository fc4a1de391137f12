"""public booking details: business address and country, the customer's note

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("businesses", sa.Column("address", sa.Text(), nullable=True), schema="business")
    op.add_column(
        "businesses", sa.Column("country", sa.String(length=2), nullable=True), schema="business"
    )
    op.create_check_constraint(
        op.f("ck_businesses_country_format"),
        "businesses",
        "country ~ '^[A-Z]{2}$'",
        schema="business",
    )
    op.add_column("appointments", sa.Column("note", sa.Text(), nullable=True), schema="booking")


def downgrade() -> None:
    op.drop_column("appointments", "note", schema="booking")
    op.drop_constraint(op.f("ck_businesses_country_format"), "businesses", schema="business")
    op.drop_column("businesses", "country", schema="business")
    op.drop_column("businesses", "address", schema="business")
