"""a business states its prices in a currency (ISO 4217); existing ones in euros

Revision ID: 0013
Revises: 0012
Create Date: 2027-01-21 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "businesses",
        sa.Column("currency", sa.String(length=3), server_default="EUR", nullable=False),
        schema="business",
    )
    op.create_check_constraint(
        op.f("ck_businesses_currency_format"),
        "businesses",
        "currency ~ '^[A-Z]{3}$'",
        schema="business",
    )
    op.add_column(
        "pending_sign_ups",
        sa.Column("currency", sa.String(length=3), server_default="EUR", nullable=False),
        schema="auth",
    )


def downgrade() -> None:
    op.drop_column("pending_sign_ups", "currency", schema="auth")
    op.drop_constraint(op.f("ck_businesses_currency_format"), "businesses", schema="business")
    op.drop_column("businesses", "currency", schema="business")
