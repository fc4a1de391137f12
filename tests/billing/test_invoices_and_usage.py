"""GET /billing/invoices from Stripe's invoice events, and the plan bar of
GET /billing/subscription."""

import time
from datetime import UTC, datetime

from sqlalchemy import text

from apptremind.devstack.local_stripe import complete_checkout
from tests.billing.helpers import business_id, checkout, outbox, pay_for_pro, stripe_customer
from tests.billing.stripe_events import deliver, event, invoice
from tests.helpers import bearer, register
from tests.scenarios import API, a_day_ahead, at, book, go_pro, setup_business

INVOICES = f"{API}/billing/invoices"
DAY = 24 * 3600


async def test_a_paid_checkout_lists_its_invoice_once(client, sessionmaker, local_stripe):
    owner = bearer((await register(client))["access_token"])
    started = await checkout(client, owner)
    events = complete_checkout(
        local_stripe.state, local_stripe.state.sessions[started["session_id"]]
    )
    # Like Stripe, the stand-in announces the paid invoice twice.
    assert [e["type"] for e in events][-2:] == ["invoice.paid", "invoice.payment_succeeded"]
    for evt in events:
        assert (await deliver(client, evt)).status_code == 200
    redelivered = await deliver(client, events[-2])

    response = await client.get(INVOICES, headers=owner)

    assert redelivered.json()["outcome"] == "duplicate"
    assert response.status_code == 200
    stripe_invoice = events[-1]["data"]["object"]
    [listed] = response.json()
    assert listed == {
        "id": stripe_invoice["id"],
        "number": stripe_invoice["number"],
        "amount": 2900,
        "currency": "usd",
        "status": "paid",
        "paid_at": listed["paid_at"],
        "hosted_invoice_url": f"{local_stripe.url}/invoices/{stripe_invoice['id']}",
    }
    paid_at = datetime.fromisoformat(listed["paid_at"])
    assert paid_at == datetime.fromtimestamp(stripe_invoice["status_transitions"]["paid_at"], UTC)
    assert len(await outbox(sessionmaker, "payment.success")) == 1
    assert len(await outbox(sessionmaker, "invoice.generated")) == 1


async def test_invoices_are_the_businesss_own_newest_first(
    client, sessionmaker, relay, local_stripe
):
    owner = bearer((await register(client))["access_token"])
    other = bearer((await register(client))["access_token"])
    mine = (await pay_for_pro(client, sessionmaker, relay, local_stripe, owner))["customer"]
    theirs = (await pay_for_pro(client, sessionmaker, relay, local_stripe, other))["customer"]
    now = int(time.time())
    for evt in (
        event(
            "invoice.paid",
            invoice(
                "in_march",
                mine,
                amount=2900,
                number="A-0001",
                created=now - 60 * DAY,
                status_transitions={"paid_at": now - 60 * DAY + 5},
                hosted_invoice_url="https://invoice.stripe.com/i/march",
            ),
        ),
        event(
            "invoice.payment_failed",
            invoice("in_may", mine, amount=2900, paid=False, number="A-0003", created=now),
        ),
        event(
            "invoice.payment_succeeded",
            invoice("in_april", mine, amount=3100, number="A-0002", created=now - 30 * DAY),
        ),
        event("invoice.paid", invoice("in_theirs", theirs, number="B-0001", created=now)),
    ):
        assert (await deliver(client, evt)).status_code == 200

    listed = (await client.get(INVOICES, headers=owner)).json()

    assert [(i["id"], i["number"], i["status"]) for i in listed] == [
        ("in_may", "A-0003", "payment_failed"),
        ("in_april", "A-0002", "paid"),
        ("in_march", "A-0001", "paid"),
    ]
    assert [i["amount"] for i in listed] == [2900, 3100, 2900]
    assert listed[0]["paid_at"] is None
    assert datetime.fromisoformat(listed[2]["paid_at"]).timestamp() == now - 60 * DAY + 5
    assert listed[2]["hosted_invoice_url"] == "https://invoice.stripe.com/i/march"
    assert listed[1]["hosted_invoice_url"] is None
    assert [i["id"] for i in (await client.get(INVOICES, headers=other)).json()] == ["in_theirs"]


async def test_a_free_business_without_stripe_has_no_invoices(client):
    owner = bearer((await register(client))["access_token"])

    response = await client.get(INVOICES, headers=owner)

    assert response.status_code == 200
    assert response.json() == []


async def test_the_plan_bar_counts_this_months_bookings_as_the_limit_does(
    client, sessionmaker, local_stripe
):
    biz = await setup_business(client)
    day = a_day_ahead()
    for hour in (9, 10, 11):
        assert (await book(client, biz, at(day, hour))).status_code == 201
    async with sessionmaker() as session, session.begin():
        await session.execute(
            text(
                "UPDATE booking.appointments SET status = 'cancelled' "
                "WHERE start_time = (SELECT max(start_time) FROM booking.appointments)"
            )
        )
        # Booked last month: not this month's.
        await session.execute(
            text(
                "UPDATE booking.appointments SET created_at = created_at - interval '40 days' "
                "WHERE start_time = (SELECT min(start_time) FROM booking.appointments)"
            )
        )

    free = (await client.get(f"{API}/billing/subscription", headers=biz["auth"])).json()

    assert free["tier"] == "free"
    assert free["bookings_this_month"] == 1
    assert free["monthly_booking_limit"] == 100
    assert free["has_billing_account"] is False

    await checkout(client, biz["auth"])
    await go_pro(client, sessionmaker, biz)
    pro = (await client.get(f"{API}/billing/subscription", headers=biz["auth"])).json()

    assert pro["tier"] == "pro"
    assert pro["bookings_this_month"] == 1
    assert pro["monthly_booking_limit"] is None
    assert pro["has_billing_account"] is True
    business = await business_id(client, biz["auth"])
    assert await stripe_customer(sessionmaker, business)


async def test_the_plan_bar_reaches_the_limit_when_bookings_are_refused(client, sessionmaker):
    biz = await setup_business(client)
    day = a_day_ahead()
    assert (await book(client, biz, at(day, 9))).status_code == 201
    async with sessionmaker() as session, session.begin():
        # 99 more bookings made this month, copied from the first one.
        await session.execute(
            text(
                "INSERT INTO booking.appointments (id, business_id, staff_id, service_id, "
                "service_name, duration_minutes, price, customer_name, customer_email, "
                "start_time, end_time, block_start, block_end, status) "
                "SELECT gen_random_uuid(), business_id, staff_id, service_id, service_name, "
                "duration_minutes, price, customer_name, customer_email, "
                "start_time + n * interval '1 day', end_time + n * interval '1 day', "
                "block_start + n * interval '1 day', block_end + n * interval '1 day', status "
                "FROM booking.appointments, generate_series(1, 99) AS n"
            )
        )

    shown = (await client.get(f"{API}/billing/subscription", headers=biz["auth"])).json()
    refused = await book(client, biz, at(day, 11))

    assert (shown["bookings_this_month"], shown["monthly_booking_limit"]) == (100, 100)
    assert refused.status_code == 402
    assert refused.json()["limit"] == "monthly_bookings"
