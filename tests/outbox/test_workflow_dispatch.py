"""The relay starts one AppointmentWorkflow per booking, on the dev server, exactly once."""

import asyncio
import uuid

from sqlalchemy import text
from temporalio.client import WorkflowExecutionStatus
from temporalio.common import SearchAttributeKey

from apptremind.outbox.relay import KafkaPublisher, OutboxRelay
from tests.scenarios import a_day_ahead, at, book, setup_business
from workers.appointments import build_worker

BUSINESS_ID = SearchAttributeKey.for_keyword("BusinessId")
STATUS = SearchAttributeKey.for_keyword("AppointmentStatus")
START = SearchAttributeKey.for_datetime("AppointmentStart")


async def test_a_booking_gets_its_workflow_once_with_searchable_attributes(
    client, sessionmaker, settings, temporal_client
):
    queue = f"appointments-{uuid.uuid4()}"
    wired = settings.model_copy(update={"appointments_task_queue": queue})

    async def temporal():
        return temporal_client

    relay = OutboxRelay(
        sessionmaker, KafkaPublisher(wired.kafka_bootstrap_servers), temporal, wired
    )
    biz = await setup_business(client)
    profile = (await client.get("/api/v1/business/profile", headers=biz["auth"])).json()
    booked = (await book(client, biz, at(a_day_ahead(), 10))).json()
    workflow_id = f"appointment-{booked['appointment_id']}"

    async with build_worker(temporal_client, sessionmaker, queue):
        assert await relay.dispatch_pending() == 1
        handle = temporal_client.get_workflow_handle(workflow_id)
        async with asyncio.timeout(20):
            while True:
                described = await handle.describe()
                if described.typed_search_attributes.get(STATUS) == "booked":
                    break
                await asyncio.sleep(0.1)
        # A relay that crashed before recording the start starts it again: a no-op.
        async with sessionmaker() as session:
            await session.execute(text("UPDATE outbox.events SET dispatched_at = NULL"))
            await session.commit()
        assert await relay.dispatch_pending() == 1
        latest = await temporal_client.get_workflow_handle(workflow_id).describe()
        await handle.terminate("test over")

    assert described.status == WorkflowExecutionStatus.RUNNING
    assert described.typed_search_attributes.get(BUSINESS_ID) == profile["id"]
    assert (
        described.typed_search_attributes.get(START)
        .isoformat()
        .startswith(booked["start_time"][:10])
    )
    assert latest.run_id == described.run_id  # still the first and only run
    assert "ada" not in workflow_id
