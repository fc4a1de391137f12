"""An owner's session in the real browser: signing up and in, a reload, signing out, a
revoked token turned back to sign-in with a message, and the forgotten password."""

import re
import uuid

from playwright.async_api import Page, expect

from tests.e2e.conftest import PASSWORD, Owner, screenshot
from tests.e2e.support import (
    CONFIRM_SIGN_UP_LINK,
    CONFIRM_SIGN_UP_SUBJECT,
    RESET_LINK,
    email_to,
    expect_accessible,
    link_in,
    sign_up,
)
from tests.smtp import MailServer, text_of


async def test_a_new_owner_signs_up_keeps_the_session_over_a_reload_and_signs_out(
    page: Page, mail: MailServer
):
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    await page.goto("/app")
    await expect(page).to_have_url(re.compile(r"/app/sign-in$"))
    await page.get_by_role("link", name="Create an account").click()

    await expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    await page.get_by_role("button", name="Create account").click()
    await expect(page.get_by_text("Enter your business name")).to_be_visible()
    await page.get_by_label("Business name").fill("Studio Lumen")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill("short")
    await page.get_by_label("Email").focus()
    await expect(page.get_by_text("Use at least 8 characters")).to_be_visible()
    await page.get_by_label("Password").fill(PASSWORD)
    await expect_accessible(page)
    await screenshot(page, "owner-sign-up-desktop")
    await page.get_by_role("button", name="Create account").click()

    # Nothing exists until the address is confirmed with the emailed link.
    await expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    await expect(page.get_by_role("status")).to_contain_text(email)
    await expect(page.get_by_text("spam or junk folder")).to_be_visible()
    await expect_accessible(page)
    await screenshot(page, "owner-sign-up-check-email-desktop")
    confirm = link_in(await email_to(mail, email, CONFIRM_SIGN_UP_SUBJECT), CONFIRM_SIGN_UP_LINK)
    await page.goto(confirm.group(1))

    # A business without services or staff starts on the setup guide.
    await expect(page).to_have_url(re.compile(r"/app/setup$"))
    await expect(page.get_by_text("Studio Lumen").first).to_be_visible()
    await page.reload()
    await expect(page).to_have_url(re.compile(r"/app/setup$"))
    await expect(page.get_by_text(email)).to_be_visible()

    await page.get_by_role("button", name="Sign out").click()
    await expect(page).to_have_url(re.compile(r"/app/sign-in$"))
    await expect(page.get_by_text("You have signed out.")).to_be_visible()
    await page.goto("/app/calendar")
    await expect(page).to_have_url(re.compile(r"/app/sign-in$"))

    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_text("The email or password is not right.")).to_be_visible()
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    # Back to the page that asked for sign-in.
    await expect(page).to_have_url(re.compile(r"/app/calendar$"))


async def test_signing_up_with_a_taken_email_answers_alike_and_mails_how_to_sign_in(
    page: Page, owner: Owner, mail: MailServer
):
    await page.goto("/app/sign-up")
    await page.get_by_label("Business name").fill("Second Salon")
    await page.get_by_label("Email").fill(owner.email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Create account").click()

    # The page tells no one which addresses have accounts; the address's inbox is told.
    await expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    await expect(page.get_by_role("status")).to_contain_text(owner.email)
    told = text_of(await email_to(mail, owner.email, "You already have an ApptRemind account"))
    assert "/app/sign-in" in told
    assert "/app/forgot-password" in told
    assert "confirm-sign-up" not in told
    await page.get_by_role("link", name="Back to sign-in").click()
    await expect(page).to_have_url(re.compile(r"/app/sign-in$"))


async def test_a_used_sign_up_link_says_so_and_leads_to_signing_up_again_at_phone_width(
    phone: Page, api, mail: MailServer
):
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(api, mail, email=email, password=PASSWORD, business_name="Studio Used")
    used = link_in(await email_to(mail, email, CONFIRM_SIGN_UP_SUBJECT), CONFIRM_SIGN_UP_LINK)

    await phone.goto(used.group(1))
    await expect(
        phone.get_by_role("heading", name="This link has expired or was already used")
    ).to_be_visible()
    await expect_accessible(phone)
    await screenshot(phone, "owner-confirm-sign-up-used-phone")
    await phone.get_by_role("link", name="Sign up again").click()

    await expect(phone.get_by_role("heading", name="Create your account")).to_be_visible()
    again = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    await phone.get_by_label("Business name").fill("Studio Again")
    await phone.get_by_label("Email").fill(again)
    await phone.get_by_label("Password").fill(PASSWORD)
    await screenshot(phone, "owner-sign-up-phone")
    await phone.get_by_role("button", name="Create account").click()
    await expect(phone.get_by_role("heading", name="Check your email")).to_be_visible()
    await expect(phone.get_by_role("status")).to_contain_text(again)
    await screenshot(phone, "owner-sign-up-check-email-phone")
    confirm = link_in(await email_to(mail, again, CONFIRM_SIGN_UP_SUBJECT), CONFIRM_SIGN_UP_LINK)
    await phone.goto(confirm.group(1))
    await expect(phone).to_have_url(re.compile(r"/app/setup$"))


async def test_a_revoked_session_returns_to_sign_in_with_a_message_and_back_after(
    page: Page, owner: Owner, api, mail
):
    await owner.open_app(page, "/app/calendar")
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # A password reset revokes every token issued before it.
    assert api.post("/auth/password-reset", json={"email": owner.email}).status_code == 202
    reset = link_in(await email_to(mail, owner.email, "Reset your ApptRemind password"), RESET_LINK)
    token = reset.group(1).split("token=")[1]
    confirmed = api.post(
        "/auth/password-reset/confirm", json={"token": token, "new_password": "a newer passphrase"}
    )
    assert confirmed.status_code == 204, confirmed.text

    await page.goto("/app/analytics")
    await expect(page).to_have_url(re.compile(r"/app/sign-in$"))
    await expect(page.get_by_text("Please sign in again")).to_be_visible()
    await screenshot(page, "owner-session-expired-desktop")
    await page.get_by_label("Email").fill(owner.email)
    await page.get_by_label("Password").fill("a newer passphrase")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(re.compile(r"/app/analytics$"))


async def test_forgot_password_sends_the_reset_email(page: Page, owner: Owner, mail):
    await page.goto("/app/sign-in")
    await page.get_by_role("link", name="Forgot your password?").click()
    await page.get_by_label("Email").fill(owner.email)
    await page.get_by_role("button", name="Send reset link").click()
    await expect(page.get_by_text("Check your email")).to_be_visible()
    await expect_accessible(page)
    reset = link_in(await email_to(mail, owner.email, "Reset your ApptRemind password"), RESET_LINK)
    await page.goto(reset.group(1))
    await expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
