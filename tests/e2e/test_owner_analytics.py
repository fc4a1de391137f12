"""The owner's analytics page in the real browser: appointments booked, cancelled, completed
and missed through the API reach the page (the analytics consumer is asynchronous), and the
page's totals, no-show rate and table equal GET /analytics/summary for the same range."""

import asyncio
import re
import time
import uuid
from datetime import date, datetime, timedelta

from playwright.async_api import Page, expect

from apptremind.booking import service as booking
from apptremind.db import create_engine, create_sessionmaker, unit_of_work
from apptremind.settings import Settings
from tests.devstack.dev_platform import DevPlatform
from tests.e2e.conftest import Owner, screenshot
from tests.e2e.support import expect_accessible, expect_no_sideways_scroll

ALL_DAY = [{"day_of_week": day, "start_time": "00:00", "end_time": "24:00"} for day in range(7)]
COUNTS = {
    "Bookings": "booked",
    "Cancellations": "cancelled",
    "Completed": "completed",
    "No-shows": "no_show",
    "Reminders sent": "reminders_sent",
    "Reminders failed": "reminders_failed",
}


def totals_of(days: list[dict]) -> dict[str, int]:
    return {key: sum(day[key] for day in days) for key in COUNTS.values()}


def rate_text(totals: dict[str, int]) -> str:
    """The no-show rate as the page writes it in en-GB: no-shows of closed appointments."""
    closed = totals["completed"] + totals["no_show"]
    if not closed:
        return "—"
    percent = round(100 * totals["no_show"] / closed, 1)
    return f"{percent:g}%"


async def started_appointments(stack: DevPlatform, owner: Owner) -> list[tuple[str, date]]:
    """Two appointments that have already started (1 and 2 hours ago), booked three hours ago.

    The public API books only future times and an appointment is closed only once it has
    started, so these are booked through the booking service as of three hours ago, as the
    API would have booked them then; the running relay, workflows and consumers take it from
    there.
    """
    settings = Settings(
        database_url=f"postgresql://postgres@127.0.0.1:{stack.ports['DEV_POSTGRES']}/apptremind"
    )
    engine = create_engine(settings, pool_size=1, max_overflow=0)
    three_hours_ago = datetime.now(owner.zone).replace(minute=0, second=0, microsecond=0) - (
        timedelta(hours=3)
    )
    booked = []
    try:
        async with unit_of_work(create_sessionmaker(engine)) as session:
            for hours in (1, 2):
                start = three_hours_ago + timedelta(hours=hours)
                appointment = await booking.book(
                    session,
                    uuid.UUID(owner.staff_id),
                    uuid.UUID(owner.service_id),
                    start,
                    booking.Customer(name="Past Customer", email="past@example.com", phone=None),
                    now=three_hours_ago,
                )
                booked.append((str(appointment.id), start.date()))
    finally:
        await engine.dispose()
    return booked


def book_tomorrow(owner: Owner, api, count: int) -> list[str]:
    day = owner.tomorrow().isoformat()
    slots = api.get(
        "/public/slots",
        params={"staff_id": owner.staff_id, "service_id": owner.service_id, "date": day},
    ).json()["slots"]
    ids = []
    for slot in slots[:count]:
        answer = api.post(
            "/public/book",
            json={
                "staff_id": owner.staff_id,
                "service_id": owner.service_id,
                "time": slot["start"],
                "customer_info": {"name": "Grace Hopper", "email": "grace@example.com"},
            },
        )
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["appointment_id"])
    return ids


def summary(owner: Owner, api, first: date, last: date) -> list[dict]:
    answer = api.get(
        "/analytics/summary",
        params={"from": first.isoformat(), "to": last.isoformat()},
        headers=owner.auth,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


async def page_totals(page: Page) -> dict[str, str]:
    cards = page.get_by_label("Totals")
    await expect(cards).to_be_visible()
    shown = {}
    for label in [*COUNTS, "No-show rate"]:
        shown[label] = (await cards.locator(f'[data-stat="{label}"]').inner_text()).strip()
    return shown


def expected_cards(totals: dict[str, int]) -> dict[str, str]:
    return {
        **{label: str(totals[key]) for label, key in COUNTS.items()},
        "No-show rate": rate_text(totals),
    }


async def test_the_analytics_page_shows_the_figures_of_the_summary_api(
    page: Page, phone: Page, owner: Owner, api, stack: DevPlatform
):
    staff = api.patch(
        f"/business/staff/{owner.staff_id}", headers=owner.auth, json={"working_hours": ALL_DAY}
    )
    assert staff.status_code == 200, staff.text
    (completed_id, first_day), (missed_id, second_day) = await started_appointments(stack, owner)
    upcoming = book_tomorrow(owner, api, 3)
    cancelled = api.delete(f"/appointments/{upcoming[0]}", headers=owner.auth)
    assert cancelled.status_code == 200, cancelled.text
    completed = api.post(f"/appointments/{completed_id}/complete", headers=owner.auth)
    assert completed.status_code == 200, completed.text
    missed = api.post(f"/appointments/{missed_id}/no-show", headers=owner.auth)
    assert missed.status_code == 200, missed.text
    first, last = min(first_day, second_day), owner.tomorrow()

    # The analytics consumer folds the events in a few seconds after they happen.
    wanted = {"booked": 5, "cancelled": 1, "completed": 1, "no_show": 1}
    deadline = time.monotonic() + 90
    while True:
        totals = totals_of(summary(owner, api, first, last))
        if all(totals[key] == value for key, value in wanted.items()):
            break
        assert time.monotonic() < deadline, f"the analytics never caught up: {totals}"
        await asyncio.sleep(0.5)

    # Reminders may still be settling: compare the page with answers taken around it.
    await owner.open_app(page, f"/app/analytics?from={first}&to={last}")
    await expect(page.get_by_role("heading", name="Analytics", level=1)).to_be_visible()
    deadline = time.monotonic() + 60
    while True:
        before = totals_of(summary(owner, api, first, last))
        shown = await page_totals(page)
        after = totals_of(summary(owner, api, first, last))
        if before == after and shown == expected_cards(after):
            break
        assert time.monotonic() < deadline, f"page {shown} != API {after}"
        await page.reload()
    assert shown["No-show rate"] == "50%"  # one no-show of two closed appointments
    days = summary(owner, api, first, last)
    await expect(
        page.get_by_role("img", name=re.compile("^Bar chart of the bookings"))
    ).to_be_visible()
    await expect_accessible(page)
    await screenshot(page, "owner-analytics-desktop")

    # The same figures as a table, a row per day and the totals last.
    await page.get_by_role("switch", name="Show figures as a table").check()
    table = page.get_by_role("table")
    await expect(table.get_by_role("row")).to_have_count(len(days) + 2)
    total_row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Total"))
    total = totals_of(days)
    await expect(total_row.locator("th")).to_have_text(
        [
            "Total",
            *(str(total[key]) for key in ("booked", "cancelled", "completed", "no_show")),
            rate_text(total),
            str(total["reminders_sent"]),
            str(total["reminders_failed"]),
        ]
    )
    await expect_accessible(page)
    await screenshot(page, "owner-analytics-table-desktop")

    # A preset is kept in the address, relative to today.
    await page.locator("label", has_text="Last 7 days").click()
    await expect(page).to_have_url(re.compile(r"/app/analytics\?range=7d$"))
    await expect(page.get_by_role("radio", name="Last 7 days")).to_be_checked()

    # At phone width: no sideways scrolling, the table scrolls inside itself.
    await owner.open_app(phone, f"/app/analytics?from={first}&to={last}")
    await expect(phone.get_by_label("Totals")).to_be_visible()
    await expect(
        phone.get_by_role("img", name=re.compile("^Bar chart of reminders"))
    ).to_be_visible()
    await expect_no_sideways_scroll(phone)
    await expect_accessible(phone)
    await screenshot(phone, "owner-analytics-phone")
    await phone.get_by_role("switch", name="Show figures as a table").check()
    await expect(phone.get_by_role("table")).to_be_visible()
    await expect_no_sideways_scroll(phone)
    await screenshot(phone, "owner-analytics-table-phone")


async def test_a_new_business_sees_the_empty_state_and_picks_a_custom_range(
    page: Page, owner: Owner
):
    await owner.open_app(page, "/app/analytics")
    await expect(page.get_by_text("No activity in this period yet")).to_be_visible()
    await expect(page.get_by_role("radio", name="Last 30 days")).to_be_checked()
    await expect_accessible(page)
    await screenshot(page, "owner-analytics-empty-desktop")

    # Any other range from the calendar (it opens on the month the range starts in).
    start = datetime.now(owner.zone).date() - timedelta(days=29)
    first, last = start.replace(day=10), start.replace(day=12)
    await page.get_by_label("Dates").click()
    await page.get_by_role("button", name=f"{first.day} {first:%B %Y}", exact=True).click()
    await page.get_by_role("button", name=f"{last.day} {last:%B %Y}", exact=True).click()
    await expect(page).to_have_url(re.compile(rf"/app/analytics\?from={first}&to={last}$"))
    await expect(page.get_by_role("heading", name=f"10 – 12 {first:%b %Y}")).to_be_visible()
    await expect(page.get_by_text("No activity in this period yet")).to_be_visible()
    await page.go_back()
    await expect(page.get_by_role("radio", name="Last 30 days")).to_be_checked()

    # A range the address cannot use is replaced by the default, and the page says so.
    await page.goto("/app/analytics?from=2026-02-30&to=2026-03-01")
    await expect(page.get_by_text("The dates in the address are not valid")).to_be_visible()
