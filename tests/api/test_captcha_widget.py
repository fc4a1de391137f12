"""The booking page can draw the CAPTCHA widget when the check is on: the public config tells
it which widget, with which site key and script, and the pages' content policy lets that
script (and its frames) in — only then."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
import pytest
from pydantic import SecretStr

from api.app import create_app
from api.middleware import WEB_APP_CSP
from tests.scenarios import API

TURNSTILE = "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit"
HCAPTCHA = "https://js.hcaptcha.com/1/api.js?render=explicit"
ClientWith = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


def check_on(script_url: str = TURNSTILE, widget: str = "turnstile") -> dict:
    return {
        "captcha_verify_url": "https://captcha.example/siteverify",
        "captcha_secret": SecretStr("the-secret-never-shown"),
        "captcha_widget": widget,
        "captcha_site_key": "0x4AAAA-site-key",
        "captcha_script_url": script_url,
    }


@pytest.fixture
def client_with(settings, engine, tmp_path) -> ClientWith:
    """A client of an API (serving a built web app) whose settings differ by `changes`."""
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(
        '<!doctype html><script type="module" src="/assets/index.js"></script>'
    )

    @asynccontextmanager
    async def open_client(**changes) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(settings.model_copy(update={"web_dist_dir": dist, **changes}))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http
        await app.state.captcha_http.aclose()
        await app.state.engine.dispose()

    return open_client


def directives(policy: str) -> dict[str, list[str]]:
    parsed = [part.split() for part in policy.split(";")]
    return {name: sources for name, *sources in parsed}


async def test_with_the_check_off_the_page_is_told_no_widget_and_loads_no_foreign_script(
    client_with,
):
    async with client_with() as client:
        config = await client.get(f"{API}/public/config")
        page = await client.get("/b/salon-ada")

    assert config.status_code == 200
    assert config.json() == {"captcha": None}
    assert page.headers["content-security-policy"] == WEB_APP_CSP
    assert "frame-src" not in page.headers["content-security-policy"]


async def test_with_the_check_on_the_page_is_told_which_widget_to_draw(client_with):
    async with client_with(**check_on()) as client:
        config = await client.get(f"{API}/public/config")

    assert config.status_code == 200
    assert config.json() == {
        "captcha": {"widget": "turnstile", "site_key": "0x4AAAA-site-key", "script_url": TURNSTILE}
    }
    assert "the-secret-never-shown" not in config.text
    assert "siteverify" not in config.text


async def test_with_the_check_on_the_pages_may_load_the_widget_script_and_its_frame(
    client_with,
):
    async with client_with(**check_on()) as client:
        page = await client.get("/b/salon-ada")
        owner_page = await client.get("/app/calendar")
        api_answer = await client.get(f"{API}/public/config")

    policy = directives(page.headers["content-security-policy"])
    origin = "https://challenges.cloudflare.com"
    assert policy["script-src"] == ["'self'", origin]
    assert policy["frame-src"] == ["'self'", origin]
    # Nothing else widens: no inline scripts, no other connections, no framing of the app.
    assert policy["connect-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    # One document serves every page of the app, which moves between them without reloading.
    assert owner_page.headers["content-security-policy"] == page.headers["content-security-policy"]
    assert (
        api_answer.headers["content-security-policy"]
        == "default-src 'none'; frame-ancestors 'none'"
    )


async def test_an_hcaptcha_widget_may_use_the_hcaptcha_hosts_its_guide_names(client_with):
    async with client_with(**check_on(HCAPTCHA, "hcaptcha")) as client:
        config = await client.get(f"{API}/public/config")
        page = await client.get("/b/salon-ada")

    assert config.json()["captcha"]["widget"] == "hcaptcha"
    policy = directives(page.headers["content-security-policy"])
    hosts = ["https://js.hcaptcha.com", "https://hcaptcha.com", "https://*.hcaptcha.com"]
    for directive in ("script-src", "frame-src", "connect-src"):
        assert policy[directive] == ["'self'", *hosts], directive
    assert policy["style-src"] == ["'self'", "'unsafe-inline'", *hosts]


async def test_a_widget_script_on_this_machine_is_allowed_with_its_port(client_with):
    async with client_with(**check_on("http://127.0.0.1:4567/widget.js")) as client:
        page = await client.get("/b/salon-ada")

    policy = directives(page.headers["content-security-policy"])
    assert policy["script-src"] == ["'self'", "http://127.0.0.1:4567"]
    assert policy["frame-src"] == ["'self'", "http://127.0.0.1:4567"]


async def test_the_config_is_part_of_the_openapi_document(client):
    document = (await client.get("/openapi.json")).json()

    answer = document["paths"]["/api/v1/public/config"]["get"]["responses"]["200"]
    schema = answer["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/PublicConfigResponse"}
    widget = document["components"]["schemas"]["CaptchaWidgetConfig"]
    assert set(widget["required"]) == {"widget", "site_key", "script_url"}
    assert widget["properties"]["widget"]["enum"] == ["turnstile", "hcaptcha"]
