"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24 12:07:16.741615
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


SCHEMAS = ("auth", "business", "booking", "billing", "analytics", "outbox")


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for schema in SCHEMAS:
        op.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    op.create_table(
        "users",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("business_id", sa.UUID(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
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
        sa.CheckConstraint("role IN ('owner', 'admin', 'staff')", name=op.f("ck_users_role")),
        sa.CheckConstraint("email = lower(email)", name=op.f("ck_users_email_lowercase")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        schema="auth",
    )
    op.create_index(
        op.f("ix_auth_users_business_id"), "users", ["business_id"], unique=False, schema="auth"
    )
    op.create_table(
        "businesses",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("subscription_tier", sa.String(length=20), server_default="free", nullable=False),
        sa.Column(
            "reminder_offsets_minutes",
            postgresql.ARRAY(sa.Integer()),
            server_default=sa.text("'{1440,60}'"),
            nullable=False,
        ),
        sa.Column(
            "reminder_channels",
            postgresql.ARRAY(sa.String(length=10)),
            server_default=sa.text("'{email}'"),
            nullable=False,
        ),
        sa.Column("booking_horizon_days", sa.Integer(), server_default="365", nullable=False),
        sa.Column("min_notice_minutes", sa.Integer(), server_default="60", nullable=False),
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
            "slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f("ck_businesses_slug_format")
        ),
        sa.CheckConstraint(
            "subscription_tier IN ('free', 'pro')", name=op.f("ck_businesses_subscription_tier")
        ),
        sa.CheckConstraint(
            "booking_horizon_days > 0", name=op.f("ck_businesses_booking_horizon_positive")
        ),
        sa.CheckConstraint(
            "min_notice_minutes >= 0", name=op.f("ck_businesses_min_notice_not_negative")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_businesses")),
        sa.UniqueConstraint("slug", name=op.f("uq_businesses_slug")),
        schema="business",
    )
    op.create_table(
        "events",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("envelope", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("needs_dispatch", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_events_event_id")),
        schema="outbox",
    )
    op.create_index(
        "ix_events_undispatched",
        "events",
        ["id"],
        unique=False,
        schema="outbox",
        postgresql_where=sa.text("needs_dispatch AND dispatched_at IS NULL"),
    )
    op.create_index(
        "ix_events_unpublished",
        "events",
        ["id"],
        unique=False,
        schema="outbox",
        postgresql_where=sa.text("published_at IS NULL"),
    )
    op.create_table(
        "password_reset_tokens",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["auth.users.id"],
            name=op.f("fk_password_reset_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_reset_tokens_token_hash")),
        schema="auth",
    )
    op.create_index(
        op.f("ix_auth_password_reset_tokens_user_id"),
        "password_reset_tokens",
        ["user_id"],
        unique=False,
        schema="auth",
    )
    op.create_table(
        "services",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("business_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("price", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("buffer_before_minutes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("buffer_after_minutes", sa.Integer(), server_default="0", nullable=False),
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
            "buffer_after_minutes >= 0", name=op.f("ck_services_buffer_after_not_negative")
        ),
        sa.CheckConstraint(
            "buffer_before_minutes >= 0", name=op.f("ck_services_buffer_before_not_negative")
        ),
        sa.CheckConstraint("duration_minutes > 0", name=op.f("ck_services_duration_positive")),
        sa.CheckConstraint("price >= 0", name=op.f("ck_services_price_not_negative")),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["business.businesses.id"],
            name=op.f("fk_services_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services")),
        schema="business",
    )
    op.create_index(
        op.f("ix_business_services_business_id"),
        "services",
        ["business_id"],
        unique=False,
        schema="business",
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("business_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
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
            ["business.businesses.id"],
            name=op.f("fk_staff_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        schema="business",
    )
    op.create_index(
        op.f("ix_business_staff_business_id"),
        "staff",
        ["business_id"],
        unique=False,
        schema="business",
    )
    op.create_table(
        "working_hours",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("staff_id", sa.UUID(), nullable=False),
        sa.Column("day_of_week", sa.SmallInteger(), nullable=False),
        sa.Column("start_minute", sa.SmallInteger(), nullable=False),
        sa.Column("end_minute", sa.SmallInteger(), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.text("staff_id"), "="),
            (sa.text("day_of_week"), "="),
            (sa.text("int4range(start_minute, end_minute)"), "&&"),
            using="gist",
            name="working_hours_no_overlap",
        ),
        sa.CheckConstraint(
            "day_of_week BETWEEN 0 AND 6", name=op.f("ck_working_hours_day_of_week_range")
        ),
        sa.CheckConstraint(
            "start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute",
            name=op.f("ck_working_hours_interval_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["business.staff.id"],
            name=op.f("fk_working_hours_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_working_hours")),
        schema="business",
    )
    op.create_index(
        op.f("ix_business_working_hours_staff_id"),
        "working_hours",
        ["staff_id"],
        unique=False,
        schema="business",
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_business_working_hours_staff_id"), table_name="working_hours", schema="business"
    )
    op.drop_table("working_hours", schema="business")
    op.drop_index(op.f("ix_business_staff_business_id"), table_name="staff", schema="business")
    op.drop_table("staff", schema="business")
    op.drop_index(
        op.f("ix_business_services_business_id"), table_name="services", schema="business"
    )
    op.drop_table("services", schema="business")
    op.drop_index(
        op.f("ix_auth_password_reset_tokens_user_id"),
        table_name="password_reset_tokens",
        schema="auth",
    )
    op.drop_table("password_reset_tokens", schema="auth")
    op.drop_index(
        "ix_events_unpublished",
        table_name="events",
        schema="outbox",
        postgresql_where=sa.text("published_at IS NULL"),
    )
    op.drop_index(
        "ix_events_undispatched",
        table_name="events",
        schema="outbox",
        postgresql_where=sa.text("needs_dispatch AND dispatched_at IS NULL"),
    )
    op.drop_table("events", schema="outbox")
    op.drop_table("businesses", schema="business")
    op.drop_index(op.f("ix_auth_users_business_id"), table_name="users", schema="auth")
    op.drop_table("users", schema="auth")
    for schema in reversed(SCHEMAS):
        op.execute(f"DROP SCHEMA IF EXISTS {schema}")
