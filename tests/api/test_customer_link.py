"""The customer's signed link: see, cancel or reschedule one appointment without an
account, through the same workflow updates as the owner."""

import uuid
from datetime import timedelta

from sqlalchemy import select

from apptremind.booking.manage_links import manage_token
from apptremind.booking.models import Reminder
from apptremind.outbox.models import OutboxEvent
from tests.scenarios import API, a_day_ahead, at, book, setup_business


async def booked_with_link(api, settings, hour=10):
    biz = await setup_business(api)
    response = await book(api, biz, at(a_day_ahead(), hour))
    assert response.status_code == 201, response.text
    appointment_id = response.json()["appointment_id"]
    token = manage_token(settings.jwt_secret, uuid.UUID(appointment_id))
    return biz, f"{API}/public/appointments/{appointment_id}", {"token": token}


async def test_the_link_shows_the_appointment(api, wired):
    _, url, token = await booked_with_link(api, wired)

    response = await api.get(url, params=token)

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "booked"
    assert response.json()["start_time"] == at(a_day_ahead(), 10)


async def test_the_customer_cancels_like_the_owner_would(api, wired, sessionmaker):
    biz, url, token = await booked_with_link(api, wired)

    response = await api.post(f"{url}/cancel", params=token, json={"reason": "flu"})
    again = await api.post(f"{url}/cancel", params=token)

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    async with sessionmaker() as session:
        statuses = list(await session.scalars(select(Reminder.status)))
    assert statuses == ["cancelled", "cancelled"]
    assert again.status_code == 409
    async with sessionmaker() as session:
        [event] = await session.scalars(
            select(OutboxEvent).where(OutboxEvent.event_type == "appointment.cancelled")
        )
    assert event.envelope["data"]["cancelled_by"] == "customer"
    assert event.envelope["data"]["reason"] == "flu"


async def test_the_customer_reschedules_into_a_free_slot_but_not_a_taken_one(api, wired):
    biz, url, token = await booked_with_link(api, wired)
    await book(api, biz, at(a_day_ahead(), 14), name="Bo", email="bo@example.com")

    taken = await api.post(f"{url}/reschedule", params=token, json={"time": at(a_day_ahead(), 14)})
    moved = await api.post(
        f"{url}/reschedule",
        params=token,
        json={"time": at(a_day_ahead() + timedelta(days=1), 11)},
    )

    assert taken.status_code == 409
    assert moved.status_code == 200, moved.text
    assert moved.json()["start_time"] == at(a_day_ahead() + timedelta(days=1), 11)
    assert moved.json()["staff_name"] == "Mia"  # the customer's shape, not the owner's
    assert moved.json()["business"]["timezone"] == "Europe/Berlin"


async def test_a_wrong_or_foreign_token_looks_like_an_unknown_appointment(api, wired):
    _, url, _ = await booked_with_link(api, wired)
    _, _, other_token = await booked_with_link(api, wired, hour=12)

    for params in ({"token": "forged"}, other_token):
        shown = await api.get(url, params=params)
        cancelled = await api.post(f"{url}/cancel", params=params)
        assert shown.status_code == cancelled.status_code == 404
        assert shown.headers["content-type"] == "application/problem+json"
    missing = await api.get(url)
    assert missing.status_code == 422
    still = await api.get(
        url, params={"token": manage_token(wired.jwt_secret, uuid.UUID(url.rsplit("/", 1)[1]))}
    )
    assert still.json()["status"] == "booked"
