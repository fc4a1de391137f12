"""The Free plan's limits answer 402 where the action happens; Pro lifts them."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select, update

from apptremind.booking.models import Appointment
from apptremind.booking.quota import month_bounds
from tests.scenarios import API, a_day_ahead, at, book, go_pro, setup_business

SECOND_STAFF = {"name": "Tom", "working_hours": []}


def assert_plan_limit(response, limit: str) -> dict:
    assert response.status_code == 402, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 402
    assert problem["limit"] == limit
    assert problem["plan"] == "free"
    assert problem["upgrade"]["plan"] == "pro"
    assert "/api/v1/billing/checkout" in problem["upgrade"]["how"]
    return problem


async def test_a_second_staff_member_on_free_answers_402(client):
    biz = await setup_business(client)

    response = await client.post(f"{API}/business/staff", headers=biz["auth"], json=SECOND_STAFF)

    problem = assert_plan_limit(response, "staff")
    assert "1 active staff member" in problem["detail"]
    staff = (await client.get(f"{API}/business/staff", headers=biz["auth"])).json()
    assert [s["name"] for s in staff] == ["Mia"]


async def test_reactivating_a_staff_member_past_the_limit_answers_402(client):
    biz = await setup_business(client)
    mia = f"{API}/business/staff/{biz['staff_id']}"
    await client.delete(mia, headers=biz["auth"])
    created = await client.post(f"{API}/business/staff", headers=biz["auth"], json=SECOND_STAFF)
    assert created.status_code == 201

    assert_plan_limit(
        await client.patch(mia, headers=biz["auth"], json={"is_active": True}), "staff"
    )
    assert (await client.get(mia, headers=biz["auth"])).json()["is_active"] is False


async def test_concurrent_staff_additions_cannot_pass_the_limit_together(client):
    biz = await setup_business(client)
    await client.delete(f"{API}/business/staff/{biz['staff_id']}", headers=biz["auth"])

    answers = await asyncio.gather(
        *(
            client.post(f"{API}/business/staff", headers=biz["auth"], json={"name": f"S{i}"})
            for i in range(5)
        )
    )

    assert sorted(a.status_code for a in answers) == [201, 402, 402, 402, 402]


async def test_enabling_sms_on_free_answers_402_and_changes_nothing(client):
    biz = await setup_business(client)

    response = await client.patch(
        f"{API}/business/profile",
        headers=biz["auth"],
        json={"name": "Renamed", "reminder_channels": ["email", "sms"]},
    )

    assert_plan_limit(response, "reminder_channels")
    profile = (await client.get(f"{API}/business/profile", headers=biz["auth"])).json()
    assert (profile["name"], profile["reminder_channels"]) == ("Studio Nord", ["email"])


async def test_pro_lifts_the_staff_and_sms_limits(client, sessionmaker):
    biz = await setup_business(client)
    await go_pro(client, sessionmaker, biz)

    staff = await client.post(f"{API}/business/staff", headers=biz["auth"], json=SECOND_STAFF)
    sms = await client.patch(
        f"{API}/business/profile", headers=biz["auth"], json={"reminder_channels": ["sms"]}
    )

    assert staff.status_code == 201
    assert sms.status_code == 200


async def fill_month(sessionmaker, biz, count: int) -> None:
    """`count` bookings taken this month, far ahead so they take no slot the test books."""
    async with sessionmaker() as session:
        first = datetime(2030, 1, 7, 8, tzinfo=UTC)
        for i in range(count):
            start = first + timedelta(hours=2 * i)
            session.add(
                Appointment(
                    business_id=biz["business_id"],
                    staff_id=uuid.UUID(biz["staff_id"]),
                    service_id=uuid.UUID(biz["service_id"]),
                    service_name="Haircut",
                    duration_minutes=60,
                    price=Decimal("30.00"),
                    customer_name=f"Customer {i}",
                    customer_email=f"c{i}@example.com",
                    start_time=start,
                    end_time=start + timedelta(hours=1),
                    block_start=start,
                    block_end=start + timedelta(hours=1),
                    status="booked",
                )
            )
        await session.commit()


async def limited_business(client, sessionmaker, booked: int) -> dict:
    biz = await setup_business(client)
    profile = (await client.get(f"{API}/business/profile", headers=biz["auth"])).json()
    biz["business_id"] = uuid.UUID(profile["id"])
    await fill_month(sessionmaker, biz, booked)
    return biz


async def appointments(sessionmaker, business_id) -> int:
    async with sessionmaker() as session:
        return await session.scalar(
            select(func.count())
            .select_from(Appointment)
            .where(Appointment.business_id == business_id)
        )


async def test_the_101st_booking_of_the_month_answers_402_with_a_clear_message(
    client, sessionmaker
):
    biz = await limited_business(client, sessionmaker, 100)

    response = await book(client, biz, at(a_day_ahead(), 10))

    problem = assert_plan_limit(response, "monthly_bookings")
    assert "cannot take more online bookings this month" in problem["detail"]
    assert problem["allowed"] == 100
    assert await appointments(sessionmaker, biz["business_id"]) == 100


async def test_cancelled_bookings_do_not_count_toward_the_limit(client, sessionmaker):
    biz = await limited_business(client, sessionmaker, 100)
    async with sessionmaker() as session:
        one = await session.scalar(
            select(Appointment.id).where(Appointment.business_id == biz["business_id"]).limit(1)
        )
        await session.execute(
            update(Appointment).where(Appointment.id == one).values(status="cancelled")
        )
        await session.commit()

    assert (await book(client, biz, at(a_day_ahead(), 10))).status_code == 201
    assert_plan_limit(await book(client, biz, at(a_day_ahead(), 12)), "monthly_bookings")


async def test_concurrent_bookings_cannot_race_past_the_monthly_limit(client, sessionmaker):
    biz = await limited_business(client, sessionmaker, 98)
    day = a_day_ahead()

    answers = await asyncio.gather(*(book(client, biz, at(day, 9 + i)) for i in range(6)))

    assert sorted(a.status_code for a in answers) == [201, 201, 402, 402, 402, 402]
    assert await appointments(sessionmaker, biz["business_id"]) == 100


async def test_pro_takes_bookings_past_the_free_limit(client, sessionmaker):
    biz = await limited_business(client, sessionmaker, 100)
    await go_pro(client, sessionmaker, biz)

    assert (await book(client, biz, at(a_day_ahead(), 10))).status_code == 201


def test_the_month_is_the_businesss_calendar_month():
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Pacific/Auckland")
    # 20:00 UTC on 31 December is already 1 January in Auckland.
    start, end = month_bounds(datetime(2026, 12, 31, 20, tzinfo=UTC), zone)

    assert (start.isoformat(), end.isoformat()) == (
        "2027-01-01T00:00:00+13:00",
        "2027-02-01T00:00:00+13:00",
    )
