from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from apptremind.outbox.models import OutboxEvent


@dataclass(frozen=True)
class Backlog:
    """Events waiting for the relay, and how long the oldest of each kind has waited."""

    unpublished: int
    oldest_unpublished_seconds: float  # 0 when none waits
    undispatched: int
    oldest_undispatched_seconds: float


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

    async def backlog(self) -> Backlog:
        """Counts what waits, by the partial indexes on unpublished and undispatched rows; the
        ages are measured on the database's clock, like `created_at`."""
        age = func.coalesce(func.extract("epoch", func.now() - func.min(OutboxEvent.created_at)), 0)
        unpublished = await self.session.execute(
            select(func.count(), age).where(OutboxEvent.published_at.is_(None))
        )
        undispatched = await self.session.execute(
            select(func.count(), age).where(
                OutboxEvent.needs_dispatch.is_(True), OutboxEvent.dispatched_at.is_(None)
            )
        )
        waiting, waited = unpublished.one()
        to_dispatch, dispatch_waited = undispatched.one()
        return Backlog(int(waiting), float(waited), int(to_dispatch), float(dispatch_waited))
