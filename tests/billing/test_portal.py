"""POST /billing/portal through the real Stripe SDK, and the local stand-in's portal page."""

import re

import httpx
import pytest
from pydantic import SecretStr

from apptremind.devstack.local_stripe import complete_checkout
from tests.billing.helpers import (
    business_id,
    checkout,
    deliver_outbox,
    outbox,
    scalar,
    stripe_customer,
)
from tests.billing.stripe_events import deliver
from tests.helpers import bearer, register
from tests.scenarios import API

PORTAL = f"{API}/billing/portal"


@pytest.fixture
def webhooks_to_api(client, local_stripe):
    """The stand-in's webhook deliveries reach this test's API app, signed as usual."""
    state = local_stripe.state
    before = state.webhook_url, state.webhook_transport
    state.webhook_url = "http://testserver/api/v1/billing/webhook"
    state.webhook_transport = httpx.ASGITransport(app=client._transport.app)
    yield
    state.webhook_url, state.webhook_transport = before


async def paid_pro(client, local_stripe, auth) -> dict:
    """Checkout paid on the stand-in; its events delivered to the webhook."""
    started = await checkout(client, auth)
    for evt in complete_checkout(
        local_stripe.state, local_stripe.state.sessions[started["session_id"]]
    ):
        assert (await deliver(client, evt)).status_code == 200
    return local_stripe.state.sessions[started["session_id"]]


async def test_the_portal_opens_for_the_businesss_customer_and_returns_to_the_billing_page(
    client, sessionmaker, settings, local_stripe
):
    owner = bearer((await register(client))["access_token"])
    paid = await paid_pro(client, local_stripe, owner)

    response = await client.post(PORTAL, headers=owner)

    assert response.status_code == 200, response.text
    portal_url = response.json()["portal_url"]
    assert set(response.json()) == {"portal_url"}
    portal_id = portal_url.rsplit("/", 1)[-1]
    assert portal_url == f"{local_stripe.url}/portal/{portal_id}"
    portal = local_stripe.state.portal_sessions[portal_id]
    business = await business_id(client, owner)
    assert portal["customer"] == await stripe_customer(sessionmaker, business)
    assert portal["return_url"] == f"{settings.public_base_url}/app/billing"
    async with httpx.AsyncClient() as browser:
        page = await browser.get(portal_url)
    assert page.status_code == 200
    assert paid["subscription"] in page.text
    assert "active" in page.text
    assert "Cancel subscription" in page.text
    assert f'<a href="{settings.public_base_url}/app/billing">Return to ApptRemind</a>' in page.text


async def test_cancelling_in_the_portal_sends_the_signed_event_and_the_business_goes_free(
    client, sessionmaker, relay, local_stripe, webhooks_to_api
):
    owner = bearer((await register(client))["access_token"])
    started = await checkout(client, owner)
    async with httpx.AsyncClient() as browser:
        # The checkout page's Pay button, then the portal's Cancel button, as an owner would.
        paid = await browser.post(f"{started['checkout_url']}/pay")
        assert paid.status_code == 200
        assert "Webhook answers: 200, 200, 200, 200" in paid.text
        await deliver_outbox(relay)
        pro = (await client.get(f"{API}/billing/subscription", headers=owner)).json()
        assert (pro["tier"], pro["status"]) == ("pro", "active")
        portal_url = (await client.post(PORTAL, headers=owner)).json()["portal_url"]
        page = await browser.get(portal_url)
        [cancel_path] = re.findall(r'action="(/portal/[^"]+/cancel)"', page.text)

        cancelled = await browser.post(f"{local_stripe.url}{cancel_path}")

    assert cancelled.status_code == 200
    assert "Webhook answers: 200" in cancelled.text
    assert "Cancel subscription" not in cancelled.text
    await deliver_outbox(relay)
    shown = (await client.get(f"{API}/billing/subscription", headers=owner)).json()
    assert (shown["tier"], shown["status"]) == ("free", "canceled")
    assert shown["monthly_booking_limit"] == 100
    assert shown["has_billing_account"] is True
    tiers = [e["tier"] for e in await outbox(sessionmaker, "subscription.upgraded")]
    assert tiers == ["pro", "free"]


async def test_the_portal_before_any_checkout_answers_409(client, local_stripe):
    owner = bearer((await register(client))["access_token"])
    before = len(local_stripe.state.portal_sessions)

    response = await client.post(PORTAL, headers=owner)

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "No billing account"
    assert len(local_stripe.state.portal_sessions) == before
    shown = (await client.get(f"{API}/billing/subscription", headers=owner)).json()
    assert shown["has_billing_account"] is False


async def test_the_portal_is_the_owners_only(client, local_stripe):
    owner = await register(client)
    auth = bearer(owner["access_token"])
    await paid_pro(client, local_stripe, auth)
    await client.post(
        f"{API}/auth/users",
        headers=auth,
        json={"email": "boss@example.com", "password": "admin password", "role": "admin"},
    )
    admin_login = await client.post(
        f"{API}/auth/login", json={"email": "boss@example.com", "password": "admin password"}
    )
    admin = bearer(admin_login.json()["access_token"])
    before = len(local_stripe.state.portal_sessions)

    refused = await client.post(PORTAL, headers=admin)
    reads = [
        await client.get(f"{API}/billing/subscription", headers=admin),
        await client.get(f"{API}/billing/invoices", headers=admin),
    ]

    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert len(local_stripe.state.portal_sessions) == before
    assert [r.status_code for r in reads] == [200, 200]
    assert reads[0].json()["status"] == "active"


async def test_stripe_refusing_the_portal_answers_502(client, local_stripe):
    owner = bearer((await register(client))["access_token"])
    await checkout(client, owner)  # the Stripe customer exists from here on
    local_stripe.state.refuse_next = "The customer portal is not configured"

    response = await client.post(PORTAL, headers=owner)

    assert response.status_code == 502
    assert response.headers["content-type"] == "application/problem+json"
    assert "portal" in response.json()["detail"]


async def test_the_portal_without_stripe_settings_answers_503(
    client, sessionmaker, settings, local_stripe
):
    owner = bearer((await register(client))["access_token"])
    await checkout(client, owner)
    client._transport.app.state.settings = settings.model_copy(  # type: ignore[attr-defined]
        update={"stripe_secret_key": SecretStr("")}
    )

    response = await client.post(PORTAL, headers=owner)

    assert response.status_code == 503
    assert "STRIPE_SECRET_KEY" in response.json()["detail"]
    assert await scalar(sessionmaker, "SELECT count(*) FROM billing.customers") == 1
