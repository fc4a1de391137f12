"""booking and date overrides

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 12:33:35.952961
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "appointments",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("business_id", sa.UUID(), nullable=False),
        sa.Column("staff_id", sa.UUID(), nullable=False),
        sa.Column("service_id", sa.UUID(), nullable=False),
        sa.Column("service_name", sa.String(length=200), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("price", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("customer_name", sa.String(length=255), nullable=False),
        sa.Column("customer_email", sa.String(length=320), nullable=True),
        sa.Column("customer_phone", sa.String(length=20), nullable=True),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("block_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("block_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="booked", nullable=False),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        postgresql.ExcludeConstraint(
            (sa.text("staff_id"), "="),
            (sa.text("tstzrange(block_start, block_end)"), "&&"),
            where=sa.text("status <> 'cancelled'"),
            using="gist",
            name="appointments_no_double_booking",
        ),
        sa.CheckConstraint(
            "status IN ('booked', 'cancelled', 'completed', 'no_show')",
            name=op.f("ck_appointments_status"),
        ),
        sa.CheckConstraint(
            "block_start <= start_time AND block_end >= end_time",
            name=op.f("ck_appointments_block_covers_time"),
        ),
        sa.CheckConstraint(
            "customer_email IS NOT NULL OR customer_phone IS NOT NULL",
            name=op.f("ck_appointments_customer_reachable"),
        ),
        sa.CheckConstraint("end_time > start_time", name=op.f("ck_appointments_ends_after_start")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
        schema="booking",
    )
    op.create_index(
        "ix_appointments_business_start",
        "appointments",
        ["business_id", "start_time"],
        unique=False,
        schema="booking",
    )
    op.create_table(
        "reminders",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("appointment_id", sa.UUID(), nullable=False),
        sa.Column("remind_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="pending", nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("provider_id", sa.String(length=255), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("channel IN ('email', 'sms')", name=op.f("ck_reminders_channel")),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed', 'cancelled')", name=op.f("ck_reminders_status")
        ),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["booking.appointments.id"],
            name=op.f("fk_reminders_appointment_id_appointments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        schema="booking",
    )
    op.create_index(
        op.f("ix_booking_reminders_appointment_id"),
        "reminders",
        ["appointment_id"],
        unique=False,
        schema="booking",
    )
    op.create_table(
        "date_overrides",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("staff_id", sa.UUID(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["business.staff.id"],
            name=op.f("fk_date_overrides_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_date_overrides")),
        sa.UniqueConstraint("staff_id", "date", name="uq_date_overrides_staff_date"),
        schema="business",
    )
    op.create_table(
        "date_override_intervals",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("override_id", sa.UUID(), nullable=False),
        sa.Column("start_minute", sa.SmallInteger(), nullable=False),
        sa.Column("end_minute", sa.SmallInteger(), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.text("override_id"), "="),
            (sa.text("int4range(start_minute, end_minute)"), "&&"),
            using="gist",
            name="date_override_intervals_no_overlap",
        ),
        sa.CheckConstraint(
            "start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute",
            name=op.f("ck_date_override_intervals_interval_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["override_id"],
            ["business.date_overrides.id"],
            name=op.f("fk_date_override_intervals_override_id_date_overrides"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_date_override_intervals")),
        schema="business",
    )
    op.create_index(
        op.f("ix_business_date_override_intervals_override_id"),
        "date_override_intervals",
        ["override_id"],
        unique=False,
        schema="business",
    )
    op.add_column(
        "businesses",
        sa.Column("slot_interval_minutes", sa.Integer(), nullable=True),
        schema="business",
    )


def downgrade() -> None:
    op.drop_column("businesses", "slot_interval_minutes", schema="business")
    op.drop_index(
        op.f("ix_business_date_override_intervals_override_id"),
        table_name="date_override_intervals",
        schema="business",
    )
    op.drop_table("date_override_intervals", schema="business")
    op.drop_table("date_overrides", schema="business")
    op.drop_index(
        op.f("ix_booking_reminders_appointment_id"), table_name="reminders", schema="booking"
    )
    op.drop_table("reminders", schema="booking")
    op.drop_index("ix_appointments_business_start", table_name="appointments", schema="booking")
    op.drop_table("appointments", schema="booking")
