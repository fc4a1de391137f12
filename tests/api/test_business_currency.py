"""A business's currency (ISO 4217): set at sign-up or in the profile, shown with its
prices on the public booking page and the customer's manage link."""

import pytest
from sqlalchemy import select

from apptremind.auth import service as auth_service
from apptremind.auth.models import PendingSignUp
from apptremind.business import service as business_service
from apptremind.business.exceptions import InvalidCurrency
from apptremind.db import unit_of_work
from tests.helpers import bearer, sign_up_token
from tests.scenarios import API, a_day_ahead, at, book, setup_business

PROBLEM = "application/problem+json"


async def test_a_business_starts_in_euros_on_its_profile_and_public_page(client):
    biz = await setup_business(client)

    profile = (await client.get(f"{API}/business/profile", headers=biz["auth"])).json()
    public = await client.get(f"{API}/public/businesses/{profile['slug']}")

    assert profile["currency"] == "EUR"
    assert public.json()["currency"] == "EUR"


async def test_the_owner_sets_the_currency_and_every_page_states_it(client):
    biz = await setup_business(client)

    patched = await client.patch(
        f"{API}/business/profile", headers=biz["auth"], json={"currency": "USD"}
    )
    read = await client.get(f"{API}/business/profile", headers=biz["auth"])
    public = await client.get(f"{API}/public/businesses/{read.json()['slug']}")
    booked = await book(client, biz, at(a_day_ahead(), 10))
    manage = await client.get(
        f"{API}/public/appointments/{booked.json()['appointment_id']}",
        params={"token": booked.json()["manage_token"]},
    )

    assert patched.status_code == 200, patched.text
    assert patched.json()["currency"] == read.json()["currency"] == "USD"
    assert public.json()["currency"] == "USD"
    assert public.json()["services"][0]["price"] == "30.00"
    assert manage.status_code == 200, manage.text
    assert manage.json()["price"] == "30.00"
    assert manage.json()["business"]["currency"] == "USD"


@pytest.mark.parametrize("code", ["XYZ", "usd", "EURO", "EU", "", "€", None, 978, "XTS"])
async def test_an_unknown_currency_is_a_422_problem_and_changes_nothing(client, code):
    biz = await setup_business(client)
    await client.patch(f"{API}/business/profile", headers=biz["auth"], json={"currency": "GBP"})

    response = await client.patch(
        f"{API}/business/profile", headers=biz["auth"], json={"currency": code}
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == 422
    profile = await client.get(f"{API}/business/profile", headers=biz["auth"])
    assert profile.json()["currency"] == "GBP"


async def test_the_service_refuses_an_unknown_currency_too(client, sessionmaker):
    biz = await setup_business(client)
    business_id = (await client.get(f"{API}/business/profile", headers=biz["auth"])).json()["id"]

    async with sessionmaker() as session:
        with pytest.raises(InvalidCurrency):
            await business_service.update_profile(session, business_id, {"currency": "ABC"})


async def test_a_sign_up_names_its_currency(client, sessionmaker):
    response = await client.post(
        f"{API}/auth/register",
        json={
            "email": "ada@example.com",
            "password": "another password",
            "business_name": "Salon Ada",
            "timezone": "Europe/Zurich",
            "currency": "CHF",
        },
    )

    assert response.status_code == 202, response.text
    async with sessionmaker() as session:
        stored = list(await session.scalars(select(PendingSignUp)))
    assert [s.currency for s in stored] == ["CHF"]


async def test_a_confirmed_sign_up_creates_the_business_in_its_currency(client, sessionmaker):
    app = client._transport.app  # type: ignore[attr-defined]  # the API in this process
    async with unit_of_work(app.state.sessionmaker) as session:
        stored = await auth_service.store_sign_up(
            session,
            email="bo@example.com",
            password="another password",
            business_name="Salon Bo",
            timezone="Europe/London",
            currency="GBP",
            secret=app.state.settings.jwt_secret,
        )
    assert stored is not None
    confirmed = await client.post(f"{API}/auth/register/confirm", json={"token": stored[1]})
    profile = await client.get(
        f"{API}/business/profile", headers=bearer(confirmed.json()["access_token"])
    )

    assert profile.json()["currency"] == "GBP"


async def test_a_sign_up_without_a_currency_is_in_euros(client):
    token = await sign_up_token(client, "cy@example.com")
    confirmed = await client.post(f"{API}/auth/register/confirm", json={"token": token})
    profile = await client.get(
        f"{API}/business/profile", headers=bearer(confirmed.json()["access_token"])
    )

    assert profile.json()["currency"] == "EUR"


@pytest.mark.parametrize("code", ["XYZ", "eur", "EURO", 1])
async def test_a_sign_up_with_an_unknown_currency_is_a_422_problem(client, sessionmaker, code):
    response = await client.post(
        f"{API}/auth/register",
        json={
            "email": "ada@example.com",
            "password": "another password",
            "business_name": "Salon Ada",
            "currency": code,
        },
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    async with sessionmaker() as session:
        assert list(await session.scalars(select(PendingSignUp))) == []
