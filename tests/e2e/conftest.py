"""The browser tests' world: the whole platform as `make run` starts it (embedded PostgreSQL,
Temporal dev server, broker, API serving the built web app, relay, workers, consumers), a
mail server on loopback that receives every email, and headless Chromium driven by
Playwright. Started once per session: a journey takes seconds, the platform ten times that.
"""

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from apptremind.settings import REPOSITORY
from tests.conftest import server_dir
from tests.devstack.dev_platform import DevPlatform
from tests.e2e.support import sign_up
from tests.smtp import MailServer, running_mail_server

SCREENSHOTS = REPOSITORY / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "a long password"
# Flags that keep Chromium off the network this machine does not have (its background
# services would otherwise retry lookups and connections for the whole run).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def mail() -> Iterator[MailServer]:
    with running_mail_server() as server:
        yield server


@pytest.fixture(scope="session")
def stack(mail: MailServer) -> Iterator[DevPlatform]:
    if not (REPOSITORY / "web" / "dist" / "index.html").is_file():
        pytest.fail("the web app is not built: run `make web` (make test builds it)")
    with server_dir("e2e") as cwd:
        platform = DevPlatform(cwd)
        platform.env.update(
            {
                "EMAIL_PROVIDER": "smtp",
                "SMTP_HOST": mail.host,
                "SMTP_PORT": str(mail.port),
                "PUBLIC_BASE_URL": platform.api,
                # Every page and test request comes from 127.0.0.1.
                "RATE_LIMIT_AUTH_PER_MINUTE": "0",
                "RATE_LIMIT_PUBLIC_PER_MINUTE": "0",
                "RATE_LIMIT_API_PER_MINUTE": "0",
            }
        )
        try:
            platform.start()
            yield platform
        finally:
            platform.clean_up()


def chromium_path() -> str | None:
    """Debian's Chromium where Playwright cannot download its own; None lets Playwright use
    its own browser on machines that have it."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS
        )
        yield browser
        await browser.close()


async def new_context(browser: Browser, stack: DevPlatform, viewport: dict) -> BrowserContext:
    return await browser.new_context(
        base_url=stack.api, viewport=viewport, locale="en-GB", timezone_id="Europe/Berlin"
    )


@pytest.fixture
async def page(browser: Browser, stack: DevPlatform) -> AsyncIterator[Page]:
    context = await new_context(browser, stack, DESKTOP)
    yield await context.new_page()
    await context.close()


@pytest.fixture
async def phone(browser: Browser, stack: DevPlatform) -> AsyncIterator[Page]:
    context = await new_context(browser, stack, PHONE)
    yield await context.new_page()
    await context.close()


async def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path


class Owner:
    """A business set up through the owner's API, as an owner would before sharing the link."""

    def __init__(
        self, api: httpx.Client, mail: MailServer, timezone: str = "Europe/Berlin"
    ) -> None:
        email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
        registered = sign_up(
            api,
            mail,
            email=email,
            password=PASSWORD,
            business_name="Salon Ada",
            timezone=timezone,
        )
        self.api = api
        self.email = email
        self.zone = ZoneInfo(timezone)
        self.token = registered["access_token"]
        self.auth = {"Authorization": f"Bearer {self.token}"}
        profile = api.patch(
            "/business/profile",
            headers=self.auth,
            json={"address": "Hauptstraße 1, 10115 Berlin", "min_notice_minutes": 0},
        )
        assert profile.status_code == 200, profile.text
        self.slug = profile.json()["slug"]
        service = api.post(
            "/business/services",
            headers=self.auth,
            json={
                "name": "Haircut",
                "duration_minutes": 60,
                "price": "30.00",
                "description": "Wash, cut and dry",
            },
        )
        assert service.status_code == 201, service.text
        self.service_id = service.json()["id"]
        every_day = [
            {"day_of_week": day, "start_time": "09:00", "end_time": "17:00"} for day in range(7)
        ]
        staff = api.post(
            "/business/staff", headers=self.auth, json={"name": "Mia", "working_hours": every_day}
        )
        assert staff.status_code == 201, staff.text
        self.staff_id = staff.json()["id"]

    async def open_app(self, page: Page, path: str = "/app") -> None:
        """Opens an owner page already signed in, as after the sign-in form."""
        await page.goto("/app/sign-in")
        await page.evaluate(
            "token => localStorage.setItem('apptremind.session', token)", self.token
        )
        await page.goto(path)

    def tomorrow(self) -> date:
        return datetime.now(self.zone).date() + timedelta(days=1)

    def appointment(self, appointment_id: str) -> dict:
        response = self.api.get(f"/appointments/{appointment_id}", headers=self.auth)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="session")
def api(stack: DevPlatform) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{stack.api}/api/v1", timeout=30) as client:
        yield client


@pytest.fixture
def owner(api: httpx.Client, mail: MailServer) -> Owner:
    return Owner(api, mail)
