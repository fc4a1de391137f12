import uuid
from datetime import UTC, date, datetime

from apptremind.analytics.models import AppointmentFact
from apptremind.db import unit_of_work
from tests.helpers import bearer, register

SUMMARY = "/api/v1/analytics/summary"


def fact(business_id, day, *, booked=True, outcome=None, **counts) -> AppointmentFact:
    return AppointmentFact(
        appointment_id=uuid.uuid4(),
        business_id=business_id,
        booked=booked,
        local_date=day,
        local_date_as_of=datetime.now(UTC),
        outcome=outcome,
        outcome_as_of=datetime.now(UTC) if outcome else None,
        reminders_sent=counts.get("reminders_sent", 0),
        reminders_failed=counts.get("reminders_failed", 0),
    )


async def test_the_summary_needs_a_token(client):
    response = await client.get(SUMMARY, params={"from": "2026-07-01", "to": "2026-07-02"})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_reversed_or_too_long_range_or_a_bad_date_is_422(client):
    auth = bearer((await register(client))["access_token"])
    for params in (
        {"from": "2026-07-02", "to": "2026-07-01"},
        {"from": "2024-01-01", "to": "2025-01-01"},  # 367 days
        {"from": "2026-07-01"},
        {"from": "2026-07-01", "to": "July"},
    ):
        response = await client.get(SUMMARY, params=params, headers=auth)
        assert response.status_code == 422, params
        assert response.headers["content-type"] == "application/problem+json"
    leap_year = await client.get(
        SUMMARY, params={"from": "2024-01-01", "to": "2024-12-31"}, headers=auth
    )
    assert leap_year.status_code == 200
    assert len(leap_year.json()) == 366


async def test_owners_see_every_day_of_their_own_business_only(client, sessionmaker):
    ada = await register(client)
    bob = await register(client)
    ada_business, bob_business = uuid.UUID(ada["business_id"]), uuid.UUID(bob["business_id"])
    july_1 = date(2026, 7, 1)
    facts = [
        fact(ada_business, july_1, outcome="cancelled"),
        fact(ada_business, july_1, outcome="completed", reminders_sent=2),
        fact(ada_business, july_1, outcome="completed", reminders_sent=2, reminders_failed=1),
        fact(ada_business, july_1, outcome="completed", reminders_sent=1),
        fact(ada_business, july_1, outcome="no_show", reminders_sent=1),
        fact(ada_business, july_1, booked=False),  # its booking has not arrived yet
        fact(ada_business, date(2026, 7, 2)),
        *(fact(bob_business, july_1) for _ in range(9)),
    ]
    async with unit_of_work(sessionmaker) as session:
        session.add_all(facts)
    params = {"from": "2026-06-30", "to": "2026-07-01"}

    ada_days = await client.get(SUMMARY, params=params, headers=bearer(ada["access_token"]))
    bob_days = await client.get(SUMMARY, params=params, headers=bearer(bob["access_token"]))

    assert ada_days.json() == [
        {
            "date": "2026-06-30",
            "booked": 0,
            "cancelled": 0,
            "completed": 0,
            "no_show": 0,
            "reminders_sent": 0,
            "reminders_failed": 0,
            "no_show_rate": None,
        },
        {
            "date": "2026-07-01",
            "booked": 5,
            "cancelled": 1,
            "completed": 3,
            "no_show": 1,
            "reminders_sent": 6,
            "reminders_failed": 1,
            "no_show_rate": 0.25,
        },
    ]
    assert [d["booked"] for d in bob_days.json()] == [0, 9]
