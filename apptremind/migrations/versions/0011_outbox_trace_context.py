"""an outbox event carries the trace context of the request that wrote it

Revision ID: 0011
Revises: 0010
Create Date: 2027-01-12 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, no default: adding it rewrites nothing, and rows written before have none.
    op.add_column(
        "events",
        sa.Column("trace_context", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        schema="outbox",
    )


def downgrade() -> None:
    op.drop_column("events", "trace_context", schema="outbox")
