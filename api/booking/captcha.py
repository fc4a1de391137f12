"""An optional CAPTCHA on the booking form: Cloudflare Turnstile, hCaptcha and reCAPTCHA all
verify a widget's token with the same `siteverify` exchange (a form POST of `secret`,
`response` and `remoteip`, answered `{"success": true|false}`).

Off while CAPTCHA_VERIFY_URL is empty. On, a booking without a token, or with one the
service refuses, answers 422 on `captcha_token`; a service that cannot be asked answers 503.
The booking page learns from `GET /public/config` which widget to draw (CAPTCHA_WIDGET,
CAPTCHA_SITE_KEY, CAPTCHA_SCRIPT_URL), and the web app's content policy lets it load the
widget's script and frames then, and only then.
"""

import logging
from dataclasses import dataclass
from typing import Literal

import httpx

from api.schemas import field_refused
from apptremind.errors import ServiceUnavailable
from apptremind.settings import Settings

TIMEOUT_SECONDS = 5.0
FIELD = ("body", "captcha_token")
logger = logging.getLogger("apptremind.api.captcha")


WidgetKind = Literal["turnstile", "hcaptcha"]
# What each provider's widget needs the page's Content-Security-Policy to allow, beyond the
# origin its script comes from (from the providers' own CSP guides): Turnstile draws its
# frame from the script's origin; hCaptcha's frames, styles and requests use its subdomains.
DIRECTIVES: dict[WidgetKind, tuple[str, ...]] = {
    "turnstile": ("script-src", "frame-src"),
    "hcaptcha": ("script-src", "frame-src", "style-src", "connect-src"),
}
PROVIDER_SOURCES: dict[WidgetKind, tuple[str, ...]] = {
    "turnstile": (),
    "hcaptcha": ("https://hcaptcha.com", "https://*.hcaptcha.com"),
}


@dataclass(frozen=True)
class Widget:
    """What the booking page needs to draw the widget: nothing secret."""

    kind: WidgetKind
    site_key: str
    script_url: str


def is_enabled(settings: Settings) -> bool:
    return bool(settings.captcha_verify_url)


def widget(settings: Settings) -> Widget | None:
    """The widget the booking page draws, or None while the check is off."""
    if not is_enabled(settings):
        return None
    return Widget(settings.captcha_widget, settings.captcha_site_key, settings.captcha_script_url)


def content_sources(settings: Settings) -> dict[str, tuple[str, ...]]:
    """The sources the web app's Content-Security-Policy adds, by directive, for the
    widget: none while the check is off."""
    shown = widget(settings)
    if shown is None:
        return {}
    sources = (settings.captcha_script_origin, *PROVIDER_SOURCES[shown.kind])
    return {directive: sources for directive in DIRECTIVES[shown.kind]}


def create_http_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=TIMEOUT_SECONDS, follow_redirects=False)


async def verify(
    http: httpx.AsyncClient, settings: Settings, token: str | None, remote_ip: str | None
) -> None:
    """Nothing when the check is off or the token passes; otherwise a problem."""
    if not is_enabled(settings):
        return
    if not token:
        raise field_refused(FIELD, "Please confirm you are not a robot")
    form = {"secret": settings.captcha_secret.get_secret_value(), "response": token}
    if remote_ip:
        form["remoteip"] = remote_ip
    try:
        response = await http.post(settings.captcha_verify_url, data=form)
        response.raise_for_status()
        passed = response.json().get("success") is True
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        logger.warning("CAPTCHA verification unavailable: %s", type(exc).__name__)
        raise ServiceUnavailable("The booking could not be checked; try again shortly") from exc
    if not passed:
        raise field_refused(FIELD, "The robot check failed or expired; please try again")
