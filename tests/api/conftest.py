"""The API wired to a real Temporal dev server with both workers serving their queues."""

import io
import uuid

import httpx
import pytest

from activities.notifications import NotificationActivities
from api.app import create_app
from apptremind.notifications.providers import ConsoleSmsProvider, SmtpEmailProvider
from workers.appointments import build_worker as appointments_worker
from workers.notifications import build_worker as notifications_worker


@pytest.fixture
def wired(settings, temporal_dev_server):
    return settings.model_copy(
        update={
            "temporal_address": temporal_dev_server.address,
            "appointments_task_queue": f"appointments-{uuid.uuid4()}",
            "notifications_task_queue": f"notifications-{uuid.uuid4()}",
        }
    )


@pytest.fixture
async def api(wired, engine, sessionmaker, temporal_client, mail_server):
    """The API wired to the dev server, with both workers serving their task queues."""
    smtp = SmtpEmailProvider(mail_server.host, mail_server.port, "Salon <salon@example.com>")
    activities = NotificationActivities(
        sessionmaker, smtp, ConsoleSmsProvider(io.StringIO()), wired
    )
    app = create_app(wired)
    async with (
        appointments_worker(temporal_client, sessionmaker, wired.appointments_task_queue),
        notifications_worker(temporal_client, activities, wired.notifications_task_queue),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as http,
    ):
        yield http
    await app.state.engine.dispose()
