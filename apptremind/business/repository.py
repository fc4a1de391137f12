import datetime as dt
import uuid

from sqlalchemy import RowMapping, and_, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from apptremind.business.models import (
    Business,
    DateOverride,
    DateOverrideInterval,
    Service,
    StaffMember,
    WorkingHours,
)


class BusinessRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, entity: Business | Service | StaffMember | DateOverride) -> None:
        self.session.add(entity)
        await self.session.flush()

    async def get_business(self, business_id: uuid.UUID) -> Business | None:
        return await self.session.get(Business, business_id)

    async def slug_exists(self, slug: str) -> bool:
        found = await self.session.scalar(select(Business.id).where(Business.slug == slug))
        return found is not None

    async def list_services(self, business_id: uuid.UUID) -> list[Service]:
        rows = await self.session.scalars(
            select(Service).where(Service.business_id == business_id).order_by(Service.name)
        )
        return list(rows)

    async def get_service(self, business_id: uuid.UUID, service_id: uuid.UUID) -> Service | None:
        return await self.session.scalar(
            select(Service).where(Service.id == service_id, Service.business_id == business_id)
        )

    async def delete_service(self, service: Service) -> None:
        await self.session.execute(delete(Service).where(Service.id == service.id))

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

    async def booking_terms(
        self, staff_id: uuid.UUID, service_id: uuid.UUID, first: dt.date, last: dt.date
    ) -> RowMapping | None:
        """Business, staff member, service (NULL columns when it is not the business's),
        weekly hours and the overrides of first..last, as one row: the booking hot path."""
        weekly_hours = (
            select(
                func.json_agg(
                    func.json_build_array(
                        WorkingHours.day_of_week, WorkingHours.start_minute, WorkingHours.end_minute
                    )
                )
            )
            .where(WorkingHours.staff_id == StaffMember.id)
            .scalar_subquery()
        )
        overrides = (
            select(
                func.json_agg(
                    func.json_build_array(
                        DateOverride.date,
                        DateOverrideInterval.start_minute,
                        DateOverrideInterval.end_minute,
                    )
                )
            )
            .select_from(DateOverride)
            .outerjoin(DateOverrideInterval, DateOverrideInterval.override_id == DateOverride.id)
            .where(DateOverride.staff_id == StaffMember.id, DateOverride.date.between(first, last))
            .scalar_subquery()
        )
        result = await self.session.execute(
            select(
                Business.id.label("business_id"),
                Business.timezone,
                Business.reminder_offsets_minutes,
                Business.reminder_channels,
                Business.slot_interval_minutes,
                Business.min_notice_minutes,
                Business.booking_horizon_days,
                StaffMember.is_active,
                Service.id.label("service_id"),
                Service.name.label("service_name"),
                Service.duration_minutes,
                Service.price,
                Service.buffer_before_minutes,
                Service.buffer_after_minutes,
                weekly_hours.label("weekly_hours"),
                overrides.label("overrides"),
            )
            .select_from(StaffMember)
            .join(Business, Business.id == StaffMember.business_id)
            .outerjoin(
                Service,
                and_(Service.id == service_id, Service.business_id == StaffMember.business_id),
            )
            .where(StaffMember.id == staff_id)
        )
        return result.mappings().one_or_none()

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
