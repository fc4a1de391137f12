"""Stripe webhooks: verified, each event id processed once, converging to Stripe's state.

Deliveries may repeat and arrive in any order. A repeated event id is skipped; a
subscription event older (by Stripe's `created`) than the last one applied to that
subscription is ignored, and a cancelled subscription stays cancelled. A completed checkout
whose subscription is not known yet reads it from Stripe, so the business is Pro at once
whichever of the two events comes first.
"""

import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import stripe
from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from apptremind import events
from apptremind.billing.exceptions import (
    BillingNotConfigured,
    InvalidWebhook,
    PaymentProviderError,
)
from apptremind.billing.models import (
    FINAL_STATUSES,
    BillingCustomer,
    Invoice,
    InvoiceStatus,
    Subscription,
)
from apptremind.billing.repository import BillingRepository
from apptremind.billing.service import sync_tier
from apptremind.outbox.service import emit

logger = logging.getLogger("apptremind.billing")


class StripeEventData(BaseModel):
    object: dict[str, Any]


class StripeEvent(BaseModel):
    id: str
    type: str
    created: int
    data: StripeEventData

    @property
    def created_at(self) -> datetime:
        return datetime.fromtimestamp(self.created, UTC)

    @property
    def object(self) -> dict[str, Any]:
        return self.data.object


def verified_event(payload: bytes, signature: str | None, secret: str) -> StripeEvent:
    """The event if Stripe signed this exact payload within the SDK's tolerance (300 s)."""
    if not secret:
        raise BillingNotConfigured("Set STRIPE_WEBHOOK_SECRET to receive Stripe webhooks")
    try:
        stripe.Webhook.construct_event(payload, signature, secret)
        return StripeEvent.model_validate(json.loads(payload))
    except stripe.SignatureVerificationError as exc:
        raise InvalidWebhook(f"Stripe-Signature rejected: {exc.user_message or exc}") from exc
    except (ValueError, TypeError, AttributeError, KeyError, ValidationError) as exc:
        raise InvalidWebhook("The body is not a Stripe event") from exc


async def handle_event(
    session: AsyncSession, event: StripeEvent, stripe_client: stripe.StripeClient
) -> str:
    """Applies one verified event in the caller's transaction; returns what was done."""
    repo = BillingRepository(session)
    if not await repo.record_event(event.id, event.type, event.created_at):
        return "duplicate"
    handler = _HANDLERS.get(event.type)
    try:
        outcome = await handler(session, event, stripe_client) if handler else "ignored"
    except (KeyError, TypeError, ValueError) as exc:  # the transaction is rolled back
        raise InvalidWebhook(f"The {event.type} event lacks a field it needs: {exc}") from exc
    await repo.set_event_outcome(event.id, outcome)
    logger.info("stripe event %s (%s): %s", event.id, event.type, outcome)
    return outcome


async def _customer(session: AsyncSession, event: StripeEvent) -> BillingCustomer | None:
    """The event's customer, locked for this transaction; None (logged) when unknown."""
    repo = BillingRepository(session)
    stripe_customer_id = event.object.get("customer")
    customer = (
        await repo.customer_by_stripe_id(stripe_customer_id)
        if isinstance(stripe_customer_id, str)
        else None
    )
    if customer is None:
        logger.warning("stripe event %s names an unknown customer; ignored", event.id)
        return None
    await repo.lock_business_billing(customer.business_id)
    await session.refresh(customer)  # the state as of the lock, not of the first read
    return customer


async def _subscription_changed(
    session: AsyncSession, event: StripeEvent, stripe_client: stripe.StripeClient
) -> str:
    customer = await _customer(session, event)
    if customer is None:
        return "unknown_customer"
    snapshot = dict(event.object)
    if event.type.endswith(".deleted"):
        snapshot["status"] = "canceled"
    applied = await _apply_subscription(session, customer, snapshot, event.created_at)
    return "applied" if applied else "stale"


async def _checkout_completed(
    session: AsyncSession, event: StripeEvent, stripe_client: stripe.StripeClient
) -> str:
    customer = await _customer(session, event)
    if customer is None:
        return "unknown_customer"
    subscription_id = event.object.get("subscription")
    if event.object.get("mode") != "subscription" or not isinstance(subscription_id, str):
        return "ignored"
    if await BillingRepository(session).subscription(subscription_id) is not None:
        return "applied"  # its own events came first
    try:
        latest = await stripe_client.v1.subscriptions.retrieve_async(subscription_id)
    except stripe.StripeError as exc:  # 502: Stripe delivers the event again later
        raise PaymentProviderError(f"Could not read subscription {subscription_id}") from exc
    await _apply_subscription(session, customer, latest.to_dict(), event.created_at)
    return "applied"


async def _apply_subscription(
    session: AsyncSession,
    customer: BillingCustomer,
    snapshot: dict[str, Any],
    as_of: datetime,
) -> bool:
    """Stores Stripe's subscription snapshot unless a newer one was already applied."""
    repo = BillingRepository(session)
    subscription = await repo.subscription(snapshot["id"])
    if subscription is None:
        subscription = Subscription(
            stripe_subscription_id=snapshot["id"], business_id=customer.business_id
        )
        session.add(subscription)
    elif as_of < subscription.last_event_at or subscription.status in FINAL_STATUSES:
        return False
    subscription.status = snapshot["status"]
    subscription.current_period_end = _period_end(snapshot)
    subscription.cancel_at_period_end = bool(snapshot.get("cancel_at_period_end"))
    subscription.last_event_at = as_of
    await session.flush()
    await sync_tier(session, customer)
    return True


async def _invoice_paid(
    session: AsyncSession, event: StripeEvent, stripe_client: stripe.StripeClient
) -> str:
    return await _invoice_changed(session, event, paid=True)


async def _invoice_payment_failed(
    session: AsyncSession, event: StripeEvent, stripe_client: stripe.StripeClient
) -> str:
    return await _invoice_changed(session, event, paid=False)


async def _invoice_changed(session: AsyncSession, event: StripeEvent, *, paid: bool) -> str:
    """`invoice.generated` the first time an invoice is seen, `payment.success` once paid.

    Stripe sends both `invoice.paid` and `invoice.payment_succeeded` for one payment (and
    may redeliver either): the invoice id makes the second a no-op. A failed payment changes
    no tier: Stripe moves the subscription to past_due / unpaid / canceled and tells us with
    a subscription event.
    """
    customer = await _customer(session, event)
    if customer is None:
        return "unknown_customer"
    data = event.object
    repo = BillingRepository(session)
    invoice = await repo.invoice(data["id"])
    business_id = customer.business_id
    currency = str(data.get("currency", "usd"))
    if invoice is None:
        invoice = Invoice(
            stripe_invoice_id=data["id"],
            business_id=business_id,
            amount_due=int(data.get("amount_due", 0)),
            amount_paid=0,
            currency=currency,
            status=InvoiceStatus.OPEN,
            issued_at=_timestamp(data.get("created")) or event.created_at,
        )
        await repo.add(invoice)
        await emit(
            session,
            events.InvoiceGenerated(
                business_id=business_id,
                amount=invoice.amount_due,
                currency=currency,
                invoice_id=invoice.stripe_invoice_id,
            ),
        )
    # Stripe numbers an invoice when it is finalized: a later event may carry what an
    # earlier one lacked.
    invoice.number = _text(data.get("number"), 100) or invoice.number
    invoice.hosted_invoice_url = _text(data.get("hosted_invoice_url")) or invoice.hosted_invoice_url
    if invoice.status == InvoiceStatus.PAID:
        await session.flush()
        return "applied"
    if paid:
        invoice.status = InvoiceStatus.PAID
        invoice.amount_paid = int(data.get("amount_paid", invoice.amount_due))
        transitions = data.get("status_transitions") or {}
        invoice.paid_at = _timestamp(transitions.get("paid_at")) or event.created_at
        await emit(
            session,
            events.PaymentSucceeded(
                business_id=business_id,
                amount=invoice.amount_paid,
                currency=currency,
                invoice_id=invoice.stripe_invoice_id,
            ),
        )
    else:
        invoice.status = InvoiceStatus.PAYMENT_FAILED
    await session.flush()
    return "applied"


def _timestamp(value: object) -> datetime | None:
    """A Stripe Unix timestamp as an aware datetime; None when absent."""
    return datetime.fromtimestamp(value, UTC) if isinstance(value, int) and value > 0 else None


def _text(value: object, max_length: int | None = None) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    return value[:max_length] if max_length else value


def _period_end(subscription: dict[str, Any]) -> datetime | None:
    """Older API versions carry it on the subscription, newer ones on its items."""
    end = subscription.get("current_period_end")
    if end is None:
        items = (subscription.get("items") or {}).get("data") or []
        ends = [item["current_period_end"] for item in items if item.get("current_period_end")]
        end = max(ends) if ends else None
    return datetime.fromtimestamp(end, UTC) if end else None


Handler = Callable[[AsyncSession, StripeEvent, stripe.StripeClient], Awaitable[str]]

_HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": _checkout_completed,
    "customer.subscription.created": _subscription_changed,
    "customer.subscription.updated": _subscription_changed,
    "customer.subscription.deleted": _subscription_changed,
    "invoice.paid": _invoice_paid,
    "invoice.payment_succeeded": _invoice_paid,
    "invoice.payment_failed": _invoice_payment_failed,
}
