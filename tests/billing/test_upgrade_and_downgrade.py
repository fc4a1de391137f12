"""From Free to Pro through Stripe and back, the tier reaching the business by its event."""

import time
from datetime import UTC, datetime

from sqlalchemy import text

from tests.billing.helpers import (
    business_id,
    checkout,
    deliver_outbox,
    outbox,
    pay_for_pro,
    stripe_customer,
)
from tests.billing.stripe_events import checkout_completed, deliver, event, subscription
from tests.scenarios import API, a_day_ahead, at, book, setup_business

SECOND_STAFF = {"name": "Tom", "working_hours": []}
SMS = {"reminder_channels": ["email", "sms"]}


async def profile(client, auth) -> dict:
    return (await client.get(f"{API}/business/profile", headers=auth)).json()


async def test_a_free_business_upgrades_through_checkout_and_the_webhook(
    client, sessionmaker, relay, local_stripe
):
    biz = await setup_business(client)
    auth = biz["auth"]
    refused = await client.post(f"{API}/business/staff", headers=auth, json=SECOND_STAFF)
    assert refused.status_code == 402
    started = await checkout(client, auth)
    business = await business_id(client, auth)
    customer = await stripe_customer(sessionmaker, business)
    sub = subscription("sub_upgrade", customer)
    local_stripe.state.subscriptions[sub["id"]] = sub

    for evt in (
        event(
            "checkout.session.completed",
            checkout_completed(started["session_id"], customer, sub["id"], business),
        ),
        event("customer.subscription.created", sub),
    ):
        assert (await deliver(client, evt)).status_code == 200
    # Billing wrote no business row: the tier changes when the relay delivers the event.
    assert (await profile(client, auth))["subscription_tier"] == "free"
    assert await relay.dispatch_pending() == 1

    assert (await profile(client, auth))["subscription_tier"] == "pro"
    assert (
        await client.patch(f"{API}/business/profile", headers=auth, json=SMS)
    ).status_code == 200
    assert (
        await client.post(f"{API}/business/staff", headers=auth, json=SECOND_STAFF)
    ).status_code == 201
    shown = (await client.get(f"{API}/billing/subscription", headers=auth)).json()
    period_end = sub["items"]["data"][0]["current_period_end"]
    assert shown["tier"] == "pro"
    assert shown["status"] == "active"
    assert datetime.fromisoformat(shown["current_period_end"]) == datetime.fromtimestamp(
        period_end, UTC
    )
    assert await outbox(sessionmaker, "subscription.upgraded") == [
        {"business_id": business, "tier": "pro", "revision": 1}
    ]


async def test_a_redelivered_tier_event_is_applied_once(client, sessionmaker, relay, local_stripe):
    biz = await setup_business(client)
    paid = await pay_for_pro(client, sessionmaker, relay, local_stripe, biz["auth"])
    deleted = event(
        "customer.subscription.deleted",
        subscription(paid["subscription"]["id"], paid["customer"], "canceled"),
    )
    await deliver(client, deleted)
    await relay.dispatch_pending()
    assert (await profile(client, biz["auth"]))["subscription_tier"] == "free"

    # The relay crashed before recording its work: every tier event comes again, in order.
    async with sessionmaker() as session:
        await session.execute(text("UPDATE outbox.events SET dispatched_at = NULL"))
        await session.commit()
    assert await relay.dispatch_pending() == 2

    assert (await profile(client, biz["auth"]))["subscription_tier"] == "free"


async def test_downgrade_keeps_staff_and_sends_new_bookings_email_reminders_only(
    client, sessionmaker, relay, local_stripe
):
    biz = await setup_business(client)
    auth = biz["auth"]
    paid = await pay_for_pro(client, sessionmaker, relay, local_stripe, auth)
    await client.post(f"{API}/business/staff", headers=auth, json=SECOND_STAFF)
    await client.patch(f"{API}/business/profile", headers=auth, json=SMS)
    day = a_day_ahead()
    before = await book(
        client, biz, at(day, 9), name="Ada", email="ada@example.com", phone="+49 170 1234567"
    )
    assert sorted(r["type"] for r in before.json()["reminders"]) == ["email", "email", "sms", "sms"]

    cancelled = subscription(paid["subscription"]["id"], paid["customer"], "canceled")
    assert (
        await deliver(client, event("customer.subscription.deleted", cancelled))
    ).status_code == 200
    await deliver_outbox(relay)

    me = await profile(client, auth)
    assert me["subscription_tier"] == "free"
    assert me["reminder_channels"] == ["email", "sms"]  # settings kept, not honoured
    resaved = await client.patch(
        f"{API}/business/profile", headers=auth, json={"name": "Renamed", **SMS}
    )
    assert resaved.status_code == 200, resaved.text  # keeping a setting is not enabling it
    staff = (await client.get(f"{API}/business/staff", headers=auth)).json()
    assert sorted((s["name"], s["is_active"]) for s in staff) == [("Mia", True), ("Tom", True)]
    after = await book(
        client, biz, at(day, 11), name="Bo", email="bo@example.com", phone="+49 170 7654321"
    )
    assert after.status_code == 201
    assert [r["type"] for r in after.json()["reminders"]] == ["email", "email"]
    kept = await client.get(f"{API}/appointments/{before.json()['appointment_id']}", headers=auth)
    assert sorted(r["type"] for r in kept.json()["reminders"]) == ["email", "email", "sms", "sms"]
    assert (
        await client.post(f"{API}/business/staff", headers=auth, json={"name": "Zoe"})
    ).status_code == 402
    shown = (await client.get(f"{API}/billing/subscription", headers=auth)).json()
    assert (shown["tier"], shown["status"]) == ("free", "canceled")
    assert [e["tier"] for e in await outbox(sessionmaker, "subscription.upgraded")] == [
        "pro",
        "free",
    ]


async def test_an_unpaid_subscription_downgrades_and_paying_again_restores_pro(
    client, sessionmaker, relay, local_stripe
):
    biz = await setup_business(client)
    paid = await pay_for_pro(client, sessionmaker, relay, local_stripe, biz["auth"])
    sub_id, customer = paid["subscription"]["id"], paid["customer"]

    await deliver(
        client, event("customer.subscription.updated", subscription(sub_id, customer, "unpaid"))
    )
    await relay.dispatch_pending()
    assert (await profile(client, biz["auth"]))["subscription_tier"] == "free"
    await deliver(
        client, event("customer.subscription.updated", subscription(sub_id, customer, "active"))
    )
    await relay.dispatch_pending()

    assert (await profile(client, biz["auth"]))["subscription_tier"] == "pro"
    tiers = [
        (e["tier"], e["revision"]) for e in await outbox(sessionmaker, "subscription.upgraded")
    ]
    assert tiers == [("pro", 1), ("free", 2), ("pro", 3)]


async def test_a_plan_cancelled_at_period_end_says_it_ends_and_stays_pro_until_then(
    client, sessionmaker, relay, local_stripe
):
    biz = await setup_business(client)
    paid = await pay_for_pro(client, sessionmaker, relay, local_stripe, biz["auth"])
    renewing = (await client.get(f"{API}/billing/subscription", headers=biz["auth"])).json()
    ending = {**paid["subscription"], "cancel_at_period_end": True}

    await deliver(client, event("customer.subscription.updated", ending))
    await relay.dispatch_pending()

    shown = (await client.get(f"{API}/billing/subscription", headers=biz["auth"])).json()
    assert renewing["cancel_at_period_end"] is False
    assert shown["cancel_at_period_end"] is True
    assert shown["tier"] == "pro"
    assert shown["current_period_end"] == renewing["current_period_end"]


async def test_a_completed_checkout_alone_makes_the_business_pro_from_stripes_state(
    client, sessionmaker, relay, local_stripe
):
    biz = await setup_business(client)
    started = await checkout(client, biz["auth"])
    business = await business_id(client, biz["auth"])
    customer = await stripe_customer(sessionmaker, business)
    sub = subscription("sub_first", customer)
    local_stripe.state.subscriptions[sub["id"]] = sub
    now = int(time.time())
    completed = event(
        "checkout.session.completed",
        checkout_completed(started["session_id"], customer, sub["id"], business),
        now,
    )
    # Stripe created the subscription (still incomplete) just before the checkout completed,
    # but delivers that event last.
    late = event("customer.subscription.created", {**sub, "status": "incomplete"}, now - 2)

    assert (await deliver(client, completed)).json()["outcome"] == "applied"
    assert (await deliver(client, late)).json()["outcome"] == "stale"
    await deliver_outbox(relay)

    shown = (await client.get(f"{API}/billing/subscription", headers=biz["auth"])).json()
    assert (shown["tier"], shown["status"]) == ("pro", "active")
    assert shown["current_period_end"] is not None


async def test_a_checkout_whose_subscription_stripe_cannot_show_answers_502_and_is_retried(
    client, sessionmaker, local_stripe
):
    biz = await setup_business(client)
    started = await checkout(client, biz["auth"])
    business = await business_id(client, biz["auth"])
    customer = await stripe_customer(sessionmaker, business)
    completed = event(
        "checkout.session.completed",
        checkout_completed(started["session_id"], customer, "sub_later", business),
    )

    refused = await deliver(client, completed)
    local_stripe.state.subscriptions["sub_later"] = subscription("sub_later", customer)
    retried = await deliver(client, completed)

    assert refused.status_code == 502
    assert retried.json()["outcome"] == "applied"
    assert await outbox(sessionmaker, "subscription.upgraded") == [
        {"business_id": business, "tier": "pro", "revision": 1}
    ]
