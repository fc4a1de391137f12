"""A customer books through the real page with the CAPTCHA check on: the page loads the
widget's script (a stand-in for Turnstile's, served on loopback: the content policy must let
it in), the customer ticks the box, the API verifies the token with a stand-in `siteverify`
service; a refused token is explained by the widget, which starts over."""

import subprocess
import threading
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from apptremind.devstack.processes import binary
from apptremind.devstack.supervisor import LOCAL_STRIPE
from tests.devstack.dev_platform import DevPlatform, distinct_free_ports
from tests.e2e.conftest import DESKTOP, PHONE, Owner, screenshot
from tests.e2e.support import (
    confirm_button,
    expect_accessible,
    expect_no_sideways_scroll,
    fill_details,
    pick_first_free_time,
)
from tests.fake_http import Answer, FakeApi

SITE_KEY = "0x4AAAAAAA-e2e-site-key"
SECRET = "e2e-captcha-secret"
REFUSED = "The robot check failed or expired; please try again"

# What Turnstile's script does for the page, in a few lines: `render` draws a box (as wide as
# the form with size "flexible", like Turnstile's) whose tick hands a fresh token to
# `callback`; `reset` unticks it; the tokens and resets are counted for the test to read.
WIDGET_SCRIPT = b"""
(() => {
  const boxes = [];
  let issued = 0;
  window.turnstile = {
    render(container, options) {
      const label = document.createElement('label');
      label.style.cssText = 'display:flex;align-items:center;gap:12px;box-sizing:border-box;'
        + 'height:65px;padding:0 16px;border:1px solid #d9d9d9;border-radius:4px;'
        + 'background:#fafafa;color:#1d1d1d;font:15px system-ui,sans-serif;cursor:pointer;'
        + (options.size === 'flexible' ? 'width:100%;min-width:300px;' : 'width:300px;');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.style.cssText = 'width:24px;height:24px;margin:0;';
      box.addEventListener('change', () => {
        if (box.checked) options.callback('human-' + (issued += 1));
      });
      const mark = document.createElement('span');
      mark.textContent = 'Fake Turnstile';
      mark.style.cssText = 'margin-left:auto;font-size:11px;color:#595959;';
      label.append(box, 'I am human', mark);
      container.append(label);
      boxes.push(box);
      return String(boxes.length - 1);
    },
    reset(id) {
      boxes[Number(id)].checked = false;
      window.turnstileResets = (window.turnstileResets || 0) + 1;
    },
    remove(id) {
      boxes[Number(id)].closest('label').remove();
    },
  };
})();
"""


class WidgetScriptServer:
    """The provider's script host, on loopback: GET /turnstile.js, counted."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/javascript")
                self.send_header("Content-Length", str(len(WIDGET_SCRIPT)))
                self.end_headers()
                self.wfile.write(WIDGET_SCRIPT)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}/turnstile.js?render=explicit"

    def __enter__(self) -> "WidgetScriptServer":
        threading.Thread(target=self._http.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.shutdown()
        self._http.server_close()


@pytest.fixture(scope="module")
def widget_script() -> Iterator[WidgetScriptServer]:
    with WidgetScriptServer() as server:
        yield server


@pytest.fixture(scope="module")
def siteverify() -> Iterator[FakeApi]:
    api = FakeApi(Answer(200, {"success": True}))
    api.start()
    yield api
    api.stop()


@pytest.fixture(scope="module")
def captcha_api(
    stack: DevPlatform, widget_script: WidgetScriptServer, siteverify: FakeApi, tmp_path_factory
) -> Iterator[str]:
    """A second `apptremind api` on the running platform (its database, Temporal, broker and
    workers) with the check on, as a deployment that turned it on would run: the shared
    stack's API stays without it for every other journey."""
    [port] = distinct_free_ports(1)
    base = f"http://127.0.0.1:{port}"
    env = {
        **stack.env,
        **LOCAL_STRIPE,
        "ENVIRONMENT": "local",
        "API_PORT": str(port),
        "PUBLIC_BASE_URL": base,
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{stack.ports['DEV_POSTGRES']}/apptremind",
        "TEMPORAL_ADDRESS": f"127.0.0.1:{stack.ports['DEV_TEMPORAL']}",
        "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{stack.ports['DEV_KAFKA']}",
        "STRIPE_API_BASE": f"http://127.0.0.1:{stack.ports['DEV_STRIPE']}",
        "CAPTCHA_VERIFY_URL": f"{siteverify.url}/siteverify",
        "CAPTCHA_SECRET": SECRET,
        "CAPTCHA_WIDGET": "turnstile",
        "CAPTCHA_SITE_KEY": SITE_KEY,
        "CAPTCHA_SCRIPT_URL": widget_script.url,
    }
    log = tmp_path_factory.mktemp("captcha-api") / "api.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [binary("apptremind"), "api"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )
    try:
        wait_until_ready(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the API exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"the API with the check on never became ready:\n{log.read_text()}")


async def open_page(browser: Browser, base: str, viewport: dict) -> AsyncIterator[Page]:
    context = await browser.new_context(
        base_url=base, viewport=viewport, locale="en-GB", timezone_id="Europe/Berlin"
    )
    try:
        yield await context.new_page()
    finally:
        await context.close()


@pytest.fixture
async def desktop_with_check(browser: Browser, captcha_api: str) -> AsyncIterator[Page]:
    async for page in open_page(browser, captcha_api, DESKTOP):
        yield page


@pytest.fixture
async def phone_with_check(browser: Browser, captcha_api: str) -> AsyncIterator[Page]:
    async for page in open_page(browser, captcha_api, PHONE):
        yield page


def verified_tokens(siteverify: FakeApi) -> list[str]:
    sent = [parse_qs(request.body.decode()) for request in siteverify.received]
    assert all(form["secret"] == [SECRET] for form in sent)
    return [form["response"][0] for form in sent]


def widget_box(page: Page):
    return page.get_by_role("checkbox", name="I am human")


async def test_a_customer_ticks_the_box_and_books_after_a_refused_token_is_explained(
    desktop_with_check: Page, owner: Owner, siteverify: FakeApi, widget_script: WidgetScriptServer
):
    page = desktop_with_check
    already_verified = len(siteverify.received)
    scripts_served = len(widget_script.requests)
    await page.goto(f"/b/{owner.slug}")
    await expect(page.get_by_role("heading", name="Salon Ada", level=1)).to_be_visible()
    await page.get_by_label("Mia").check()
    booked_slot = await pick_first_free_time(page)
    await fill_details(page, "Ada Lovelace", "ada-captcha@example.com")

    # The widget is drawn in the form; the button waits for it and says why.
    await expect(widget_box(page)).to_be_visible()
    await expect(confirm_button(page)).to_be_disabled()
    await expect(confirm_button(page)).to_have_accessible_description(
        "Complete the robot check above to confirm your booking."
    )
    await expect_accessible(page)
    await screenshot(page, "booking-captcha-waiting-desktop")
    await widget_box(page).check()
    await expect(confirm_button(page)).to_be_enabled()
    await screenshot(page, "booking-captcha-desktop")

    # The service refuses the first token: the reason shows by the widget, which starts over.
    siteverify.answer_next(Answer(200, {"success": False, "error-codes": ["timeout-or-duplicate"]}))
    await confirm_button(page).click()
    await expect(page.get_by_role("alert").filter(has_text=REFUSED)).to_be_visible()
    await expect(widget_box(page)).not_to_be_checked()
    await expect(confirm_button(page)).to_be_disabled()
    assert await page.evaluate("window.turnstileResets") == 1
    await expect(page.get_by_label("Name")).to_have_value("Ada Lovelace")
    await expect_accessible(page)
    await screenshot(page, "booking-captcha-refused-desktop")

    await widget_box(page).check()
    await expect(page.get_by_role("alert").filter(has_text=REFUSED)).to_have_count(0)
    await confirm_button(page).click()
    await expect(page.get_by_role("heading", name="You're booked")).to_be_visible()

    [appointment] = owner.api.get("/appointments", headers=owner.auth).json()
    assert appointment["customer"]["email"] == "ada-captcha@example.com"
    assert datetime.fromisoformat(appointment["start_time"]) == datetime.fromisoformat(
        booked_slot["start"]
    )
    # Each attempt carried its own token of the widget; the script was fetched once.
    assert verified_tokens(siteverify)[already_verified:] == ["human-1", "human-2"]
    assert len(widget_script.requests) == scripts_served + 1


async def test_the_widget_fits_the_form_at_phone_width(phone_with_check: Page, owner: Owner):
    phone = phone_with_check
    await phone.goto(f"/b/{owner.slug}")
    await expect(phone.get_by_role("heading", name="Salon Ada", level=1)).to_be_visible()
    await pick_first_free_time(phone)
    await fill_details(phone, "Ada Lovelace", "ada-phone@example.com")
    await expect(widget_box(phone)).to_be_visible()
    await widget_box(phone).check()
    await expect(confirm_button(phone)).to_be_enabled()

    await expect_no_sideways_scroll(phone)
    await expect_accessible(phone)
    widget = await phone.locator("label", has_text="I am human").bounding_box()
    name_field = await phone.get_by_label("Name").bounding_box()
    assert widget is not None
    assert name_field is not None
    # Inside the form's column, as wide as its fields.
    assert widget["x"] >= name_field["x"] - 1
    assert widget["x"] + widget["width"] <= name_field["x"] + name_field["width"] + 1
    await screenshot(phone, "booking-captcha-phone")
    await confirm_button(phone).click()
    await expect(phone.get_by_role("heading", name="You're booked")).to_be_visible()


async def test_the_stack_without_the_check_loads_no_widget(page: Page, owner: Owner, stack):
    loaded: list[str] = []
    page.on("request", lambda request: loaded.append(request.url))
    await page.goto(f"/b/{owner.slug}")
    await pick_first_free_time(page)
    await fill_details(page, "Ada Lovelace", "ada-off@example.com")

    await expect(confirm_button(page)).to_be_enabled()
    await expect(page.get_by_text("Robot check")).to_have_count(0)
    assert all(url.startswith(stack.api) for url in loaded), loaded
    policy = httpx.get(f"{stack.api}/b/{owner.slug}", timeout=10).headers["content-security-policy"]
    assert "frame-src" not in policy
    assert "script-src 'self';" in policy
