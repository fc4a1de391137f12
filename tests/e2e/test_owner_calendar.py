"""The owner's calendar in the real browser: appointments on the business's clock (also on
the day the clocks change), per staff member by day and by week, their details and reminders,
the changes the API allows and the ones it refuses explained, the filtered and paged list, a
phone's width, and a staff login's view."""

import re
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
from playwright.async_api import Page, expect

from tests.e2e.conftest import PASSWORD, Owner, screenshot
from tests.e2e.support import (
    expect_accessible,
    expect_no_sideways_scroll,
    pick_first_free_time,
)


def next_clock_change(zone: ZoneInfo, not_before: date) -> date:
    """The first local day on or after `not_before` whose clocks go forward or back."""
    day = not_before
    while day < not_before + timedelta(days=400):
        midnight = datetime.combine(day, time(), tzinfo=zone).utcoffset()
        next_midnight = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone).utcoffset()
        if midnight != next_midnight:
            return day
        day += timedelta(days=1)
    raise AssertionError(f"{zone} never changes its clocks")


def book(
    owner: Owner,
    day: date,
    hour: int,
    name: str,
    *,
    phone: str | None = None,
    note: str | None = None,
) -> dict:
    """Books through the public API, as a customer on the booking page would."""
    start = datetime.combine(day, time(hour), tzinfo=owner.zone)
    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:6]}@example.com"
    response = owner.api.post(
        "/public/book",
        json={
            "staff_id": owner.staff_id,
            "service_id": owner.service_id,
            "time": start.isoformat(),
            "customer_info": {"name": name, "email": email, "phone": phone},
            "note": note,
        },
    )
    assert response.status_code == 201, response.text
    return {**response.json(), "email": email, "start": start}


def cancel_via_api(owner: Owner, appointment_id: str, reason: str = "Called to cancel") -> None:
    response = owner.api.delete(
        f"/appointments/{appointment_id}", headers=owner.auth, params={"reason": reason}
    )
    assert response.status_code == 200, response.text


def appointment_link(page: Page, pattern: str):
    return page.get_by_role("link", name=re.compile(pattern))


async def test_an_appointment_on_the_clock_change_day_sits_at_its_local_time_by_day_and_week(
    page: Page, owner: Owner
):
    day = next_clock_change(owner.zone, owner.tomorrow())
    booking = book(owner, day, 10, "Ada Lovelace", phone="+49 170 1234567")

    await owner.open_app(page, f"/app/calendar?view=day&date={day.isoformat()}")
    lane = page.get_by_role("region", name="Mia")
    block = appointment_link(lane, r"^10:00–11:00\s*Ada Lovelace\s*Haircut")
    await expect(block).to_be_visible()
    # The clock change is spelled out, and 10:00 sits on the grid's 10:00 line.
    await expect(
        page.get_by_text(re.compile(r"Clocks go (forward|back) one hour at 0[23]:00"))
    ).to_be_visible()
    block_box = await block.bounding_box()
    line_box = await page.locator('[data-hour="10"]').bounding_box()
    assert block_box
    assert line_box
    assert abs(block_box["y"] - line_box["y"]) <= 3, (block_box, line_box)
    await expect_accessible(page)
    await screenshot(page, "owner-calendar-day-clock-change-desktop")

    await page.get_by_text("Week", exact=True).click()
    await expect(page).not_to_have_url(re.compile(r"view=day"))
    cell = page.locator(f'tr[data-lane="{owner.staff_id}"] td[data-day="{day.isoformat()}"]')
    await expect(appointment_link(cell, r"^10:00–11:00\s*Ada Lovelace")).to_be_visible()
    await expect(
        page.get_by_role("columnheader", name=re.compile("Clocks change"))
    ).to_have_attribute("data-day", day.isoformat())
    await expect_accessible(page)
    await screenshot(page, "owner-calendar-week-clock-change-desktop")

    # Back and forth by week keeps the day in the address.
    await page.get_by_role("button", name="Next week").click()
    await expect(appointment_link(page, "Ada Lovelace")).to_have_count(0)
    await page.go_back()
    await expect(appointment_link(cell, "Ada Lovelace")).to_be_visible()

    await appointment_link(cell, "Ada Lovelace").click()
    await expect(page).to_have_url(re.compile(f"/app/appointments/{booking['appointment_id']}$"))
    await expect(page.get_by_role("heading", level=1, name="Ada Lovelace")).to_be_visible()
    await expect(page.get_by_text("10:00–11:00")).to_be_visible()


async def test_each_staff_member_has_a_lane_the_filter_keeps_one_and_cancelled_ones_show_on_request(
    page: Page, owner: Owner
):
    day = owner.tomorrow()
    first = book(owner, day, 10, "Alan Turing")
    cancel_via_api(owner, first["appointment_id"])
    book(owner, day, 10, "Joan Clarke")  # the freed time, booked again
    # The Free plan has one active staff member: Mia leaves, keeping her appointments, and
    # Leo joins.
    left = owner.api.delete(f"/business/staff/{owner.staff_id}", headers=owner.auth)
    assert left.status_code == 204, left.text
    every_day = [
        {"day_of_week": weekday, "start_time": "09:00", "end_time": "17:00"} for weekday in range(7)
    ]
    leo = owner.api.post(
        "/business/staff", headers=owner.auth, json={"name": "Leo", "working_hours": every_day}
    )
    assert leo.status_code == 201, leo.text
    leo_id = leo.json()["id"]
    start = datetime.combine(day, time(12), tzinfo=owner.zone)
    for_leo = owner.api.post(
        "/public/book",
        json={
            "staff_id": leo_id,
            "service_id": owner.service_id,
            "time": start.isoformat(),
            "customer_info": {"name": "Tommy Flowers", "email": "tommy@example.com"},
        },
    )
    assert for_leo.status_code == 201, for_leo.text

    await owner.open_app(page, f"/app/calendar?view=day&date={day.isoformat()}")
    mia = page.get_by_role("region", name="Mia")
    leo_lane = page.get_by_role("region", name="Leo")
    await expect(appointment_link(mia, r"^10:00–11:00\s*Joan Clarke")).to_be_visible()
    await expect(appointment_link(leo_lane, r"^12:00–13:00\s*Tommy Flowers")).to_be_visible()
    await expect(appointment_link(page, "Alan Turing")).to_have_count(0)
    await expect(page.get_by_text("1 cancelled appointment is hidden.")).to_be_visible()

    # The switch's state lives in the address: it turns on once the router has moved.
    await page.get_by_label("Show cancelled").click()
    await expect(page.get_by_label("Show cancelled")).to_be_checked()
    await expect(page).to_have_url(re.compile(r"cancelled=1"))
    cancelled = appointment_link(mia, r"^10:00–11:00\s*Alan Turing.*Cancelled")
    await expect(cancelled).to_be_visible()
    # Side by side with the booking that took its time, not on top of it.
    joan = await appointment_link(mia, "Joan Clarke").bounding_box()
    alan = await cancelled.bounding_box()
    assert joan
    assert alan
    assert alan["x"] + alan["width"] <= joan["x"] + 1 or joan["x"] + joan["width"] <= alan["x"] + 1
    await expect_accessible(page)
    await screenshot(page, "owner-calendar-day-two-staff-desktop")

    await page.get_by_label("Staff").select_option(label="Leo")
    await expect(page).to_have_url(re.compile(f"staff={leo_id}"))
    await expect(page.get_by_role("region", name="Mia")).to_have_count(0)
    await expect(appointment_link(leo_lane, "Tommy Flowers")).to_be_visible()
    await page.reload()
    await expect(page.get_by_label("Staff")).to_have_value(leo_id)
    await expect(page.get_by_role("region", name="Mia")).to_have_count(0)

    await page.get_by_label("Staff").select_option(label="Everyone")
    await page.get_by_text("Week", exact=True).click()
    await expect(
        appointment_link(page.locator(f'tr[data-lane="{leo_id}"]'), "Tommy Flowers")
    ).to_be_visible()
    await expect(
        appointment_link(page.locator(f'tr[data-lane="{owner.staff_id}"]'), "Joan Clarke")
    ).to_be_visible()
    await screenshot(page, "owner-calendar-week-two-staff-desktop")


async def test_details_show_customer_and_reminders_and_a_no_show_before_the_start_is_explained(
    page: Page, owner: Owner
):
    day = next_clock_change(owner.zone, owner.tomorrow())
    booking = book(owner, day, 10, "Grace Hopper", phone="+49 170 7654321", note="Fringe only")
    appointment_id = booking["appointment_id"]
    reminders = owner.appointment(appointment_id)["reminders"]
    assert reminders, "the business plans reminders by default"

    await owner.open_app(page, f"/app/appointments/{appointment_id}")
    await expect(page.get_by_role("heading", level=1, name="Grace Hopper")).to_be_visible()
    await expect(page.get_by_text("Haircut with Mia")).to_be_visible()
    await expect(page.get_by_text("Haircut · 60 min · €30.00")).to_be_visible()
    await expect(page.get_by_role("link", name=booking["email"])).to_have_attribute(
        "href", f"mailto:{booking['email']}"
    )
    await expect(page.get_by_role("link", name="+491707654321")).to_be_visible()
    await expect(page.get_by_text("Fringe only")).to_be_visible()
    await expect(page.get_by_text("10:00–11:00")).to_be_visible()
    await expect(page.get_by_test_id("status")).to_have_text("Booked")

    listed = page.get_by_role("region", name="Reminders").get_by_role("listitem")
    await expect(listed).to_have_count(len(reminders))
    for item in await listed.all():
        await expect(item).to_contain_text("Email")
        await expect(item).to_contain_text("Pending")
        await expect(item).to_contain_text(re.compile(r"Due \w{3},? \d+ \w{3} \d{4}, \d\d:\d\d"))

    # Before its start it can be moved or cancelled, not closed.
    await expect(page.get_by_role("button", name="Reschedule")).to_be_visible()
    await expect(page.get_by_role("button", name="Mark no-show")).to_have_count(0)
    await expect(
        page.get_by_text(re.compile("mark it as completed or as a no-show once it has started"))
    ).to_be_visible()
    await expect_accessible(page)
    await screenshot(page, "owner-appointment-details-desktop")

    # A device whose clock runs ahead offers the no-show; the server refuses and we say why.
    await page.clock.set_fixed_time(booking["start"] + timedelta(minutes=30))
    await page.reload()
    await page.get_by_role("button", name="Mark no-show").click()
    alert = page.get_by_role("alert")
    await expect(alert).to_contain_text("Not marked as no-show")
    await expect(alert).to_contain_text(
        re.compile(r"can’t mark it as a no-show before it has started: it starts .*10:00")
    )
    await expect(page.get_by_test_id("status")).to_have_text("Booked")
    await expect_accessible(page)
    await screenshot(page, "owner-appointment-no-show-refused-desktop")
    assert owner.appointment(appointment_id)["status"] == "booked"


async def test_owner_moves_an_appointment_to_a_free_time_then_cancels_it_with_a_reason(
    page: Page, owner: Owner
):
    booking = book(owner, owner.tomorrow() + timedelta(days=1), 14, "Katherine Johnson")
    appointment_id = booking["appointment_id"]

    await owner.open_app(page, f"/app/appointments/{appointment_id}")
    await page.get_by_role("button", name="Reschedule").click()
    await expect(page.get_by_role("heading", name="Choose a new time with Mia")).to_be_visible()
    slot = await pick_first_free_time(page)
    move = page.get_by_role("button", name=re.compile(r"^Move to "))
    await expect(move).to_be_enabled()
    await move.click()

    await expect(page.get_by_role("status").filter(has_text="Moved to")).to_be_visible()
    new_start = datetime.fromisoformat(slot["start"]).astimezone(owner.zone)
    await expect(
        page.get_by_text(f"{new_start:%H:%M}–{new_start + timedelta(hours=1):%H:%M}")
    ).to_be_visible()
    moved = owner.appointment(appointment_id)
    assert datetime.fromisoformat(moved["start_time"]) == datetime.fromisoformat(slot["start"])
    await expect(page.get_by_role("region", name="History")).to_contain_text("Moved")

    await page.get_by_role("button", name="Cancel appointment").click()
    dialog = page.get_by_role("dialog", name="Cancel this appointment?")
    await dialog.get_by_label("Reason (optional)").fill("Mia is ill")
    await expect_accessible(page)
    await dialog.get_by_role("button", name="Yes, cancel it").click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_test_id("status")).to_have_text("Cancelled")
    await expect(page.get_by_text("Appointment cancelled.")).to_be_visible()
    await expect(page.get_by_text("there is nothing more to change")).to_be_visible()
    await expect(page.get_by_role("button", name="Reschedule")).to_have_count(0)
    await expect(
        page.get_by_role("region", name="Reminders").get_by_text("Pending", exact=True)
    ).to_have_count(0)
    cancelled = owner.appointment(appointment_id)
    assert cancelled["status"] == "cancelled"
    history = page.get_by_role("region", name="History")
    await expect(history).to_contain_text("by the owner")
    await expect(history).to_contain_text("Reason: Mia is ill")
    await screenshot(page, "owner-appointment-cancelled-desktop")


async def test_a_change_made_elsewhere_meanwhile_is_explained_and_shown(page: Page, owner: Owner):
    booking = book(owner, owner.tomorrow(), 11, "Hedy Lamarr")
    appointment_id = booking["appointment_id"]
    await owner.open_app(page, f"/app/appointments/{appointment_id}")
    await expect(page.get_by_test_id("status")).to_have_text("Booked")

    cancel_via_api(owner, appointment_id)  # the customer's link, or a colleague
    await page.get_by_role("button", name="Cancel appointment").click()
    dialog = page.get_by_role("dialog", name="Cancel this appointment?")
    await dialog.get_by_role("button", name="Yes, cancel it").click()
    alert = dialog.get_by_role("alert")
    await expect(alert).to_contain_text("Not cancelled")
    await expect(alert).to_contain_text("It is now cancelled, so there is nothing more to change.")
    await expect(page.get_by_test_id("status")).to_have_text("Cancelled")


async def test_the_list_filters_by_status_and_pages_keeping_both_in_the_address(
    page: Page, owner: Owner
):
    days = [owner.tomorrow(), owner.tomorrow() + timedelta(days=1)]
    bookings = [
        book(owner, days[index // 6], 9 + index % 6, f"Customer {index + 1}") for index in range(12)
    ]
    for booking in bookings[1:3]:
        cancel_via_api(owner, booking["appointment_id"])

    await owner.open_app(page, "/app/appointments?size=10")
    await expect(page.get_by_test_id("showing")).to_have_text("Showing 1–10 of 12")
    await expect(page.get_by_role("link", name=re.compile(r"^Customer \d+$"))).to_have_count(10)
    await page.get_by_role("button", name="Next page").click()
    await expect(page).to_have_url(re.compile(r"page=2"))
    await expect(page.get_by_test_id("showing")).to_have_text("Showing 11–12 of 12")
    await expect(page.get_by_role("link", name="Customer 12")).to_be_visible()
    await expect_accessible(page)
    await screenshot(page, "owner-appointments-list-desktop")

    await page.get_by_label("Status").select_option("cancelled")
    await expect(page).to_have_url(re.compile(r"status=cancelled"))
    await expect(page).not_to_have_url(re.compile(r"page=2"))
    await expect(page.get_by_test_id("showing")).to_have_text("Showing 1–2 of 2")
    rows = page.get_by_role("row").filter(
        has=page.get_by_role("link", name=re.compile("^Customer"))
    )
    await expect(rows).to_have_count(2)
    for row in await rows.all():
        await expect(row).to_contain_text("Cancelled")

    await page.reload()
    await expect(page.get_by_label("Status")).to_have_value("cancelled")
    await expect(page.get_by_test_id("showing")).to_have_text("Showing 1–2 of 2")
    await page.go_back()
    await expect(page.get_by_test_id("showing")).to_have_text("Showing 11–12 of 12")

    # A row opens the appointment; back returns to the list as it was.
    await page.get_by_role("link", name="Customer 12").click()
    await expect(page.get_by_role("heading", level=1, name="Customer 12")).to_be_visible()
    await page.get_by_role("link", name="Back to the appointments").click()
    await expect(page.get_by_test_id("showing")).to_have_text("Showing 11–12 of 12")


async def test_calendar_list_and_details_fit_a_phone(phone: Page, owner: Owner):
    day = owner.tomorrow()
    book(owner, day, 9, "Ada Lovelace", note="A long note that wraps across the narrow screen")
    book(owner, day, 13, "Barbara Liskov-Wing With A Rather Long Double Name")

    await owner.open_app(phone, f"/app/calendar?date={day.isoformat()}")
    # Phones open on the day, as a list per staff member.
    await expect(phone.get_by_role("heading", level=3, name="Mia")).to_be_visible()
    await expect(appointment_link(phone, r"^09:00–10:00\s*Ada Lovelace")).to_be_visible()
    await expect_no_sideways_scroll(phone)
    await expect_accessible(phone)
    await screenshot(phone, "owner-calendar-day-phone")

    await phone.get_by_text("Week", exact=True).click()
    await expect(appointment_link(phone, "Barbara Liskov")).to_be_visible()
    await expect_no_sideways_scroll(phone)
    await expect_accessible(phone)
    await screenshot(phone, "owner-calendar-week-phone")

    await appointment_link(phone, "Ada Lovelace").click()
    await expect(phone.get_by_role("heading", level=1, name="Ada Lovelace")).to_be_visible()
    await expect_no_sideways_scroll(phone)
    await screenshot(phone, "owner-appointment-details-phone")
    await phone.get_by_role("button", name="Reschedule").click()
    await expect(phone.get_by_role("heading", name="Choose a day")).to_be_visible()
    await expect_no_sideways_scroll(phone)
    await expect_accessible(phone)
    await screenshot(phone, "owner-appointment-reschedule-phone")

    await phone.goto("/app/appointments")
    await expect(phone.get_by_test_id("showing")).to_have_text("Showing 1–2 of 2")
    await expect_no_sideways_scroll(phone)
    await expect_accessible(phone)
    await screenshot(phone, "owner-appointments-list-phone")


async def test_an_empty_week_says_what_to_do_next(page: Page, owner: Owner):
    far = owner.tomorrow() + timedelta(days=60)
    await owner.open_app(page, f"/app/calendar?view=week&date={far.isoformat()}")
    await expect(page.get_by_text("No appointments this week")).to_be_visible()
    await expect(
        page.get_by_role("link", name=re.compile(r"\/b\/" + re.escape(owner.slug) + "$"))
    ).to_be_visible()
    await expect(
        page.get_by_role("main").get_by_role("link", name="setup guide", exact=True)
    ).to_have_attribute("href", "/app/setup")
    await expect_accessible(page)


async def test_a_staff_login_sees_the_calendar_and_can_change_appointments(
    page: Page, owner: Owner, api: httpx.Client
):
    email = f"staff-{uuid.uuid4().hex[:8]}@example.com"
    created = api.post(
        "/auth/users",
        headers=owner.auth,
        json={"email": email, "password": PASSWORD, "role": "staff"},
    )
    assert created.status_code == 201, created.text
    login = api.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    booking = book(owner, owner.tomorrow(), 15, "Radia Perlman")

    await page.goto("/app/sign-in")
    await page.evaluate(
        "token => localStorage.setItem('apptremind.session', token)", login.json()["access_token"]
    )
    await page.goto(f"/app/calendar?view=day&date={owner.tomorrow().isoformat()}")
    link = appointment_link(page.get_by_role("region", name="Mia"), r"^15:00–16:00\s*Radia Perlman")
    await expect(link).to_be_visible()
    await link.click()
    # The API lets staff move and cancel appointments; the page offers both.
    await expect(page.get_by_role("button", name="Reschedule")).to_be_visible()
    await page.get_by_role("button", name="Cancel appointment").click()
    await page.get_by_role("dialog").get_by_role("button", name="Yes, cancel it").click()
    await expect(page.get_by_test_id("status")).to_have_text("Cancelled")
    assert owner.appointment(booking["appointment_id"])["status"] == "cancelled"

    # An empty day tells staff what to expect, without the owner's setup links.
    await page.goto(
        f"/app/calendar?view=day&date={(owner.tomorrow() + timedelta(days=30)).isoformat()}"
    )
    await expect(page.get_by_text("No appointments on this day")).to_be_visible()
    await expect(page.get_by_text("New bookings show up here")).to_be_visible()
    await expect(
        page.get_by_role("main").get_by_role("link", name="setup guide", exact=True)
    ).to_have_count(0)
