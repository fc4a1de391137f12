"""The relay hands `subscription.upgraded` to the business module, once and in order."""

import uuid

import pytest
from sqlalchemy import text

from apptremind import events
from apptremind.outbox.relay import KafkaPublisher, OutboxRelay, RelayError
from apptremind.outbox.service import emit
from tests.helpers import bearer, register


@pytest.fixture
def relay(sessionmaker, settings):
    async def no_temporal():
        raise RuntimeError("Temporal is not running here")

    return OutboxRelay(
        sessionmaker, KafkaPublisher(settings.kafka_bootstrap_servers), no_temporal, settings
    )


async def business(client) -> tuple[uuid.UUID, dict]:
    auth = bearer((await register(client))["access_token"])
    profile = (await client.get("/api/v1/business/profile", headers=auth)).json()
    return uuid.UUID(profile["id"]), auth


class TierWithoutRevision(events.Event):
    """A malformed `subscription.upgraded`: its handler fails on it."""

    event_type = events.SUBSCRIPTION_UPGRADED

    business_id: uuid.UUID
    tier: str


async def emit_tiers(sessionmaker, business_id: uuid.UUID, *changes: dict) -> None:
    async with sessionmaker() as session:
        for change in changes:
            if "revision" in change:
                event = events.SubscriptionUpgraded(business_id=business_id, **change)
            else:
                event = TierWithoutRevision(business_id=business_id, **change)
            await emit(session, event, key=business_id)
        await session.commit()


async def tier(client, auth) -> str:
    return (await client.get("/api/v1/business/profile", headers=auth)).json()["subscription_tier"]


async def test_a_failing_handler_keeps_its_event_and_lets_the_others_through(
    client, sessionmaker, relay
):
    business_id, auth = await business(client)
    await emit_tiers(sessionmaker, business_id, {"tier": "pro"}, {"tier": "pro", "revision": 1})

    with pytest.raises(RelayError):
        await relay.dispatch_pending()

    assert await tier(client, auth) == "pro"
    async with sessionmaker() as session:
        rows = (
            await session.execute(
                text(
                    "SELECT dispatched_at IS NOT NULL, attempts FROM outbox.events "
                    "WHERE event_type = 'subscription.upgraded' ORDER BY id"
                )
            )
        ).all()
    assert [tuple(row) for row in rows] == [(False, 1), (True, 0)]


async def test_an_overtaken_tier_event_is_ignored(client, sessionmaker, relay):
    business_id, auth = await business(client)
    # Revision 2 (back to free) is delivered before revision 1 (pro), e.g. after a retry.
    await emit_tiers(
        sessionmaker, business_id, {"tier": "free", "revision": 2}, {"tier": "pro", "revision": 1}
    )

    assert await relay.dispatch_pending() == 2

    assert await tier(client, auth) == "free"
