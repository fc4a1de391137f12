import uuid
from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy import select, update

from apptremind.auth import service as auth_service
from apptremind.auth.models import PasswordResetToken, PendingSignUp, User
from apptremind.auth.tokens import hash_token, password_reset_token
from apptremind.auth.tokens import sign_up_token as sign_up_token_of
from apptremind.outbox.models import OutboxEvent
from tests.helpers import bearer, register, sign_up_token

API = "/api/v1/auth"


async def outbox(sessionmaker, event_type: str) -> list[OutboxEvent]:
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(OutboxEvent).where(OutboxEvent.event_type == event_type).order_by(OutboxEvent.id)
        )
        return list(rows)


async def login(client, email: str, password: str):
    return await client.post(f"{API}/login", json={"email": email, "password": password})


async def latest_token_id(sessionmaker) -> uuid.UUID:
    async with sessionmaker() as session:
        token = await session.scalar(
            select(PasswordResetToken).order_by(PasswordResetToken.created_at.desc())
        )
    return token.id


async def test_register_creates_business_and_owner_and_answers_a_token(client, settings):
    body = await register(client, email="ada@example.com")

    assert body["token_type"] == "bearer"
    claims = jwt.decode(
        body["access_token"],
        settings.jwt_secret.get_secret_value(),
        algorithms=["HS256"],
        audience="apptremind-api",
        issuer="apptremind",
    )
    assert claims["sub"] == body["user_id"]
    assert claims["business_id"] == body["business_id"]
    assert claims["role"] == "owner"
    assert claims["exp"] > datetime.now(UTC).timestamp()


async def test_register_stores_an_argon2_hash_and_emits_user_created(client, sessionmaker):
    body = await register(client, email="Ada@Example.com", password="correct horse battery")

    async with sessionmaker() as session:
        user = await session.scalar(select(User))
    assert user.email == "ada@example.com"
    assert user.password_hash.startswith("$argon2")
    assert "correct horse battery" not in user.password_hash
    [event] = await outbox(sessionmaker, "user.created")
    assert event.key == body["business_id"]
    assert set(event.envelope) == {"event_id", "event_type", "timestamp", "data"}
    assert event.envelope["data"] == {
        "user_id": body["user_id"],
        "email": "ada@example.com",
        "role": "owner",
        "business_id": body["business_id"],
    }


async def pending_sign_ups(sessionmaker) -> list[PendingSignUp]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(PendingSignUp).order_by(PendingSignUp.created_at)))


def sign_up(email: str, business_name: str = "Salon Ada", **extra) -> dict:
    return {
        "email": email,
        "password": "another password",
        "business_name": business_name,
        **extra,
    }


async def test_signing_up_answers_alike_and_does_the_same_work_whether_the_email_is_taken(
    client, sessionmaker, monkeypatch
):
    await register(client, email="owner@example.com")
    hashed = []
    real_hash = auth_service.hash_password

    async def counting_hash(password: str) -> str:
        hashed.append(password)
        return await real_hash(password)

    monkeypatch.setattr(auth_service, "hash_password", counting_hash)

    taken = await client.post(f"{API}/register", json=sign_up("OWNER@example.com"))
    new = await client.post(f"{API}/register", json=sign_up("new@example.com"))

    assert taken.status_code == new.status_code == 202
    assert taken.json() == new.json()
    assert hashed == ["another password", "another password"]
    # Both are stored and both ask for their email; which email it is, is decided at send time.
    taken_row, new_row = (await pending_sign_ups(sessionmaker))[-2:]
    assert (taken_row.email, new_row.email) == ("owner@example.com", "new@example.com")
    events = await outbox(sessionmaker, "user.sign_up_requested")
    assert [e.envelope["data"]["email"] for e in events][-2:] == [
        "owner@example.com",
        "new@example.com",
    ]
    async with sessionmaker() as session:
        assert len(list(await session.scalars(select(User)))) == 1


async def test_a_sign_up_stores_only_a_hash_of_its_token_and_emits_its_id(
    client, sessionmaker, settings
):
    answer = await client.post(f"{API}/register", json=sign_up("Ada@Example.com"))

    assert answer.status_code == 202
    [stored] = await pending_sign_ups(sessionmaker)
    [event] = await outbox(sessionmaker, "user.sign_up_requested")
    assert event.key == str(stored.id)
    assert event.envelope["data"] == {"email": "ada@example.com", "sign_up_id": str(stored.id)}
    token = sign_up_token_of(stored.id, settings.jwt_secret)
    assert token not in str(event.envelope)
    assert stored.token_hash == hash_token(token) != token
    assert stored.password_hash.startswith("$argon2")
    assert timedelta(hours=23, minutes=59) < stored.expires_at - stored.created_at
    assert stored.expires_at - stored.created_at <= timedelta(hours=24, seconds=1)
    async with sessionmaker() as session:
        assert list(await session.scalars(select(User))) == []


async def test_confirming_creates_the_owner_and_business_once(client, sessionmaker):
    token = await sign_up_token(client, "ada@example.com", business_name="Salon Ada")

    first = await client.post(f"{API}/register/confirm", json={"token": token})
    again = await client.post(f"{API}/register/confirm", json={"token": token})

    assert first.status_code == 201, first.text
    profile = await client.get(
        "/api/v1/business/profile", headers=bearer(first.json()["access_token"])
    )
    assert profile.json()["name"] == "Salon Ada"
    assert profile.json()["timezone"] == "Europe/Berlin"
    assert again.status_code == 400
    assert again.headers["content-type"] == "application/problem+json"
    assert "sign up again" in again.json()["detail"]
    assert (await login(client, "ada@example.com", "correct horse battery")).status_code == 200


async def test_one_confirmed_link_retires_the_others_sent_to_the_address(client):
    first = await sign_up_token(client, "ada@example.com")
    second = await sign_up_token(client, "ada@example.com", business_name="Second")

    confirmed = await client.post(f"{API}/register/confirm", json={"token": second})
    refused = await client.post(f"{API}/register/confirm", json={"token": first})

    assert confirmed.status_code == 201
    assert refused.status_code == 400


async def test_a_link_whose_address_got_an_account_meanwhile_is_refused_alike(client, sessionmaker):
    token = await sign_up_token(client, "mia@example.com")
    owner = await register(client, email="owner@example.com")
    staff = await client.post(
        f"{API}/users",
        headers=bearer(owner["access_token"]),
        json={"email": "mia@example.com", "password": "mia password 1"},
    )
    assert staff.status_code == 201

    refused = await client.post(f"{API}/register/confirm", json={"token": token})
    other = await sign_up_token(client, "x@example.com")
    assert (await client.post(f"{API}/register/confirm", json={"token": other})).status_code == 201
    used = await client.post(f"{API}/register/confirm", json={"token": other})

    assert refused.status_code == used.status_code == 400
    assert refused.json() == used.json()
    async with sessionmaker() as session:
        mia = list(await session.scalars(select(User).where(User.email == "mia@example.com")))
    assert [m.role for m in mia] == ["staff"]


async def test_an_expired_link_is_refused(client, sessionmaker):
    token = await sign_up_token(client, "late@example.com")
    async with sessionmaker() as session:
        await session.execute(
            update(PendingSignUp).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        await session.commit()

    response = await client.post(f"{API}/register/confirm", json={"token": token})

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


async def test_forged_foreign_and_non_ascii_tokens_answer_400(client, settings, sessionmaker):
    token = await sign_up_token(client, "ada@example.com")
    [stored] = await pending_sign_ups(sessionmaker)
    forged = [
        "nope",
        "ü" * 20,
        f"{stored.id.hex}.{'ä' * 43}",
        token[:-2] + "ß",
        password_reset_token(stored.id, settings.jwt_secret),  # another purpose's key
        f"{uuid.uuid4().hex}.{token.split('.')[1]}",
    ]

    answers = [await client.post(f"{API}/register/confirm", json={"token": t}) for t in forged]

    assert [a.status_code for a in answers] == [400] * len(forged)
    assert {a.headers["content-type"] for a in answers} == {"application/problem+json"}
    assert (await client.post(f"{API}/register/confirm", json={"token": token})).status_code == 201


async def test_sign_up_emails_to_one_address_stop_at_the_limit_and_answer_alike(
    client, sessionmaker
):
    answers = [
        await client.post(f"{API}/register", json=sign_up("busy@example.com")) for _ in range(5)
    ]

    assert {a.status_code for a in answers} == {202}
    assert len({a.text for a in answers}) == 1
    assert len(await pending_sign_ups(sessionmaker)) == 3
    assert len(await outbox(sessionmaker, "user.sign_up_requested")) == 3


async def test_a_sign_up_with_an_unknown_time_zone_answers_422(client, sessionmaker):
    response = await client.post(
        f"{API}/register", json=sign_up("ada@example.com", timezone="Mars/Olympus")
    )

    assert response.status_code == 422
    assert await pending_sign_ups(sessionmaker) == []


async def test_login_answers_a_bearer_token_with_its_lifetime(client, settings):
    await register(client, email="ada@example.com", password="correct horse battery")

    response = await login(client, "ADA@example.com", "correct horse battery")

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == settings.jwt_expires_minutes * 60
    me = await client.get(f"{API}/me", headers=bearer(body["access_token"]))
    assert me.json()["email"] == "ada@example.com"
    assert me.json()["role"] == "owner"


async def test_login_with_a_wrong_password_or_unknown_email_answers_401(client):
    await register(client, email="ada@example.com", password="correct horse battery")

    wrong = await login(client, "ada@example.com", "wrong horse battery")
    unknown = await login(client, "nobody@example.com", "correct horse battery")

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


async def test_password_reset_answers_202_for_unknown_emails_and_writes_nothing(
    client, sessionmaker
):
    response = await client.post(f"{API}/password-reset", json={"email": "nobody@example.com"})

    assert response.status_code == 202
    assert await outbox(sessionmaker, "user.password_reset_requested") == []


async def test_password_reset_event_carries_the_token_id_never_the_token(
    client, sessionmaker, settings
):
    await register(client, email="ada@example.com")

    response = await client.post(f"{API}/password-reset", json={"email": "ada@example.com"})

    assert response.status_code == 202
    [event] = await outbox(sessionmaker, "user.password_reset_requested")
    token_id = await latest_token_id(sessionmaker)
    assert event.envelope["data"] == {"email": "ada@example.com", "token_id": str(token_id)}
    token = password_reset_token(token_id, settings.jwt_secret)
    assert token not in str(event.envelope)
    async with sessionmaker() as session:
        stored = await session.get(PasswordResetToken, token_id)
    assert stored.token_hash != token
    lifetime = stored.expires_at - stored.created_at
    assert timedelta(minutes=59) < lifetime <= timedelta(hours=1, seconds=1)


async def test_a_reset_token_changes_the_password_once(client, sessionmaker, settings):
    await register(client, email="ada@example.com", password="old password 1")
    await client.post(f"{API}/password-reset", json={"email": "ada@example.com"})
    token = password_reset_token(await latest_token_id(sessionmaker), settings.jwt_secret)

    first = await client.post(
        f"{API}/password-reset/confirm", json={"token": token, "new_password": "new password 2"}
    )
    second = await client.post(
        f"{API}/password-reset/confirm", json={"token": token, "new_password": "new password 3"}
    )

    assert first.status_code == 204
    assert second.status_code == 400
    assert (await login(client, "ada@example.com", "new password 2")).status_code == 200
    assert (await login(client, "ada@example.com", "old password 1")).status_code == 401
    assert (await login(client, "ada@example.com", "new password 3")).status_code == 401


async def test_a_password_reset_revokes_every_access_token_issued_before_it(
    client, sessionmaker, settings
):
    owner = await register(client, email="ada@example.com", password="old password 1")
    before = bearer(owner["access_token"])
    logged_in = bearer(
        (await login(client, "ada@example.com", "old password 1")).json()["access_token"]
    )
    assert (await client.get("/api/v1/business/profile", headers=before)).status_code == 200

    await client.post(f"{API}/password-reset", json={"email": "ada@example.com"})
    token = password_reset_token(await latest_token_id(sessionmaker), settings.jwt_secret)
    reset = await client.post(
        f"{API}/password-reset/confirm", json={"token": token, "new_password": "new password 2"}
    )
    assert reset.status_code == 204

    for old in (before, logged_in):
        refused = await client.get("/api/v1/business/profile", headers=old)
        assert refused.status_code == 401
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["detail"] == "The access token was revoked; log in again"
    fresh = bearer(
        (await login(client, "ada@example.com", "new password 2")).json()["access_token"]
    )
    assert (await client.get("/api/v1/business/profile", headers=fresh)).status_code == 200


async def test_a_token_outlives_neither_its_account_nor_its_role(client, sessionmaker):
    owner = await register(client, email="ada@example.com")
    created = await client.post(
        f"{API}/users",
        headers=bearer(owner["access_token"]),
        json={"email": "max@example.com", "password": "a long password", "role": "admin"},
    )
    assert created.status_code == 201
    admin = bearer(
        (await login(client, "max@example.com", "a long password")).json()["access_token"]
    )
    change = {"min_notice_minutes": 30}
    assert (
        await client.patch("/api/v1/business/profile", headers=admin, json=change)
    ).status_code == 200

    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(User).where(User.email == "max@example.com").values(role="staff")
        )
    assert (
        await client.patch("/api/v1/business/profile", headers=admin, json=change)
    ).status_code == 403

    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(User).where(User.email == "max@example.com").values(is_active=False)
        )
    gone = await client.get("/api/v1/business/profile", headers=admin)
    assert gone.status_code == 401
    assert gone.json()["detail"] == "The account of this token no longer exists"


async def test_an_expired_or_forged_reset_token_is_refused(client, sessionmaker, settings):
    await register(client, email="ada@example.com", password="old password 1")
    await client.post(f"{API}/password-reset", json={"email": "ada@example.com"})
    token_id = await latest_token_id(sessionmaker)
    async with sessionmaker() as session:
        await session.execute(
            update(PasswordResetToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        await session.commit()
    expired = password_reset_token(token_id, settings.jwt_secret)
    forged = password_reset_token(token_id, "another secret " + "x" * 30)

    for token in (expired, forged, "not-a-token", f"{uuid.uuid4().hex}.AAAA"):
        response = await client.post(
            f"{API}/password-reset/confirm", json={"token": token, "new_password": "new password 2"}
        )
        assert response.status_code == 400, token
        assert response.headers["content-type"] == "application/problem+json"
    assert (await login(client, "ada@example.com", "old password 1")).status_code == 200


async def test_an_owner_creates_a_staff_login_that_can_read_but_not_change(client):
    owner = await register(client)
    auth = bearer(owner["access_token"])

    created = await client.post(
        f"{API}/users",
        headers=auth,
        json={"email": "mia@example.com", "password": "staff password", "role": "staff"},
    )
    staff_login = await login(client, "mia@example.com", "staff password")
    staff_auth = bearer(staff_login.json()["access_token"])

    assert created.status_code == 201
    assert created.json()["role"] == "staff"
    assert created.json()["business_id"] == owner["business_id"]
    assert (await client.get("/api/v1/business/profile", headers=staff_auth)).status_code == 200
    assert (await client.get("/api/v1/business/services", headers=staff_auth)).status_code == 200
    assert (await client.get("/api/v1/business/staff", headers=staff_auth)).status_code == 200
    for method, path, body in [
        ("PATCH", "/api/v1/business/profile", {"name": "Mine now"}),
        ("POST", "/api/v1/business/services", {"name": "X", "duration_minutes": 30, "price": "1"}),
        ("POST", "/api/v1/business/staff", {"name": "Y"}),
        ("POST", f"{API}/users", {"email": "z@example.com", "password": "password12"}),
    ]:
        response = await client.request(method, path, headers=staff_auth, json=body)
        assert response.status_code == 403, path
        assert response.headers["content-type"] == "application/problem+json"
    profile = await client.get("/api/v1/business/profile", headers=auth)
    assert profile.json()["name"] != "Mine now"


async def test_an_admin_login_can_manage_the_business(client):
    owner = await register(client)
    await client.post(
        f"{API}/users",
        headers=bearer(owner["access_token"]),
        json={"email": "boss@example.com", "password": "admin password", "role": "admin"},
    )
    admin = bearer(
        (await login(client, "boss@example.com", "admin password")).json()["access_token"]
    )

    patched = await client.patch("/api/v1/business/profile", headers=admin, json={"name": "New"})
    users = await client.get(f"{API}/users", headers=admin)

    assert patched.status_code == 200
    assert sorted(u["role"] for u in users.json()) == ["admin", "owner"]


async def test_bad_registration_input_answers_422_and_creates_nothing(client, sessionmaker):
    cases = [
        {"email": "not-an-email", "password": "long enough", "business_name": "B"},
        {"email": "a@example.com", "password": "short", "business_name": "B"},
        {"email": "a@example.com", "password": "long enough", "business_name": ""},
        {"email": "a@example.com", "password": "long enough", "business_name": "B", "tz": "x"},
        {
            "email": "a@example.com",
            "password": "long enough",
            "business_name": "B",
            "timezone": "Mars/Olympus",
        },
        {
            "email": "a@example.com",
            "password": "long enough",
            "business_name": "B",
            "timezone": "CET",
        },
        {"email": "a@example.com", "password": 12345678, "business_name": "B"},
    ]
    for body in cases:
        response = await client.post(f"{API}/register", json=body)
        assert response.status_code == 422, body
        problem = response.json()
        assert problem["status"] == 422
        assert problem["title"]
    async with sessionmaker() as session:
        assert list(await session.scalars(select(User))) == []
    assert await outbox(sessionmaker, "user.created") == []


async def test_validation_errors_name_the_fields(client):
    response = await client.post(f"{API}/register", json={"email": "x", "password": "y"})

    fields = {error["field"] for error in response.json()["errors"]}
    assert {"email", "password", "business_name"} <= fields
