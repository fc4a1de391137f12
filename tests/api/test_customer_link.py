"""The customer's signed link: see, cancel or reschedule one appointment without an
account, through the same workflow updates as the owner."""

import base64
import hashlib
import hmac
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from apptremind.booking.manage_links import manage_token
from apptremind.booking.models import Appointment, Reminder
from apptremind.outbox.models import OutboxEvent
from tests.scenarios import API, a_day_ahead, at, book, setup_business


async def booked_with_link(api, settings, hour=10):
    biz = await setup_business(api)
    response = await book(api, biz, at(a_day_ahead(), hour))
    assert response.status_code == 201, response.text
    appointment_id = response.json()["appointment_id"]
    token = response.json()["manage_token"]
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
    _, url, own_token = await booked_with_link(api, wired)
    _, _, other_token = await booked_with_link(api, wired, hour=12)

    for params in ({"token": "forged"}, other_token):
        shown = await api.get(url, params=params)
        cancelled = await api.post(f"{url}/cancel", params=params)
        assert shown.status_code == cancelled.status_code == 404
        assert shown.headers["content-type"] == "application/problem+json"
    missing = await api.get(url)
    assert missing.status_code == 422
    still = await api.get(url, params=own_token)
    assert still.json()["status"] == "booked"


async def move_into_the_past(sessionmaker, appointment_id: str, status: str) -> None:
    """The appointment took place yesterday (or would have) and is now `status`."""
    ended = datetime.now(UTC) - timedelta(days=1)
    async with sessionmaker() as session:
        await session.execute(
            update(Appointment)
            .where(Appointment.id == uuid.UUID(appointment_id))
            .values(
                status=status,
                start_time=ended - timedelta(hours=1),
                end_time=ended,
                block_start=ended - timedelta(hours=1),
                block_end=ended,
            )
        )
        await session.commit()


@pytest.mark.parametrize("status", ["cancelled", "completed", "no_show"])
async def test_the_link_of_a_closed_past_appointment_no_longer_shows_it(
    client, settings, sessionmaker, status
):
    _, url, token = await booked_with_link(client, settings)
    await move_into_the_past(sessionmaker, url.rsplit("/", 1)[1], status)

    for path, query in (("", {}), ("/calendar.ics", {}), ("/slots", {"date": a_day_ahead()})):
        response = await client.get(f"{url}{path}", params={**token, **query})
        assert response.status_code == 404, (path, response.text)
        assert "Ada" not in response.text


async def test_the_link_of_a_past_appointment_still_open_shows_it(client, settings, sessionmaker):
    _, url, token = await booked_with_link(client, settings)
    await move_into_the_past(sessionmaker, url.rsplit("/", 1)[1], "booked")

    response = await client.get(url, params=token)

    assert response.status_code == 200, response.text


async def test_a_cancelled_appointment_still_to_come_shows_through_its_link(
    client, settings, sessionmaker
):
    _, url, token = await booked_with_link(client, settings)
    async with sessionmaker() as session:
        appointment_id = uuid.UUID(url.rsplit("/", 1)[1])
        await session.execute(
            update(Appointment).where(Appointment.id == appointment_id).values(status="cancelled")
        )
        await session.commit()

    response = await client.get(url, params=token)

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"


async def test_links_sent_before_expiries_still_open_the_appointment(client, settings):
    _, url, _ = await booked_with_link(client, settings)
    appointment_id = uuid.UUID(url.rsplit("/", 1)[1])
    key = hmac.new(
        settings.jwt_secret.get_secret_value().encode(),
        b"apptremind/manage-appointment/v1",
        hashlib.sha256,
    ).digest()
    digest = hmac.new(key, appointment_id.bytes, hashlib.sha256).digest()
    legacy = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    response = await client.get(url, params={"token": legacy})

    assert response.status_code == 200, response.text


async def test_a_link_signed_with_the_access_token_key_is_refused(client, settings):
    _, url, _ = await booked_with_link(client, settings)
    appointment_id = uuid.UUID(url.rsplit("/", 1)[1])
    with_jwt_key = settings.model_copy(update={"customer_link_secret": settings.jwt_secret})
    end = datetime.now(UTC) + timedelta(days=3)

    response = await client.get(
        url, params={"token": manage_token(with_jwt_key, appointment_id, end)}
    )

    assert response.status_code == 404


@pytest.mark.parametrize("token", ["é", "1.ü", "%FF"])
async def test_a_token_of_any_text_answers_404(client, settings, token):
    _, url, _ = await booked_with_link(client, settings)

    response = await client.get(url, params={"token": token})

    assert response.status_code == 404
