"""Analytics: the owner's daily summary."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from apptremind.analytics.exceptions import InvalidRange
from apptremind.analytics.repository import AnalyticsRepository

MAX_RANGE_DAYS = 366


@dataclass(frozen=True)
class DaySummary:
    date: date
    booked: int
    cancelled: int
    completed: int
    no_show: int
    reminders_sent: int
    reminders_failed: int

    @property
    def no_show_rate(self) -> float | None:
        """No-shows among the appointments that were closed; None when none were."""
        closed = self.completed + self.no_show
        return round(self.no_show / closed, 4) if closed else None


async def summary(
    session: AsyncSession, business_id: uuid.UUID, start: date, end: date
) -> list[DaySummary]:
    """Every day from `start` to `end` (local dates, inclusive), zeros where nothing happened.

    Derived from the per-appointment facts on each request (one index range scan of one
    business), so the figures always agree with the facts, whatever order events came in.
    """
    if start > end:
        raise InvalidRange("'from' must not be after 'to'")
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise InvalidRange(f"The range may span at most {MAX_RANGE_DAYS} days")
    rows = {
        row.day: row for row in await AnalyticsRepository(session).daily(business_id, start, end)
    }
    days = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        row = rows.get(day)
        days.append(
            DaySummary(
                date=day,
                booked=row.booked if row else 0,
                cancelled=row.cancelled if row else 0,
                completed=row.completed if row else 0,
                no_show=row.no_show if row else 0,
                reminders_sent=row.reminders_sent if row else 0,
                reminders_failed=row.reminders_failed if row else 0,
            )
        )
    return days
