"""Cancel, reschedule, complete and no-show through the API: Temporal updates on the dev server."""

import asyncio
import uuid
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select

from api.app import create_app
from apptremind.outbox.models import OutboxEvent
from apptremind.outbox.relay import KafkaPublisher, OutboxRelay
from tests.scenarios import API, BERLIN, a_day_ahead, at, book, setup_business, slots


async def booked(api, hour=10):
    biz = await setup_business(api)
    response = await book(api, biz, at(a_day_ahead(), hour))
    assert response.status_code == 201, response.text
    return biz, response.json()["appointment_id"]


async def cancelled_events(sessionmaker) -> list[dict]:
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(OutboxEvent).where(OutboxEvent.event_type == "appointment.cancelled")
        )
        return [row.envelope["data"] for row in rows]


async def test_the_owner_cancels_and_a_second_cancel_answers_409(api, sessionmaker):
    biz, appointment_id = await booked(api)
    me = (await api.get(f"{API}/auth/me", headers=biz["auth"])).json()

    first = await api.delete(
        f"{API}/appointments/{appointment_id}", headers=biz["auth"], params={"reason": "ill"}
    )
    second = await api.delete(f"{API}/appointments/{appointment_id}", headers=biz["auth"])

    assert first.status_code == 200, first.text
    assert first.json()["status"] == "cancelled"
    assert [r["status"] for r in first.json()["reminders"]] == ["cancelled", "cancelled"]
    assert second.status_code == 409
    assert second.headers["content-type"] == "application/problem+json"
    [event] = await cancelled_events(sessionmaker)
    assert event["reason"] == "ill"
    assert event["cancelled_by"] == f"owner:{me['id']}"
    slots = await api.get(
        f"{API}/public/slots",
        params={
            "staff_id": biz["staff_id"],
            "service_id": biz["service_id"],
            "date": a_day_ahead(),
        },
    )
    assert at(a_day_ahead(), 10) in [s["start"] for s in slots.json()["slots"]]


async def test_reschedule_moves_the_appointment_and_its_reminders(api):
    biz, appointment_id = await booked(api)
    new_time = at(a_day_ahead() + timedelta(days=1), 15)

    response = await api.post(
        f"{API}/appointments/{appointment_id}/reschedule",
        headers=biz["auth"],
        json={"time": new_time},
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["start_time"] == new_time
    pending = [r for r in body["reminders"] if r["status"] == "pending"]
    start = datetime.fromisoformat(new_time)
    assert [datetime.fromisoformat(r["remind_at"]) for r in pending] == [
        start - timedelta(days=1),
        start - timedelta(hours=1),
    ]
    assert [r["status"] for r in body["reminders"] if r not in pending] == [
        "cancelled",
        "cancelled",
    ]


async def test_bad_reschedules_answer_4xx_and_change_nothing(api):
    biz, appointment_id = await booked(api)
    await book(api, biz, at(a_day_ahead(), 12), name="Bo", email="bo@example.com")
    url = f"{API}/appointments/{appointment_id}/reschedule"
    past = (datetime.fromisoformat(at(a_day_ahead(), 10)) - timedelta(days=30)).isoformat()

    taken = await api.post(url, headers=biz["auth"], json={"time": at(a_day_ahead(), 12)})
    in_the_past = await api.post(url, headers=biz["auth"], json={"time": past})
    misaligned = await api.post(url, headers=biz["auth"], json={"time": at(a_day_ahead(), 10, 20)})
    no_offset = await api.post(url, headers=biz["auth"], json={"time": "2030-01-01T10:00:00"})
    unknown = await api.post(
        f"{API}/appointments/{uuid.uuid4()}/reschedule",
        headers=biz["auth"],
        json={"time": at(a_day_ahead(), 14)},
    )

    assert taken.status_code == 409
    assert in_the_past.status_code == 422
    assert misaligned.status_code == 422
    assert no_offset.status_code == 422
    assert unknown.status_code == 404
    current = (await api.get(f"{API}/appointments/{appointment_id}", headers=biz["auth"])).json()
    assert current["start_time"] == at(a_day_ahead(), 10)
    assert current["status"] == "booked"


async def test_complete_or_no_show_before_the_start_answers_409(api):
    biz, appointment_id = await booked(api)

    complete = await api.post(f"{API}/appointments/{appointment_id}/complete", headers=biz["auth"])
    no_show = await api.post(f"{API}/appointments/{appointment_id}/no-show", headers=biz["auth"])

    assert complete.status_code == 409
    assert no_show.status_code == 409
    current = (await api.get(f"{API}/appointments/{appointment_id}", headers=biz["auth"])).json()
    assert current["status"] == "booked"


async def test_another_business_cannot_change_the_appointment(api):
    biz, appointment_id = await booked(api)
    other = await setup_business(api)
    owner = biz["auth"]
    url = f"{API}/appointments/{appointment_id}"
    before = (await api.get(url, headers=owner)).json()

    cancelled = await api.delete(url, headers=other["auth"])
    moved = await api.post(
        f"{url}/reschedule", headers=other["auth"], json={"time": at(a_day_ahead(), 14)}
    )
    completed = await api.post(f"{url}/complete", headers=other["auth"])

    assert [r.status_code for r in (cancelled, moved, completed)] == [404, 404, 404]
    assert cancelled.headers["content-type"] == "application/problem+json"
    assert before["status"] == "booked"
    assert (await api.get(url, headers=owner)).json() == before


async def test_changes_answer_503_when_the_scheduler_is_down(client):
    # The plain test client's settings point Temporal at a port where nothing listens.
    biz = await setup_business(client)
    appointment = (await book(client, biz, at(a_day_ahead(), 10))).json()

    response = await client.delete(
        f"{API}/appointments/{appointment['appointment_id']}", headers=biz["auth"]
    )

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    current = (
        await client.get(f"{API}/appointments/{appointment['appointment_id']}", headers=biz["auth"])
    ).json()
    assert current["status"] == "booked"


async def test_a_real_reminder_reaches_the_mail_server_at_its_time(
    api, wired, sessionmaker, temporal_client, mail_server
):
    round_the_clock = [
        {"day_of_week": d, "start_time": "00:00", "end_time": "24:00"} for d in range(7)
    ]
    biz = await setup_business(api, duration=5, hours=round_the_clock)
    await api.patch(
        f"{API}/business/profile",
        headers=biz["auth"],
        json={"min_notice_minutes": 0, "slot_interval_minutes": 5},
    )
    now = datetime.now(BERLIN)
    upcoming = [
        s
        for day in (now.date(), now.date() + timedelta(days=1))
        for s in await slots(api, biz, day)
        if datetime.fromisoformat(s) > now + timedelta(seconds=70)
    ]
    start = datetime.fromisoformat(upcoming[0])
    # One reminder, due 10 to 70 seconds from now.
    offset = int(((start - datetime.now(BERLIN)).total_seconds() - 10) // 60)
    await api.patch(
        f"{API}/business/profile", headers=biz["auth"], json={"reminder_offsets_minutes": [offset]}
    )
    booked = (await book(api, biz, upcoming[0], name="Ada", email="ada@example.com")).json()
    [reminder] = booked["reminders"]
    due = datetime.fromisoformat(reminder["remind_at"])

    async def temporal():
        return temporal_client

    relay = OutboxRelay(
        sessionmaker, KafkaPublisher(wired.kafka_bootstrap_servers), temporal, wired
    )
    assert await relay.dispatch_pending() == 1
    async with asyncio.timeout(120):
        while not mail_server.reminders:
            await asyncio.sleep(0.2)
    arrived = datetime.now(BERLIN)

    [confirmation] = mail_server.confirmations
    assert confirmation["To"] == "ada@example.com"
    [message] = mail_server.reminders
    assert message["To"] == "ada@example.com"
    assert "Haircut" in message["Subject"]
    assert due <= arrived < due + timedelta(seconds=30)
    current = (
        await api.get(f"{API}/appointments/{booked['appointment_id']}", headers=biz["auth"])
    ).json()
    assert current["reminders"][0]["status"] == "sent"


async def test_changes_waiting_on_their_workflows_leave_connections_for_bookings(wired, engine):
    # No worker serves the appointments queue: every update waits until it is cancelled,
    # as it would on a workflow that is slow to answer.
    app = create_app(wired)
    pool_size = app.state.engine.pool.size()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        biz = await setup_business(http)
        waiting = pool_size + 30
        days = [a_day_ahead(days) for days in range(2, 2 + waiting // 8 + 1)]
        times = [at(day, hour) for day in days for hour in range(9, 17)][:waiting]
        booked = [await book(http, biz, time) for time in times]
        assert {response.status_code for response in booked} == {201}
        changes = [
            asyncio.create_task(
                http.delete(
                    f"{API}/appointments/{response.json()['appointment_id']}",
                    headers=biz["auth"],
                )
            )
            for response in booked
        ]
        try:
            await asyncio.sleep(2)  # every change has reached its workflow by now
            assert not any(change.done() for change in changes)

            # The pool would be long exhausted if the waiting changes each held one.
            another = await asyncio.wait_for(book(http, biz, at(days[-1], 16)), timeout=20)

            assert another.status_code == 201, another.text
        finally:
            for change in changes:
                change.cancel()
            await asyncio.gather(*changes, return_exceptions=True)
    await app.state.engine.dispose()


async def test_appointments_of_a_service_archived_since_can_be_moved_and_cancelled(api, wired):
    """The customer booked the service: archiving it stops new bookings, not these."""
    biz, by_owner = await booked(api, hour=10)
    by_customer = (await book(api, biz, at(a_day_ahead(), 12))).json()
    customer_url = f"{API}/public/appointments/{by_customer['appointment_id']}"
    token = {"token": by_customer["manage_token"]}
    owner_url = f"{API}/appointments/{by_owner}"
    archived = await api.delete(f"{API}/business/services/{biz['service_id']}", headers=biz["auth"])
    assert archived.status_code == 204
    day = a_day_ahead() + timedelta(days=1)

    moved = await api.post(
        f"{owner_url}/reschedule", headers=biz["auth"], json={"time": at(day, 15)}
    )
    taken = await api.post(
        f"{owner_url}/reschedule", headers=biz["auth"], json={"time": at(a_day_ahead(), 12)}
    )
    moved_by_customer = await api.post(
        f"{customer_url}/reschedule", params=token, json={"time": at(day, 9)}
    )
    cancelled = await api.delete(owner_url, headers=biz["auth"], params={"reason": "closed"})
    cancelled_by_customer = await api.post(f"{customer_url}/cancel", params=token)

    assert moved.status_code == 200, moved.text
    assert moved.json()["start_time"] == at(day, 15)
    assert moved.json()["service_name"] == "Haircut"
    assert [r["status"] for r in moved.json()["reminders"]].count("pending") == 2
    assert taken.status_code == 409  # the usual rules still hold
    assert moved_by_customer.status_code == 200, moved_by_customer.text
    assert moved_by_customer.json()["start_time"] == at(day, 9)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled_by_customer.status_code == 200, cancelled_by_customer.text
    assert cancelled_by_customer.json()["status"] == "cancelled"
    service = await api.get(f"{API}/business/services/{biz['service_id']}", headers=biz["auth"])
    assert service.json()["archived"] is True  # moving them did not restore it
