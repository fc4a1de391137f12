"""What the browser tests share: the mailbox, the booking steps, keyboard moves, axe scans."""

import asyncio
import re
import time
from email.message import Message
from urllib.parse import urlsplit

import httpx
from playwright.async_api import Page, expect

from apptremind.settings import REPOSITORY
from tests.smtp import MailServer, text_of

AXE_SCRIPT = REPOSITORY / "web" / "node_modules" / "axe-core" / "axe.min.js"
FREE_DAY = re.compile(r", free times$")
MANAGE_LINK = re.compile(r"https?://[^\s/]+(/manage/([0-9a-f-]{36})\?token=[\w.-]+)")
RESET_LINK = re.compile(r"https?://[^\s/]+(/reset-password\?token=[\w.-]+)")
CONFIRM_SIGN_UP_LINK = re.compile(r"https?://[^\s/]+(/app/confirm-sign-up\?token=([\w.-]+))")
CONFIRM_SIGN_UP_SUBJECT = "Confirm your sign-up"


async def email_to(mail: MailServer, address: str, subject_start: str, timeout=60) -> Message:
    """The first email to `address` whose subject starts so, waiting for the workers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in list(mail.received):
            if message["To"] == address and message["Subject"].startswith(subject_start):
                return message
        await asyncio.sleep(0.2)
    raise AssertionError(f"no {subject_start!r} email to {address} within {timeout}s")


def email_to_now(mail: MailServer, address: str, subject_start: str, timeout=60) -> Message:
    """`email_to` for code that does not run on the event loop (fixtures, API set-up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in list(mail.received):
            if message["To"] == address and message["Subject"].startswith(subject_start):
                return message
        time.sleep(0.2)
    raise AssertionError(f"no {subject_start!r} email to {address} within {timeout}s")


def sign_up(
    api: httpx.Client,
    mail: MailServer,
    *,
    email: str,
    password: str,
    business_name: str,
    timezone: str = "Europe/Berlin",
) -> dict:
    """Signs an owner up as a new owner does: the sign-up, its email, the link's token
    confirmed; returns the confirmation's answer (the owner's access token and ids)."""
    asked = api.post(
        "/auth/register",
        json={
            "email": email,
            "password": password,
            "business_name": business_name,
            "timezone": timezone,
        },
    )
    assert asked.status_code == 202, asked.text
    link = link_in(email_to_now(mail, email, CONFIRM_SIGN_UP_SUBJECT), CONFIRM_SIGN_UP_LINK)
    confirmed = api.post("/auth/register/confirm", json={"token": link.group(2)})
    assert confirmed.status_code == 201, confirmed.text
    return dict(confirmed.json())


def link_in(message: Message, pattern: re.Pattern[str]) -> re.Match[str]:
    found = pattern.search(text_of(message))
    assert found, text_of(message)
    return found


def free_times(page: Page):
    return page.get_by_role("list", name="Free times").get_by_role("button")


async def pick_first_free_time(page: Page) -> dict:
    """Clicks the first bookable day and its first time; returns the slot the API offered."""
    # The booking page asks /public/slots; a move asks the appointment's own …/slots.
    async with page.expect_response(lambda r: urlsplit(r.url).path.endswith("/slots")) as answer:
        await page.get_by_role("button", name=FREE_DAY).first.click()
    slots = (await (await answer.value).json())["slots"]
    assert slots, "a day shown as free has no times"
    await free_times(page).first.click()
    return slots[0]


async def fill_details(page: Page, name: str, email: str) -> None:
    await page.get_by_label("Name").fill(name)
    await page.get_by_label("Email").fill(email)


def confirm_button(page: Page):
    return page.get_by_role("button", name=re.compile(r"^Confirm booking"))


async def tab_to(page: Page, name: re.Pattern[str], presses: int = 120) -> str:
    """Presses Tab until the focused element's accessible name matches; returns that name."""
    for _ in range(presses):
        await page.keyboard.press("Tab")
        focused = await page.evaluate(
            """() => {
                const e = document.activeElement;
                if (!e) return '';
                const label = e.getAttribute('aria-label')
                    || (e.labels && e.labels[0] && e.labels[0].innerText)
                    || e.innerText || '';
                return label.trim();
            }"""
        )
        if name.search(focused):
            return focused
    raise AssertionError(f"Tab never reached an element named {name.pattern!r}")


async def serious_accessibility_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page once its transitions have ended
    (WCAG 2.1 AA): colours measured mid-fade, as a dialog opens, are not the page's."""
    await page.evaluate(
        """() => Promise.all(document.getAnimations()
            .filter(a => a.effect && Number.isFinite(a.effect.getComputedTiming().endTime))
            .map(a => a.finished.catch(() => null)))"""
    )
    if not await page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script>: the app's Content-Security-Policy (rightly)
        # refuses inline scripts, and a test must not weaken it to look.
        await page.evaluate(AXE_SCRIPT.read_text())
    results = await page.evaluate(
        """async () => {
            const run = await axe.run(document, {
                runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
            });
            return run.violations.map(v => ({
                id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 3).map(
                    n => `${n.target.join(' ')}: ${(n.failureSummary || '').slice(0, 200)}`),
            }));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {'; '.join(v['nodes'])}"
        for v in results
        if v["impact"] in ("serious", "critical")
    ]


async def expect_accessible(page: Page) -> None:
    violations = await serious_accessibility_violations(page)
    assert violations == [], violations


async def expect_no_sideways_scroll(page: Page) -> None:
    widths = await page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"


__all__ = ["expect"]
