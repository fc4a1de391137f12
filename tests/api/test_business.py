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


async def test_services_can_be_created_listed_read_changed_and_archived(client, owner):
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
    assert service["archived"] is False
    assert service["archived_at"] is None

    assert [s["id"] for s in (await client.get(f"{API}/services", headers=owner)).json()] == [
        service["id"]
    ]
    assert (await client.get(url, headers=owner)).json() == service
    patched = await client.patch(
        url, headers=owner, json={"price": "40", "buffer_after_minutes": 10}
    )
    assert patched.json()["price"] == "40.00"
    assert patched.json()["buffer_after_minutes"] == 10
    deleted = await client.delete(url, headers=owner)
    assert deleted.status_code == 204
    assert deleted.content == b""
    archived = await client.get(url, headers=owner)
    assert archived.status_code == 200  # archived, not gone
    assert archived.json() | {"archived": False, "archived_at": None} == patched.json()
    assert archived.json()["archived"] is True
    assert (await client.get(f"{API}/services", headers=owner)).json() == []


async def add_service(client, owner, name) -> dict:
    response = await client.post(
        f"{API}/services",
        headers=owner,
        json={"name": name, "duration_minutes": 30, "price": "20"},
    )
    assert response.status_code == 201, response.text
    return response.json()


async def names(client, owner, **params) -> list[tuple[str, bool]]:
    response = await client.get(f"{API}/services", headers=owner, params=params)
    assert response.status_code == 200, response.text
    return [(s["name"], s["archived"]) for s in response.json()]


async def test_archiving_is_idempotent_and_archived_services_are_listed_last_on_request(
    client, owner
):
    colour = await add_service(client, owner, "Colour")
    for name in ("Wash", "Cut"):
        await add_service(client, owner, name)
    url = f"{API}/services/{colour['id']}"

    first = await client.delete(url, headers=owner)
    archived_at = (await client.get(url, headers=owner)).json()["archived_at"]
    again = await client.delete(url, headers=owner)
    by_patch = await client.patch(url, headers=owner, json={"archived": True})

    assert first.status_code == again.status_code == 204
    assert archived_at is not None
    assert archived_at.endswith(("+01:00", "+02:00"))  # the business's offset (Berlin)
    assert by_patch.status_code == 200, by_patch.text
    assert by_patch.json()["archived_at"] == archived_at  # the first archive's time stays
    assert await names(client, owner) == [("Cut", False), ("Wash", False)]
    assert await names(client, owner, include_archived="false") == [
        ("Cut", False),
        ("Wash", False),
    ]
    assert await names(client, owner, include_archived="true") == [
        ("Cut", False),
        ("Wash", False),
        ("Colour", True),
    ]


async def test_an_archived_service_is_restored_with_patch_and_can_be_changed_meanwhile(
    client, owner
):
    service = await add_service(client, owner, "Haircut")
    url = f"{API}/services/{service['id']}"
    await client.delete(url, headers=owner)

    renamed = await client.patch(url, headers=owner, json={"name": "Haircut (old)"})
    restored = await client.patch(url, headers=owner, json={"archived": False, "price": "25"})
    restored_again = await client.patch(url, headers=owner, json={"archived": False})

    assert renamed.json()["archived"] is True
    assert restored.status_code == 200, restored.text
    assert restored.json()["archived"] is False
    assert restored.json()["archived_at"] is None
    assert restored.json()["price"] == "25.00"
    assert restored_again.json() == restored.json()
    assert await names(client, owner) == [("Haircut (old)", False)]


@pytest.mark.parametrize("change", [{"archived": None}, {"archived": "maybe"}])
async def test_a_bad_archived_value_answers_422_and_changes_nothing(client, owner, change):
    service = await add_service(client, owner, "Haircut")
    url = f"{API}/services/{service['id']}"

    response = await client.patch(url, headers=owner, json=change)

    assert response.status_code == 422, response.text
    assert (await client.get(url, headers=owner)).json() == service


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
        ("PATCH", f"{API}/services/{service['id']}", {"archived": True}),
        ("DELETE", f"{API}/services/{uuid.uuid4()}", None),
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
    assert (
        await client.get(f"{API}/services", headers=owner, params={"include_archived": True})
    ).json() == []
    assert (await client.get(f"{API}/services/{service['id']}", headers=theirs)).json() == service
    assert (await client.get(f"{API}/staff/{staff['id']}", headers=theirs)).json()[
        "is_active"
    ] is True


async def test_a_path_id_that_is_not_a_uuid_answers_422(client, owner):
    response = await client.get(f"{API}/services/42", headers=owner)
    assert response.status_code == 422
