"""All analytics SQL: merging facts (commutative, so arrival order never matters) and the
daily figures derived from them."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from apptremind.analytics.facts import Fact
from apptremind.consumers.arrays import joined, unjoined


@dataclass(frozen=True)
class DayCounts:
    day: date
    booked: int
    cancelled: int
    completed: int
    no_show: int
    reminders_sent: int
    reminders_failed: int


class AnalyticsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def merge(self, facts: Sequence[Fact]) -> None:
        """Merges a batch's facts in one statement. The newest event time wins for the date
        and for the outcome (ties go to the larger value) and reminder results add up: the
        row ends the same in any order, and concurrent merges of one row serialise on it."""
        await self.session.execute(
            text(
                f"""
                INSERT INTO analytics.appointment_facts AS a (appointment_id, business_id, booked,
                    local_date, local_date_as_of, outcome, outcome_as_of, reminders_sent,
                    reminders_failed)
                SELECT * FROM unnest({unjoined("ids", "uuid")}, {unjoined("businesses", "uuid")},
                    {unjoined("booked", "boolean")}, {unjoined("dates", "date")},
                    {unjoined("dates_as_of", "timestamptz")}, {unjoined("outcomes", "text")},
                    {unjoined("outcomes_as_of", "timestamptz")}, {unjoined("sent", "int")},
                    {unjoined("failed", "int")})
                ON CONFLICT (appointment_id) DO UPDATE SET
                    booked = a.booked OR excluded.booked,
                    local_date = CASE WHEN excluded.local_date_as_of IS NOT NULL
                        AND (a.local_date_as_of IS NULL OR (excluded.local_date_as_of,
                             excluded.local_date) > (a.local_date_as_of, a.local_date))
                        THEN excluded.local_date ELSE a.local_date END,
                    local_date_as_of = GREATEST(a.local_date_as_of, excluded.local_date_as_of),
                    outcome = CASE WHEN excluded.outcome_as_of IS NOT NULL
                        AND (a.outcome_as_of IS NULL OR (excluded.outcome_as_of,
                             excluded.outcome) > (a.outcome_as_of, a.outcome))
                        THEN excluded.outcome ELSE a.outcome END,
                    outcome_as_of = GREATEST(a.outcome_as_of, excluded.outcome_as_of),
                    reminders_sent = a.reminders_sent + excluded.reminders_sent,
                    reminders_failed = a.reminders_failed + excluded.reminders_failed
                """
            ),
            {
                "ids": joined(f.appointment_id for f in facts),
                "businesses": joined(f.business_id for f in facts),
                "booked": joined(f.booked for f in facts),
                "dates": joined(f.local_date for f in facts),
                "dates_as_of": joined(f.local_date_as_of for f in facts),
                "outcomes": joined(f.outcome for f in facts),
                "outcomes_as_of": joined(f.outcome_as_of for f in facts),
                "sent": joined(str(f.reminders_sent) for f in facts),
                "failed": joined(str(f.reminders_failed) for f in facts),
            },
        )

    async def daily(self, business_id: uuid.UUID, start: date, end: date) -> list[DayCounts]:
        """The figures of the days that have booked appointments: one index range scan."""
        rows = await self.session.execute(
            text(
                """
                SELECT local_date, count(*),
                    count(*) FILTER (WHERE outcome = 'cancelled'),
                    count(*) FILTER (WHERE outcome = 'completed'),
                    count(*) FILTER (WHERE outcome = 'no_show'),
                    sum(reminders_sent), sum(reminders_failed)
                FROM analytics.appointment_facts
                WHERE business_id = :business_id AND local_date BETWEEN :start AND :end
                    AND booked
                GROUP BY local_date
                ORDER BY local_date
                """
            ),
            {"business_id": business_id, "start": start, "end": end},
        )
        return [DayCounts(*(row[0], *(int(n) for n in row[1:]))) for row in rows]
