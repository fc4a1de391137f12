"""All analytics SQL: merging facts (commutative, so arrival order never matters) and
recomputing the daily figures of the dates a batch touched."""

import uuid
from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from apptremind.analytics.facts import Fact
from apptremind.analytics.models import DailySummary

# pg_advisory_xact_lock namespace: one business's facts are merged by one transaction at a time
LOCK_NAMESPACE = 0x0A7A1
BusinessDay = tuple[uuid.UUID, date]


class AnalyticsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_businesses(self, business_ids: Collection[uuid.UUID]) -> None:
        """Serialises batches of consumers that share a business (different topics' partitions
        may sit with different group members), in a fixed order so they cannot deadlock."""
        await self.session.execute(
            text(
                "SELECT pg_advisory_xact_lock(:ns, hashtext(b)) "
                "FROM unnest(CAST(:ids AS text[])) WITH ORDINALITY AS t(b, n) ORDER BY n"
            ),
            {"ns": LOCK_NAMESPACE, "ids": sorted(str(b) for b in business_ids)},
        )

    async def merge_facts(self, facts: Sequence[Fact]) -> set[BusinessDay]:
        """Newest event time wins for the date and for the outcome; ties go to the larger
        value, so the result is the same in any order. Returns the business days whose
        figures may change: each appointment's date before and after the merge."""
        rows = await self.session.execute(
            text(
                """
                WITH before AS (
                    SELECT business_id, local_date FROM analytics.appointment_facts
                    WHERE appointment_id = ANY(CAST(:ids AS uuid[])) AND local_date IS NOT NULL
                ), merged AS (
                INSERT INTO analytics.appointment_facts AS a (appointment_id, business_id, booked,
                    local_date, local_date_as_of, outcome, outcome_as_of)
                SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:businesses AS uuid[]),
                    CAST(:booked AS boolean[]), CAST(:dates AS date[]),
                    CAST(:dates_as_of AS timestamptz[]), CAST(:outcomes AS text[]),
                    CAST(:outcomes_as_of AS timestamptz[]))
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
                )
                SELECT business_id, local_date FROM before
                UNION SELECT business_id, local_date FROM merged WHERE local_date IS NOT NULL
                """
            ),
            {
                "ids": [f.appointment_id for f in facts],
                "businesses": [f.business_id for f in facts],
                "booked": [f.booked for f in facts],
                "dates": [f.local_date for f in facts],
                "dates_as_of": [f.local_date_as_of for f in facts],
                "outcomes": [f.outcome for f in facts],
                "outcomes_as_of": [f.outcome_as_of for f in facts],
            },
        )
        return {(business_id, day) for business_id, day in rows}

    async def merge_reminder_outcomes(
        self, outcomes: Sequence[tuple[uuid.UUID, uuid.UUID, str]]
    ) -> set[BusinessDay]:
        """(reminder, appointment, 'sent' | 'failed'); 'sent' wins should both arrive.
        Returns the business days of the reminders' appointments, where known yet."""
        rows = await self.session.execute(
            text(
                """
                WITH merged AS (
                INSERT INTO analytics.reminder_outcomes AS r (reminder_id, appointment_id, outcome)
                SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:appointments AS uuid[]),
                    CAST(:outcomes AS text[]))
                ON CONFLICT (reminder_id)
                    DO UPDATE SET outcome = GREATEST(r.outcome, excluded.outcome)
                RETURNING appointment_id
                )
                SELECT DISTINCT f.business_id, f.local_date
                FROM analytics.appointment_facts f JOIN merged m USING (appointment_id)
                WHERE f.local_date IS NOT NULL
                """
            ),
            {
                "ids": [o[0] for o in outcomes],
                "appointments": [o[1] for o in outcomes],
                "outcomes": [o[2] for o in outcomes],
            },
        )
        return {(business_id, day) for business_id, day in rows}

    async def recompute_days(self, days: Collection[BusinessDay]) -> None:
        ordered = sorted(days)
        await self.session.execute(
            text(
                """
                WITH touched AS (
                    SELECT * FROM unnest(CAST(:businesses AS uuid[]), CAST(:days AS date[]))
                        AS t(business_id, day)
                ), appointments AS (
                    SELECT a.business_id, a.local_date AS day,
                        count(*) AS booked,
                        count(*) FILTER (WHERE a.outcome = 'cancelled') AS cancelled,
                        count(*) FILTER (WHERE a.outcome = 'completed') AS completed,
                        count(*) FILTER (WHERE a.outcome = 'no_show') AS no_show
                    FROM analytics.appointment_facts a
                    JOIN touched t ON a.business_id = t.business_id AND a.local_date = t.day
                    WHERE a.booked
                    GROUP BY 1, 2
                ), reminders AS (
                    SELECT a.business_id, a.local_date AS day,
                        count(*) FILTER (WHERE r.outcome = 'sent') AS sent,
                        count(*) FILTER (WHERE r.outcome = 'failed') AS failed
                    FROM analytics.reminder_outcomes r
                    JOIN analytics.appointment_facts a ON a.appointment_id = r.appointment_id
                    JOIN touched t ON a.business_id = t.business_id AND a.local_date = t.day
                    WHERE a.booked
                    GROUP BY 1, 2
                )
                INSERT INTO analytics.daily_summaries AS d (business_id, day, booked, cancelled,
                    completed, no_show, reminders_sent, reminders_failed)
                SELECT t.business_id, t.day, coalesce(a.booked, 0), coalesce(a.cancelled, 0),
                    coalesce(a.completed, 0), coalesce(a.no_show, 0), coalesce(r.sent, 0),
                    coalesce(r.failed, 0)
                FROM touched t
                LEFT JOIN appointments a USING (business_id, day)
                LEFT JOIN reminders r USING (business_id, day)
                ON CONFLICT (business_id, day) DO UPDATE SET
                    booked = excluded.booked, cancelled = excluded.cancelled,
                    completed = excluded.completed, no_show = excluded.no_show,
                    reminders_sent = excluded.reminders_sent,
                    reminders_failed = excluded.reminders_failed
                """
            ),
            {"businesses": [b for b, _ in ordered], "days": [d for _, d in ordered]},
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
