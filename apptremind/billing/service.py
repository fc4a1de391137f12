"""Billing: Stripe Checkout for Pro, the subscription's state, and the tier it grants."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import stripe
from sqlalchemy.ext.asyncio import AsyncSession

from apptremind import events
from apptremind.billing.exceptions import (
    AlreadyPro,
    BillingNotConfigured,
    NoBillingAccount,
    PaymentProviderError,
)
from apptremind.billing.models import PRO_STATUSES, BillingCustomer, Invoice
from apptremind.billing.plans import FREE_TIER, PRO_TIER, plan_for
from apptremind.billing.repository import BillingRepository
from apptremind.booking import quota
from apptremind.business import service as business_service
from apptremind.outbox.service import emit
from apptremind.settings import Settings


@dataclass(frozen=True)
class CheckoutStarted:
    checkout_url: str
    session_id: str


@dataclass(frozen=True)
class SubscriptionView:
    tier: str
    status: str | None
    current_period_end: datetime | None
    cancel_at_period_end: bool  # the subscription ends, not renews, at current_period_end
    bookings_this_month: int  # the figure the plan's monthly limit is checked against
    monthly_booking_limit: int | None  # None: unlimited
    has_billing_account: bool  # a Stripe customer exists: the portal can be opened


async def start_checkout(
    session: AsyncSession,
    stripe_client: stripe.StripeClient,
    settings: Settings,
    business_id: uuid.UUID,
) -> CheckoutStarted:
    """A Stripe Checkout Session for the Pro price, for this business's (reused) customer."""
    if not (settings.stripe_secret_key and settings.stripe_pro_price_id):
        raise BillingNotConfigured("Set STRIPE_SECRET_KEY and STRIPE_PRO_PRICE_ID to sell Pro")
    repo = BillingRepository(session)
    await repo.lock_business_billing(business_id)
    business = await business_service.get_business(session, business_id)
    customer = await repo.customer_of_business(business_id)
    if business.subscription_tier == PRO_TIER or (customer and customer.tier == PRO_TIER):
        raise AlreadyPro("This business is already on the Pro plan")
    try:
        if customer is None:
            created = await stripe_client.v1.customers.create_async(
                params={"name": business.name, "metadata": {"business_id": str(business_id)}},
                # A retry after a failed transaction gets the same Stripe customer back.
                options={"idempotency_key": f"apptremind-customer-{business_id}"},
            )
            customer = BillingCustomer(
                business_id=business_id,
                stripe_customer_id=created.id,
                tier=FREE_TIER,
                tier_revision=0,
            )
            await repo.add(customer)
        return_url = settings.billing_page_url
        separator = "&" if "?" in return_url else "?"
        checkout = await stripe_client.v1.checkout.sessions.create_async(
            params={
                "mode": "subscription",
                "customer": customer.stripe_customer_id,
                "line_items": [{"price": settings.stripe_pro_price_id, "quantity": 1}],
                "client_reference_id": str(business_id),
                "metadata": {"business_id": str(business_id)},
                "subscription_data": {"metadata": {"business_id": str(business_id)}},
                "success_url": f"{return_url}{separator}checkout=success",
                "cancel_url": f"{return_url}{separator}checkout=cancelled",
            }
        )
    except stripe.StripeError as exc:
        raise PaymentProviderError(
            f"Stripe refused the checkout: {exc.user_message or type(exc).__name__}"
        ) from exc
    if not checkout.url:
        raise PaymentProviderError("Stripe answered without a checkout URL")
    return CheckoutStarted(checkout_url=checkout.url, session_id=checkout.id)


async def subscription_view(
    session: AsyncSession, business_id: uuid.UUID, now: datetime | None = None
) -> SubscriptionView:
    """The tier in force (the business's own), the Stripe subscription that grants it, and
    this month's bookings against the plan's limit (counted as the limit counts them)."""
    business = await business_service.get_business(session, business_id)
    repo = BillingRepository(session)
    subscriptions = await repo.subscriptions(business_id)
    current = next((s for s in subscriptions if s.status in PRO_STATUSES), None)
    current = current or (subscriptions[0] if subscriptions else None)
    used = await quota.bookings_this_month(
        session, business_id, business.zone, now or datetime.now(UTC)
    )
    return SubscriptionView(
        tier=business.subscription_tier,
        status=current.status if current else None,
        current_period_end=current.current_period_end if current else None,
        cancel_at_period_end=bool(current and current.cancel_at_period_end),
        bookings_this_month=used,
        monthly_booking_limit=plan_for(business.subscription_tier).monthly_bookings,
        has_billing_account=await repo.customer_of_business(business_id) is not None,
    )


async def portal_customer(session: AsyncSession, settings: Settings, business_id: uuid.UUID) -> str:
    """The Stripe customer whose portal the business's owner may open; 409 before any
    checkout created one."""
    if not settings.stripe_secret_key:
        raise BillingNotConfigured("Set STRIPE_SECRET_KEY to open the billing portal")
    customer = await BillingRepository(session).customer_of_business(business_id)
    if customer is None:
        raise NoBillingAccount(
            "This business has no billing account yet: upgrade to Pro first "
            "(POST /api/v1/billing/checkout)"
        )
    return customer.stripe_customer_id


async def create_portal_session(
    stripe_client: stripe.StripeClient, settings: Settings, stripe_customer_id: str
) -> str:
    """A Stripe customer portal session (invoices, card, cancellation) that returns to the
    owner app's billing page; its URL. Call it with no transaction open."""
    try:
        portal = await stripe_client.v1.billing_portal.sessions.create_async(
            params={"customer": stripe_customer_id, "return_url": settings.billing_page_url}
        )
    except stripe.StripeError as exc:
        raise PaymentProviderError(
            f"Stripe refused the portal session: {exc.user_message or type(exc).__name__}"
        ) from exc
    if not portal.url:
        raise PaymentProviderError("Stripe answered without a portal URL")
    return portal.url


async def list_invoices(session: AsyncSession, business_id: uuid.UUID) -> list[Invoice]:
    return await BillingRepository(session).invoices_of(business_id)


async def sync_tier(session: AsyncSession, customer: BillingCustomer) -> None:
    """Announces a tier change when the business's subscriptions now grant another tier.

    The business module applies it from the event; billing never writes business tables.
    """
    subscriptions = await BillingRepository(session).subscriptions(customer.business_id)
    tier = PRO_TIER if any(s.status in PRO_STATUSES for s in subscriptions) else FREE_TIER
    if tier == customer.tier:
        return
    customer.tier = tier
    customer.tier_revision += 1
    await session.flush()
    await emit(
        session,
        events.SubscriptionUpgraded(
            business_id=customer.business_id, tier=tier, revision=customer.tier_revision
        ),
    )
