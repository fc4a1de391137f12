"""Billing tests: the real `stripe` SDK talks to the local Stripe stand-in on loopback."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import uvicorn
from pydantic import SecretStr

from apptremind.devstack.local_stripe import LocalStripeState, create_local_stripe
from apptremind.devstack.processes import free_port
from apptremind.outbox.relay import KafkaPublisher, OutboxRelay
from apptremind.settings import Settings
from tests.billing.stripe_events import WEBHOOK_SECRET
from tests.consumers.conftest import consumer_settings, fresh_group, producer  # noqa: F401

PRO_PRICE = "price_pro_test"


@dataclass
class LocalStripe:
    url: str
    state: LocalStripeState


@pytest.fixture(scope="session")
async def local_stripe() -> AsyncIterator[LocalStripe]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_local_stripe(url, "http://127.0.0.1:9/unused", WEBHOOK_SECRET)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    serving = asyncio.create_task(server.serve())
    async with asyncio.timeout(10):
        while not server.started:
            await asyncio.sleep(0.01)
    yield LocalStripe(url, app.state.stripe)
    server.should_exit = True
    await serving


@pytest.fixture
def settings(settings: Settings, local_stripe: LocalStripe) -> Settings:
    return settings.model_copy(
        update={
            "stripe_secret_key": SecretStr("sk_test_local"),
            "stripe_webhook_secret": SecretStr(WEBHOOK_SECRET),
            "stripe_pro_price_id": PRO_PRICE,
            "stripe_api_base": local_stripe.url,
        }
    )


@pytest.fixture
def relay(sessionmaker, settings: Settings) -> OutboxRelay:
    """The outbox relay without Temporal: billing events need no workflow (bookings' workflow
    starts fail and wait in the outbox)."""

    async def no_temporal():
        raise RuntimeError("Temporal is not running in billing tests")

    return OutboxRelay(
        sessionmaker, KafkaPublisher(settings.kafka_bootstrap_servers), no_temporal, settings
    )
