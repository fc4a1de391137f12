"""The monthly booking allowance of a business's plan, checked when a booking is taken."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from apptremind.billing.plans import Plan
from apptremind.booking.repository import AppointmentRepository


def month_bounds(now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The business's current calendar month as [start, end) instants."""
    local = now.astimezone(zone)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return start, start.replace(year=year, month=month)


async def bookings_this_month(
    session: AsyncSession, business_id: uuid.UUID, zone: ZoneInfo, now: datetime
) -> int:
    """Bookings taken this calendar month (business time) and not cancelled.

    The one place that counts usage for the limit; a usage read model may replace it.
    """
    start, end = month_bounds(now, zone)
    return await AppointmentRepository(session).count_booked_between(business_id, start, end)


async def ensure_monthly_capacity(
    session: AsyncSession, business_id: uuid.UUID, zone: ZoneInfo, plan: Plan, now: datetime
) -> None:
    """402 when the plan's monthly bookings are used up.

    Bookings of one limited business take turns on a transaction-scoped advisory lock from
    here to commit, so concurrent requests cannot all count 99 and all book the 100th.
    Unlimited plans take no lock.
    """
    if plan.monthly_bookings is None:
        return
    repo = AppointmentRepository(session)
    await repo.lock_monthly_quota(business_id)
    plan.ensure_booking_capacity(await bookings_this_month(session, business_id, zone, now))
