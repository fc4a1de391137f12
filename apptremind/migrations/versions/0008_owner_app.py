"""owner app: appointment history, reminder failure reasons, invoice details

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-17 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "appointment_history",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("appointment_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=80), nullable=True),
        sa.Column("from_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("to_time", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('booked', 'rescheduled', 'cancelled', 'completed', 'no_show')",
            name=op.f("ck_appointment_history_status"),
        ),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["booking.appointments.id"],
            name=op.f("fk_appointment_history_appointment_id_appointments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_history")),
        schema="booking",
    )
    op.create_index(
        op.f("ix_booking_appointment_history_appointment_id"),
        "appointment_history",
        ["appointment_id"],
        unique=False,
        schema="booking",
    )
    # Appointments from before: booked when created, then their current state if they left
    # `booked` (when is the row's last change; who and any move are not known).
    op.execute(
        "INSERT INTO booking.appointment_history (appointment_id, status, at) "
        "SELECT id, 'booked', created_at FROM booking.appointments ORDER BY created_at"
    )
    op.execute(
        "INSERT INTO booking.appointment_history (appointment_id, status, at, reason) "
        "SELECT id, status, updated_at, CASE WHEN status = 'cancelled' THEN cancel_reason END "
        "FROM booking.appointments WHERE status <> 'booked' ORDER BY updated_at"
    )

    op.add_column(
        "reminders",
        sa.Column("failure_reason", sa.String(length=200), nullable=True),
        schema="booking",
    )

    for column in (
        sa.Column("number", sa.String(length=100), nullable=True),
        sa.Column("hosted_invoice_url", sa.Text(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
    ):
        op.add_column("invoices", column, schema="billing")
    op.execute(
        "UPDATE billing.invoices SET issued_at = created_at, "
        "paid_at = CASE WHEN status = 'paid' THEN updated_at END"
    )


def downgrade() -> None:
    for column in ("paid_at", "issued_at", "hosted_invoice_url", "number"):
        op.drop_column("invoices", column, schema="billing")
    op.drop_column("reminders", "failure_reason", schema="booking")
    op.drop_index(
        op.f("ix_booking_appointment_history_appointment_id"),
        table_name="appointment_history",
        schema="booking",
    )
    op.drop_table("appointment_history", schema="booking")
