"""A retried public booking with the same Idempotency-Key answers the booking it made
(docs/http-api.md "Idempotency"): never a second appointment, not even with another free
staff member, and never a 500 when the two requests race."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select

from api.app import create_app
from apptremind.booking import service as booking_service
from apptremind.booking.models import Appointment
from apptremind.outbox.models import OutboxEvent
from tests.api.test_public_booking import team_of_two
from tests.scenarios import API, a_day_ahead, at, setup_business

PROBLEM = "application/problem+json"
CUSTOMER = {"name": "Ada", "email": "ada@example.com", "phone": "+4915112345678"}


async def post_booking(client, biz, time, key, *, staff=True, **extra) -> httpx.Response:
    body = {
        "staff_id": biz["staff_id"] if staff else None,
        "service_id": biz["service_id"],
        "time": time,
        "customer_info": CUSTOMER,
        **extra,
    }
    headers = {} if key is None else {"Idempotency-Key": key}
    return await client.post(f"{API}/public/book", json=body, headers=headers)


async def appointments(sessionmaker) -> list[Appointment]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Appointment)))


async def booked_events(sessionmaker) -> int:
    async with sessionmaker() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .where(OutboxEvent.event_type == "appointment.booked")
        )
        return int(count or 0)


def new_key() -> str:
    return str(uuid.uuid4())


async def test_a_replay_answers_the_same_booking_and_books_once(client, sessionmaker):
    biz = await setup_business(client)
    time, key = at(a_day_ahead(), 10), new_key()

    first = await post_booking(client, biz, time, key)
    again = await post_booking(client, biz, time, key)

    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    assert again.status_code == 201, again.text
    assert again.headers["idempotent-replayed"] == "true"
    original, replayed = first.json(), again.json()
    assert replayed == original  # id, staff, times in the business's zone, reminders, link
    assert len(await appointments(sessionmaker)) == 1
    assert await booked_events(sessionmaker) == 1


async def test_the_key_is_stored_with_the_appointment(client, sessionmaker):
    biz = await setup_business(client)
    key = new_key()

    response = await post_booking(client, biz, at(a_day_ahead(), 10), key)

    assert response.status_code == 201, response.text
    [appointment] = await appointments(sessionmaker)
    assert appointment.idempotency_key == key


async def test_a_replay_without_staff_books_no_second_staff_member(client, sessionmaker):
    biz = await team_of_two(client, sessionmaker)
    time, key = at(a_day_ahead(), 10), new_key()

    first = await post_booking(client, biz, time, key, staff=False)
    again = await post_booking(client, biz, time, key, staff=False)

    assert first.status_code == again.status_code == 201, again.text
    assert again.json()["appointment_id"] == first.json()["appointment_id"]
    assert again.json()["staff_id"] == first.json()["staff_id"]
    assert len(await appointments(sessionmaker)) == 1
    assert await booked_events(sessionmaker) == 1


async def test_a_replay_naming_the_staff_member_booked_is_not_taken(client, sessionmaker):
    biz = await team_of_two(client, sessionmaker)
    time, key = at(a_day_ahead(), 10), new_key()
    first = await post_booking(client, biz, time, key, staff=False)
    biz = {**biz, "staff_id": first.json()["staff_id"]}

    again = await post_booking(client, biz, time, key)

    assert again.status_code == 201, again.text
    assert again.json()["appointment_id"] == first.json()["appointment_id"]


async def test_a_replay_answers_the_appointments_current_status(client, sessionmaker):
    biz = await setup_business(client)
    time, key = at(a_day_ahead(), 10), new_key()
    first = await post_booking(client, biz, time, key)
    async with sessionmaker() as session, session.begin():
        appointment = await session.get(Appointment, uuid.UUID(first.json()["appointment_id"]))
        assert appointment is not None
        appointment.status = "completed"

    again = await post_booking(client, biz, time, key)

    assert again.status_code == 201, again.text
    assert again.json()["status"] == "completed"
    assert again.json()["appointment_id"] == first.json()["appointment_id"]


@pytest.mark.parametrize(
    "change",
    [
        {"time": "other"},
        {"customer_info": {**CUSTOMER, "name": "Grace"}},
        {"customer_info": {**CUSTOMER, "email": "grace@example.com"}},
        {"customer_info": {"name": "Ada", "email": "ada@example.com"}},
    ],
    ids=["time", "name", "email", "phone"],
)
async def test_the_same_key_for_a_different_booking_is_a_422(client, sessionmaker, change):
    change = dict(change)
    biz = await setup_business(client)
    day, key = a_day_ahead(), new_key()
    assert (await post_booking(client, biz, at(day, 10), key)).status_code == 201
    time = at(day, 12) if change.pop("time", None) else at(day, 10)

    response = await post_booking(client, biz, time, key, **change)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert "different booking" in response.json()["detail"]
    assert len(await appointments(sessionmaker)) == 1


async def test_the_same_key_for_another_service_or_staff_member_is_a_422(client, sessionmaker):
    biz = await team_of_two(client, sessionmaker)
    time, key = at(a_day_ahead(), 10), new_key()
    assert (await post_booking(client, biz, time, key)).status_code == 201

    other_staff = await post_booking(client, {**biz, "staff_id": biz["other_staff_id"]}, time, key)

    assert other_staff.status_code == 422, other_staff.text
    assert other_staff.headers["content-type"] == PROBLEM
    assert len(await appointments(sessionmaker)) == 1


async def test_the_same_key_at_another_business_is_independent(client, sessionmaker):
    first_biz, other_biz = await setup_business(client), await setup_business(client)
    time, key = at(a_day_ahead(), 10), new_key()

    first = await post_booking(client, first_biz, time, key)
    other = await post_booking(client, other_biz, time, key)

    assert first.status_code == other.status_code == 201, other.text
    assert "idempotent-replayed" not in other.headers
    assert other.json()["appointment_id"] != first.json()["appointment_id"]
    assert len(await appointments(sessionmaker)) == 2
    replayed = await post_booking(client, other_biz, time, key)
    assert replayed.headers["idempotent-replayed"] == "true"
    assert replayed.json()["appointment_id"] == other.json()["appointment_id"]


@pytest.mark.parametrize("staff", [True, False], ids=["staff", "any-staff"])
async def test_concurrent_requests_with_one_key_book_once(client, sessionmaker, staff):
    biz = await team_of_two(client, sessionmaker)
    time, key = at(a_day_ahead(), 10), new_key()

    responses = await asyncio.gather(
        *(post_booking(client, biz, time, key, staff=staff) for _ in range(2))
    )

    statuses = sorted(r.status_code for r in responses)
    assert statuses in ([201, 201], [201, 409]), [r.text for r in responses]
    booked = [r.json() for r in responses if r.status_code == 201]
    assert len({b["appointment_id"] for b in booked}) == 1
    for refused in (r for r in responses if r.status_code == 409):
        assert refused.headers["content-type"] == PROBLEM
    assert len(await appointments(sessionmaker)) == 1
    assert await booked_events(sessionmaker) == 1
    retry = await post_booking(client, biz, time, key, staff=staff)
    assert retry.status_code == 201
    assert retry.json()["appointment_id"] == booked[0]["appointment_id"]


@pytest.mark.parametrize("staff", [True, False], ids=["pipelined", "savepoint"])
async def test_the_unique_index_refusal_is_a_409_asking_for_a_retry(
    client, sessionmaker, monkeypatch, staff
):
    """The race's loser, made certain: its lookup saw nothing (the other request had not
    committed yet), so its insert meets the key in the unique index. With a staff member
    the insert is pipelined, with any staff member it runs in a savepoint."""
    biz = await team_of_two(client, sessionmaker)
    day, key = a_day_ahead(), new_key()
    assert (await post_booking(client, biz, at(day, 10), key, staff=staff)).status_code == 201

    async def saw_nothing(*args, **kwargs):
        return None

    monkeypatch.setattr(booking_service, "booked_before", saw_nothing)
    response = await post_booking(client, biz, at(day, 13), key, staff=staff)

    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == PROBLEM
    assert "retry" in response.json()["detail"]
    assert len(await appointments(sessionmaker)) == 1


@pytest.mark.parametrize(
    "value",
    ["", "a" * 256, "caf\u00e9", "tab\there"],
    ids=["empty", "too-long", "non-ascii", "control"],
)
async def test_a_bad_key_is_a_422_naming_the_header(client, sessionmaker, value):
    biz = await setup_business(client)
    body = {
        "staff_id": biz["staff_id"],
        "service_id": biz["service_id"],
        "time": at(a_day_ahead(), 10),
        "customer_info": CUSTOMER,
    }
    headers = [(b"idempotency-key", value.encode("utf-8"))]

    response = await client.post(f"{API}/public/book", json=body, headers=headers)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert "Idempotency-Key" in response.text
    assert await appointments(sessionmaker) == []


async def test_keys_of_255_printable_characters_are_taken(client, sessionmaker):
    biz = await setup_business(client)
    key = "k" + "!~ x" * 63 + "z"
    assert len(key) == 254
    key += "A"

    response = await post_booking(client, biz, at(a_day_ahead(), 10), key)
    again = await post_booking(client, biz, at(a_day_ahead(), 10), key)

    assert response.status_code == again.status_code == 201, again.text
    assert again.headers["idempotent-replayed"] == "true"


@pytest.fixture
async def limited_client(settings, engine) -> AsyncIterator[httpx.AsyncClient]:
    """One booking per customer and business within the hour."""
    app = create_app(settings.model_copy(update={"booking_limit_per_customer_per_business": 1}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    await app.state.captcha_http.aclose()
    await app.state.engine.dispose()


async def test_a_replay_counts_against_no_throttle(limited_client, sessionmaker):
    biz = await setup_business(limited_client)
    day, key = a_day_ahead(), new_key()
    first = await post_booking(limited_client, biz, at(day, 10), key)

    again = await post_booking(limited_client, biz, at(day, 10), key)
    another = await post_booking(limited_client, biz, at(day, 12), new_key())

    assert first.status_code == again.status_code == 201, again.text
    assert again.json()["appointment_id"] == first.json()["appointment_id"]
    assert another.status_code == 429  # the throttle itself still holds
