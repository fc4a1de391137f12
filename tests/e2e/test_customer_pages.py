"""Customers on the real pages in headless Chromium, against the whole running platform:
booking, the emailed manage link, rescheduling, cancelling, a slot taken meanwhile, a
tampered link, the password reset, phone width, keyboard only and accessibility."""

import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.async_api import Page, expect

from tests.e2e.conftest import PASSWORD, Owner, screenshot
from tests.e2e.support import (
    MANAGE_LINK,
    RESET_LINK,
    confirm_button,
    email_to,
    expect_accessible,
    expect_no_sideways_scroll,
    fill_details,
    free_times,
    link_in,
    pick_first_free_time,
    tab_to,
)


def a_customer() -> str:
    return f"customer-{uuid.uuid4().hex[:8]}@example.com"


def same_instant(a: str, b: str) -> bool:
    return datetime.fromisoformat(a) == datetime.fromisoformat(b)


async def test_a_customer_books_then_reschedules_and_cancels_from_the_emailed_link(
    page: Page, owner: Owner, mail
):
    email = a_customer()
    await page.goto(f"/b/{owner.slug}")
    await expect(page.get_by_role("heading", name="Salon Ada", level=1)).to_be_visible()
    await expect(page.get_by_text("Hauptstraße 1, 10115 Berlin")).to_be_visible()
    # The price with the business's currency (EUR), as an en-GB browser writes it.
    await expect(page.get_by_text("60 min · €30.00")).to_be_visible()
    await page.get_by_label("Mia").check()
    booked_slot = await pick_first_free_time(page)
    await fill_details(page, "Ada Lovelace", email)
    await expect(confirm_button(page)).to_contain_text("Haircut (€30.00),")
    await expect_accessible(page)
    await screenshot(page, "booking-desktop")
    await confirm_button(page).click()

    await expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
    await expect(page.get_by_text("Haircut (60 min · €30.00)")).to_be_visible()
    await expect(page.get_by_text("Europe/Berlin").first).to_be_visible()
    await expect(page.get_by_role("link", name="Add to calendar")).to_be_visible()
    await expect_accessible(page)
    await screenshot(page, "confirmation-desktop")

    confirmation = await email_to(mail, email, "Booked:")
    manage = link_in(confirmation, MANAGE_LINK)
    appointment_id = manage.group(2)
    booked = owner.appointment(appointment_id)
    assert booked["status"] == "booked"
    assert same_instant(booked["start_time"], booked_slot["start"])
    assert booked["customer"]["email"] == email

    # The link from the email opens the manage page.
    await page.goto(manage.group(1))
    await expect(page.get_by_role("heading", name="Your appointment")).to_be_visible()
    await expect(page.get_by_text("Haircut (60 min · €30.00)")).to_be_visible()
    await expect_accessible(page)
    await screenshot(page, "manage-desktop")

    await page.get_by_role("button", name="Reschedule").click()
    new_slot = await pick_first_free_time(page)
    assert not same_instant(new_slot["start"], booked_slot["start"])  # its own time is taken
    await expect_accessible(page)
    await screenshot(page, "reschedule-desktop")
    await page.get_by_role("button", name="Move my appointment").click()
    await expect(page.get_by_text("Your appointment has been moved")).to_be_visible()
    moved = owner.appointment(appointment_id)
    assert moved["status"] == "booked"
    assert same_instant(moved["start_time"], new_slot["start"])

    await page.get_by_role("button", name="Cancel appointment").click()
    dialog = page.get_by_role("dialog", name="Cancel this appointment?")
    await expect(dialog).to_be_visible()
    await expect_accessible(page)
    await dialog.get_by_role("button", name="Yes, cancel it").click()
    await expect(page.get_by_text("This appointment is cancelled.")).to_be_visible()
    await expect(page.get_by_text("Your appointment has been moved")).to_have_count(0)
    await expect(page.get_by_role("button", name="Reschedule")).to_have_count(0)
    await screenshot(page, "cancelled-desktop")
    assert owner.appointment(appointment_id)["status"] == "cancelled"
    # The customer is told of each change once, by email.
    await email_to(mail, email, "New time:")
    await email_to(mail, email, "Cancelled:")


async def test_a_time_taken_meanwhile_is_explained_and_the_details_are_kept(
    page: Page, owner: Owner, api
):
    await page.goto(f"/b/{owner.slug}")
    await page.get_by_label("Mia").check()
    slot = await pick_first_free_time(page)
    taken_label = await free_times(page).first.inner_text()
    await fill_details(page, "Grace Hopper", "grace@example.com")
    # Someone else takes the same time before this customer confirms.
    other = api.post(
        "/public/book",
        json={
            "staff_id": owner.staff_id,
            "service_id": owner.service_id,
            "time": slot["start"],
            "customer_info": {"name": "Quick", "email": "quick@example.com"},
        },
    )
    assert other.status_code == 201, other.text

    await confirm_button(page).click()

    alert = page.get_by_role("alert").filter(has_text="booked by someone else")
    await expect(alert).to_be_visible()
    await expect(free_times(page).first).not_to_have_text(taken_label)  # fresh times
    await expect_accessible(page)
    await screenshot(page, "slot-taken-desktop")
    # Another time brings the form back with what was typed.
    await free_times(page).first.click()
    await expect(page.get_by_label("Name")).to_have_value("Grace Hopper")
    await expect(page.get_by_label("Email")).to_have_value("grace@example.com")
    await confirm_button(page).click()
    await expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
    listed = api.get("/appointments", headers=owner.auth).json()
    assert sorted(a["customer"]["name"] for a in listed) == ["Grace Hopper", "Quick"]


async def test_a_tampered_manage_link_shows_no_appointment(page: Page, owner: Owner, api):
    day = owner.tomorrow().isoformat()
    slots = api.get(
        "/public/slots",
        params={"staff_id": owner.staff_id, "service_id": owner.service_id, "date": day},
    ).json()["slots"]
    booked = api.post(
        "/public/book",
        json={
            "staff_id": owner.staff_id,
            "service_id": owner.service_id,
            "time": slots[0]["start"],
            "customer_info": {"name": "Secret Name", "email": "secret@example.com"},
        },
    ).json()
    real = booked["manage_token"]
    tampered = ("A" if real[0] != "A" else "B") + real[1:]

    await page.goto(f"/manage/{booked['appointment_id']}?token={tampered}")

    await expect(page.get_by_role("heading", name="This link is not valid")).to_be_visible()
    assert "Secret Name" not in await page.content()
    assert "Haircut" not in await page.inner_text("body")
    await expect_accessible(page)
    await screenshot(page, "invalid-link-desktop")


async def test_the_reset_email_leads_to_a_page_that_sets_the_new_password(
    page: Page, owner: Owner, api, mail
):
    assert api.post("/auth/password-reset", json={"email": owner.email}).status_code == 202
    reset = link_in(await email_to(mail, owner.email, "Reset your ApptRemind password"), RESET_LINK)

    await page.goto(reset.group(1))
    await expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    await expect_accessible(page)
    await screenshot(page, "reset-password-desktop")
    new_password = page.locator("input").and_(page.get_by_label(re.compile(r"^New password")))
    await new_password.fill("a brand new passphrase")
    await page.get_by_label("Repeat the new password").fill("a brand new passphrase")
    await page.get_by_role("button", name=re.compile("password", re.I)).click()

    await expect(page.get_by_role("heading", name="Your password has been changed")).to_be_visible()
    await page.get_by_role("link", name="Go to sign-in").click()
    await expect(page).to_have_url(re.compile(r"/app/sign-in$"))
    new = api.post("/auth/login", json={"email": owner.email, "password": "a brand new passphrase"})
    old = api.post("/auth/login", json={"email": owner.email, "password": PASSWORD})
    assert new.status_code == 200
    assert old.status_code == 401


async def test_booking_at_phone_width(phone: Page, owner: Owner, mail, api):
    email = a_customer()
    changed = api.patch("/business/profile", headers=owner.auth, json={"currency": "USD"})
    assert changed.status_code == 200, changed.text
    await phone.goto(f"/b/{owner.slug}")
    await expect(phone.get_by_role("heading", name="Salon Ada", level=1)).to_be_visible()
    # US dollars, as an en-GB browser writes them.
    await expect(phone.get_by_text("60 min · US$30.00")).to_be_visible()
    await expect_no_sideways_scroll(phone)
    await screenshot(phone, "booking-phone-start")
    await pick_first_free_time(phone)
    await fill_details(phone, "Ada Lovelace", email)
    await expect_no_sideways_scroll(phone)
    await expect_accessible(phone)
    await screenshot(phone, "booking-phone-details")
    await expect(confirm_button(phone)).to_contain_text("Haircut (US$30.00),")
    await confirm_button(phone).click()

    await expect(phone.get_by_role("heading", name="You're booked")).to_be_visible()
    await expect(phone.get_by_text("Haircut (60 min · US$30.00)")).to_be_visible()
    await expect_no_sideways_scroll(phone)
    await screenshot(phone, "confirmation-phone")
    manage = link_in(await email_to(mail, email, "Booked:"), MANAGE_LINK)
    await phone.goto(manage.group(1))
    await expect(phone.get_by_role("heading", name="Your appointment")).to_be_visible()
    await expect(phone.get_by_text("Haircut (60 min · US$30.00)")).to_be_visible()
    await expect_no_sideways_scroll(phone)
    await expect_accessible(phone)
    await screenshot(phone, "manage-phone")


async def test_booking_with_the_keyboard_alone_and_any_staff_member(page: Page, owner: Owner, api):
    await page.goto(f"/b/{owner.slug}")
    await expect(page.get_by_role("heading", name="Salon Ada", level=1)).to_be_visible()

    # "Any staff member" is the default choice; the calendar, times and form take keys.
    await tab_to(page, re.compile(r", free times$"))
    await page.keyboard.press("Enter")
    time_label = await tab_to(page, re.compile(r"^\d{1,2}:\d{2}"))
    await page.keyboard.press("Enter")
    await tab_to(page, re.compile(r"^Name"))
    await page.keyboard.type("Keyboard Kay")
    await tab_to(page, re.compile(r"^Email"))
    await page.keyboard.type("kay@example.com")
    await tab_to(page, re.compile(r"^Confirm booking"))
    await page.keyboard.press("Enter")

    await expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
    [appointment] = api.get("/appointments", headers=owner.auth).json()
    assert appointment["customer"]["name"] == "Keyboard Kay"
    assert appointment["staff_id"] == owner.staff_id  # the one staff member free then
    assert time_label.split()[0] in await page.inner_text("body")


async def test_an_unknown_business_and_an_unknown_page_say_so(page: Page, stack):
    await page.goto("/b/no-such-business")
    await expect(page.get_by_role("heading", name=re.compile("not found", re.I))).to_be_visible()
    await expect_accessible(page)
    await screenshot(page, "unknown-business-desktop")

    await page.goto("/no/such/page")
    await expect(page.get_by_role("heading", name=re.compile("not found", re.I))).to_be_visible()


async def test_a_visitor_in_another_zone_sees_their_own_time_beside_the_business_time(
    browser, stack, owner: Owner
):
    context = await browser.new_context(
        base_url=stack.api, locale="en-GB", timezone_id="America/New_York"
    )
    page = await context.new_page()
    try:
        await page.goto(f"/b/{owner.slug}")
        slot = await pick_first_free_time(page)

        await expect(page.get_by_text("Europe/Berlin").first).to_be_visible()
        await expect(page.get_by_text("America/New_York").first).to_be_visible()
        start = datetime.fromisoformat(slot["start"])
        berlin = start.astimezone(ZoneInfo("Europe/Berlin"))
        new_york = start.astimezone(ZoneInfo("America/New_York"))
        first = free_times(page).first
        await expect(first).to_contain_text(f"{berlin:%H:%M}")
        await expect(first).to_contain_text(f"{new_york:%H:%M} your time")
        await screenshot(page, "booking-other-zone-desktop")
    finally:
        await context.close()
