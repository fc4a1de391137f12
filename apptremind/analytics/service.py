"""Analytics: applying a batch of events, and the owner's daily summary."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from apptremind import events
from apptremind.analytics.exceptions import InvalidRange
from apptremind.analytics.facts import OUTCOMES, REMINDER_RESULTS, Fact
from apptremind.analytics.repository import AnalyticsRepository
from apptremind.consumers.messages import ConsumedEvent
from apptremind.event_schemas import AppointmentEventData, ReminderResultData, ScheduledData

MAX_RANGE_DAYS = 366


async def apply_events(session: AsyncSession, batch: Sequence[ConsumedEvent]) -> None:
    """Folds the batch into one fact per appointment, then merges them in one statement."""
    facts: dict[uuid.UUID, Fact] = {}
    for event in batch:
        data: AppointmentEventData = event.data
        fact = facts.setdefault(data.appointment_id, Fact(data.appointment_id, data.business_id))
        if isinstance(data, ScheduledData):
            booking = event.event_type == events.APPOINTMENT_BOOKED
            fact.schedule(data.local_date, event.timestamp, booking=booking)
        elif isinstance(data, ReminderResultData):
            fact.remind(REMINDER_RESULTS[event.event_type])
        else:
            fact.close(OUTCOMES[event.event_type], event.timestamp)
    await AnalyticsRepository(session).merge(list(facts.values()))


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
