"""The public booking contract (docs/public-booking-api.md): discovery by slug, the days
with free times, slots and bookings with any staff member, the customer's note, the manage
view and its calendar file; bad input is a problem+json 4xx and writes nothing."""

import asyncio
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from apptremind.booking.manage_links import manage_token
from apptremind.booking.models import Appointment
from apptremind.outbox.models import OutboxEvent
from tests.scenarios import ALL_WEEK_9_TO_17, API, a_day_ahead, at, book, go_pro, setup_business

PROBLEM = "application/problem+json"


async def appointments_count(sessionmaker) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Appointment)))


async def add_staff(client, biz, name, hours=ALL_WEEK_9_TO_17) -> str:
    response = await client.post(
        f"{API}/business/staff", headers=biz["auth"], json={"name": name, "working_hours": hours}
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def team_of_two(client, sessionmaker):
    """A Pro business whose staff Mia and Noah both work 9 to 17 every day."""
    biz = await setup_business(client)
    await go_pro(client, sessionmaker, biz)
    biz["other_staff_id"] = await add_staff(client, biz, "Noah")
    return biz


async def profile(client, biz) -> dict:
    return (await client.get(f"{API}/business/profile", headers=biz["auth"])).json()


async def book_any(client, biz, when, **extra):
    """Books with no staff member named, unless `extra` names one or overrides a field."""
    body = {
        "service_id": biz["service_id"],
        "time": when,
        "customer_info": {"name": "Ada", "email": "ada@example.com"},
        **extra,
    }
    return await client.post(f"{API}/public/book", json=body)


async def availability(client, biz, first, last, **params):
    return await client.get(
        f"{API}/public/availability",
        params={"service_id": biz["service_id"], "from": str(first), "to": str(last), **params},
    )


# --- discovery ---------------------------------------------------------------------------


async def test_a_business_is_found_by_its_slug_with_services_and_only_active_staff(
    client, sessionmaker
):
    biz = await team_of_two(client, sessionmaker)
    await client.delete(f"{API}/business/staff/{biz['other_staff_id']}", headers=biz["auth"])
    slug = (await profile(client, biz))["slug"]

    response = await client.get(f"{API}/public/businesses/{slug}")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["slug"] == slug
    assert body["timezone"] == "Europe/Berlin"
    assert body["booking_horizon_days"] == 365
    assert body["address"] is None
    assert body["country"] == "DE"  # guessed from Europe/Berlin
    assert [(s["id"], s["name"], s["price"]) for s in body["services"]] == [
        (biz["service_id"], "Haircut", "30.00")
    ]
    assert body["staff"] == [{"id": biz["staff_id"], "name": "Mia"}]


async def test_an_unknown_slug_is_a_404_problem(client):
    response = await client.get(f"{API}/public/businesses/no-such-business")

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


async def test_the_owner_sets_address_and_country_and_the_public_page_shows_them(client):
    biz = await setup_business(client)

    patched = await client.patch(
        f"{API}/business/profile",
        headers=biz["auth"],
        json={"address": "Hauptstraße 1, 10115 Berlin", "country": "AT"},
    )
    public = await client.get(f"{API}/public/businesses/{patched.json()['slug']}")

    assert patched.status_code == 200, patched.text
    assert patched.json()["address"] == "Hauptstraße 1, 10115 Berlin"
    assert patched.json()["country"] == patched.json()["default_country"] == "AT"
    assert public.json()["address"] == "Hauptstraße 1, 10115 Berlin"
    assert public.json()["country"] == "AT"


async def test_clearing_the_country_falls_back_to_the_time_zones(client):
    biz = await setup_business(client, timezone="America/New_York")
    await client.patch(f"{API}/business/profile", headers=biz["auth"], json={"country": "CA"})

    cleared = await client.patch(
        f"{API}/business/profile", headers=biz["auth"], json={"country": None}
    )

    assert cleared.json()["country"] is None
    assert cleared.json()["default_country"] == "US"


async def test_a_zone_of_no_single_country_guesses_no_country(client):
    biz = await setup_business(client, timezone="UTC")

    assert (await profile(client, biz))["default_country"] is None


@pytest.mark.parametrize(
    "change",
    [
        {"country": "ZZ"},  # not a country
        {"country": "de"},  # lower case
        {"country": "DEU"},  # alpha-3
        {"address": "x" * 301},
        {"address": "Line one\nLine two"},
        {"name": "Salon\r\nBcc: someone"},
    ],
)
async def test_invalid_profile_details_are_refused_and_nothing_changes(client, change):
    biz = await setup_business(client)
    before = await profile(client, biz)

    response = await client.patch(f"{API}/business/profile", headers=biz["auth"], json=change)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert await profile(client, biz) == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/business/services", {"name": "Cut\nBcc: x", "duration_minutes": 30, "price": "1"}),
        ("/business/staff", {"name": "Mia\x1b[31m", "working_hours": []}),
    ],
)
async def test_names_with_control_characters_are_refused(client, path, body):
    biz = await setup_business(client)

    response = await client.post(f"{API}{path}", headers=biz["auth"], json=body)

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "name"


# --- availability ------------------------------------------------------------------------


async def test_days_off_and_fully_booked_days_are_unavailable(client):
    biz = await setup_business(client)
    first = a_day_ahead(5)
    day_off, full_day = first + timedelta(days=1), first + timedelta(days=2)
    overrides = f"{API}/business/staff/{biz['staff_id']}/overrides"
    await client.put(f"{overrides}/{day_off}", headers=biz["auth"], json={"working_hours": []})
    await client.put(
        f"{overrides}/{full_day}",
        headers=biz["auth"],
        json={"working_hours": [{"start_time": "09:00", "end_time": "10:00"}]},
    )
    assert (await book(client, biz, at(full_day, 9))).status_code == 201

    response = await availability(client, biz, first, first + timedelta(days=3))

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["timezone"] == "Europe/Berlin"
    assert body["from"] == str(first)
    assert body["to"] == str(first + timedelta(days=3))
    assert [(d["date"], d["available"]) for d in body["days"]] == [
        (str(first), True),
        (str(day_off), False),
        (str(full_day), False),
        (str(first + timedelta(days=3)), True),
    ]
    assert body["next_available_date"] == str(first)


async def test_next_available_date_looks_past_the_range(client):
    open_day = a_day_ahead(40)
    hours = [{"day_of_week": open_day.weekday(), "start_time": "09:00", "end_time": "17:00"}]
    biz = await setup_business(client, hours=hours)
    # The six days between two of its working weekdays, the next of which is open_day.
    first, last = open_day - timedelta(days=6), open_day - timedelta(days=1)

    body = (await availability(client, biz, first, last)).json()

    assert not any(day["available"] for day in body["days"])
    assert body["next_available_date"] == str(open_day)


async def test_next_available_date_is_null_when_nobody_ever_works(client):
    biz = await setup_business(client, hours=[])

    body = (await availability(client, biz, a_day_ahead(1), a_day_ahead(62))).json()

    assert len(body["days"]) == 62
    assert body["next_available_date"] is None


async def test_with_any_staff_a_day_is_available_when_someone_is_free(client, sessionmaker):
    biz = await team_of_two(client, sessionmaker)
    day = a_day_ahead(6)
    overrides = f"{API}/business/staff/{biz['staff_id']}/overrides/{day}"
    await client.put(overrides, headers=biz["auth"], json={"working_hours": []})

    anyone = (await availability(client, biz, day, day)).json()
    mia = (await availability(client, biz, day, day, staff_id=biz["staff_id"])).json()

    assert anyone["days"] == [{"date": str(day), "available": True}]
    assert mia["days"] == [{"date": str(day), "available": False}]
    assert mia["next_available_date"] == str(day + timedelta(days=1))


@pytest.mark.parametrize(
    ("first_offset", "last_offset"),
    [(1, 63), (10, 9)],  # 63 days; `to` before `from`
)
async def test_a_too_long_or_reversed_range_is_a_422_problem(client, first_offset, last_offset):
    biz = await setup_business(client)

    response = await availability(client, biz, a_day_ahead(first_offset), a_day_ahead(last_offset))

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-02-30", "to": "2026-03-01"},
        {"from": "tomorrow", "to": "2026-03-01"},
        {"service_id": "not-a-uuid"},
    ],
)
async def test_malformed_availability_queries_are_422_problems(client, params):
    biz = await setup_business(client)
    query = {"service_id": biz["service_id"], "from": str(a_day_ahead()), "to": str(a_day_ahead())}

    response = await client.get(f"{API}/public/availability", params={**query, **params})

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


async def test_dates_beyond_any_horizon_are_unavailable_not_errors(client):
    biz = await setup_business(client)

    far = await client.get(
        f"{API}/public/availability",
        params={"service_id": biz["service_id"], "from": "9999-12-01", "to": "9999-12-31"},
    )
    ancient = await client.get(
        f"{API}/public/slots", params={"service_id": biz["service_id"], "date": "0001-01-01"}
    )
    last_day = await client.get(
        f"{API}/public/slots", params={"service_id": biz["service_id"], "date": "9999-12-31"}
    )

    assert far.status_code == 200, far.text
    assert not any(day["available"] for day in far.json()["days"])
    assert far.json()["next_available_date"] is None
    assert ancient.json()["slots"] == last_day.json()["slots"] == []


async def test_a_staff_member_of_another_business_is_not_found(client):
    biz, other = await setup_business(client), await setup_business(client)
    day = a_day_ahead()

    days = await availability(client, biz, day, day, staff_id=other["staff_id"])
    slots = await client.get(
        f"{API}/public/slots",
        params={"service_id": biz["service_id"], "date": str(day), "staff_id": other["staff_id"]},
    )

    assert days.status_code == slots.status_code == 404
    assert days.headers["content-type"] == PROBLEM


# --- slots with any staff ----------------------------------------------------------------


async def test_slots_without_staff_list_everyone_free_at_each_start(client, sessionmaker):
    biz = await team_of_two(client, sessionmaker)
    day = a_day_ahead()
    assert (await book(client, biz, at(day, 9))).status_code == 201  # Mia at 9

    response = await client.get(
        f"{API}/public/slots", params={"service_id": biz["service_id"], "date": str(day)}
    )

    slots = response.json()["slots"]
    assert [s["start"] for s in slots] == [at(day, h) for h in range(9, 17)]
    assert slots[0]["staff_ids"] == [biz["other_staff_id"]]
    assert sorted(slots[1]["staff_ids"]) == sorted([biz["staff_id"], biz["other_staff_id"]])


async def test_slots_of_one_staff_member_name_only_them(client):
    biz = await setup_business(client)
    day = a_day_ahead()

    response = await client.get(
        f"{API}/public/slots",
        params={"service_id": biz["service_id"], "date": str(day), "staff_id": biz["staff_id"]},
    )

    assert {tuple(s["staff_ids"]) for s in response.json()["slots"]} == {(biz["staff_id"],)}


# --- booking -----------------------------------------------------------------------------


async def test_booking_returns_the_staff_member_and_a_working_manage_link(client, settings):
    biz = await setup_business(client)

    response = await book(client, biz, at(a_day_ahead(), 10))

    body = response.json()
    appointment_id = body["appointment_id"]
    assert body["staff_id"] == biz["staff_id"]
    end = datetime.fromisoformat(body["end_time"])
    assert body["manage_token"] == manage_token(settings, uuid.UUID(appointment_id), end)
    assert body["manage_url"] == (
        f"{settings.public_base_url}/manage/{appointment_id}?token={body['manage_token']}"
    )
    shown = await client.get(
        f"{API}/public/appointments/{appointment_id}", params={"token": body["manage_token"]}
    )
    assert shown.status_code == 200, shown.text


async def test_booking_any_staff_fills_the_team_then_answers_409(client, sessionmaker):
    biz = await team_of_two(client, sessionmaker)
    time = at(a_day_ahead(), 10)

    first = await book_any(client, biz, time, staff_id=None)
    second = await book_any(client, biz, time)
    third = await book_any(client, biz, time)

    assert first.status_code == second.status_code == 201, second.text
    assert {first.json()["staff_id"], second.json()["staff_id"]} == {
        biz["staff_id"],
        biz["other_staff_id"],
    }
    assert third.status_code == 409
    assert third.headers["content-type"] == PROBLEM
    assert await appointments_count(sessionmaker) == 2


async def test_booking_any_staff_prefers_who_is_least_booked_that_day(client, sessionmaker):
    biz = await team_of_two(client, sessionmaker)
    day = a_day_ahead()
    assert (await book(client, biz, at(day, 9))).status_code == 201  # Mia has one

    response = await book_any(client, biz, at(day, 14))

    assert response.json()["staff_id"] == biz["other_staff_id"]


async def test_concurrent_any_staff_bookings_of_one_time_give_one_per_staff_member(
    client, sessionmaker
):
    biz = await team_of_two(client, sessionmaker)
    time = at(a_day_ahead(), 11)

    responses = await asyncio.gather(*(book_any(client, biz, time) for _ in range(12)))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 201] + [409] * 10
    assert await appointments_count(sessionmaker) == 2


async def test_booking_any_staff_when_nobody_works_then_is_422(client, sessionmaker):
    biz = await team_of_two(client, sessionmaker)

    response = await book_any(client, biz, at(a_day_ahead(), 20))

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


async def test_the_note_reaches_the_owner_and_the_manage_view(client):
    biz = await setup_business(client)
    note = "First visit.\r\nPlease use the side door.\tThanks"

    booked = await book_any(client, biz, at(a_day_ahead(), 10), note=note)

    assert booked.status_code == 201, booked.text
    appointment_id = booked.json()["appointment_id"]
    owner = await client.get(f"{API}/appointments/{appointment_id}", headers=biz["auth"])
    listed = await client.get(f"{API}/appointments", headers=biz["auth"])
    manage = await client.get(
        f"{API}/public/appointments/{appointment_id}",
        params={"token": booked.json()["manage_token"]},
    )
    stored = "First visit.\nPlease use the side door.\tThanks"
    assert owner.json()["note"] == listed.json()[0]["note"] == manage.json()["note"] == stored
    assert owner.json()["staff_name"] == listed.json()[0]["staff_name"] == "Mia"


async def test_the_manage_view_names_the_staff_member_and_the_business(client):
    biz = await setup_business(client)
    await client.patch(
        f"{API}/business/profile", headers=biz["auth"], json={"address": "Hauptstraße 1"}
    )
    slug = (await profile(client, biz))["slug"]
    booked = (await book(client, biz, at(a_day_ahead(), 10))).json()

    response = await client.get(
        f"{API}/public/appointments/{booked['appointment_id']}",
        params={"token": booked["manage_token"]},
    )

    body = response.json()
    assert body["staff_id"] == biz["staff_id"]
    assert body["staff_name"] == "Mia"
    assert body["timezone"] == "Europe/Berlin"
    assert body["start_time"] == at(a_day_ahead(), 10)
    assert body["note"] is None
    assert body["customer"] == {"name": "Ada", "email": "ada@example.com", "phone": None}
    assert body["business"] == {
        "name": "Studio Nord",
        "slug": slug,
        "address": "Hauptstraße 1",
        "timezone": "Europe/Berlin",
        "currency": "EUR",
    }
    assert "reminders" not in body


async def test_the_calendar_file_downloads_with_the_link_token_only(client):
    biz = await setup_business(client)
    booked = (await book(client, biz, at(a_day_ahead(), 10))).json()
    url = f"{API}/public/appointments/{booked['appointment_id']}/calendar.ics"

    response = await client.get(url, params={"token": booked["manage_token"]})
    forged = await client.get(url, params={"token": "forged"})

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["content-disposition"].startswith("attachment;")
    ics = response.text
    assert f"UID:appointment-{booked['appointment_id']}@apptremind" in ics
    assert "SUMMARY:Haircut at Studio Nord" in ics
    assert "STATUS:CONFIRMED" in ics
    assert forged.status_code == 404
    assert forged.headers["content-type"] == PROBLEM


def note_of(size: int) -> str:
    return "n" * size


@pytest.mark.parametrize(
    "change",
    [
        {"note": note_of(1001)},
        {"note": "ring twice\x07"},
        {"note": "lone\rreturn"},
        {"customer_info": {"name": "Ada\nLovelace", "email": "ada@example.com"}},
        {"customer_info": {"name": "Ada\u2028Lovelace", "email": "ada@example.com"}},
        {"customer_info": {"name": "Ada", "phone": "0170 1234567"}},  # no country code
        {"customer_info": {"name": "Ada"}},  # neither email nor phone
        {"time": "9999-12-31T10:00:00+00:00"},
        {"time": "0001-01-01T10:00:00+00:00"},
    ],
)
async def test_bad_booking_input_is_a_422_problem_and_writes_nothing(client, sessionmaker, change):
    biz = await setup_business(client)

    response = await book_any(client, biz, at(a_day_ahead(), 10), **change)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert await appointments_count(sessionmaker) == 0


async def test_a_note_of_exactly_1000_characters_is_kept(client):
    biz = await setup_business(client)

    response = await book_any(client, biz, at(a_day_ahead(), 10), note=note_of(1000))

    assert response.status_code == 201, response.text


@pytest.mark.parametrize("hour", [-48, 3])  # two days ago; 03:00, outside the hours
async def test_a_past_or_outside_hours_time_is_422_with_or_without_staff(client, hour):
    biz = await setup_business(client)
    time = at(a_day_ahead(0) - timedelta(days=2), 10) if hour < 0 else at(a_day_ahead(), hour)

    with_staff = await book(client, biz, time)
    anyone = await book_any(client, biz, time)

    assert with_staff.status_code == anyone.status_code == 422
    assert anyone.headers["content-type"] == PROBLEM


async def test_booking_a_staff_member_of_another_business_is_404_and_writes_nothing(
    client, sessionmaker
):
    biz, other = await setup_business(client), await setup_business(client)

    response = await book_any(client, biz, at(a_day_ahead(), 10), staff_id=other["staff_id"])

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert await appointments_count(sessionmaker) == 0


async def test_next_available_date_is_found_months_ahead_past_several_search_chunks(client):
    biz = await setup_business(client, hours=[])
    special_day = a_day_ahead(150)
    await client.put(
        f"{API}/business/staff/{biz['staff_id']}/overrides/{special_day}",
        headers=biz["auth"],
        json={"working_hours": [{"start_time": "10:00", "end_time": "12:00"}]},
    )

    body = (await availability(client, biz, a_day_ahead(1), a_day_ahead(10))).json()

    assert body["next_available_date"] == str(special_day)


# --- archived services -------------------------------------------------------------------


async def outbox_count(sessionmaker) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(OutboxEvent)))


async def archive(client, biz) -> None:
    response = await client.delete(
        f"{API}/business/services/{biz['service_id']}", headers=biz["auth"]
    )
    assert response.status_code == 204, response.text


async def public_answers(client, biz, service_id) -> list[tuple[int, str, str]]:
    """Slots and availability, with and without a staff member, and both kinds of booking:
    status, content type and title of each answer."""
    day = a_day_ahead()
    staff = {"staff_id": biz["staff_id"]}
    for_service = {"service_id": service_id}
    responses = [
        await client.get(f"{API}/public/slots", params={**for_service, "date": str(day)}),
        await client.get(f"{API}/public/slots", params={**for_service, "date": str(day), **staff}),
        await availability(client, biz, day, day, **for_service),
        await availability(client, biz, day, day, **for_service, **staff),
        await book_any(client, biz, at(day, 10), **for_service),
        await book_any(client, biz, at(day, 10), **for_service, **staff),
    ]
    return [
        (r.status_code, r.headers["content-type"], r.json().get("title", "")) for r in responses
    ]


async def test_an_archived_service_is_not_offered_and_answers_like_an_unknown_one(
    client, sessionmaker
):
    biz = await team_of_two(client, sessionmaker)
    slug = (await profile(client, biz))["slug"]
    other = (
        await client.post(
            f"{API}/business/services",
            headers=biz["auth"],
            json={"name": "Colour", "duration_minutes": 90, "price": "80.00"},
        )
    ).json()
    writes = (await appointments_count(sessionmaker), await outbox_count(sessionmaker))

    await archive(client, biz)
    page = (await client.get(f"{API}/public/businesses/{slug}")).json()
    archived = await public_answers(client, biz, biz["service_id"])
    unknown = await public_answers(client, biz, str(uuid.uuid4()))

    assert [s["id"] for s in page["services"]] == [other["id"]]
    assert len(page["staff"]) == 2  # staff are not affected
    assert archived == unknown
    assert archived == [(404, PROBLEM, "Service not found")] * 6
    assert (await appointments_count(sessionmaker), await outbox_count(sessionmaker)) == writes


async def test_a_restored_service_is_offered_and_booked_again(client, sessionmaker):
    biz = await setup_business(client)
    slug = (await profile(client, biz))["slug"]
    await archive(client, biz)

    restored = await client.patch(
        f"{API}/business/services/{biz['service_id']}",
        headers=biz["auth"],
        json={"archived": False},
    )

    assert restored.status_code == 200, restored.text
    page = (await client.get(f"{API}/public/businesses/{slug}")).json()
    assert [s["id"] for s in page["services"]] == [biz["service_id"]]
    assert at(a_day_ahead(), 10) in [
        s["start"]
        for s in (
            await client.get(
                f"{API}/public/slots",
                params={"service_id": biz["service_id"], "date": str(a_day_ahead())},
            )
        ).json()["slots"]
    ]
    assert (await book(client, biz, at(a_day_ahead(), 10))).status_code == 201
    assert await appointments_count(sessionmaker) == 1


async def test_appointments_of_an_archived_service_stay_visible_with_times_to_move_to(client):
    biz = await setup_business(client)
    day = a_day_ahead()
    booked = (await book(client, biz, at(day, 10))).json()
    appointment_id, token = booked["appointment_id"], {"token": booked["manage_token"]}
    manage = f"{API}/public/appointments/{appointment_id}"
    owner = f"{API}/appointments/{appointment_id}"
    public_slots = (
        await client.get(
            f"{API}/public/slots",
            params={"service_id": biz["service_id"], "staff_id": biz["staff_id"], "date": str(day)},
        )
    ).json()
    public_days = (
        await availability(client, biz, day, day + timedelta(days=6), staff_id=biz["staff_id"])
    ).json()

    await archive(client, biz)

    listed = await client.get(f"{API}/appointments", headers=biz["auth"])
    details = await client.get(owner, headers=biz["auth"])
    shown = await client.get(manage, params=token)
    assert [a["id"] for a in listed.json()] == [appointment_id]
    assert details.json()["service_name"] == shown.json()["service_name"] == "Haircut"
    assert shown.json()["status"] == "booked"
    # The times to move it to: the same answers the public endpoints gave before the archive.
    range_ = {"from": str(day), "to": str(day + timedelta(days=6))}
    for slots in (
        await client.get(f"{manage}/slots", params={**token, "date": str(day)}),
        await client.get(f"{owner}/slots", headers=biz["auth"], params={"date": str(day)}),
    ):
        assert slots.status_code == 200, slots.text
        assert slots.json() == public_slots
        assert at(day, 10) not in [s["start"] for s in slots.json()["slots"]]  # its own time
    for days in (
        await client.get(f"{manage}/availability", params={**token, **range_}),
        await client.get(f"{owner}/availability", headers=biz["auth"], params=range_),
    ):
        assert days.status_code == 200, days.text
        assert days.json() == public_days


async def test_times_to_move_an_appointment_to_need_its_token_or_its_business(client):
    biz, other = await setup_business(client), await setup_business(client)
    booked = (await book(client, biz, at(a_day_ahead(), 10))).json()
    appointment_id = booked["appointment_id"]
    day = {"date": str(a_day_ahead())}
    range_ = {"from": str(a_day_ahead()), "to": str(a_day_ahead())}
    manage = f"{API}/public/appointments/{appointment_id}"
    owner = f"{API}/appointments/{appointment_id}"

    refused = [
        await client.get(f"{manage}/slots", params={"token": "forged", **day}),
        await client.get(f"{manage}/availability", params={"token": "forged", **range_}),
        await client.get(f"{owner}/slots", headers=other["auth"], params=day),
        await client.get(f"{owner}/availability", headers=other["auth"], params=range_),
        await client.get(
            f"{API}/appointments/{uuid.uuid4()}/slots", headers=biz["auth"], params=day
        ),
    ]
    anonymous = await client.get(f"{owner}/slots", params=day)
    reversed_range = await client.get(
        f"{owner}/availability",
        headers=biz["auth"],
        params={"from": str(a_day_ahead(2)), "to": str(a_day_ahead(1))},
    )

    assert [r.status_code for r in refused] == [404] * 5
    assert {r.headers["content-type"] for r in refused} == {PROBLEM}
    assert anonymous.status_code == 401
    assert reversed_range.status_code == 422
