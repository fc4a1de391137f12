import datetime as dt
import uuid
from typing import Any

from psycopg.rows import dict_row
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from apptremind.business.models import Business, DateOverride, Service, StaffMember
from apptremind.db import driver_connection


class BusinessRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, entity: Business | Service | StaffMember | DateOverride) -> None:
        self.session.add(entity)
        await self.session.flush()

    async def get_business(self, business_id: uuid.UUID) -> Business | None:
        return await self.session.get(Business, business_id)

    async def lock_business(self, business_id: uuid.UUID) -> Business | None:
        """The business row, locked until the transaction ends (limit checks, tier changes)."""
        return await self.session.scalar(
            select(Business)
            .where(Business.id == business_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )

    async def count_active_staff(self, business_id: uuid.UUID) -> int:
        count = await self.session.scalar(
            select(func.count())
            .select_from(StaffMember)
            .where(StaffMember.business_id == business_id, StaffMember.is_active.is_(True))
        )
        return int(count or 0)

    async def slug_exists(self, slug: str) -> bool:
        found = await self.session.scalar(select(Business.id).where(Business.slug == slug))
        return found is not None

    async def get_by_slug(self, slug: str) -> Business | None:
        return await self.session.scalar(select(Business).where(Business.slug == slug))

    async def list_active_staff(self, business_id: uuid.UUID) -> list[StaffMember]:
        """Active staff without their working hours (not loaded: reading them raises)."""
        rows = await self.session.scalars(
            select(StaffMember)
            .where(StaffMember.business_id == business_id, StaffMember.is_active.is_(True))
            .order_by(StaffMember.name, StaffMember.id)
        )
        return list(rows)

    async def list_services(
        self, business_id: uuid.UUID, *, include_archived: bool = False
    ) -> list[Service]:
        """Active services by name; with `include_archived`, the archived ones after them."""
        query = select(Service).where(Service.business_id == business_id)
        if not include_archived:
            query = query.where(Service.archived_at.is_(None))
        rows = await self.session.scalars(
            query.order_by(Service.archived_at.is_not(None), Service.name, Service.id)
        )
        return list(rows)

    async def get_service(self, business_id: uuid.UUID, service_id: uuid.UUID) -> Service | None:
        return await self.session.scalar(
            select(Service).where(Service.id == service_id, Service.business_id == business_id)
        )

    async def list_staff(self, business_id: uuid.UUID) -> list[StaffMember]:
        rows = await self.session.scalars(
            select(StaffMember)
            .where(StaffMember.business_id == business_id)
            .options(selectinload(StaffMember.working_hours))
            .order_by(StaffMember.name)
        )
        return list(rows)

    async def get_staff(self, business_id: uuid.UUID, staff_id: uuid.UUID) -> StaffMember | None:
        return await self.session.scalar(
            select(StaffMember)
            .where(StaffMember.id == staff_id, StaffMember.business_id == business_id)
            .options(selectinload(StaffMember.working_hours))
        )

    async def names(
        self, business_id: uuid.UUID, staff_id: uuid.UUID
    ) -> tuple[str, str, str] | None:
        """The business's name and timezone and the staff member's name: read for every
        reminder sent, so straight on the driver."""
        driver = await driver_connection(self.session)
        cursor = await driver.execute(
            "SELECT b.name, b.timezone, s.name FROM business.businesses b"
            " JOIN business.staff s ON s.business_id = b.id WHERE b.id = %s AND s.id = %s",
            (business_id, staff_id),
        )
        row = await cursor.fetchone()
        return (row[0], row[1], row[2]) if row else None

    async def booking_terms(
        self,
        staff_id: uuid.UUID,
        service_id: uuid.UUID,
        first: dt.date,
        last: dt.date,
        *,
        include_archived: bool,
    ) -> dict[str, Any] | None:
        """Business, staff member, service (NULL columns when it is not the business's, or
        archived unless `include_archived`), weekly hours and the overrides of first..last,
        as one row: the booking hot path."""
        driver = await driver_connection(self.session)
        async with driver.cursor(row_factory=dict_row) as cursor:
            await cursor.execute(
                _BOOKING_TERMS,
                {
                    "staff_id": staff_id,
                    "service_id": service_id,
                    "first": first,
                    "last": last,
                    "include_archived": include_archived,
                },
            )
            return await cursor.fetchone()

    async def team_terms(
        self,
        service_id: uuid.UUID,
        staff_id: uuid.UUID | None,
        first: dt.date,
        last: dt.date,
        *,
        include_archived: bool,
    ) -> dict[str, Any] | None:
        """Business, service and its staff (all active ones, or the one of `staff_id`) with
        their weekly hours and the overrides of first..last, as one row; none for an
        archived service unless `include_archived`."""
        driver = await driver_connection(self.session)
        async with driver.cursor(row_factory=dict_row) as cursor:
            await cursor.execute(
                _TEAM_TERMS,
                {
                    "service_id": service_id,
                    "staff_id": staff_id,
                    "first": first,
                    "last": last,
                    "include_archived": include_archived,
                },
            )
            return await cursor.fetchone()

    async def staff_names(self, business_id: uuid.UUID) -> dict[uuid.UUID, str]:
        rows = await self.session.execute(
            select(StaffMember.id, StaffMember.name).where(StaffMember.business_id == business_id)
        )
        return {row.id: row.name for row in rows}

    async def business_with_staff_name(
        self, business_id: uuid.UUID, staff_id: uuid.UUID
    ) -> tuple[Business, str] | None:
        row = (
            await self.session.execute(
                select(Business, StaffMember.name)
                .join(StaffMember, StaffMember.business_id == Business.id)
                .where(Business.id == business_id, StaffMember.id == staff_id)
            )
        ).first()
        return (row[0], row[1]) if row else None

    async def date_overrides(
        self, staff_id: uuid.UUID, first: dt.date, last: dt.date
    ) -> list[DateOverride]:
        rows = await self.session.scalars(
            select(DateOverride)
            .where(
                DateOverride.staff_id == staff_id,
                DateOverride.date >= first,
                DateOverride.date <= last,
            )
            .options(selectinload(DateOverride.intervals))
            .order_by(DateOverride.date)
        )
        return list(rows)

    async def delete_date_override(self, staff_id: uuid.UUID, day: dt.date) -> bool:
        result = await self.session.execute(
            delete(DateOverride).where(DateOverride.staff_id == staff_id, DateOverride.date == day)
        )
        return bool(getattr(result, "rowcount", 0))


_BOOKING_TERMS = """
SELECT b.id AS business_id, b.timezone, b.reminder_offsets_minutes, b.reminder_channels,
       b.slot_interval_minutes, b.min_notice_minutes, b.booking_horizon_days,
       b.subscription_tier,
       st.is_active,
       sv.id AS service_id, sv.name AS service_name, sv.duration_minutes, sv.price,
       sv.buffer_before_minutes, sv.buffer_after_minutes,
       (SELECT json_agg(json_build_array(h.day_of_week, h.start_minute, h.end_minute))
          FROM business.working_hours h
         WHERE h.staff_id = st.id) AS weekly_hours,
       (SELECT json_agg(json_build_array(o.date, i.start_minute, i.end_minute))
          FROM business.date_overrides o
          LEFT JOIN business.date_override_intervals i ON i.override_id = o.id
         WHERE o.staff_id = st.id AND o.date BETWEEN %(first)s AND %(last)s) AS overrides
  FROM business.staff st
  JOIN business.businesses b ON b.id = st.business_id
  LEFT JOIN business.services sv
         ON sv.id = %(service_id)s AND sv.business_id = st.business_id
        AND (sv.archived_at IS NULL OR %(include_archived)s)
 WHERE st.id = %(staff_id)s
"""

_TEAM_TERMS = """
SELECT b.id AS business_id, b.timezone, b.reminder_offsets_minutes, b.reminder_channels,
       b.slot_interval_minutes, b.min_notice_minutes, b.booking_horizon_days,
       b.subscription_tier,
       sv.name AS service_name, sv.duration_minutes, sv.price,
       sv.buffer_before_minutes, sv.buffer_after_minutes,
       (SELECT json_agg(json_build_object(
                 'id', st.id,
                 'is_active', st.is_active,
                 'weekly_hours',
                 (SELECT json_agg(json_build_array(h.day_of_week, h.start_minute, h.end_minute))
                    FROM business.working_hours h
                   WHERE h.staff_id = st.id),
                 'overrides',
                 (SELECT json_agg(json_build_array(o.date, i.start_minute, i.end_minute))
                    FROM business.date_overrides o
                    LEFT JOIN business.date_override_intervals i ON i.override_id = o.id
                   WHERE o.staff_id = st.id AND o.date BETWEEN %(first)s AND %(last)s)
               ) ORDER BY st.name, st.id)
          FROM business.staff st
         WHERE st.business_id = b.id
           AND CASE WHEN %(staff_id)s::uuid IS NULL THEN st.is_active
                    ELSE st.id = %(staff_id)s::uuid END) AS staff
  FROM business.services sv
  JOIN business.businesses b ON b.id = sv.business_id
 WHERE sv.id = %(service_id)s
   AND (sv.archived_at IS NULL OR %(include_archived)s)
"""
