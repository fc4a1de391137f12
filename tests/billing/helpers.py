"""Reading what billing wrote, and a business that went through checkout."""

import contextlib

from sqlalchemy import text

from apptremind.outbox.relay import RelayError
from tests.scenarios import API


async def outbox(sessionmaker, event_type: str) -> list[dict]:
    async with sessionmaker() as session:
        rows = await session.execute(
            text("SELECT envelope FROM outbox.events WHERE event_type = :t ORDER BY id"),
            {"t": event_type},
        )
        return [row.envelope["data"] for row in rows]


async def scalar(sessionmaker, sql: str, **params):
    async with sessionmaker() as session:
        return await session.scalar(text(sql), params)


async def checkout(client, auth) -> dict:
    response = await client.post(f"{API}/billing/checkout", headers=auth)
    assert response.status_code == 200, response.text
    return response.json()


async def business_id(client, auth) -> str:
    return (await client.get(f"{API}/business/profile", headers=auth)).json()["id"]


async def stripe_customer(sessionmaker, business: str) -> str:
    return await scalar(
        sessionmaker,
        "SELECT stripe_customer_id FROM billing.customers WHERE business_id = :b",
        b=business,
    )


async def pay_for_pro(
    client, sessionmaker, relay, local_stripe, auth, created: int | None = None
) -> dict:
    """Checkout, then Stripe's signed checkout.session.completed and
    customer.subscription.created, then the relay delivers the tier to the business."""
    from tests.billing.stripe_events import checkout_completed, deliver, event, subscription

    started = await checkout(client, auth)
    business = await business_id(client, auth)
    customer = await stripe_customer(sessionmaker, business)
    sub = subscription(f"sub_{business[:8]}", customer)
    local_stripe.state.subscriptions[sub["id"]] = sub
    for evt in (
        event(
            "checkout.session.completed",
            checkout_completed(started["session_id"], customer, sub["id"], business),
            created,
        ),
        event("customer.subscription.created", sub, created),
    ):
        response = await deliver(client, evt)
        assert response.status_code == 200, response.text
    await deliver_outbox(relay)
    return {"business_id": business, "customer": customer, "subscription": sub}


async def deliver_outbox(relay) -> None:
    """One relay pass; bookings' workflow starts fail without Temporal and wait."""
    with contextlib.suppress(RelayError):
        await relay.dispatch_pending()
