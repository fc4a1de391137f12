"""All analytics SQL: merging a batch's events into per-appointment facts (commutative, so
arrival order never matters) and the daily figures derived from them."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# The batch's new events (`new_events`, columns as in `facts.COLUMNS`) folded into one row
# per appointment, then merged with what the table holds. In both steps the newest event
# time wins for the date and for the outcome (ties go to the larger value) and reminder
# results add up: the row ends the same in any order and any batching, and concurrent
# merges of one row serialise on it.
MERGE_NEW_EVENTS = """
    INSERT INTO analytics.appointment_facts AS a (appointment_id, business_id, booked,
        local_date, local_date_as_of, outcome, outcome_as_of, reminders_sent, reminders_failed)
    SELECT appointment_id, (array_agg(business_id))[1], bool_or(booking),
        (array_agg(local_date ORDER BY as_of DESC, local_date DESC)
            FILTER (WHERE local_date IS NOT NULL))[1],
        max(as_of) FILTER (WHERE local_date IS NOT NULL),
        (array_agg(outcome ORDER BY as_of DESC, outcome DESC)
            FILTER (WHERE outcome IS NOT NULL))[1],
        max(as_of) FILTER (WHERE outcome IS NOT NULL),
        count(*) FILTER (WHERE reminder = 'sent'),
        count(*) FILTER (WHERE reminder = 'failed')
    FROM new_events
    GROUP BY appointment_id
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
