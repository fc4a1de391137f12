import uuid
from datetime import datetime, timedelta

from apptremind.analytics.consumer import ANALYTICS
from apptremind.billing import usage
from apptremind.billing.usage_consumer import BILLING_USAGE
from apptremind.booking import lifecycle
from apptremind.booking import service as booking
from apptremind.consumers.runner import EventConsumer
from apptremind.db import unit_of_work
from tests.consumers.conftest import eventually, running
from tests.outbox.test_relay import make_relay
from tests.scenarios import API, BERLIN, a_day_ahead, at, book, setup_business

ALL_DAY = [{"day_of_week": d, "start_time": "00:00", "end_time": "24:00"} for d in range(7)]


async def test_bookings_and_a_cancellation_reach_the_summary_and_the_usage_through_kafka(
    client, sessionmaker, consumer_settings, fresh_group
):
    analytics = EventConsumer(
        ANALYTICS, sessionmaker, consumer_settings, group_id=await fresh_group(ANALYTICS)
    )
    billing = EventConsumer(
        BILLING_USAGE, sessionmaker, consumer_settings, group_id=await fresh_group(BILLING_USAGE)
    )
    biz = await setup_business(client, hours=ALL_DAY)
    day = a_day_ahead()
    # Midnight in Berlin is the previous day in UTC: the summary counts the business's date
    kept = await book(client, biz, at(day, 0))
    dropped = await book(client, biz, at(day, 11))
    assert kept.status_code == dropped.status_code == 201
    async with unit_of_work(sessionmaker) as session:
        await lifecycle.cancel(
            session, uuid.UUID(dropped.json()["appointment_id"]), "ill", cancelled_by="owner"
        )
    relay = make_relay(sessionmaker, consumer_settings, consumer_settings.kafka_bootstrap_servers)

    async with running(analytics), running(billing):
        while await relay.publish_pending():
            pass
        await eventually(lambda: _processed(analytics, 3))
        await eventually(lambda: _processed(billing, 3))
    await relay.publisher.close()

    response = await client.get(
        "/api/v1/analytics/summary",
        params={"from": day.isoformat(), "to": day.isoformat()},
        headers=biz["auth"],
    )
    assert response.status_code == 200
    [figures] = response.json()
    assert figures["date"] == day.isoformat()
    assert (figures["booked"], figures["cancelled"]) == (2, 1)
    business_id = await _business_of(client, biz)
    async with sessionmaker() as session:
        assert await usage.bookings_in_month(session, business_id, datetime.now(BERLIN).date()) == 1


async def _business_of(client, biz) -> uuid.UUID:
    profile = await client.get("/api/v1/business/profile", headers=biz["auth"])
    return uuid.UUID(profile.json()["id"])


async def _processed(consumer: EventConsumer, count: int) -> bool:
    return consumer.metrics.processed >= count


async def test_completed_and_no_show_appointments_reach_the_analytics_from_the_owner_api(
    api, sessionmaker, consumer_settings, fresh_group
):
    """HTTP → workflow update → activity → outbox event → Kafka → analytics summary."""
    analytics = EventConsumer(
        ANALYTICS, sessionmaker, consumer_settings, group_id=await fresh_group(ANALYTICS)
    )
    biz = await setup_business(api, hours=ALL_DAY)
    # Two appointments that have already started: booked as of three hours ago.
    three_hours_ago = datetime.now(BERLIN).replace(minute=0, second=0, microsecond=0) - timedelta(
        hours=3
    )
    starts = [three_hours_ago + timedelta(hours=1), three_hours_ago + timedelta(hours=2)]
    ids = []
    async with unit_of_work(sessionmaker) as session:
        for start in starts:
            booked = await booking.book(
                session,
                uuid.UUID(biz["staff_id"]),
                uuid.UUID(biz["service_id"]),
                start,
                booking.Customer(name="Ada", email="ada@example.com", phone=None),
                now=three_hours_ago,
            )
            ids.append(booked.id)

    completed = await api.post(f"{API}/appointments/{ids[0]}/complete", headers=biz["auth"])
    no_show = await api.post(f"{API}/appointments/{ids[1]}/no-show", headers=biz["auth"])

    assert completed.status_code == 200, completed.text
    assert completed.json()["status"] == "completed"
    assert no_show.status_code == 200, no_show.text
    assert no_show.json()["status"] == "no_show"
    relay = make_relay(sessionmaker, consumer_settings, consumer_settings.kafka_bootstrap_servers)
    async with running(analytics):
        while await relay.publish_pending():
            pass
        await eventually(lambda: _processed(analytics, 4))  # two bookings, two outcomes
    await relay.publisher.close()

    days = sorted({start.date() for start in starts})
    response = await api.get(
        f"{API}/analytics/summary",
        params={"from": days[0].isoformat(), "to": days[-1].isoformat()},
        headers=biz["auth"],
    )
    assert response.status_code == 200
    totals = {
        key: sum(day[key] for day in response.json()) for key in ("booked", "completed", "no_show")
    }
    assert totals == {"booked": 2, "completed": 1, "no_show": 1}
