import datetime as dt
import uuid

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from apptremind.business.models import Business, DateOverride, Service, StaffMember


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

    async def names(
        self, business_id: uuid.UUID, staff_id: uuid.UUID
    ) -> tuple[str, str, str] | None:
        """The business's name and timezone and the staff member's name."""
        row = (
            await self.session.execute(
                select(Business.name, Business.timezone, StaffMember.name)
                .join(StaffMember, StaffMember.business_id == Business.id)
                .where(Business.id == business_id, StaffMember.id == staff_id)
            )
        ).first()
        return (row[0], row[1], row[2]) if row else None

    async def find_staff(self, staff_id: uuid.UUID) -> StaffMember | None:
        """A staff member of any business: the public booking page names staff by id."""
        return await self.session.scalar(
            select(StaffMember)
            .where(StaffMember.id == staff_id)
            .options(selectinload(StaffMember.working_hours))
        )

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
