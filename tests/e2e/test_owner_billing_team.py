"""The owner app's billing and team pages in the real browser: upgrading to Pro through the
local Stripe stand-in (the page waits for the webhook's effect by polling), the customer
portal and the paid invoice; a staff login added on the team page, kept from billing, and
turned away at once when the owner deactivates it."""

import re
import uuid

from playwright.async_api import Browser, Page, expect

from tests.devstack.dev_platform import DevPlatform
from tests.e2e.conftest import DESKTOP, PASSWORD, Owner, new_context, screenshot
from tests.e2e.support import expect_accessible, expect_no_sideways_scroll

BILLING_URL = re.compile(r"/app/billing$")


async def test_an_owner_upgrades_to_pro_through_checkout_and_finds_the_portal_and_invoice(
    page: Page, owner: Owner
):
    await owner.open_app(page, "/app/billing")
    await expect(page.get_by_role("heading", name="Billing", level=1)).to_be_visible()
    await expect(page.get_by_test_id("plan-name")).to_have_text("Free")
    usage = page.get_by_role("progressbar", name="Bookings this month")
    await expect(usage).to_have_attribute("aria-valuetext", "0 of 100 bookings")
    await expect(page.get_by_text("Unlimited bookings every month")).to_be_visible()
    await expect(page.get_by_text("No invoices yet")).to_be_visible()
    # No Stripe customer yet, so no portal to open.
    await expect(page.get_by_role("button", name="Manage billing")).to_have_count(0)
    await expect_accessible(page)
    await screenshot(page, "owner-billing-free-desktop")

    await page.get_by_role("button", name="Upgrade to Pro").click()
    await expect(page.get_by_role("heading", name="ApptRemind Pro")).to_be_visible()
    checkout = page

    # Meanwhile, a second tab on the page Checkout returns to: it waits, asking every second.
    waiting = await page.context.new_page()
    await waiting.goto("/app/billing?checkout=success")
    await expect(waiting.get_by_text("Confirming your payment…")).to_be_visible()
    await expect(waiting.get_by_test_id("plan-name")).to_have_text("Free")
    await screenshot(waiting, "owner-billing-confirming-desktop")

    # The stand-in's Pay button sends Stripe's signed webhooks to the API.
    await checkout.get_by_role("button", name="Pay").click()
    await expect(checkout.get_by_text(re.compile(r"^Paid: subscription"))).to_be_visible()

    await expect(waiting.get_by_text("Welcome to Pro")).to_be_visible(timeout=30_000)
    await expect(waiting.get_by_test_id("plan-name")).to_have_text("Pro")
    await expect(waiting).to_have_url(BILLING_URL)  # ?checkout= is gone once confirmed
    await expect(waiting.get_by_text(re.compile(r"^Renews on \d"))).to_be_visible()
    await expect(waiting.get_by_role("button", name="Upgrade to Pro")).to_have_count(0)
    await expect(waiting.get_by_text("Pro has no monthly limit.", exact=False)).to_be_visible()
    invoices = waiting.get_by_role("table", name="Invoices")
    invoice_link = invoices.get_by_role("link", name=re.compile(r"LOCAL-\d+"))
    await expect(invoice_link).to_be_visible()
    await expect(invoices).to_contain_text("US$29.00")
    await expect_accessible(waiting)
    await screenshot(waiting, "owner-billing-pro-desktop")
    await checkout.close()

    # The hosted invoice opens in a tab of its own.
    async with waiting.context.expect_page() as opened:
        await invoice_link.click()
    invoice_page = await opened.value
    await expect(
        invoice_page.get_by_role("heading", name=re.compile(r"^Invoice LOCAL-"))
    ).to_be_visible()
    await invoice_page.close()

    # Manage billing opens Stripe's customer portal, which links back to the billing page.
    await waiting.get_by_role("button", name="Manage billing").click()
    await expect(waiting.get_by_role("heading", name="Billing of Salon Ada")).to_be_visible()
    await expect(waiting.get_by_text(re.compile(r"ApptRemind Pro .*: active"))).to_be_visible()
    await waiting.get_by_role("link", name="Return to ApptRemind").click()
    await expect(waiting).to_have_url(BILLING_URL)
    await expect(waiting.get_by_test_id("plan-name")).to_have_text("Pro")


async def test_billing_at_phone_width_after_a_cancelled_checkout(phone: Page, owner: Owner):
    await owner.open_app(phone, "/app/billing?checkout=cancelled")
    await expect(phone.get_by_role("status").filter(has_text="Checkout cancelled")).to_be_visible()
    await expect(phone).to_have_url(BILLING_URL)
    await expect(phone.get_by_test_id("plan-name")).to_have_text("Free")
    await expect(phone.get_by_text("No invoices yet")).to_be_visible()
    await expect_no_sideways_scroll(phone)
    await expect_accessible(phone)
    await screenshot(phone, "owner-billing-phone")


async def test_a_staff_login_from_the_team_page_is_kept_from_billing_and_turned_away_deactivated(
    page: Page, browser: Browser, stack: DevPlatform, owner: Owner
):
    staff_email = f"staff-{uuid.uuid4().hex[:8]}@example.com"
    await owner.open_app(page, "/app/team")
    await expect(page.get_by_role("heading", name="Team logins", level=1)).to_be_visible()
    mine = page.get_by_role("listitem", name=owner.email)
    await expect(mine.get_by_text("You", exact=True)).to_be_visible()
    await expect(mine.get_by_role("combobox", name=re.compile("Role"))).to_be_disabled()
    await expect(mine.get_by_role("button", name="Deactivate")).to_be_disabled()
    await expect(mine.get_by_text("This is your own login")).to_be_visible()

    # The form checks its fields before sending anything.
    await page.get_by_role("button", name="Add login").click()
    await expect(page.get_by_text("Enter a valid email address")).to_be_visible()
    await page.get_by_role("textbox", name="Email").fill(staff_email)
    await page.get_by_label("First password").fill(PASSWORD)
    await expect(page.get_by_role("radio", name=re.compile("^Staff"))).to_be_checked()
    await page.get_by_role("button", name="Add login").click()
    await expect(page.get_by_text(f"{staff_email} can now sign in")).to_be_visible()
    row = page.get_by_role("listitem", name=staff_email)
    await expect(row.get_by_text("Active", exact=True)).to_be_visible()
    await expect(row.get_by_role("combobox", name=re.compile("Role"))).to_have_value("staff")
    await expect_accessible(page)
    await screenshot(page, "owner-team-desktop")

    # The staff member signs in on another browser.
    staff_context = await new_context(browser, stack, DESKTOP)
    try:
        staff = await staff_context.new_page()
        await staff.goto("/app/sign-in")
        await staff.get_by_label("Email").fill(staff_email)
        await staff.get_by_label("Password").fill(PASSWORD)
        await staff.get_by_role("button", name="Sign in").click()
        await expect(staff).to_have_url(re.compile(r"/app/calendar$"))
        nav = staff.get_by_role("navigation")
        await expect(nav.get_by_role("link", name="Calendar")).to_be_visible()
        await expect(nav.get_by_role("link", name="Billing")).to_have_count(0)
        await expect(nav.get_by_role("link", name="Team logins")).to_have_count(0)
        await staff.goto("/app/billing")
        await expect(
            staff.get_by_role("heading", name="Only owners and admins can open this page")
        ).to_be_visible()
        await expect(staff.get_by_test_id("plan-name")).to_have_count(0)
        await screenshot(staff, "staff-billing-refused-desktop")
        await staff.get_by_role("link", name="Go to the calendar").click()
        await expect(staff).to_have_url(re.compile(r"/app/calendar$"))

        # The owner deactivates the login, after confirming.
        await row.get_by_role("button", name="Deactivate").click()
        dialog = page.get_by_role("dialog", name="Deactivate this login?")
        await expect(dialog).to_contain_text(staff_email)
        await screenshot(page, "owner-team-deactivate-desktop")
        await dialog.get_by_role("button", name="Deactivate").click()
        await expect(dialog).to_be_hidden()
        await expect(row.get_by_text("Deactivated", exact=True)).to_be_visible()
        await expect(
            page.get_by_text(f"{staff_email} is deactivated and signed out.")
        ).to_be_visible()

        # The staff member's next request is refused: back to sign-in, told why.
        await staff.reload()
        await expect(staff).to_have_url(re.compile(r"/app/sign-in$"))
        await expect(staff.get_by_text("Please sign in again")).to_be_visible()
        await screenshot(staff, "staff-turned-away-desktop")

        # Reactivated, the login signs in again; a new role ends its session once more.
        await row.get_by_role("button", name="Reactivate").click()
        await expect(row.get_by_text("Active", exact=True)).to_be_visible()
        await staff.get_by_label("Email").fill(staff_email)
        await staff.get_by_label("Password").fill(PASSWORD)
        await staff.get_by_role("button", name="Sign in").click()
        await expect(staff).to_have_url(re.compile(r"/app/calendar$"))
        await row.get_by_role("combobox", name=re.compile("Role")).select_option("admin")
        await expect(page.get_by_text(f"{staff_email} is now Admin.")).to_be_visible()
        await expect(row.get_by_role("combobox", name=re.compile("Role"))).to_have_value("admin")
        await staff.goto("/app/team")
        await expect(staff).to_have_url(re.compile(r"/app/sign-in$"))
    finally:
        await staff_context.close()


async def test_the_team_page_at_phone_width(phone: Page, owner: Owner, api):
    added = api.post(
        "/auth/users",
        headers=owner.auth,
        json={
            "email": f"a-rather-long-address-{uuid.uuid4().hex}@example.com",
            "password": PASSWORD,
            "role": "admin",
        },
    )
    assert added.status_code == 201, added.text
    await owner.open_app(phone, "/app/team")
    await expect(phone.get_by_role("listitem")).to_have_count(2)
    await expect(phone.get_by_role("button", name="Add login")).to_be_visible()
    await expect_no_sideways_scroll(phone)
    await expect_accessible(phone)
    await screenshot(phone, "owner-team-phone")
