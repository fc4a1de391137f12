import uuid
from datetime import datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from apptremind.billing.models import BillingCustomer, Invoice, StripeEvent, Subscription


class BillingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, entity: BillingCustomer | Subscription | Invoice) -> None:
        self.session.add(entity)
        await self.session.flush()

    async def lock_business_billing(self, business_id: uuid.UUID) -> None:
        """Serialises checkouts and webhook changes of one business until the transaction ends
        (also before its customer row exists)."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"billing:{business_id}"},
        )

    async def customer_of_business(self, business_id: uuid.UUID) -> BillingCustomer | None:
        return await self.session.get(BillingCustomer, business_id)

    async def customer_by_stripe_id(self, stripe_customer_id: str) -> BillingCustomer | None:
        return await self.session.scalar(
            select(BillingCustomer).where(BillingCustomer.stripe_customer_id == stripe_customer_id)
        )

    async def subscriptions(self, business_id: uuid.UUID) -> list[Subscription]:
        rows = await self.session.scalars(
            select(Subscription)
            .where(Subscription.business_id == business_id)
            .order_by(Subscription.last_event_at.desc())
        )
        return list(rows)

    async def subscription(self, stripe_subscription_id: str) -> Subscription | None:
        return await self.session.get(Subscription, stripe_subscription_id)

    async def invoice(self, stripe_invoice_id: str) -> Invoice | None:
        return await self.session.get(Invoice, stripe_invoice_id)

    async def invoices_of(self, business_id: uuid.UUID) -> list[Invoice]:
        """The business's invoices, newest (by Stripe's issue date) first."""
        rows = await self.session.scalars(
            select(Invoice)
            .where(Invoice.business_id == business_id)
            .order_by(
                func.coalesce(Invoice.issued_at, Invoice.created_at).desc(),
                Invoice.stripe_invoice_id.desc(),
            )
        )
        return list(rows)

    async def record_event(self, event_id: str, event_type: str, created: datetime) -> bool:
        """Claims a Stripe event id; False when it was already processed.

        A concurrent delivery of the same id waits here until the first one commits.
        """
        claimed = await self.session.scalar(
            insert(StripeEvent)
            .values(
                event_id=event_id,
                event_type=event_type,
                stripe_created_at=created,
                outcome="processing",
            )
            .on_conflict_do_nothing(index_elements=[StripeEvent.event_id])
            .returning(StripeEvent.event_id)
        )
        return claimed is not None

    async def set_event_outcome(self, event_id: str, outcome: str) -> None:
        await self.session.execute(
            update(StripeEvent).where(StripeEvent.event_id == event_id).values(outcome=outcome)
        )
