"""POST /billing/checkout and GET /billing/subscription through the real Stripe SDK."""

from pydantic import SecretStr

from apptremind.devstack.local_stripe import complete_checkout
from tests.billing.conftest import PRO_PRICE
from tests.billing.helpers import business_id, checkout, scalar, stripe_customer
from tests.billing.stripe_events import deliver
from tests.helpers import bearer, register
from tests.scenarios import API


async def test_checkout_opens_a_pro_subscription_session_for_the_business(
    client, sessionmaker, local_stripe
):
    owner = bearer((await register(client))["access_token"])
    business = await business_id(client, owner)

    started = await checkout(client, owner)

    session = local_stripe.state.sessions[started["session_id"]]
    assert started["checkout_url"] == f"{local_stripe.url}/checkout/{started['session_id']}"
    assert session["mode"] == "subscription"
    assert session["line_items"] == {"0": {"price": PRO_PRICE, "quantity": "1"}}
    assert session["metadata"] == {"business_id": business}
    assert session["client_reference_id"] == business
    assert session["customer"] == await stripe_customer(sessionmaker, business)
    customer = local_stripe.state.customers[session["customer"]]
    assert customer["metadata"] == {"business_id": business}


async def test_a_second_checkout_reuses_the_businesss_stripe_customer(
    client, sessionmaker, local_stripe
):
    owner = bearer((await register(client))["access_token"])

    first = await checkout(client, owner)
    second = await checkout(client, owner)

    sessions = local_stripe.state.sessions
    assert first["session_id"] != second["session_id"]
    assert sessions[first["session_id"]]["customer"] == sessions[second["session_id"]]["customer"]
    business = await business_id(client, owner)
    assert (
        await scalar(
            sessionmaker,
            "SELECT count(*) FROM billing.customers WHERE business_id = :b",
            b=business,
        )
        == 1
    )


async def test_checkout_by_a_staff_login_answers_403(client, local_stripe):
    owner = await register(client)
    created = await client.post(
        f"{API}/auth/users",
        headers=bearer(owner["access_token"]),
        json={"email": "mia@example.com", "password": "staff password", "role": "staff"},
    )
    assert created.status_code == 201
    login = await client.post(
        f"{API}/auth/login", json={"email": "mia@example.com", "password": "staff password"}
    )
    sessions_before = len(local_stripe.state.sessions)

    response = await client.post(
        f"{API}/billing/checkout", headers=bearer(login.json()["access_token"])
    )

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert len(local_stripe.state.sessions) == sessions_before


async def test_checkout_for_a_business_already_on_pro_answers_409(client, local_stripe):
    owner = bearer((await register(client))["access_token"])
    started = await checkout(client, owner)
    for evt in complete_checkout(
        local_stripe.state, local_stripe.state.sessions[started["session_id"]]
    ):
        assert (await deliver(client, evt)).status_code == 200
    sessions_before = len(local_stripe.state.sessions)

    response = await client.post(f"{API}/billing/checkout", headers=owner)

    assert response.status_code == 409
    assert response.json()["title"] == "Already on Pro"
    assert len(local_stripe.state.sessions) == sessions_before


async def test_stripe_refusing_the_checkout_answers_502_and_keeps_nothing(
    client, sessionmaker, local_stripe
):
    owner = bearer((await register(client))["access_token"])
    local_stripe.state.refuse_next = "No such price: 'price_pro_test'"

    response = await client.post(f"{API}/billing/checkout", headers=owner)

    assert response.status_code == 502
    assert response.headers["content-type"] == "application/problem+json"
    assert await scalar(sessionmaker, "SELECT count(*) FROM billing.customers") == 0


async def test_checkout_without_stripe_settings_answers_503(client, settings, local_stripe):
    owner = bearer((await register(client))["access_token"])
    client._transport.app.state.settings = settings.model_copy(  # type: ignore[attr-defined]
        update={"stripe_secret_key": SecretStr("")}
    )

    response = await client.post(f"{API}/billing/checkout", headers=owner)

    assert response.status_code == 503
    assert "STRIPE_SECRET_KEY" in response.json()["detail"]


async def test_a_free_business_has_no_subscription(client):
    owner = bearer((await register(client))["access_token"])

    response = await client.get(f"{API}/billing/subscription", headers=owner)

    assert response.status_code == 200
    assert response.json() == {
        "tier": "free",
        "status": None,
        "current_period_end": None,
        "cancel_at_period_end": False,
        "bookings_this_month": 0,
        "monthly_booking_limit": 100,
        "has_billing_account": False,
    }
