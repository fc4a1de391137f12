"""consumers: analytics appointment facts, billing usage, processed events

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 16:48:21.441921
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "appointment_facts",
        sa.Column("appointment_id", sa.UUID(), nullable=False),
        sa.Column("business_id", sa.UUID(), nullable=False),
        sa.Column("booked", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("local_date", sa.Date(), nullable=True),
        sa.Column("local_date_as_of", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("outcome_as_of", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminders_sent", sa.Integer(), server_default="0", nullable=False),
        sa.Column("reminders_failed", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome IN ('cancelled', 'completed', 'no_show')",
            name=op.f("ck_appointment_facts_outcome"),
        ),
        sa.PrimaryKeyConstraint("appointment_id", name=op.f("pk_appointment_facts")),
        schema="analytics",
    )
    op.create_index(
        "ix_appointment_facts_business_id_local_date",
        "appointment_facts",
        ["business_id", "local_date"],
        unique=False,
        schema="analytics",
    )
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column(
            "processed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_processed_events")),
        schema="analytics",
    )
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column(
            "processed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_processed_events")),
        schema="billing",
    )
    op.create_table(
        "usage_bookings",
        sa.Column("appointment_id", sa.UUID(), nullable=False),
        sa.Column("business_id", sa.UUID(), nullable=False),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("booked_month", sa.Date(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("cancelled", sa.Boolean(), server_default="false", nullable=False),
        sa.PrimaryKeyConstraint("appointment_id", name=op.f("pk_usage_bookings")),
        schema="billing",
    )
    op.create_index(
        "ix_usage_bookings_business_id_booked_month",
        "usage_bookings",
        ["business_id", "booked_month"],
        unique=False,
        schema="billing",
    )


def downgrade() -> None:
    op.drop_index(
        "ix_usage_bookings_business_id_booked_month", table_name="usage_bookings", schema="billing"
    )
    op.drop_table("usage_bookings", schema="billing")
    op.drop_table("processed_events", schema="billing")
    op.drop_table("processed_events", schema="analytics")
    op.drop_index(
        "ix_appointment_facts_business_id_local_date",
        table_name="appointment_facts",
        schema="analytics",
    )
    op.drop_table("appointment_facts", schema="analytics")
