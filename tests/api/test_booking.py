"""Public slots and booking, owner views: through HTTP on a real PostgreSQL."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from apptremind.booking.models import Appointment, Reminder
from apptremind.outbox.models import OutboxEvent
from tests.helpers import bearer
from tests.scenarios import (
    API,
    BERLIN,
    a_day_ahead,
    at,
    book,
    go_pro,
    setup_business,
    slots,
)


async def count(sessionmaker, model) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)))


async def test_slots_are_local_times_with_the_business_offset(client):
    biz = await setup_business(client)
    day = a_day_ahead()

    response = await client.get(
        f"{API}/public/slots",
        params={"staff_id": biz["staff_id"], "service_id": biz["service_id"], "date": day},
    )

    body = response.json()
    assert body["date"] == day.isoformat()
    assert body["timezone"] == "Europe/Berlin"
    assert [s["start"] for s in body["slots"]] == [at(day, h) for h in range(9, 17)]
    assert body["slots"][0]["end"] == at(day, 10)


async def test_booking_a_slot_takes_it_and_plans_pending_reminders(client, sessionmaker):
    biz = await setup_business(client)
    day = a_day_ahead()

    response = await book(client, biz, at(day, 10))

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "booked"
    assert body["start_time"] == at(day, 10)
    assert body["end_time"] == at(day, 11)
    start = datetime.fromisoformat(at(day, 10))
    assert [(r["remind_at"], r["type"]) for r in body["reminders"]] == [
        ((start - timedelta(days=1)).isoformat(), "email"),
        ((start - timedelta(hours=1)).isoformat(), "email"),
    ]
    assert at(day, 10) not in await slots(client, biz, day)
    async with sessionmaker() as session:
        statuses = list(await session.scalars(select(Reminder.status)))
    assert statuses == ["pending", "pending"]


async def test_a_second_booking_of_the_same_slot_answers_409(client, sessionmaker):
    biz = await setup_business(client)
    day = a_day_ahead()
    assert (await book(client, biz, at(day, 10))).status_code == 201

    again = await book(client, biz, at(day, 10), name="Bob", email="bob@example.com")

    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert await count(sessionmaker, Appointment) == 1


async def test_twenty_concurrent_bookings_of_one_slot_give_exactly_one_appointment(
    client, sessionmaker
):
    biz = await setup_business(client)
    day = a_day_ahead()

    answers = await asyncio.gather(
        *(
            book(client, biz, at(day, 11), name=f"Customer {n}", email=f"c{n}@example.com")
            for n in range(24)
        )
    )

    assert sorted(a.status_code for a in answers) == [201] + [409] * 23
    assert await count(sessionmaker, Appointment) == 1
    async with sessionmaker() as session:
        booked_events = await session.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .where(OutboxEvent.event_type == "appointment.booked")
        )
    assert booked_events == 1


async def test_overlapping_bookings_of_different_durations_conflict(client):
    biz = await setup_business(client)
    await client.patch(
        f"{API}/business/profile", headers=biz["auth"], json={"slot_interval_minutes": 30}
    )
    long_service = await client.post(
        f"{API}/business/services",
        headers=biz["auth"],
        json={"name": "Colour", "duration_minutes": 120, "price": "80.00"},
    )
    long_id = long_service.json()["id"]
    day = a_day_ahead()
    assert (await book(client, biz, at(day, 10))).status_code == 201

    offered_long = await slots(client, biz, day, service_id=long_id)
    overlapping = await book(client, biz, at(day, 9, 30), service_id=long_id)

    assert at(day, 9, 30) not in offered_long
    assert at(day, 9) not in offered_long
    assert at(day, 11) in offered_long
    assert overlapping.status_code == 409


async def test_the_database_refuses_overlapping_appointments_even_without_the_api(
    client, sessionmaker
):
    biz = await setup_business(client)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)

    def appointment(offset_minutes: int) -> Appointment:
        begins = start + timedelta(minutes=offset_minutes)
        return Appointment(
            business_id=uuid.uuid4(),
            staff_id=uuid.UUID(biz["staff_id"]),
            service_id=uuid.UUID(biz["service_id"]),
            service_name="Haircut",
            duration_minutes=60,
            price=30,
            customer_name="X",
            customer_email="x@example.com",
            start_time=begins,
            end_time=begins + timedelta(minutes=60),
            block_start=begins,
            block_end=begins + timedelta(minutes=60),
        )

    async with sessionmaker() as session:
        session.add(appointment(0))
        await session.commit()
        session.add(appointment(30))
        with pytest.raises(Exception, match="appointments_no_double_booking"):
            await session.commit()


async def test_buffers_keep_neighbouring_slots_free(client):
    biz = await setup_business(client, buffer_after_minutes=30)
    await client.patch(
        f"{API}/business/profile", headers=biz["auth"], json={"slot_interval_minutes": 30}
    )
    day = a_day_ahead()
    assert (await book(client, biz, at(day, 10))).status_code == 201

    offered = await slots(client, biz, day)

    # Each booking blocks its hour plus 30 minutes after it: 09:00 would run into 10:00,
    # and after the 10:00 booking the next start is 11:30.
    assert offered[0] == at(day, 11, 30)


async def test_a_reminder_already_past_at_booking_is_skipped(client):
    round_the_clock = [
        {"day_of_week": d, "start_time": "00:00", "end_time": "24:00"} for d in range(7)
    ]
    biz = await setup_business(client, hours=round_the_clock)
    await client.patch(
        f"{API}/business/profile", headers=biz["auth"], json={"min_notice_minutes": 0}
    )
    now = datetime.now(BERLIN)
    day = now.date() if now.hour < 20 else now.date() + timedelta(days=1)
    upcoming = [
        s
        for s in await slots(client, biz, day)
        if datetime.fromisoformat(s) > now + timedelta(hours=2)
    ]

    response = await book(client, biz, upcoming[0])

    assert response.status_code == 201, response.text
    start = datetime.fromisoformat(upcoming[0])
    assert [r["remind_at"] for r in response.json()["reminders"]] == [
        (start - timedelta(hours=1)).isoformat()
    ]


async def test_sms_reminders_go_to_customers_with_a_phone_normalised_to_e164(client, sessionmaker):
    biz = await setup_business(client)
    await go_pro(client, sessionmaker, biz)
    await client.patch(
        f"{API}/business/profile", headers=biz["auth"], json={"reminder_channels": ["email", "sms"]}
    )
    day = a_day_ahead()

    both = await book(
        client, biz, at(day, 9), name="Ada", email="ada@example.com", phone="+49 170 1234567"
    )
    phone_only = await book(client, biz, at(day, 10), name="Bo", phone="+1 (415) 555-2671")

    assert sorted(r["type"] for r in both.json()["reminders"]) == ["email", "email", "sms", "sms"]
    assert [r["type"] for r in phone_only.json()["reminders"]] == ["sms", "sms"]
    async with sessionmaker() as session:
        phones = set(await session.scalars(select(Appointment.customer_phone)))
    assert phones == {"+491701234567", "+14155552671"}


async def test_booking_writes_the_booked_event_in_the_same_transaction(client, sessionmaker):
    biz = await setup_business(client)
    day = a_day_ahead()
    booked = (await book(client, biz, at(day, 12))).json()

    async with sessionmaker() as session:
        [event] = await session.scalars(
            select(OutboxEvent).where(OutboxEvent.event_type == "appointment.booked")
        )
    data = event.envelope["data"]
    assert data["appointment_id"] == booked["appointment_id"]
    assert data["staff_id"] == biz["staff_id"]
    assert data["service_id"] == biz["service_id"]
    assert data["service_name"] == "Haircut"
    assert data["customer_email"] == "ada@example.com"
    assert datetime.fromisoformat(data["start_time"]) == datetime.fromisoformat(at(day, 12))
    assert [datetime.fromisoformat(t) for t in data["reminder_times"]] == sorted(
        datetime.fromisoformat(r["remind_at"]) for r in booked["reminders"]
    )


async def test_an_inactive_staff_member_offers_nothing_and_cannot_be_booked(client):
    biz = await setup_business(client)
    await client.delete(f"{API}/business/staff/{biz['staff_id']}", headers=biz["auth"])
    day = a_day_ahead()

    assert await slots(client, biz, day) == []
    refused = await book(client, biz, at(day, 10))
    assert refused.status_code == 404  # the public API's contract: inactive is not bookable
    assert refused.headers["content-type"] == "application/problem+json"


async def test_a_day_off_and_special_hours_override_the_weekly_hours(client):
    biz = await setup_business(client)
    day_off, short_day = a_day_ahead(10), a_day_ahead(11)
    url = f"{API}/business/staff/{biz['staff_id']}/overrides"

    off = await client.put(f"{url}/{day_off}", headers=biz["auth"], json={"working_hours": []})
    short = await client.put(
        f"{url}/{short_day}",
        headers=biz["auth"],
        json={"working_hours": [{"start_time": "12:00", "end_time": "14:00"}]},
    )

    assert off.status_code == 200
    assert off.json()["day_off"] is True
    assert short.json()["working_hours"] == [{"start_time": "12:00", "end_time": "14:00"}]
    assert await slots(client, biz, day_off) == []
    assert await slots(client, biz, short_day) == [at(short_day, 12), at(short_day, 13)]
    assert await slots(client, biz, a_day_ahead(12)) == [
        at(a_day_ahead(12), h) for h in range(9, 17)
    ]
    listed = await client.get(
        url, headers=biz["auth"], params={"from": day_off.isoformat(), "to": short_day.isoformat()}
    )
    assert [o["date"] for o in listed.json()] == [day_off.isoformat(), short_day.isoformat()]

    assert (await client.delete(f"{url}/{day_off}", headers=biz["auth"])).status_code == 204
    assert len(await slots(client, biz, day_off)) == 8
    assert (await client.delete(f"{url}/{day_off}", headers=biz["auth"])).status_code == 404


async def test_overlapping_override_hours_are_refused(client):
    biz = await setup_business(client)
    response = await client.put(
        f"{API}/business/staff/{biz['staff_id']}/overrides/{a_day_ahead()}",
        headers=biz["auth"],
        json={
            "working_hours": [
                {"start_time": "09:00", "end_time": "12:00"},
                {"start_time": "11:00", "end_time": "13:00"},
            ]
        },
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"staff_id": str(uuid.uuid4())}, 404),
        ({"service_id": str(uuid.uuid4())}, 404),
        ({"time": "2030-01-01T10:00:00"}, 422),  # no offset
        ({"time": "not a time"}, 422),
        ({"customer_info": {"name": "x" * 256, "email": "a@example.com"}}, 422),
        ({"customer_info": {"name": "Ada", "email": "not-an-email"}}, 422),
        ({"customer_info": {"name": "Ada", "phone": "12345"}}, 422),
        ({"customer_info": {"name": "Ada"}}, 422),
        ({"customer_info": {"name": "Ada", "email": "a@example.com", "vip": True}}, 422),
    ],
)
async def test_bad_booking_input_is_refused_and_writes_nothing(
    client, sessionmaker, change, status
):
    biz = await setup_business(client)
    body = {
        "staff_id": biz["staff_id"],
        "service_id": biz["service_id"],
        "time": at(a_day_ahead(), 10),
        "customer_info": {"name": "Ada", "email": "ada@example.com"},
        **change,
    }

    response = await client.post(f"{API}/public/book", json=body)

    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert await count(sessionmaker, Appointment) == 0
    assert await count(sessionmaker, Reminder) == 0


@pytest.mark.parametrize(
    "when",
    [
        lambda: (datetime.now(BERLIN) - timedelta(days=1)).replace(
            minute=0, second=0, microsecond=0
        ),
        lambda: datetime.combine(a_day_ahead(), datetime.min.time(), BERLIN).replace(
            hour=10, minute=10
        ),
        lambda: datetime.combine(a_day_ahead(), datetime.min.time(), BERLIN).replace(hour=20),
        lambda: datetime.combine(a_day_ahead(400), datetime.min.time(), BERLIN).replace(hour=10),
    ],
    ids=["past", "misaligned", "outside-hours", "beyond-horizon"],
)
async def test_a_time_that_is_never_offered_answers_422(client, sessionmaker, when):
    biz = await setup_business(client)

    response = await book(client, biz, when().isoformat())

    assert response.status_code == 422, response.text
    assert await count(sessionmaker, Appointment) == 0


async def test_a_service_of_another_business_is_not_found(client):
    ours = await setup_business(client)
    theirs = await setup_business(client)

    response = await client.get(
        f"{API}/public/slots",
        params={
            "staff_id": ours["staff_id"],
            "service_id": theirs["service_id"],
            "date": a_day_ahead(),
        },
    )
    assert response.status_code == 404


async def test_a_slots_date_that_is_not_a_date_answers_422(client):
    biz = await setup_business(client)
    response = await client.get(
        f"{API}/public/slots",
        params={"staff_id": biz["staff_id"], "service_id": biz["service_id"], "date": "2026-02-30"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "date"


async def test_owner_lists_appointments_with_reminders_filters_and_pages(client):
    biz = await setup_business(client)
    day = a_day_ahead()
    for hour in (9, 10, 11):
        assert (await book(client, biz, at(day, hour))).status_code == 201

    everything = await client.get(f"{API}/appointments", headers=biz["auth"])
    page = await client.get(
        f"{API}/appointments", headers=biz["auth"], params={"limit": 2, "offset": 1}
    )
    window = await client.get(
        f"{API}/appointments",
        headers=biz["auth"],
        params={
            "from": at(day, 10),
            "to": at(day, 11),
            "status": "booked",
            "staff_id": biz["staff_id"],
        },
    )
    cancelled = await client.get(
        f"{API}/appointments", headers=biz["auth"], params={"status": "cancelled"}
    )

    assert [a["start_time"] for a in everything.json()] == [at(day, h) for h in (9, 10, 11)]
    assert everything.headers["x-total-count"] == "3"
    assert all(len(a["reminders"]) == 2 for a in everything.json())
    assert everything.json()[0]["reminders"][0]["status"] == "pending"
    assert [a["start_time"] for a in page.json()] == [at(day, 10), at(day, 11)]
    assert [a["start_time"] for a in window.json()] == [at(day, 10)]
    assert cancelled.json() == []


async def test_one_appointment_is_visible_to_its_business_only(client):
    biz = await setup_business(client)
    other = await setup_business(client)
    booked = (await book(client, biz, at(a_day_ahead(), 9))).json()
    url = f"{API}/appointments/{booked['appointment_id']}"

    mine = await client.get(url, headers=biz["auth"])
    foreign = await client.get(url, headers=other["auth"])
    foreign_list = await client.get(f"{API}/appointments", headers=other["auth"])

    assert mine.status_code == 200
    assert mine.json()["customer"] == {"name": "Ada", "email": "ada@example.com", "phone": None}
    assert mine.json()["service_name"] == "Haircut"
    assert foreign.status_code == 404
    assert foreign_list.json() == []


async def test_staff_logins_see_their_business_appointments(client):
    biz = await setup_business(client)
    await book(client, biz, at(a_day_ahead(), 9))
    await client.post(
        f"{API}/auth/users",
        headers=biz["auth"],
        json={"email": "mia@example.com", "password": "staff password", "role": "staff"},
    )
    login = await client.post(
        f"{API}/auth/login", json={"email": "mia@example.com", "password": "staff password"}
    )

    response = await client.get(f"{API}/appointments", headers=bearer(login.json()["access_token"]))

    assert len(response.json()) == 1
