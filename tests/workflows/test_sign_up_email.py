"""Sign-up emails: POST /auth/register → outbox → relay → Temporal workflow → notification
activity → SMTP, and the link in the email confirms the sign-up."""

import asyncio
import re

import pytest
from sqlalchemy import func, select

from apptremind.auth.models import PendingSignUp, User
from tests.smtp import text_of
from tests.workflows.test_password_reset_email import activities_for, relay_for
from workers.notifications import build_worker
from workflows.sign_up import SignUpEmailWorkflow

API = "/api/v1/auth"
CONFIRM_LINK = re.compile(r"(https?://\S+)/app/confirm-sign-up\?token=([\w.-]+)")


@pytest.fixture
def queue_settings(settings, task_queue, temporal_dev_server):
    return settings.model_copy(
        update={
            "notifications_task_queue": task_queue,
            "temporal_address": temporal_dev_server.address,
        }
    )


def sign_up(email: str, business_name: str = "Salon Ada") -> dict:
    return {
        "email": email,
        "password": "a long password",
        "business_name": business_name,
        "timezone": "Europe/Vienna",
    }


async def mail_sign_up(client, sessionmaker, settings, temporal_client, mail_server, email: str):
    """Asks for a sign-up over HTTP and lets the relay and the worker mail it; returns the
    answer and the workflow's outcome."""
    answer = await client.post(f"{API}/register", json=sign_up(email))
    async with sessionmaker() as session:
        sign_up_id = await session.scalar(
            select(PendingSignUp.id).order_by(PendingSignUp.created_at.desc())
        )
    worker = build_worker(
        temporal_client,
        activities_for(sessionmaker, settings, mail_server),
        settings.notifications_task_queue,
    )
    async with worker:
        assert await relay_for(sessionmaker, settings, temporal_client).dispatch_pending() >= 1
        handle = temporal_client.get_workflow_handle_for(
            SignUpEmailWorkflow.run, f"sign-up-{sign_up_id}"
        )
        result = await asyncio.wait_for(handle.result(), 30)
    return answer, result.outcome


async def test_the_emailed_link_confirms_the_sign_up_and_signs_the_owner_in(
    client, sessionmaker, queue_settings, temporal_client, mail_server
):
    answer, outcome = await mail_sign_up(
        client, sessionmaker, queue_settings, temporal_client, mail_server, "ada@salon.example"
    )

    assert answer.status_code == 202
    assert outcome == "sent"
    [message] = mail_server.received
    assert message["To"] == "ada@salon.example"
    assert message["Subject"] == "Confirm your sign-up to ApptRemind"
    link = CONFIRM_LINK.search(text_of(message))
    assert link, text_of(message)
    assert link.group(1) == queue_settings.public_base_url.rstrip("/")

    confirmed = await client.post(f"{API}/register/confirm", json={"token": link.group(2)})
    assert confirmed.status_code == 201, confirmed.text
    me = await client.get(
        f"{API}/me", headers={"Authorization": f"Bearer {confirmed.json()['access_token']}"}
    )
    assert me.json()["email"] == "ada@salon.example"
    assert me.json()["role"] == "owner"
    login = await client.post(
        f"{API}/login", json={"email": "ada@salon.example", "password": "a long password"}
    )
    assert login.status_code == 200


async def test_an_address_with_an_account_gets_the_same_answer_and_a_sign_in_email(
    client, sessionmaker, queue_settings, temporal_client, mail_server
):
    first, _ = await mail_sign_up(
        client, sessionmaker, queue_settings, temporal_client, mail_server, "ada@salon.example"
    )
    token = CONFIRM_LINK.search(text_of(mail_server.received[0])).group(2)
    assert (await client.post(f"{API}/register/confirm", json={"token": token})).status_code == 201

    again, outcome = await mail_sign_up(
        client, sessionmaker, queue_settings, temporal_client, mail_server, "ADA@salon.example"
    )

    assert again.status_code == first.status_code == 202
    assert again.json() == first.json()
    assert outcome == "sent: existing account"
    message = mail_server.received[-1]
    assert message["To"] == "ada@salon.example"
    assert message["Subject"] == "You already have an ApptRemind account"
    text = text_of(message)
    assert f"{queue_settings.public_base_url}/app/sign-in" in text
    assert f"{queue_settings.public_base_url}/app/forgot-password" in text
    assert "confirm-sign-up" not in text
    async with sessionmaker() as session:
        owners = await session.scalar(
            select(func.count()).select_from(User).where(User.email == "ada@salon.example")
        )
    assert owners == 1


async def test_a_confirmed_sign_up_is_not_mailed_again(
    client, sessionmaker, queue_settings, temporal_client, mail_server
):
    answer = await client.post(f"{API}/register", json=sign_up("quick@salon.example"))
    assert answer.status_code == 202
    async with sessionmaker() as session:
        stored = await session.scalar(select(PendingSignUp))
        stored.used_at = stored.created_at
        await session.commit()
        sign_up_id = stored.id

    async with build_worker(
        temporal_client,
        activities_for(sessionmaker, queue_settings, mail_server),
        queue_settings.notifications_task_queue,
    ):
        assert (
            await relay_for(sessionmaker, queue_settings, temporal_client).dispatch_pending() == 1
        )
        handle = temporal_client.get_workflow_handle_for(
            SignUpEmailWorkflow.run, f"sign-up-{sign_up_id}"
        )
        result = await asyncio.wait_for(handle.result(), 30)

    assert result.outcome.startswith("skipped")
    assert mail_server.received == []
