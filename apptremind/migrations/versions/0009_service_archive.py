"""services are archived, not deleted: business.services.archived_at

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-20 09:00:00

Downgrading drops the column: services archived until then are offered again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "services",
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        schema="business",
    )


def downgrade() -> None:
    op.drop_column("services", "archived_at", schema="business")
