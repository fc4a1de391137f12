"""An owner's session in the real browser: signing up and in, a reload, signing out, a
revoked token turned back to sign-in with a message, and the forgotten password."""

import re
import uuid

from playwright.async_api import Page, expect

from tests.e2e.conftest import PASSWORD, Owner, screenshot
from tests.e2e.support import RESET_LINK, email_to, expect_accessible, link_in


async def test_a_new_owner_signs_up_keeps_the_session_over_a_reload_and_signs_out(page: Page):
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


async def test_signing_up_with_a_taken_email_says_so(page: Page, owner: Owner):
    await page.goto("/app/sign-up")
    await page.get_by_label("Business name").fill("Second Salon")
    await page.get_by_label("Email").fill(owner.email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Create account").click()
    await expect(page.get_by_role("alert")).to_contain_text("already exists")
    await expect(page).to_have_url(re.compile(r"/app/sign-up$"))


async def test_a_revoked_session_returns_to_sign_in_with_a_message_and_back_after(
    page: Page, owner: Owner, api, mail
):
    await owner.open_app(page, "/app/calendar")
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # A password reset revokes every token issued before it.
    assert api.post("/auth/password-reset", json={"email": owner.email}).status_code == 202
    reset = link_in(await email_to(mail, owner.email, ""), RESET_LINK)
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
    reset = link_in(await email_to(mail, owner.email, ""), RESET_LINK)
    await page.goto(reset.group(1))
    await expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
