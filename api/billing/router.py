from typing import Annotated

import stripe
from fastapi import APIRouter, Depends, Header, Request

from api.billing.schemas import (
    CheckoutResponse,
    InvoiceResponse,
    PortalResponse,
    SubscriptionResponse,
    WebhookAck,
)
from api.deps import ManagerDep, OwnerDep, SessionDep, SettingsDep
from apptremind.billing import service, webhooks

router = APIRouter(prefix="/billing", tags=["billing"])


def get_stripe(request: Request) -> stripe.StripeClient:
    client: stripe.StripeClient = request.app.state.stripe
    return client


StripeDep = Annotated[stripe.StripeClient, Depends(get_stripe)]


@router.post("/checkout", response_model=CheckoutResponse)
async def start_checkout(
    principal: OwnerDep, session: SessionDep, settings: SettingsDep, stripe_client: StripeDep
) -> CheckoutResponse:
    """Opens a Stripe Checkout for the Pro plan (owner only; 409 when already Pro)."""
    started = await service.start_checkout(session, stripe_client, settings, principal.business_id)
    return CheckoutResponse(checkout_url=started.checkout_url, session_id=started.session_id)


@router.post("/portal", response_model=PortalResponse)
async def open_portal(
    principal: OwnerDep, session: SessionDep, settings: SettingsDep, stripe_client: StripeDep
) -> PortalResponse:
    """Opens Stripe's customer portal for the business (owner only; 409 before any checkout)."""
    customer = await service.portal_customer(session, settings, principal.business_id)
    await session.commit()  # no transaction stays open while Stripe answers
    url = await service.create_portal_session(stripe_client, settings, customer)
    return PortalResponse(portal_url=url)


@router.get("/subscription", response_model=SubscriptionResponse)
async def get_subscription(principal: ManagerDep, session: SessionDep) -> SubscriptionResponse:
    """The plan, its Stripe subscription and this month's bookings (owner or admin)."""
    view = await service.subscription_view(session, principal.business_id)
    return SubscriptionResponse(
        tier=view.tier,
        status=view.status,
        current_period_end=view.current_period_end,
        cancel_at_period_end=view.cancel_at_period_end,
        bookings_this_month=view.bookings_this_month,
        monthly_booking_limit=view.monthly_booking_limit,
        has_billing_account=view.has_billing_account,
    )


@router.get("/invoices", response_model=list[InvoiceResponse])
async def list_invoices(principal: ManagerDep, session: SessionDep) -> list[InvoiceResponse]:
    """The business's Stripe invoices, newest first (owner or admin)."""
    invoices = await service.list_invoices(session, principal.business_id)
    return [InvoiceResponse.of(invoice) for invoice in invoices]


@router.post("/webhook", response_model=WebhookAck)
async def stripe_webhook(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    stripe_client: StripeDep,
    stripe_signature: Annotated[str | None, Header()] = None,
) -> WebhookAck:
    """Stripe's event deliveries: 400 unless signed with STRIPE_WEBHOOK_SECRET."""
    event = webhooks.verified_event(
        await request.body(), stripe_signature, settings.stripe_webhook_secret.get_secret_value()
    )
    return WebhookAck(outcome=await webhooks.handle_event(session, event, stripe_client))
