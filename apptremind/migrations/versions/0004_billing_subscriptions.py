"""billing: Stripe customers, subscriptions, invoices, processed Stripe events; the
business's applied subscription revision

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 16:13:50.689920
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("business_id", sa.UUID(), nullable=False),
        sa.Column("stripe_customer_id", sa.String(length=255), nullable=False),
        sa.Column("tier", sa.String(length=20), server_default="free", nullable=False),
        sa.Column("tier_revision", sa.Integer(), server_default="0", nullable=False),
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
        sa.CheckConstraint("tier IN ('free', 'pro')", name=op.f("ck_customers_tier")),
        sa.PrimaryKeyConstraint("business_id", name=op.f("pk_customers")),
        sa.UniqueConstraint("stripe_customer_id", name=op.f("uq_customers_stripe_customer_id")),
        schema="billing",
    )
    op.create_table(
        "stripe_events",
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("stripe_created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_stripe_events")),
        schema="billing",
    )
    op.create_table(
        "invoices",
        sa.Column("stripe_invoice_id", sa.String(length=255), nullable=False),
        sa.Column("business_id", sa.UUID(), nullable=False),
        sa.Column("amount_due", sa.Integer(), nullable=False),
        sa.Column("amount_paid", sa.Integer(), server_default="0", nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
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
        sa.CheckConstraint(
            "status IN ('open', 'paid', 'payment_failed')", name=op.f("ck_invoices_status")
        ),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["billing.customers.business_id"],
            name=op.f("fk_invoices_business_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("stripe_invoice_id", name=op.f("pk_invoices")),
        schema="billing",
    )
    op.create_index(
        op.f("ix_billing_invoices_business_id"),
        "invoices",
        ["business_id"],
        unique=False,
        schema="billing",
    )
    op.create_table(
        "subscriptions",
        sa.Column("stripe_subscription_id", sa.String(length=255), nullable=False),
        sa.Column("business_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("current_period_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_at_period_end", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("last_event_at", sa.DateTime(timezone=True), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["billing.customers.business_id"],
            name=op.f("fk_subscriptions_business_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("stripe_subscription_id", name=op.f("pk_subscriptions")),
        schema="billing",
    )
    op.create_index(
        op.f("ix_billing_subscriptions_business_id"),
        "subscriptions",
        ["business_id"],
        unique=False,
        schema="billing",
    )
    op.add_column(
        "businesses",
        sa.Column("subscription_revision", sa.Integer(), server_default="0", nullable=False),
        schema="business",
    )


def downgrade() -> None:
    op.drop_column("businesses", "subscription_revision", schema="business")
    op.drop_index(
        op.f("ix_billing_subscriptions_business_id"), table_name="subscriptions", schema="billing"
    )
    op.drop_table("subscriptions", schema="billing")
    op.drop_index(op.f("ix_billing_invoices_business_id"), table_name="invoices", schema="billing")
    op.drop_table("invoices", schema="billing")
    op.drop_table("stripe_events", schema="billing")
    op.drop_table("customers", schema="billing")
