"""Password-reset emails: outbox → relay → Temporal workflow → notification activity → SMTP."""

import asyncio
import contextlib
from urllib.parse import urlencode

import pytest
from sqlalchemy import select, update
from temporalio.client import WorkflowFailureError

from activities.notifications import NotificationActivities
from apptremind.auth.models import PasswordResetToken
from apptremind.notifications.contracts import PasswordResetEmailInput
from apptremind.notifications.providers import ConsoleSmsProvider, SmtpEmailProvider
from apptremind.outbox.models import OutboxEvent
from apptremind.outbox.relay import KafkaPublisher, OutboxRelay
from apptremind.temporal.emails import start_password_reset_email
from tests.helpers import register
from workers.notifications import build_worker
from workflows.password_reset import PasswordResetEmailWorkflow


def reset_code(message) -> str:
    lines = message.get_payload(decode=True).decode().splitlines()
    return lines[lines.index("Your reset code, if the page asks for it:") + 1].strip()


@pytest.fixture
def queue_settings(settings, task_queue, temporal_dev_server):
    return settings.model_copy(
        update={
            "notifications_task_queue": task_queue,
            "temporal_address": temporal_dev_server.address,
        }
    )


def activities_for(sessionmaker, settings, mail_server) -> NotificationActivities:
    smtp = SmtpEmailProvider(mail_server.host, mail_server.port, "ApptRemind <no-reply@test>")
    return NotificationActivities(sessionmaker, smtp, ConsoleSmsProvider(), settings)


def relay_for(sessionmaker, settings, temporal_client) -> OutboxRelay:
    async def temporal():
        return temporal_client

    return OutboxRelay(
        sessionmaker, KafkaPublisher(settings.kafka_bootstrap_servers), temporal, settings
    )


async def request_reset(client, sessionmaker, email: str, password: str = "old password 1"):
    """Registers `email` and asks for a reset; returns the id of the token it issued."""
    await register(client, email=email, password=password)
    answer = await client.post("/api/v1/auth/password-reset", json={"email": email})
    assert answer.status_code == 202
    async with sessionmaker() as session:
        token = await session.scalar(
            select(PasswordResetToken).order_by(PasswordResetToken.created_at.desc())
        )
    return token.id


@pytest.fixture
async def dev_server_worker(sessionmaker, queue_settings, temporal_client, mail_server):
    activities = activities_for(sessionmaker, queue_settings, mail_server)
    return build_worker(temporal_client, activities, queue_settings.notifications_task_queue)


async def run_on_time_skipping_server(env, activities, task_queue, token_id):
    """Runs the workflow to its end on the time-skipping server; returns its handle."""
    async with build_worker(env.client, activities, task_queue):
        handle = await start_password_reset_email(
            env.client, PasswordResetEmailInput(token_id=token_id), task_queue=task_queue
        )
        with contextlib.suppress(WorkflowFailureError):
            await handle.result()
    return handle


async def test_reset_request_mails_a_code_that_resets_the_password(
    client, sessionmaker, queue_settings, temporal_client, mail_server, dev_server_worker
):
    token_id = await request_reset(client, sessionmaker, "owner@salon.example")
    relay = relay_for(sessionmaker, queue_settings, temporal_client)
    async with dev_server_worker:
        assert await relay.dispatch_pending() == 1
        handle = temporal_client.get_workflow_handle_for(
            PasswordResetEmailWorkflow.run, f"password-reset-{token_id}"
        )
        result = await asyncio.wait_for(handle.result(), 30)

    assert result.outcome == "sent"
    [message] = mail_server.received
    assert message["To"] == "owner@salon.example"
    code = reset_code(message)
    assert code.startswith(token_id.hex)
    link = f"{queue_settings.public_base_url}/reset-password?{urlencode({'token': code})}"
    assert link in message.get_payload(decode=True).decode()

    confirmed = await client.post(
        "/api/v1/auth/password-reset/confirm",
        json={"token": code, "new_password": "new password 2"},
    )
    assert confirmed.status_code == 204
    login = await client.post(
        "/api/v1/auth/login", json={"email": "owner@salon.example", "password": "new password 2"}
    )
    assert login.status_code == 200


async def test_a_repeated_dispatch_never_sends_a_second_email(
    client, sessionmaker, queue_settings, temporal_client, mail_server, dev_server_worker
):
    token_id = await request_reset(client, sessionmaker, "twice@salon.example")
    relay = relay_for(sessionmaker, queue_settings, temporal_client)
    async with dev_server_worker:
        assert await relay.dispatch_pending() == 1
        handle = temporal_client.get_workflow_handle_for(
            PasswordResetEmailWorkflow.run, f"password-reset-{token_id}"
        )
        await asyncio.wait_for(handle.result(), 30)
        # The relay crashed after starting the workflow but before recording it: it runs again.
        async with sessionmaker() as session:
            await session.execute(update(OutboxEvent).values(dispatched_at=None))
            await session.commit()
        assert await relay.dispatch_pending() == 1
        await asyncio.wait_for(handle.result(), 30)

    assert len(mail_server.received) == 1
    runs = [
        w async for w in temporal_client.list_workflows(f"WorkflowId = 'password-reset-{token_id}'")
    ]
    assert len(runs) == 1


def started_attempt(history) -> int:
    [started] = [e for e in history.events if e.HasField("activity_task_started_event_attributes")]
    return started.activity_task_started_event_attributes.attempt


async def test_a_used_token_is_not_mailed(
    client, sessionmaker, settings, time_skipping_env, task_queue, mail_server
):
    token_id = await request_reset(client, sessionmaker, "used@salon.example")
    async with sessionmaker() as session:
        await session.execute(
            update(PasswordResetToken).values(used_at=PasswordResetToken.created_at)
        )
        await session.commit()

    activities = activities_for(sessionmaker, settings, mail_server)
    handle = await run_on_time_skipping_server(time_skipping_env, activities, task_queue, token_id)

    assert (await handle.result()).outcome.startswith("skipped")
    assert mail_server.received == []


async def test_a_busy_mail_server_is_retried_with_backoff_until_it_accepts(
    client, sessionmaker, settings, time_skipping_env, task_queue, mail_server
):
    token_id = await request_reset(client, sessionmaker, "retry@salon.example")
    mail_server.handler.transient_failures = 3

    activities = activities_for(sessionmaker, settings, mail_server)
    handle = await run_on_time_skipping_server(time_skipping_env, activities, task_queue, token_id)

    assert (await handle.result()).outcome == "sent"
    assert len(mail_server.received) == 1
    # Three 451 answers, then success: the fourth attempt delivered.
    assert started_attempt(await handle.fetch_history()) == 4


async def test_a_refused_recipient_fails_at_once_without_retrying(
    client, sessionmaker, settings, time_skipping_env, task_queue, mail_server
):
    token_id = await request_reset(client, sessionmaker, "gone@salon.example")
    mail_server.handler.refused_recipients.add("gone@salon.example")

    activities = activities_for(sessionmaker, settings, mail_server)
    handle = await run_on_time_skipping_server(time_skipping_env, activities, task_queue, token_id)

    with pytest.raises(WorkflowFailureError):
        await handle.result()
    assert started_attempt(await handle.fetch_history()) == 1
    assert mail_server.received == []
