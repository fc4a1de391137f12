"""An owner setting up the business in the real browser, against the whole running platform:
the first-run guide from sign-up to a customer's booking, services, staff hours with a lunch
break, a day off, reminders and the plan's limits, at desktop and phone width."""

import re
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
from playwright.async_api import Browser, Page, expect

from tests.devstack.dev_platform import DevPlatform
from tests.e2e.conftest import PASSWORD, PHONE, Owner, new_context, screenshot
from tests.e2e.support import (
    CONFIRM_SIGN_UP_LINK,
    CONFIRM_SIGN_UP_SUBJECT,
    confirm_button,
    email_to,
    expect_accessible,
    expect_no_sideways_scroll,
    fill_details,
    link_in,
    pick_first_free_time,
    sign_up,
)
from tests.smtp import MailServer


def an_email(kind: str = "owner") -> str:
    return f"{kind}-{uuid.uuid4().hex[:8]}@example.com"


def register(
    api: httpx.Client, mail: MailServer, name: str, timezone: str = "Europe/Berlin"
) -> str:
    """A business with nothing set up yet, as right after sign-up; returns the owner's token."""
    registered = sign_up(
        api, mail, email=an_email(), password=PASSWORD, business_name=name, timezone=timezone
    )
    return str(registered["access_token"])


async def open_signed_in(page: Page, token: str, path: str) -> None:
    await page.goto("/app/sign-in")
    await page.evaluate("token => localStorage.setItem('apptremind.session', token)", token)
    await page.goto(path)


async def choose(page: Page, label: str, option: str, *, search: bool = False) -> None:
    """Picks an option of a Mantine Select, typing to narrow a searchable one."""
    select = page.get_by_role("textbox", name=label, exact=True)
    if search:
        await select.fill(option)
    else:
        await select.click()
    await page.get_by_role("option", name=option, exact=True).click()


def local(instant: str, zone: ZoneInfo) -> datetime:
    return datetime.fromisoformat(instant).astimezone(zone)


def day_label(day: date) -> re.Pattern[str]:
    """The end of a calendar day's accessible name in en-GB, e.g. '4 December 2026'."""
    return re.compile(rf"\b{day.day} {day.strftime('%B')} {day.year}")


async def test_a_new_owner_sets_up_through_the_guide_and_a_customer_books_the_shared_link(
    page: Page, browser: Browser, stack: DevPlatform, api: httpx.Client, mail: MailServer
) -> None:
    name = f"Studio Lumen {uuid.uuid4().hex[:4]}"
    zone = ZoneInfo("Europe/Vienna")
    email = an_email()
    await page.goto("/app/sign-up")
    await page.get_by_label("Business name").fill(name)
    await choose(page, "Time zone", "Europe/Vienna", search=True)
    # The currency is guessed from the browser's language (en-GB); this business is in euros.
    currency = page.get_by_role("textbox", name="Currency", exact=True)
    await expect(currency).to_have_value("GBP — British Pound")
    await choose(page, "Currency", "EUR — Euro", search=True)
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Create account").click()
    await expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    confirm = link_in(await email_to(mail, email, CONFIRM_SIGN_UP_SUBJECT), CONFIRM_SIGN_UP_LINK)
    await page.goto(confirm.group(1))

    # Step 1: the business.
    await expect(page).to_have_url(re.compile(r"/app/setup$"))
    await expect(page.get_by_role("heading", name="Tell customers who you are")).to_be_visible()
    await expect(page.get_by_label("Business name")).to_have_value(name)
    await expect(page.get_by_role("textbox", name="Time zone", exact=True)).to_have_value(
        "Europe/Vienna"
    )
    await expect(page.get_by_role("textbox", name="Currency", exact=True)).to_have_value(
        "EUR — Euro"
    )
    await page.get_by_label("Address").fill("Ringstraße 5, 1010 Wien")
    await expect_accessible(page)
    await screenshot(page, "setup-1-business-desktop")
    await page.get_by_role("button", name="Save and continue").click()

    # Step 2: a first service.
    await expect(page.get_by_role("heading", name="Add your first service")).to_be_visible()
    await page.get_by_role("textbox", name="Name", exact=True).fill("Consultation")
    await page.get_by_label("Length (minutes)").fill("30")
    await page.get_by_label("Price (EUR)").fill("40")
    await page.get_by_role("button", name="Add service and continue").click()

    # Step 3: a staff member with a lunch break on every day.
    await expect(page.get_by_role("heading", name="Who takes the appointments?")).to_be_visible()
    await page.get_by_role("textbox", name="Name", exact=True).fill("Noor")
    await page.get_by_label("Monday end 1").fill("12:30")
    await page.get_by_role("button", name="Add hours on Monday").click()
    await expect(page.get_by_label("Monday start 2")).to_have_value("13:30")
    await page.get_by_label("Monday end 2").fill("18:00")
    await page.get_by_role("button", name="Copy to other days (Monday's hours)").click()
    await page.get_by_role("menuitem", name="Every other day").click()
    await expect(page.get_by_role("menu")).to_be_hidden()
    await expect(page.get_by_label("Sunday end 2")).to_have_value("18:00")
    await expect_accessible(page)
    await screenshot(page, "setup-3-staff-desktop")
    await page.get_by_role("button", name="Add and continue").click()

    # Step 4: the link to share, copied and read from the page.
    await expect(page.get_by_role("heading", name="Your booking page is ready")).to_be_visible()
    link = await page.get_by_label("Booking link").input_value()
    slug = link.rsplit("/b/", 1)[1]
    assert link == f"{stack.api}/b/{slug}"
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=stack.api)
    await page.get_by_role("button", name="Copy link").click()
    await expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert await page.evaluate("() => navigator.clipboard.readText()") == link
    await expect(page.get_by_text(f'<iframe src="{link}"')).to_be_visible()
    await expect(page.get_by_role("button", name="Copy embed code")).to_be_visible()
    await expect(page.get_by_role("button", name="Copy button code")).to_be_visible()
    opener = page.get_by_role("link", name="Open the booking page")
    await expect(opener).to_have_attribute("href", link)
    await expect(page.get_by_role("banner").get_by_text(name)).to_be_visible()
    await expect_accessible(page)
    await screenshot(page, "setup-4-share-desktop")

    # The lunch break offers no time: 30-minute slots stop at 12:30 and start again at 13:30.
    business = api.get(f"/public/businesses/{slug}").json()
    assert business["address"] == "Ringstraße 5, 1010 Wien"
    assert business["currency"] == "EUR"
    [service] = business["services"]
    [noor] = business["staff"]
    day = datetime.now(zone).date() + timedelta(days=1)
    slots = api.get(
        "/public/slots",
        params={"service_id": service["id"], "staff_id": noor["id"], "date": day.isoformat()},
    ).json()["slots"]
    spans = [(local(s["start"], zone).time(), local(s["end"], zone).time()) for s in slots]
    assert spans, slots
    assert [s for s in spans if s[0] < time(13, 30) and s[1] > time(12, 30)] == []
    assert (time(12, 0), time(12, 30)) in spans
    assert (time(13, 30), time(14, 0)) in spans
    assert max(end for _, end in spans) == time(18, 0)

    # A customer opens the shared link on their phone and books.
    customer_context = await new_context(browser, stack, PHONE)
    try:
        customer = await customer_context.new_page()
        await customer.goto(link)
        await expect(customer.get_by_role("heading", name=name, level=1)).to_be_visible()
        await expect(customer.get_by_text("30 min · €40.00")).to_be_visible()
        slot = await pick_first_free_time(customer)
        await fill_details(customer, "Ada Lovelace", an_email("customer"))
        await confirm_button(customer).click()
        await expect(customer.get_by_role("heading", name="You're booked")).to_be_visible()
        assert local(slot["start"], zone).time() not in {time(12, 30), time(13, 0)}
    finally:
        await customer_context.close()


async def test_the_setup_guide_at_phone_width_checks_hours_before_sending_and_resumes(
    phone: Page, api: httpx.Client, mail: MailServer
) -> None:
    token = register(api, mail, "Studio Nord")
    await open_signed_in(phone, token, "/app/setup")
    await expect(phone.get_by_role("heading", name="Tell customers who you are")).to_be_visible()
    await expect_no_sideways_scroll(phone)
    await expect_accessible(phone)
    await screenshot(phone, "setup-1-business-phone")
    await phone.get_by_label("Address").fill("Nordstraße 2, 20095 Hamburg")
    await phone.get_by_role("button", name="Save and continue").click()

    await expect(phone.get_by_role("heading", name="Add your first service")).to_be_visible()
    await expect_no_sideways_scroll(phone)
    await screenshot(phone, "setup-2-service-phone")
    await phone.get_by_role("textbox", name="Name", exact=True).fill("Massage")
    await phone.get_by_label("Length (minutes)").fill("60")
    await phone.get_by_label("Price").fill("55.50")
    await phone.get_by_label("Buffer after (minutes)").fill("15")
    await phone.get_by_role("button", name="Add service and continue").click()

    # Coming back later resumes at the first step not done.
    await phone.reload()
    await expect(phone.get_by_role("heading", name="Who takes the appointments?")).to_be_visible()
    await phone.get_by_role("textbox", name="Name", exact=True).fill("Jonas")
    await phone.get_by_role("button", name="Add hours on Tuesday").click()
    await phone.get_by_label("Tuesday start 2").fill("12")
    await phone.get_by_label("Tuesday end 2").fill("1330")
    await phone.get_by_label("Wednesday end 1").fill("25:00")
    await phone.get_by_role("button", name="Add and continue").click()
    await expect(phone.get_by_text("Overlaps 09:00–17:00")).to_be_visible()
    await expect(phone.get_by_label("Tuesday start 2")).to_have_value("12:00")
    await expect(phone.get_by_label("Tuesday end 2")).to_have_value("13:30")
    await expect(phone.get_by_text("Use HH:MM, up to 24:00")).to_be_visible()
    await expect_no_sideways_scroll(phone)
    await screenshot(phone, "setup-3-staff-hours-phone")
    await phone.get_by_role("button", name="Remove 12:00–13:30 on Tuesday").click()
    await phone.get_by_label("Wednesday end 1").fill("17:00")
    await phone.get_by_role("button", name="Add and continue").click()

    await expect(phone.get_by_role("heading", name="Your booking page is ready")).to_be_visible()
    await expect_no_sideways_scroll(phone)
    await expect_accessible(phone)
    await screenshot(phone, "setup-4-share-phone")
    staff = api.get("/business/staff", headers={"Authorization": f"Bearer {token}"}).json()
    assert [member["name"] for member in staff] == ["Jonas"]
    tuesday = [h for h in staff[0]["working_hours"] if h["day_of_week"] == 1]
    assert tuesday == [{"day_of_week": 1, "start_time": "09:00", "end_time": "17:00"}]


async def test_services_are_added_edited_archived_and_restored(
    page: Page, phone: Page, owner: Owner, api: httpx.Client
) -> None:
    await owner.open_app(page, "/app/services")
    await expect(page.get_by_role("heading", name="Services", level=1)).to_be_visible()
    await page.get_by_role("button", name="Add a service").click()
    dialog = page.get_by_role("dialog", name="Add a service")
    await dialog.get_by_role("textbox", name="Name", exact=True).fill("Colour")
    await dialog.get_by_label("Length (minutes)").fill("90")
    await dialog.get_by_label("Price").fill("80")
    await dialog.get_by_label("Buffer before (minutes)").fill("10")
    await expect_accessible(page)
    await dialog.get_by_role("button", name="Add service").click()
    await expect(page.get_by_text("Added “Colour”. Customers can book it now.")).to_be_visible()
    colour = page.get_by_role("listitem").filter(has_text="Colour")
    await expect(colour).to_contain_text("1 h 30 min · €80.00")
    await expect(colour).to_contain_text("Buffers: 10 min before, 0 min after")

    await page.get_by_role("button", name="Edit Colour").click()
    dialog = page.get_by_role("dialog", name="Edit Colour")
    await dialog.get_by_label("Buffer after (minutes)").fill("5")
    await dialog.get_by_role("button", name="Save changes").click()
    await expect(colour).to_contain_text("Buffers: 10 min before, 5 min after")
    await expect(dialog).to_be_hidden()  # the page as the owner reads it, not mid-fade
    await screenshot(page, "services-desktop")

    await page.get_by_role("button", name="Archive Colour").click()
    confirm = page.get_by_role("dialog", name="Archive Colour?")
    await expect(confirm).to_contain_text("It leaves your booking page and can no longer be booked")
    await expect(confirm).to_contain_text("You can restore it at any time")
    await expect_accessible(page)
    await confirm.get_by_role("button", name="Archive service").click()
    await expect(
        page.get_by_text("Archived “Colour”. It is no longer on your booking page.")
    ).to_be_visible()
    await expect(confirm).to_be_hidden()
    offered = page.get_by_role("list", name="Services", exact=True)
    archived = page.get_by_role("list", name="Archived services", exact=True)
    await expect(offered.get_by_role("listitem").filter(has_text="Colour")).to_have_count(0)
    await expect(archived.get_by_role("listitem").filter(has_text="Colour")).to_be_visible()
    await expect(page.get_by_role("heading", name="Archived", level=2)).to_be_visible()
    names = [s["name"] for s in api.get("/business/services", headers=owner.auth).json()]
    assert names == ["Haircut"]
    every = api.get(
        "/business/services", params={"include_archived": "true"}, headers=owner.auth
    ).json()
    assert [(s["name"], s["archived"]) for s in every] == [("Haircut", False), ("Colour", True)]

    await archived.get_by_role("button", name="Restore Colour").click()
    await expect(
        page.get_by_text("Restored “Colour”. Customers can book it again.")
    ).to_be_visible()
    await expect(offered.get_by_role("listitem").filter(has_text="Colour")).to_be_visible()
    await expect(archived).to_have_count(0)
    await expect_accessible(page)
    names = [s["name"] for s in api.get("/business/services", headers=owner.auth).json()]
    assert names == ["Colour", "Haircut"]

    await owner.open_app(phone, "/app/services")
    await expect(phone.get_by_role("listitem").filter(has_text="Haircut")).to_be_visible()
    await expect_no_sideways_scroll(phone)
    await screenshot(phone, "services-phone")
    await phone.get_by_role("button", name="Add a service").click()
    await expect(phone.get_by_role("dialog", name="Add a service")).to_be_visible()
    await expect_no_sideways_scroll(phone)
    await expect_accessible(phone)
    await screenshot(phone, "service-form-phone")


async def test_the_owner_picks_the_currency_in_the_settings_and_every_price_follows(
    page: Page, phone: Page, owner: Owner, api: httpx.Client
) -> None:
    await owner.open_app(page, "/app/settings")
    currency = page.get_by_role("textbox", name="Currency", exact=True)
    await expect(currency).to_have_value("EUR — Euro")
    await currency.fill("franc")  # the list narrows by name too
    await page.get_by_role("option", name="CHF — Swiss Franc", exact=True).click()
    await expect(currency).to_have_value("CHF — Swiss Franc")
    await page.get_by_role("button", name="Save profile").click()
    await expect(page.get_by_text("Profile saved.")).to_be_visible()
    await expect_accessible(page)
    await screenshot(page, "settings-currency-desktop")
    assert api.get("/business/profile", headers=owner.auth).json()["currency"] == "CHF"
    assert api.get(f"/public/businesses/{owner.slug}").json()["currency"] == "CHF"

    # The owner's services and the booking page (en-GB) write the francs alike.
    await owner.open_app(phone, "/app/services")
    await expect(
        phone.get_by_role("listitem")
        .filter(has_text="Haircut")
        .get_by_text(re.compile(r"^1 h · CHF\s30\.00$"))
    ).to_be_visible()
    await screenshot(phone, "services-currency-phone")
    await phone.goto(f"/b/{owner.slug}")
    await expect(phone.get_by_text(re.compile(r"^60 min · CHF\s30\.00$"))).to_be_visible()
    await expect_no_sideways_scroll(phone)


async def test_the_free_plan_refuses_a_second_active_staff_member_with_an_upgrade_link(
    page: Page, phone: Page, owner: Owner
) -> None:
    await owner.open_app(page, "/app/staff")
    await expect(page.get_by_text("The Free plan includes 1 active staff member")).to_be_visible()
    await page.get_by_role("link", name="Add a staff member").click()
    await page.get_by_role("textbox", name="Name", exact=True).fill("Ola")
    await page.get_by_role("button", name="Add staff member").click()
    alert = page.get_by_role("alert").filter(has_text="Free plan includes 1 active staff member")
    await expect(alert).to_be_visible()
    await expect(alert.get_by_role("link", name="Upgrade to Pro")).to_have_attribute(
        "href", "/app/billing"
    )
    await expect_accessible(page)
    await screenshot(page, "staff-plan-limit-desktop")

    await owner.open_app(phone, "/app/staff")
    await expect(phone.get_by_role("listitem").filter(has_text="Mia")).to_contain_text(
        "Mon–Sun: 09:00–17:00"
    )
    await expect_no_sideways_scroll(phone)
    await expect_accessible(phone)
    await screenshot(phone, "staff-list-phone")


async def test_a_day_off_takes_that_day_off_the_booking_page(
    page: Page, phone: Page, owner: Owner, api: httpx.Client
) -> None:
    day_off = owner.tomorrow() + timedelta(days=1)
    today = owner.tomorrow() - timedelta(days=1)

    def available(day: date) -> bool:
        answer = api.get(
            "/public/availability",
            params={
                "service_id": owner.service_id,
                "staff_id": owner.staff_id,
                "from": day.isoformat(),
                "to": day.isoformat(),
            },
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["days"][0]["available"]

    assert available(day_off)

    await owner.open_app(page, f"/app/staff/{owner.staff_id}")
    await expect(page.get_by_role("heading", name="Mia", level=1)).to_be_visible()
    await expect(page.get_by_text("No days off or special hours planned")).to_be_visible()
    await page.get_by_role("button", name="Date", exact=True).click()
    if day_off.month != today.month:
        await page.get_by_role("button", name="Next month").click()
    await page.get_by_role("button", name=day_label(day_off)).first.click()
    await page.get_by_role("button", name="Save day off").click()
    await expect(page.get_by_text(re.compile(r"^Day off saved"))).to_be_visible()
    planned = page.get_by_role("list", name="Days off and special hours").get_by_role("listitem")
    await expect(planned).to_have_count(1)
    await expect(planned).to_contain_text(day_label(day_off))
    await expect(planned).to_contain_text("Day off")
    await expect_accessible(page)
    await screenshot(page, "staff-member-desktop")

    assert not available(day_off)
    assert available(owner.tomorrow())
    overrides = api.get(
        f"/business/staff/{owner.staff_id}/overrides",
        headers=owner.auth,
        params={"from": day_off.isoformat(), "to": day_off.isoformat()},
    ).json()
    assert overrides == [{"date": day_off.isoformat(), "day_off": True, "working_hours": []}]

    # Special hours on another date: only those hours are offered then.
    special = day_off + timedelta(days=1)
    await page.get_by_role("button", name="Date", exact=True).click()
    if special.month != today.month:
        await page.get_by_role("button", name="Next month").click()
    await page.get_by_role("button", name=day_label(special)).first.click()
    await page.get_by_text("Special hours", exact=True).click()
    await page.get_by_label("Special hours start 1").fill("10")
    await page.get_by_label("Special hours end 1").fill("1230")
    await page.get_by_role("button", name="Save special hours").click()
    await expect(planned).to_have_count(2)
    await expect(planned.nth(1)).to_contain_text("Special hours: 10:00–12:30")
    slots = api.get(
        "/public/slots",
        params={
            "service_id": owner.service_id,
            "staff_id": owner.staff_id,
            "date": special.isoformat(),
        },
    ).json()["slots"]
    starts = [local(slot["start"], owner.zone).time() for slot in slots]
    assert starts == [time(10, 0), time(11, 0)], starts

    # The customer's calendar shows the day without free times.
    await page.goto(f"/b/{owner.slug}")
    await page.get_by_label("Mia").check()
    if day_off.month != today.month:
        await page.get_by_role("button", name="Next month").click()
    label = re.compile(day_label(day_off).pattern + r", no free times$")
    await expect(page.get_by_role("button", name=label)).to_have_count(1)

    # The hours editor at phone width.
    await owner.open_app(phone, f"/app/staff/{owner.staff_id}")
    await expect(phone.get_by_label("Monday start 1")).to_have_value("09:00")
    await expect_no_sideways_scroll(phone)
    await expect_accessible(phone)
    await screenshot(phone, "staff-member-phone")


async def test_reminder_settings_persist_and_sms_is_offered_as_pro_on_free(
    page: Page, phone: Page, owner: Owner, api: httpx.Client, mail: MailServer
) -> None:
    await owner.open_app(page, "/app/settings")
    reminders = page.get_by_role("list", name="Reminders")
    await expect(reminders.get_by_role("listitem")).to_have_text(
        [re.compile(r"^24 hours before"), re.compile(r"^1 hour before")]
    )
    sms = page.get_by_role("checkbox", name=re.compile(r"^SMS text message"))
    await expect(sms).to_be_disabled()
    await expect(sms).not_to_be_checked()
    await expect(
        page.get_by_role("link", name="Upgrade to Pro for SMS reminders")
    ).to_have_attribute("href", "/app/billing")

    await page.get_by_role("button", name="Remove the reminder 1 hour before").click()
    await page.get_by_role("textbox", name="Remind how long before").fill("30")
    await choose(page, "Unit", "minutes")
    await page.get_by_role("button", name="Add reminder").click()
    await page.get_by_role("button", name="Save reminders").click()
    await expect(page.get_by_text("Reminders saved.")).to_be_visible()

    await page.reload()
    await expect(reminders.get_by_role("listitem")).to_have_text(
        [re.compile(r"^24 hours before"), re.compile(r"^30 minutes before")]
    )
    profile = api.get("/business/profile", headers=owner.auth).json()
    assert profile["reminder_offsets_minutes"] == [1440, 30]
    assert profile["reminder_channels"] == ["email"]

    # Booking rules: a minimum notice of 2 hours.
    await page.get_by_role("textbox", name="Minimum notice", exact=True).fill("2")
    await choose(page, "Minimum notice unit", "hours")
    await page.get_by_role("button", name="Save booking rules").click()
    await expect(page.get_by_text("Booking rules saved.")).to_be_visible()
    assert api.get("/business/profile", headers=owner.auth).json()["min_notice_minutes"] == 120

    # A booking page address another business has is refused next to the field.
    taken = api.get(
        "/business/profile", headers={"Authorization": f"Bearer {register(api, mail, 'Taken')}"}
    ).json()["slug"]
    await page.get_by_label("Booking page address").fill(taken)
    await page.get_by_role("button", name="Save profile").click()
    await expect(
        page.get_by_text(f"The slug '{taken}' is used by another business")
    ).to_be_visible()
    await expect(page.get_by_label("Booking page address")).to_have_attribute(
        "aria-invalid", "true"
    )
    await page.get_by_label("Booking page address").fill(owner.slug)

    # The profile's new name reaches the header without a reload.
    await page.get_by_label("Business name").fill("Salon Ada & Co")
    await page.get_by_role("button", name="Save profile").click()
    await expect(page.get_by_text("Profile saved.")).to_be_visible()
    await expect(page.get_by_role("banner").get_by_text("Salon Ada & Co")).to_be_visible()
    await expect_accessible(page)
    await screenshot(page, "settings-desktop")

    await owner.open_app(phone, "/app/settings")
    await expect(phone.get_by_role("heading", name="Reminders")).to_be_visible()
    await expect_no_sideways_scroll(phone)
    await expect_accessible(phone)
    await screenshot(phone, "settings-phone")
