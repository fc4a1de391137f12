"""Booking usage per business and calendar month: a read model of the bus.

Fed by the billing usage consumer (`apptremind consume billing`) from `appointment.booked`
and `appointment.cancelled`; a booking counts in the business-local month it was made, and
stops counting once cancelled. The plan's monthly limit is not checked against it but
against the appointments themselves, in the booking's transaction (`booking/quota.py`).
"""

import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from apptremind import events
from apptremind.billing.usage_models import UsageBooking
from apptremind.consumers.messages import ConsumedEvent
from apptremind.consumers.processed import Column


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


def _booked_at(event: ConsumedEvent) -> datetime | None:
    return event.timestamp if event.event_type == events.APPOINTMENT_BOOKED else None


def _booked_month(event: ConsumedEvent) -> date | None:
    """The first day of the business-local month the booking was made in."""
    if event.event_type != events.APPOINTMENT_BOOKED:
        return None
    zone_name = event.data.timezone
    local = event.timestamp.astimezone(ZoneInfo(zone_name) if zone_name else UTC)
    return local.date().replace(day=1)


def _zone(event: ConsumedEvent) -> str | None:
    return event.data.timezone if event.event_type == events.APPOINTMENT_BOOKED else None


# What `MERGE_NEW_EVENTS` reads of each event.
COLUMNS = [
    Column("appointment_id", "uuid", lambda e: e.data.appointment_id),
    Column("business_id", "uuid", lambda e: e.data.business_id),
    Column("booked_at", "timestamptz", _booked_at),
    Column("booked_month", "date", _booked_month),
    Column("timezone", "text", _zone),
    Column("cancelled", "boolean", lambda e: e.event_type == events.APPOINTMENT_CANCELLED),
]

# One row per appointment: the earliest booking event decides the month (and zone), and a
# cancellation, whenever it arrives, stops the booking counting; any order gives the same.
MERGE_NEW_EVENTS = """
    INSERT INTO billing.usage_bookings AS u (appointment_id, business_id, booked_at,
        booked_month, timezone, cancelled)
    SELECT appointment_id, (array_agg(business_id))[1], min(booked_at),
        (array_agg(booked_month ORDER BY booked_at) FILTER (WHERE booked_at IS NOT NULL))[1],
        (array_agg(timezone ORDER BY booked_at) FILTER (WHERE booked_at IS NOT NULL))[1],
        bool_or(cancelled)
    FROM new_events
    GROUP BY appointment_id
    ON CONFLICT (appointment_id) DO UPDATE SET
        cancelled = u.cancelled OR excluded.cancelled,
        booked_at = LEAST(u.booked_at, excluded.booked_at),
        booked_month = CASE WHEN u.booked_at IS NULL OR excluded.booked_at < u.booked_at
            THEN excluded.booked_month ELSE u.booked_month END,
        timezone = CASE WHEN u.booked_at IS NULL OR excluded.booked_at < u.booked_at
            THEN excluded.timezone ELSE u.timezone END
"""
