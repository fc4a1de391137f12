import uuid

import pytest

from tests.helpers import bearer, register
from tests.scenarios import switch_tier

API = "/api/v1/business"
LUNCH_BREAK = [
    {"day_of_week": 0, "start_time": "09:00", "end_time": "12:00"},
    {"day_of_week": 0, "start_time": "13:00", "end_time": "17:00"},
    {"day_of_week": 5, "start_time": "18:00", "end_time": "24:00"},
]


@pytest.fixture
async def owner(client):
    body = await register(client, business_name="Studio Nord", timezone="Europe/Berlin")
    return bearer(body["access_token"])


async def test_profile_starts_with_the_documented_defaults(client, owner):
    profile = (await client.get(f"{API}/profile", headers=owner)).json()

    assert profile["name"] == "Studio Nord"
    assert profile["slug"] == "studio-nord"
    assert profile["timezone"] == "Europe/Berlin"
    assert profile["subscription_tier"] == "free"
    assert profile["reminder_offsets_minutes"] == [1440, 60]
    assert profile["reminder_channels"] == ["email"]
    assert profile["booking_horizon_days"] == 365
    assert profile["min_notice_minutes"] == 60
    assert profile["slot_interval_minutes"] is None


async def test_profile_changes_are_saved(client, owner, sessionmaker):
    me = (await client.get(f"{API}/profile", headers=owner)).json()
    await switch_tier(sessionmaker, me["id"], "pro", revision=1)  # SMS is a Pro feature
    change = {
        "name": "Studio Süd",
        "timezone": "America/Los_Angeles",
        "reminder_offsets_minutes": [60, 2880],
        "reminder_channels": ["email", "sms"],
        "booking_horizon_days": 90,
        "min_notice_minutes": 0,
        "slug": "studio-sued",
    }

    response = await client.patch(f"{API}/profile", headers=owner, json=change)

    assert response.status_code == 200, response.text
    saved = (await client.get(f"{API}/profile", headers=owner)).json()
    assert saved == response.json()
    assert saved["reminder_offsets_minutes"] == [2880, 60]
    assert {k: saved[k] for k in change if k != "reminder_offsets_minutes"} == {
        k: v for k, v in change.items() if k != "reminder_offsets_minutes"
    }


async def test_businesses_with_the_same_name_get_distinct_slugs(client):
    first = await register(client, business_name="Hair & Co")
    second = await register(client, business_name="Hair & Co")

    slugs = [
        (await client.get(f"{API}/profile", headers=bearer(b["access_token"]))).json()["slug"]
        for b in (first, second)
    ]
    assert slugs[0] == "hair-co"
    assert slugs[1].startswith("hair-co-")


async def test_a_slug_used_by_another_business_answers_409(client, owner):
    other = await register(client, business_name="Taken Name")
    response = await client.patch(f"{API}/profile", headers=owner, json={"slug": "taken-name"})

    assert response.status_code == 409
    assert other["business_id"]


@pytest.mark.parametrize(
    "change",
    [
        {"timezone": "Mars/Olympus"},
        {"timezone": "CET"},
        {"reminder_offsets_minutes": [0]},
        {"reminder_offsets_minutes": [60, 60]},
        {"reminder_channels": ["fax"]},
        {"reminder_channels": []},
        {"booking_horizon_days": 0},
        {"min_notice_minutes": -1},
        {"name": None},
        {"slug": "Not A Slug"},
        {"subscription_tier": "pro"},
    ],
)
async def test_bad_profile_changes_answer_422_and_change_nothing(client, owner, change):
    before = (await client.get(f"{API}/profile", headers=owner)).json()

    response = await client.patch(f"{API}/profile", headers=owner, json=change)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get(f"{API}/profile", headers=owner)).json() == before


async def test_services_can_be_created_listed_read_changed_and_deleted(client, owner):
    created = await client.post(
        f"{API}/services",
        headers=owner,
        json={"name": "Haircut", "duration_minutes": 45, "price": "35.50", "description": "Wash"},
    )
    assert created.status_code == 201
    service = created.json()
    url = f"{API}/services/{service['id']}"
    assert service["price"] == "35.50"
    assert service["buffer_before_minutes"] == service["buffer_after_minutes"] == 0

    assert [s["id"] for s in (await client.get(f"{API}/services", headers=owner)).json()] == [
        service["id"]
    ]
    assert (await client.get(url, headers=owner)).json() == service
    patched = await client.patch(
        url, headers=owner, json={"price": "40", "buffer_after_minutes": 10}
    )
    assert patched.json()["price"] == "40.00"
    assert patched.json()["buffer_after_minutes"] == 10
    assert (await client.delete(url, headers=owner)).status_code == 204
    assert (await client.get(url, headers=owner)).status_code == 404
    assert (await client.get(f"{API}/services", headers=owner)).json() == []


@pytest.mark.parametrize(
    "body",
    [
        {"name": "X", "duration_minutes": -5, "price": "10"},
        {"name": "X", "duration_minutes": 0, "price": "10"},
        {"name": "X", "duration_minutes": 30, "price": "-1"},
        {"name": "X", "duration_minutes": "long", "price": "10"},
        {"name": "", "duration_minutes": 30, "price": "10"},
        {"name": "X", "duration_minutes": 30, "price": "10", "colour": "red"},
        {"name": "X", "duration_minutes": 30},
    ],
)
async def test_bad_services_answer_422_and_are_not_created(client, owner, body):
    response = await client.post(f"{API}/services", headers=owner, json=body)

    assert response.status_code == 422
    assert response.json()["errors"]
    assert (await client.get(f"{API}/services", headers=owner)).json() == []


async def test_staff_keep_several_intervals_a_day_and_a_day_ending_at_24_00(client, owner):
    created = await client.post(
        f"{API}/staff", headers=owner, json={"name": "Mia", "working_hours": LUNCH_BREAK}
    )

    assert created.status_code == 201
    staff = created.json()
    assert staff["is_active"] is True
    assert staff["working_hours"] == LUNCH_BREAK
    assert (await client.get(f"{API}/staff/{staff['id']}", headers=owner)).json() == staff


async def test_staff_hours_are_replaced_and_deleting_deactivates(client, owner):
    staff = (
        await client.post(
            f"{API}/staff", headers=owner, json={"name": "Mia", "working_hours": LUNCH_BREAK}
        )
    ).json()
    url = f"{API}/staff/{staff['id']}"
    new_week = [{"day_of_week": 2, "start_time": "10:00", "end_time": "14:00"}]

    patched = await client.patch(
        url, headers=owner, json={"name": "Mia K.", "working_hours": new_week}
    )
    deleted = await client.delete(url, headers=owner)

    assert patched.json()["working_hours"] == new_week
    assert patched.json()["name"] == "Mia K."
    assert deleted.status_code == 204
    listed = (await client.get(f"{API}/staff", headers=owner)).json()
    assert [(s["name"], s["is_active"]) for s in listed] == [("Mia K.", False)]
    reactivated = await client.patch(url, headers=owner, json={"is_active": True})
    assert reactivated.json()["is_active"] is True


@pytest.mark.parametrize(
    "hours",
    [
        [{"day_of_week": 0, "start_time": "17:00", "end_time": "09:00"}],
        [{"day_of_week": 0, "start_time": "09:00", "end_time": "09:00"}],
        [{"day_of_week": 7, "start_time": "09:00", "end_time": "17:00"}],
        [{"day_of_week": -1, "start_time": "09:00", "end_time": "17:00"}],
        [{"day_of_week": 0, "start_time": "9am", "end_time": "17:00"}],
        [{"day_of_week": 0, "start_time": "09:00", "end_time": "24:30"}],
        [
            {"day_of_week": 0, "start_time": "09:00", "end_time": "13:00"},
            {"day_of_week": 0, "start_time": "12:00", "end_time": "17:00"},
        ],
    ],
)
async def test_bad_working_hours_answer_422_and_change_nothing(client, owner, hours):
    staff = (
        await client.post(
            f"{API}/staff", headers=owner, json={"name": "Mia", "working_hours": LUNCH_BREAK}
        )
    ).json()

    created = await client.post(
        f"{API}/staff", headers=owner, json={"name": "X", "working_hours": hours}
    )
    patched = await client.patch(
        f"{API}/staff/{staff['id']}", headers=owner, json={"working_hours": hours}
    )

    assert created.status_code == 422
    assert patched.status_code == 422
    assert patched.json()["errors"]
    listed = (await client.get(f"{API}/staff", headers=owner)).json()
    assert [(s["name"], s["working_hours"]) for s in listed] == [("Mia", LUNCH_BREAK)]


async def test_another_businesss_ids_answer_404_and_leak_nothing(client, owner):
    theirs = bearer((await register(client, business_name="Other"))["access_token"])
    service = (
        await client.post(
            f"{API}/services",
            headers=theirs,
            json={"name": "Secret", "duration_minutes": 30, "price": "1"},
        )
    ).json()
    staff = (await client.post(f"{API}/staff", headers=theirs, json={"name": "Hidden"})).json()

    for method, url, body in [
        ("GET", f"{API}/services/{service['id']}", None),
        ("PATCH", f"{API}/services/{service['id']}", {"name": "Mine"}),
        ("DELETE", f"{API}/services/{service['id']}", None),
        ("GET", f"{API}/staff/{staff['id']}", None),
        ("PATCH", f"{API}/staff/{staff['id']}", {"name": "Mine"}),
        ("DELETE", f"{API}/staff/{staff['id']}", None),
        ("GET", f"{API}/services/{uuid.uuid4()}", None),
    ]:
        response = await client.request(method, url, headers=owner, json=body)
        assert response.status_code == 404, (method, url)
        assert "Secret" not in response.text
        assert "Hidden" not in response.text
    assert (await client.get(f"{API}/services", headers=owner)).json() == []
    assert (await client.get(f"{API}/services/{service['id']}", headers=theirs)).json()[
        "name"
    ] == "Secret"
    assert (await client.get(f"{API}/staff/{staff['id']}", headers=theirs)).json()[
        "is_active"
    ] is True


async def test_a_path_id_that_is_not_a_uuid_answers_422(client, owner):
    response = await client.get(f"{API}/services/42", headers=owner)
    assert response.status_code == 422
