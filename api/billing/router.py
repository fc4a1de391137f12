from typing import Annotated

import stripe
from fastapi import APIRouter, Depends, Header, Request

from api.billing.schemas import CheckoutResponse, SubscriptionResponse, WebhookAck
from api.deps import OwnerDep, PrincipalDep, SessionDep, SettingsDep
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


@router.get("/subscription", response_model=SubscriptionResponse)
async def get_subscription(principal: PrincipalDep, session: SessionDep) -> SubscriptionResponse:
    view = await service.subscription_view(session, principal.business_id)
    return SubscriptionResponse(
        tier=view.tier, status=view.status, current_period_end=view.current_period_end
    )


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
        await request.body(), stripe_signature, settings.stripe_webhook_secret
    )
    return WebhookAck(outcome=await webhooks.handle_event(session, event, stripe_client))
