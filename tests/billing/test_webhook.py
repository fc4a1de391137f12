"""POST /billing/webhook: verified, each event once, converging to Stripe's latest state."""

import json
import time

import pytest

from tests.billing.helpers import business_id, checkout, outbox, scalar, stripe_customer
from tests.billing.stripe_events import (
    WEBHOOK,
    deliver,
    event,
    invoice,
    signature,
    subscription,
)
from tests.helpers import bearer, register
from tests.scenarios import API


@pytest.fixture
async def customer(client, sessionmaker):
    """A Free business that opened a checkout, so Stripe knows it as a customer."""
    owner = bearer((await register(client))["access_token"])
    await checkout(client, owner)
    business = await business_id(client, owner)
    return {
        "auth": owner,
        "business_id": business,
        "id": await stripe_customer(sessionmaker, business),
    }


async def billing_state(sessionmaker) -> tuple:
    return (
        await scalar(sessionmaker, "SELECT count(*) FROM billing.subscriptions"),
        await scalar(sessionmaker, "SELECT count(*) FROM billing.invoices"),
        await scalar(sessionmaker, "SELECT count(*) FROM billing.stripe_events"),
        await scalar(sessionmaker, "SELECT string_agg(tier, ',') FROM billing.customers"),
        await scalar(sessionmaker, "SELECT count(*) FROM outbox.events"),
    )


def created_event(customer, status="active", created=None):
    return event(
        "customer.subscription.created", subscription("sub_1", customer["id"], status), created
    )


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(
            lambda payload: {"Stripe-Signature": signature(payload, "whsec_wrong")},
            id="wrong-secret",
        ),
        pytest.param(lambda payload: {}, id="missing"),
        pytest.param(lambda payload: {"Stripe-Signature": "garbage"}, id="garbled"),
        pytest.param(
            lambda payload: {
                "Stripe-Signature": signature(payload.replace(b"active", b"trialing"))
            },
            id="body-changed-after-signing",
        ),
        pytest.param(
            lambda payload: {
                "Stripe-Signature": signature(payload, timestamp=int(time.time()) - 301)
            },
            id="stale-timestamp",
        ),
    ],
)
async def test_a_badly_signed_event_answers_400_and_changes_nothing(
    client, sessionmaker, customer, tamper
):
    payload = json.dumps(created_event(customer)).encode()
    before = await billing_state(sessionmaker)

    response = await client.post(WEBHOOK, content=payload, headers=tamper(payload))

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert "Stripe-Signature" in response.json()["detail"]
    assert await billing_state(sessionmaker) == before


@pytest.mark.parametrize(
    "payload",
    [
        b"{not json",
        b"[]",
        b'{"id": "evt_1"}',
        b'{"id":"evt_1","type":"x","created":"soon","data":{}}',
    ],
)
async def test_a_signed_body_that_is_not_a_stripe_event_answers_400(
    client, sessionmaker, customer, payload
):
    before = await billing_state(sessionmaker)

    response = await client.post(
        WEBHOOK, content=payload, headers={"Stripe-Signature": signature(payload)}
    )

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert await billing_state(sessionmaker) == before


async def test_a_replayed_event_is_processed_once(client, sessionmaker, customer):
    evt = event("invoice.paid", invoice("in_1", customer["id"], amount=2900))

    answers = [await deliver(client, evt) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.json()["outcome"] for a in answers] == ["applied", "duplicate", "duplicate"]
    expected = {
        "business_id": customer["business_id"],
        "amount": 2900,
        "currency": "eur",
        "invoice_id": "in_1",
    }
    assert await outbox(sessionmaker, "invoice.generated") == [expected]
    assert await outbox(sessionmaker, "payment.success") == [expected]


async def test_a_failed_then_retried_invoice_is_announced_once_and_paid_once(
    client, sessionmaker, customer
):
    failed = event("invoice.payment_failed", invoice("in_2", customer["id"], paid=False))
    paid = event("invoice.paid", invoice("in_2", customer["id"]))

    assert (await deliver(client, failed)).status_code == 200
    assert await outbox(sessionmaker, "payment.success") == []
    assert (await deliver(client, paid)).status_code == 200
    assert (await deliver(client, event("invoice.paid", invoice("in_2", customer["id"])))).json()[
        "outcome"
    ] == "applied"

    assert len(await outbox(sessionmaker, "invoice.generated")) == 1
    assert len(await outbox(sessionmaker, "payment.success")) == 1
    assert await scalar(sessionmaker, "SELECT status FROM billing.invoices") == "paid"


async def test_concurrent_deliveries_of_one_event_apply_it_once(client, sessionmaker, customer):
    import asyncio

    evt = created_event(customer)

    answers = await asyncio.gather(*(deliver(client, evt) for _ in range(5)))

    assert sorted(a.json()["outcome"] for a in answers) == ["applied"] + ["duplicate"] * 4
    assert len(await outbox(sessionmaker, "subscription.upgraded")) == 1


async def test_out_of_order_subscription_events_converge_to_the_latest(
    client, sessionmaker, customer
):
    now = int(time.time())
    sub = lambda status: subscription("sub_1", customer["id"], status)  # noqa: E731
    created = event("customer.subscription.created", sub("active"), now - 30)
    past_due = event("customer.subscription.updated", sub("past_due"), now - 20)
    deleted = event("customer.subscription.deleted", sub("canceled"), now - 10)

    # Stripe delivered them deleted, created, updated.
    outcomes = [(await deliver(client, e)).json()["outcome"] for e in (deleted, created, past_due)]

    assert outcomes == ["applied", "stale", "stale"]
    assert await scalar(sessionmaker, "SELECT status FROM billing.subscriptions") == "canceled"
    assert await scalar(sessionmaker, "SELECT tier FROM billing.customers") == "free"
    assert await outbox(sessionmaker, "subscription.upgraded") == []


async def test_an_older_update_never_overwrites_a_newer_one(client, sessionmaker, customer):
    now = int(time.time())
    sub = lambda status: subscription("sub_1", customer["id"], status)  # noqa: E731
    newer = event("customer.subscription.updated", sub("unpaid"), now - 5)
    older = event("customer.subscription.updated", sub("active"), now - 50)

    await deliver(client, newer)
    await deliver(client, older)

    assert await scalar(sessionmaker, "SELECT status FROM billing.subscriptions") == "unpaid"
    assert await scalar(sessionmaker, "SELECT tier FROM billing.customers") == "free"


async def test_an_unknown_event_type_is_acknowledged_and_ignored(client, sessionmaker, customer):
    before = await billing_state(sessionmaker)

    response = await deliver(
        client, event("customer.created", {"id": customer["id"], "object": "customer"})
    )

    assert response.status_code == 200
    assert response.json()["outcome"] == "ignored"
    after = await billing_state(sessionmaker)
    assert after[:2] + after[3:] == before[:2] + before[3:]  # only the event id is kept


async def test_an_unknown_customer_is_acknowledged_logged_and_changes_nothing(
    client, sessionmaker, customer, caplog
):
    before = await billing_state(sessionmaker)
    evt = event("customer.subscription.created", subscription("sub_x", "cus_stranger"))

    response = await deliver(client, evt)

    assert response.status_code == 200
    assert response.json()["outcome"] == "unknown_customer"
    assert "unknown customer" in caplog.text
    after = await billing_state(sessionmaker)
    assert after[:2] + after[3:] == before[:2] + before[3:]
    profile = (await client.get(f"{API}/business/profile", headers=customer["auth"])).json()
    assert profile["subscription_tier"] == "free"
