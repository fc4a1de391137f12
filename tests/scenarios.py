"""A business with a service and a staff member, and bookings of it, through the API."""

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.helpers import bearer, register

API = "/api/v1"
BERLIN = ZoneInfo("Europe/Berlin")
ALL_WEEK_9_TO_17 = [
    {"day_of_week": d, "start_time": "09:00", "end_time": "17:00"} for d in range(7)
]


# The run's "today" in Berlin, taken once: a test that asks for a date twice gets the same
# date even when the run crosses midnight (bookings are at least a day ahead, so still future).
_TODAY = datetime.now(BERLIN).date()


def a_day_ahead(days: int = 10) -> date:
    return _TODAY + timedelta(days=days)


def at(day: date, hour: int, minute: int = 0) -> str:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN).isoformat()


async def setup_business(
    client, *, duration=60, hours=ALL_WEEK_9_TO_17, timezone="Europe/Berlin", **service_extra
):
    owner = await register(client, timezone=timezone)
    auth = bearer(owner["access_token"])
    service = await client.post(
        f"{API}/business/services",
        headers=auth,
        json={"name": "Haircut", "duration_minutes": duration, "price": "30.00", **service_extra},
    )
    staff = await client.post(
        f"{API}/business/staff", headers=auth, json={"name": "Mia", "working_hours": hours}
    )
    assert service.status_code == 201, service.text
    assert staff.status_code == 201, staff.text
    return {"auth": auth, "service_id": service.json()["id"], "staff_id": staff.json()["id"]}


async def slots(client, biz, day: date, service_id=None) -> list[str]:
    response = await client.get(
        f"{API}/public/slots",
        params={
            "staff_id": biz["staff_id"],
            "service_id": service_id or biz["service_id"],
            "date": day.isoformat(),
        },
    )
    assert response.status_code == 200, response.text
    return [slot["start"] for slot in response.json()["slots"]]


async def book(client, biz, time: str, service_id=None, **customer):
    return await client.post(
        f"{API}/public/book",
        json={
            "staff_id": biz["staff_id"],
            "service_id": service_id or biz["service_id"],
            "time": time,
            "customer_info": customer or {"name": "Ada", "email": "ada@example.com"},
        },
    )


async def switch_tier(sessionmaker, business_id: str, tier: str, revision: int) -> None:
    """Puts a business on a plan the way billing does: a `subscription.upgraded` event
    applied by the business module (tests that need Pro without going through Stripe)."""
    from apptremind.business.service import apply_subscription_tier

    event = {
        "event_id": str(uuid.uuid4()),
        "event_type": "subscription.upgraded",
        "data": {"business_id": business_id, "tier": tier, "revision": revision},
    }
    async with sessionmaker() as session:
        assert await apply_subscription_tier(session, event)
        await session.commit()


async def go_pro(client, sessionmaker, biz) -> None:
    profile = (await client.get(f"{API}/business/profile", headers=biz["auth"])).json()
    await switch_tier(sessionmaker, profile["id"], "pro", revision=1)
