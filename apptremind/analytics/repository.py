"""All analytics SQL: merging facts (commutative, so arrival order never matters) and
recomputing the daily figures of the dates a batch touched."""

import uuid
import zlib
from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from apptremind.analytics.facts import Fact, ReminderResult
from apptremind.analytics.models import DailySummary
from apptremind.consumers.arrays import joined, unjoined

# pg_advisory_xact_lock keys (namespace, bucket): one business's facts are merged by one
# transaction at a time. Businesses share LOCK_BUCKETS locks, so that a batch holds a bounded
# number of them (the server's lock table is finite) whatever the batch size.
LOCK_NAMESPACE = 0x0A7A1
LOCK_BUCKETS = 128
BusinessDay = tuple[uuid.UUID, date]


class AnalyticsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_businesses(self, business_ids: Collection[uuid.UUID]) -> None:
        """Serialises batches of consumers that share a business (different topics' partitions
        may sit with different group members), in a fixed order so they cannot deadlock."""
        buckets = sorted({zlib.crc32(b.bytes) % LOCK_BUCKETS for b in business_ids})
        await self.session.execute(
            text(
                "SELECT pg_advisory_xact_lock(:ns, k) "
                f"FROM unnest({unjoined('buckets', 'int')}) WITH ORDINALITY AS t(k, n) ORDER BY n"
            ),
            {"ns": LOCK_NAMESPACE, "buckets": joined(str(k) for k in buckets)},
        )

    async def merge(
        self, facts: Sequence[Fact], reminders: Sequence[ReminderResult]
    ) -> set[BusinessDay]:
        """Merges a batch's appointment facts and reminder results in one statement.

        For facts, the newest event time wins for the date and for the outcome, ties going
        to the larger value; a reminder's 'sent' wins over 'failed': the result is the same
        in any order. Returns the business days whose figures may change: each appointment's
        date before and after the merge, and the dates of the reminders' appointments.
        """
        rows = await self.session.execute(
            text(
                f"""
                WITH before AS (
                    SELECT business_id, local_date FROM analytics.appointment_facts
                    WHERE appointment_id = ANY({unjoined("ids", "uuid")}) AND local_date IS NOT NULL
                ), merged AS (
                    INSERT INTO analytics.appointment_facts AS a (appointment_id, business_id,
                        booked, local_date, local_date_as_of, outcome, outcome_as_of)
                    SELECT * FROM unnest({unjoined("ids", "uuid")},
                        {unjoined("businesses", "uuid")}, {unjoined("booked", "boolean")},
                        {unjoined("dates", "date")}, {unjoined("dates_as_of", "timestamptz")},
                        {unjoined("outcomes", "text")}, {unjoined("outcomes_as_of", "timestamptz")})
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
                        outcome_as_of = GREATEST(a.outcome_as_of, excluded.outcome_as_of)
                    RETURNING business_id, local_date
                ), results AS (
                    INSERT INTO analytics.reminder_outcomes AS r (reminder_id, appointment_id,
                        outcome)
                    SELECT * FROM unnest({unjoined("reminders", "uuid")},
                        {unjoined("reminded", "uuid")}, {unjoined("results", "text")})
                    ON CONFLICT (reminder_id)
                        DO UPDATE SET outcome = GREATEST(r.outcome, excluded.outcome)
                    RETURNING appointment_id
                )
                SELECT business_id, local_date FROM before
                UNION SELECT business_id, local_date FROM merged WHERE local_date IS NOT NULL
                -- an appointment merged above is covered by `before` and `merged`; the others
                -- are as this statement's snapshot shows them
                UNION SELECT f.business_id, f.local_date FROM analytics.appointment_facts f
                    WHERE f.appointment_id = ANY(ARRAY(SELECT appointment_id FROM results))
                        AND f.local_date IS NOT NULL
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
                "reminders": joined(r.reminder_id for r in reminders),
                "reminded": joined(r.appointment_id for r in reminders),
                "results": joined(r.result for r in reminders),
            },
        )
        return {(business_id, day) for business_id, day in rows}

    async def recompute_days(self, days: Collection[BusinessDay]) -> None:
        ordered = sorted(days)
        await self.session.execute(
            text(
                f"""
                WITH touched AS (
                    SELECT * FROM unnest(
                        {unjoined("businesses", "uuid")}, {unjoined("days", "date")}
                    ) AS t(business_id, day)
                )
                INSERT INTO analytics.daily_summaries AS d (business_id, day, booked, cancelled,
                    completed, no_show, reminders_sent, reminders_failed)
                -- LATERAL: each day is counted through the (business_id, local_date) index,
                -- never by scanning the whole table
                SELECT t.business_id, t.day, a.booked, a.cancelled, a.completed, a.no_show,
                    r.sent, r.failed
                FROM touched t
                CROSS JOIN LATERAL (
                    SELECT count(*) AS booked,
                        count(*) FILTER (WHERE f.outcome = 'cancelled') AS cancelled,
                        count(*) FILTER (WHERE f.outcome = 'completed') AS completed,
                        count(*) FILTER (WHERE f.outcome = 'no_show') AS no_show
                    FROM analytics.appointment_facts f
                    WHERE f.business_id = t.business_id AND f.local_date = t.day AND f.booked
                ) a
                CROSS JOIN LATERAL (
                    SELECT count(*) FILTER (WHERE o.outcome = 'sent') AS sent,
                        count(*) FILTER (WHERE o.outcome = 'failed') AS failed
                    FROM analytics.appointment_facts f
                    JOIN analytics.reminder_outcomes o ON o.appointment_id = f.appointment_id
                    WHERE f.business_id = t.business_id AND f.local_date = t.day AND f.booked
                ) r
                ON CONFLICT (business_id, day) DO UPDATE SET
                    booked = excluded.booked, cancelled = excluded.cancelled,
                    completed = excluded.completed, no_show = excluded.no_show,
                    reminders_sent = excluded.reminders_sent,
                    reminders_failed = excluded.reminders_failed
                """
            ),
            {"businesses": joined(b for b, _ in ordered), "days": joined(d for _, d in ordered)},
        )

    async def daily(self, business_id: uuid.UUID, start: date, end: date) -> list[DailySummary]:
        rows = await self.session.scalars(
            select(DailySummary)
            .where(
                DailySummary.business_id == business_id,
                DailySummary.day >= start,
                DailySummary.day <= end,
            )
            .order_by(DailySummary.day)
        )
        return list(rows)
