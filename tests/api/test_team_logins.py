"""Team logins: roles, deactivation and what each role may reach, through HTTP."""

import asyncio
import uuid

import pytest
from sqlalchemy import text

from apptremind.auth import service as auth_service
from apptremind.auth.exceptions import NotAllowed
from apptremind.auth.tokens import Principal
from tests.helpers import bearer, register
from tests.scenarios import API

USERS = f"{API}/auth/users"


async def login(client, email: str, password: str = "a long password"):
    return await client.post(f"{API}/auth/login", json={"email": email, "password": password})


async def add_login(client, owner_auth, email: str, role: str) -> dict:
    created = await client.post(
        USERS,
        headers=owner_auth,
        json={"email": email, "password": "a long password", "role": role},
    )
    assert created.status_code == 201, created.text
    return created.json()


async def signed_in(client, email: str, password: str = "a long password") -> dict[str, str]:
    response = await login(client, email, password)
    assert response.status_code == 200, response.text
    return bearer(response.json()["access_token"])


async def team(client, auth) -> dict[str, dict]:
    response = await client.get(USERS, headers=auth)
    assert response.status_code == 200, response.text
    return {user["email"]: user for user in response.json()}


async def test_a_demoted_admin_loses_access_at_once_and_signs_in_again_as_staff(client):
    owner = await register(client, email="owner@example.com")
    auth = bearer(owner["access_token"])
    admin = await add_login(client, auth, "max@example.com", "admin")
    admin_session = await signed_in(client, "max@example.com")
    assert (await client.get(USERS, headers=admin_session)).status_code == 200

    demoted = await client.patch(f"{USERS}/{admin['id']}", headers=auth, json={"role": "staff"})

    assert demoted.status_code == 200
    assert demoted.json() == {**admin, "role": "staff", "is_active": True}
    stale = await client.get(f"{API}/appointments", headers=admin_session)
    assert stale.status_code == 401
    assert stale.headers["content-type"] == "application/problem+json"
    staff_session = await signed_in(client, "max@example.com")
    assert (await client.get(f"{API}/appointments", headers=staff_session)).status_code == 200
    profile_change = await client.patch(
        f"{API}/business/profile", headers=staff_session, json={"name": "Max's now"}
    )
    assert profile_change.status_code == 403
    assert (await team(client, auth))["max@example.com"]["role"] == "staff"


async def test_a_deactivated_login_is_signed_out_refused_at_sign_in_and_can_come_back(client):
    owner = await register(client, email="owner@example.com")
    auth = bearer(owner["access_token"])
    staff = await add_login(client, auth, "mia@example.com", "staff")
    old_session = await signed_in(client, "mia@example.com")

    deactivated = await client.delete(f"{USERS}/{staff['id']}", headers=auth)

    assert deactivated.status_code == 200
    assert deactivated.json() == {**staff, "is_active": False}
    assert (await client.get(f"{API}/appointments", headers=old_session)).status_code == 401
    refused = await login(client, "mia@example.com")
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["title"] == "Login deactivated"
    assert "deactivated" in refused.json()["detail"]
    # Without the password nobody learns that the login exists.
    wrong = await login(client, "mia@example.com", "not the password")
    assert wrong.json()["detail"] == "Email or password is wrong"
    listed = await team(client, auth)
    assert listed["mia@example.com"]["is_active"] is False
    assert listed["mia@example.com"]["role"] == "staff"
    assert (await client.delete(f"{USERS}/{staff['id']}", headers=auth)).status_code == 200

    reactivated = await client.patch(
        f"{USERS}/{staff['id']}", headers=auth, json={"is_active": True}
    )

    assert reactivated.status_code == 200
    assert reactivated.json()["is_active"] is True
    # A session from before the deactivation stays closed; a new sign-in works.
    assert (await client.get(f"{API}/appointments", headers=old_session)).status_code == 401
    fresh = await signed_in(client, "mia@example.com")
    assert (await client.get(f"{API}/appointments", headers=fresh)).status_code == 200


async def test_staff_cannot_change_logins(client):
    owner = await register(client, email="owner@example.com")
    auth = bearer(owner["access_token"])
    await add_login(client, auth, "mia@example.com", "staff")
    other = await add_login(client, auth, "tom@example.com", "staff")
    staff_session = await signed_in(client, "mia@example.com")

    attempts = [
        await client.patch(f"{USERS}/{other['id']}", headers=staff_session, json={"role": "admin"}),
        await client.delete(f"{USERS}/{other['id']}", headers=staff_session),
        await client.delete(f"{USERS}/{owner['user_id']}", headers=staff_session),
        await client.get(USERS, headers=staff_session),
    ]

    assert [a.status_code for a in attempts] == [403, 403, 403, 403]
    assert all(a.headers["content-type"] == "application/problem+json" for a in attempts)
    listed = await team(client, auth)
    assert listed["tom@example.com"] == {**other, "role": "staff", "is_active": True}
    assert listed["owner@example.com"]["is_active"] is True


async def test_an_admin_manages_staff_and_admins_but_not_owners(client):
    owner = await register(client, email="owner@example.com")
    auth = bearer(owner["access_token"])
    await add_login(client, auth, "max@example.com", "admin")
    other_admin = await add_login(client, auth, "ann@example.com", "admin")
    staff = await add_login(client, auth, "mia@example.com", "staff")
    admin = await signed_in(client, "max@example.com")
    owner_url = f"{USERS}/{owner['user_id']}"

    refused = [
        await client.patch(owner_url, headers=admin, json={"role": "staff"}),
        await client.patch(owner_url, headers=admin, json={"is_active": False}),
        await client.delete(owner_url, headers=admin),
        await client.patch(f"{USERS}/{staff['id']}", headers=admin, json={"role": "owner"}),
    ]
    promoted = await client.patch(f"{USERS}/{staff['id']}", headers=admin, json={"role": "admin"})
    demoted = await client.patch(
        f"{USERS}/{other_admin['id']}", headers=admin, json={"role": "staff"}
    )
    deactivated = await client.delete(f"{USERS}/{other_admin['id']}", headers=admin)

    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert [promoted.status_code, demoted.status_code, deactivated.status_code] == [200] * 3
    listed = await team(client, auth)
    assert listed["owner@example.com"]["role"] == "owner"
    assert listed["owner@example.com"]["is_active"] is True
    assert listed["mia@example.com"]["role"] == "admin"
    assert listed["ann@example.com"] == {**other_admin, "role": "staff", "is_active": False}


async def test_nobody_demotes_or_deactivates_their_own_login(client):
    owner = await register(client, email="owner@example.com")
    auth = bearer(owner["access_token"])
    admin_login = await add_login(client, auth, "max@example.com", "admin")
    admin = await signed_in(client, "max@example.com")
    mine = f"{USERS}/{owner['user_id']}"

    refused = [
        await client.patch(mine, headers=auth, json={"role": "admin"}),
        await client.patch(mine, headers=auth, json={"is_active": False}),
        await client.delete(mine, headers=auth),
        await client.patch(f"{USERS}/{admin_login['id']}", headers=admin, json={"role": "staff"}),
        await client.delete(f"{USERS}/{admin_login['id']}", headers=admin),
    ]
    unchanged = await client.patch(mine, headers=auth, json={"role": "owner", "is_active": True})

    assert [r.status_code for r in refused] == [409] * 5
    assert all(r.headers["content-type"] == "application/problem+json" for r in refused)
    assert "own login" in refused[0].json()["detail"]
    assert unchanged.status_code == 200
    # Nothing changed, so both sessions still work.
    assert (await client.get(USERS, headers=auth)).status_code == 200
    assert (await client.get(USERS, headers=admin)).status_code == 200
    listed = await team(client, auth)
    assert [listed[e]["role"] for e in ("owner@example.com", "max@example.com")] == [
        "owner",
        "admin",
    ]


async def test_ownership_passes_to_another_owner_and_the_business_keeps_one(client):
    owner = await register(client, email="owner@example.com")
    auth = bearer(owner["access_token"])
    heir = await add_login(client, auth, "heir@example.com", "admin")

    made_owner = await client.patch(f"{USERS}/{heir['id']}", headers=auth, json={"role": "owner"})
    heir_auth = await signed_in(client, "heir@example.com")
    stepped_down = await client.patch(
        f"{USERS}/{owner['user_id']}", headers=heir_auth, json={"role": "admin"}
    )
    former_owner = await signed_in(client, "owner@example.com", "correct horse battery")
    takes_back = await client.patch(
        f"{USERS}/{heir['id']}", headers=former_owner, json={"role": "staff"}
    )

    assert made_owner.status_code == stepped_down.status_code == 200
    assert takes_back.status_code == 403
    listed = await team(client, heir_auth)
    assert listed["heir@example.com"]["role"] == "owner"
    assert listed["owner@example.com"]["role"] == "admin"


async def test_two_owners_demoting_each_other_at_once_leave_one_owner(client, sessionmaker):
    owner = await register(client, email="a@example.com")
    a = bearer(owner["access_token"])
    b_login = await add_login(client, a, "b@example.com", "admin")
    assert (
        await client.patch(f"{USERS}/{b_login['id']}", headers=a, json={"role": "owner"})
    ).status_code == 200
    business_id = uuid.UUID(owner["business_id"])
    owner_a = Principal(uuid.UUID(owner["user_id"]), business_id, "owner")
    owner_b = Principal(uuid.UUID(b_login["id"]), business_id, "owner")

    async def b_deactivates_a() -> None:
        async with sessionmaker() as session:
            await auth_service.update_login(session, owner_b, owner_a.user_id, is_active=False)
            await session.commit()

    async with sessionmaker() as first:
        await auth_service.update_login(first, owner_a, owner_b.user_id, role="staff")
        second = asyncio.create_task(b_deactivates_a())
        await until_waiting_on_a_lock(sessionmaker, second)
        await first.commit()
    with pytest.raises(NotAllowed):
        await second

    listed = (await team(client, a)).values()
    assert [u["email"] for u in listed if u["role"] == "owner" and u["is_active"]] == [
        "a@example.com"
    ]


async def until_waiting_on_a_lock(sessionmaker, task: asyncio.Task) -> None:
    """Returns once another transaction waits on a row lock (or the task ended without)."""
    async with asyncio.timeout(10), sessionmaker() as session:
        while not task.done():
            waiting = await session.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
            )
            await session.rollback()
            if waiting:
                return
            await asyncio.sleep(0.01)


async def test_logins_of_another_business_are_not_found(client):
    mine = await register(client, email="owner@example.com")
    theirs = await register(client, email="other@example.com")
    their_staff = await add_login(
        client, bearer(theirs["access_token"]), "their-staff@example.com", "staff"
    )
    auth = bearer(mine["access_token"])

    answers = [
        await client.patch(f"{USERS}/{their_staff['id']}", headers=auth, json={"role": "admin"}),
        await client.delete(f"{USERS}/{their_staff['id']}", headers=auth),
        await client.delete(f"{USERS}/{theirs['user_id']}", headers=auth),
        await client.patch(f"{USERS}/{uuid.uuid4()}", headers=auth, json={"is_active": False}),
    ]

    assert [a.status_code for a in answers] == [404] * 4
    assert all(a.headers["content-type"] == "application/problem+json" for a in answers)
    assert (await login(client, "their-staff@example.com")).status_code == 200


async def test_bad_login_changes_answer_422(client):
    owner = await register(client)
    auth = bearer(owner["access_token"])
    staff = await add_login(client, auth, "mia@example.com", "staff")
    url = f"{USERS}/{staff['id']}"

    answers = [
        await client.patch(url, headers=auth, json={"role": "superuser"}),
        await client.patch(url, headers=auth, json={"is_active": "maybe"}),
        await client.patch(url, headers=auth, json={"email": "new@example.com"}),
        await client.patch(f"{USERS}/not-a-uuid", headers=auth, json={"role": "staff"}),
    ]

    assert [a.status_code for a in answers] == [422] * 4
    assert (await team(client, auth))["mia@example.com"]["role"] == "staff"


async def test_staff_read_appointments_but_not_setup_nor_billing(client):
    owner = await register(client)
    await add_login(client, bearer(owner["access_token"]), "mia@example.com", "staff")
    staff = await signed_in(client, "mia@example.com")

    reads = [
        await client.get(f"{API}/appointments", headers=staff),
        await client.get(f"{API}/business/profile", headers=staff),
    ]
    refused = [
        await client.patch(f"{API}/business/profile", headers=staff, json={"name": "X"}),
        await client.post(
            f"{API}/business/services",
            headers=staff,
            json={"name": "X", "duration_minutes": 30, "price": "1"},
        ),
        await client.post(f"{API}/business/staff", headers=staff, json={"name": "Y"}),
        await client.get(f"{API}/billing/subscription", headers=staff),
        await client.get(f"{API}/billing/invoices", headers=staff),
        await client.post(f"{API}/billing/checkout", headers=staff),
        await client.post(f"{API}/billing/portal", headers=staff),
    ]

    assert [r.status_code for r in reads] == [200, 200]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert all(r.headers["content-type"] == "application/problem+json" for r in refused)
