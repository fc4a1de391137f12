"""The gateway's small holes, closed: odd tokens, bounded paging, security headers on every
answer, the OpenAPI pages behind a setting, readiness without details, reset emails that
can't flood an inbox."""

import httpx
import pytest
from sqlalchemy import func, select

from api.app import create_app
from api.booking.router import MAX_OFFSET
from api.middleware import WEB_APP_CSP
from apptremind.auth.models import PasswordResetToken
from apptremind.auth.tokens import password_reset_token
from tests.helpers import bearer, register, sign_up_token
from tests.scenarios import API, a_day_ahead, at, book, setup_business

PROBLEM = "application/problem+json"


async def open_client(settings, **changes) -> tuple[httpx.AsyncClient, object]:
    app = create_app(settings.model_copy(update=changes))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t"), app


async def reset_tokens(sessionmaker) -> int:
    async with sessionmaker() as session:
        count = await session.scalar(select(func.count()).select_from(PasswordResetToken))
    return int(count or 0)


# --- tokens ------------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["é", "٠" * 32 + ".abc", "0" * 32 + ".ü", "\u0000"])
async def test_a_reset_token_of_any_text_answers_400_not_500(client, token):
    response = await client.post(
        f"{API}/auth/password-reset/confirm", json={"token": token, "new_password": "n" * 12}
    )

    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == PROBLEM


async def test_reset_emails_to_one_account_stop_at_the_limit_and_answer_alike(
    settings, engine, sessionmaker
):
    client, app = await open_client(settings, password_reset_limit_per_account=2)
    async with client:
        await register(client, email="ada@example.com")
        answers = [
            await client.post(f"{API}/auth/password-reset", json={"email": "ada@example.com"})
            for _ in range(4)
        ]
        unknown = await client.post(
            f"{API}/auth/password-reset", json={"email": "nobody@example.com"}
        )
    await app.state.engine.dispose()  # type: ignore[attr-defined]

    assert {a.status_code for a in [*answers, unknown]} == {202}
    assert {a.text for a in [*answers, unknown]} == {unknown.text}
    assert await reset_tokens(sessionmaker) == 2


async def test_the_tokens_within_the_limit_still_work(client, sessionmaker, settings):
    await register(client, email="ada@example.com")
    await client.post(f"{API}/auth/password-reset", json={"email": "ada@example.com"})
    async with sessionmaker() as session:
        token_id = await session.scalar(select(PasswordResetToken.id))

    response = await client.post(
        f"{API}/auth/password-reset/confirm",
        json={
            "token": password_reset_token(token_id, settings.jwt_secret),
            "new_password": "new password 2",
        },
    )

    assert response.status_code == 204


# --- paging ------------------------------------------------------------------------------


async def test_paging_beyond_the_bound_is_a_422_problem(client):
    owner = await register(client)
    auth = bearer(owner["access_token"])

    within = await client.get(f"{API}/appointments", params={"offset": MAX_OFFSET}, headers=auth)
    beyond = await client.get(
        f"{API}/appointments", params={"offset": MAX_OFFSET + 1}, headers=auth
    )

    assert within.status_code == 200
    assert beyond.status_code == 422
    assert beyond.headers["content-type"] == PROBLEM
    assert beyond.json()["errors"][0]["loc"] == ["query", "offset"]


# --- headers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/healthz"),
        ("GET", f"{API}/public/businesses/nobody"),  # a 404 problem
        ("POST", f"{API}/auth/login"),  # a 422 problem
        ("GET", "/openapi.json"),
    ],
)
async def test_every_answer_carries_the_security_headers(client, method, path):
    response = await client.request(method, path, json={})

    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert "strict-transport-security" not in response.headers


async def test_answers_with_tokens_or_personal_data_are_never_stored(client, settings):
    asked = await client.post(
        f"{API}/auth/register",
        json={
            "email": "bob@example.com",
            "password": "correct horse battery",
            "business_name": "Salon Bob",
        },
    )
    registered = await client.post(
        f"{API}/auth/register/confirm",
        json={"token": await sign_up_token(client, "ada@example.com")},
    )
    login = await client.post(
        f"{API}/auth/login",
        json={"email": "ada@example.com", "password": "correct horse battery"},
    )
    biz = await setup_business(client)
    booking = await book(client, biz, at(a_day_ahead(), 10))
    manage = await client.get(
        f"{API}/public/appointments/{booking.json()['appointment_id']}",
        params={"token": booking.json()["manage_token"]},
    )

    for response in (asked, registered, login, booking, manage):
        assert response.status_code in (200, 201, 202), response.text
        assert response.headers["cache-control"] == "no-store"


async def test_the_web_app_page_gets_a_policy_its_build_satisfies(settings, engine, tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(
        '<!doctype html><script type="module" src="/assets/index.js"></script>'
    )
    client, app = await open_client(settings, web_dist_dir=dist, hsts_enabled=True)
    async with client:
        page = await client.get("/b/salon-ada")
    await app.state.engine.dispose()  # type: ignore[attr-defined]

    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert policy == WEB_APP_CSP
    assert "script-src 'self';" in policy  # no inline or foreign scripts
    assert page.headers["strict-transport-security"].startswith("max-age=")
    assert "cache-control" in page.headers  # the page's own (no-cache), not no-store


def test_the_built_web_app_has_no_inline_scripts(project_root):
    index = project_root / "web" / "dist" / "index.html"
    if not index.is_file():
        pytest.fail("the web app is not built: run `make web` (make test builds it)")
    html = index.read_text()
    scripts = html.split("<script")[1:]
    assert all(" src=" in tag.split(">", 1)[0] for tag in scripts)
    assert "<style" not in html
    assert "http://" not in html
    assert "https://" not in html


# --- docs --------------------------------------------------------------------------------


async def test_docs_are_served_by_default_and_can_be_turned_off(client, settings, engine):
    assert (await client.get("/docs")).status_code == 200
    assert (await client.get("/openapi.json")).status_code == 200

    off, app = await open_client(settings, api_docs_enabled=False)
    async with off:
        answers = [(await off.get(path)).status_code for path in ("/docs", "/redoc")]
        document = await off.get("/openapi.json")
    await app.state.engine.dispose()  # type: ignore[attr-defined]

    assert answers == [404, 404]
    assert document.status_code == 404
    assert document.headers["content-type"] == PROBLEM
