"""Booking usage per business and calendar month: the figure plan limits are checked against.

Fed by the billing usage consumer (`apptremind consume billing`) from `appointment.booked`
and `appointment.cancelled`; a booking counts in the business-local month it was made, and
stops counting once cancelled.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from apptremind import events
from apptremind.billing.usage_models import UsageBooking
from apptremind.consumers.arrays import joined, unjoined
from apptremind.consumers.messages import ConsumedEvent


async def bookings_in_month(session: AsyncSession, business_id: uuid.UUID, month: date) -> int:
    """Bookings made in the month containing `month` (business-local), minus cancellations."""
    return int(
        await session.scalar(
            select(func.count()).where(
                UsageBooking.business_id == business_id,
                UsageBooking.booked_month == month.replace(day=1),
                UsageBooking.cancelled.is_(False),
            )
        )
        or 0
    )


async def bookings_this_month(session: AsyncSession, business_id: uuid.UUID, now: datetime) -> int:
    """Bookings of the business's current calendar month; `now` is any aware datetime, the
    month is taken in the business's time zone as its bookings recorded it."""
    zone_name = await session.scalar(
        select(UsageBooking.timezone)
        .where(UsageBooking.business_id == business_id, UsageBooking.timezone.is_not(None))
        .order_by(UsageBooking.booked_at.desc())
        .limit(1)
    )
    zone = ZoneInfo(zone_name) if zone_name else UTC
    return await bookings_in_month(session, business_id, now.astimezone(zone).date())


@dataclass
class _Usage:
    appointment_id: uuid.UUID
    business_id: uuid.UUID
    booked_at: datetime | None = None
    booked_month: date | None = None
    timezone: str | None = None
    cancelled: bool = False


async def apply_events(session: AsyncSession, batch: Sequence[ConsumedEvent]) -> None:
    usage: dict[uuid.UUID, _Usage] = {}
    for event in batch:
        row = usage.setdefault(
            event.data.appointment_id,
            _Usage(event.data.appointment_id, event.data.business_id),
        )
        if event.event_type == events.APPOINTMENT_CANCELLED:
            row.cancelled = True
        elif row.booked_at is None or event.timestamp < row.booked_at:
            zone_name = event.data.timezone
            local = event.timestamp.astimezone(ZoneInfo(zone_name) if zone_name else UTC)
            row.booked_at, row.timezone = event.timestamp, zone_name
            row.booked_month = local.date().replace(day=1)
    rows = list(usage.values())
    await session.execute(
        text(
            f"""
            INSERT INTO billing.usage_bookings AS u (appointment_id, business_id, booked_at,
                booked_month, timezone, cancelled)
            SELECT * FROM unnest({unjoined("ids", "uuid")}, {unjoined("businesses", "uuid")},
                {unjoined("booked_at", "timestamptz")}, {unjoined("months", "date")},
                {unjoined("zones", "text")}, {unjoined("cancelled", "boolean")})
            ON CONFLICT (appointment_id) DO UPDATE SET
                cancelled = u.cancelled OR excluded.cancelled,
                booked_at = LEAST(u.booked_at, excluded.booked_at),
                booked_month = CASE WHEN u.booked_at IS NULL OR excluded.booked_at < u.booked_at
                    THEN excluded.booked_month ELSE u.booked_month END,
                timezone = CASE WHEN u.booked_at IS NULL OR excluded.booked_at < u.booked_at
                    THEN excluded.timezone ELSE u.timezone END
            """
        ),
        {
            "ids": joined(r.appointment_id for r in rows),
            "businesses": joined(r.business_id for r in rows),
            "booked_at": joined(r.booked_at for r in rows),
            "months": joined(r.booked_month for r in rows),
            "zones": joined(r.timezone for r in rows),
            "cancelled": joined(r.cancelled for r in rows),
        },
    )
