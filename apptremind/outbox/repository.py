from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from apptremind.outbox.models import OutboxEvent


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def unpublished(self, limit: int) -> Sequence[OutboxEvent]:
        rows = await self.session.scalars(
            select(OutboxEvent)
            .where(OutboxEvent.published_at.is_(None))
            .order_by(OutboxEvent.id)
            .limit(limit)
        )
        return rows.all()

    async def undispatched(self, limit: int) -> Sequence[OutboxEvent]:
        rows = await self.session.scalars(
            select(OutboxEvent)
            .where(OutboxEvent.needs_dispatch.is_(True), OutboxEvent.dispatched_at.is_(None))
            .order_by(OutboxEvent.id)
            .limit(limit)
        )
        return rows.all()

    async def mark_published(self, ids: Sequence[int]) -> None:
        if ids:
            await self.session.execute(
                update(OutboxEvent).where(OutboxEvent.id.in_(ids)).values(published_at=func.now())
            )

    async def mark_dispatched(self, ids: Sequence[int]) -> None:
        if ids:
            await self.session.execute(
                update(OutboxEvent).where(OutboxEvent.id.in_(ids)).values(dispatched_at=func.now())
            )

    async def record_failure(self, ids: Sequence[int], error: str) -> None:
        if ids:
            await self.session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.id.in_(ids))
                .values(attempts=OutboxEvent.attempts + 1, last_error=error[:2000])
            )
