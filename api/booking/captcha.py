"""An optional CAPTCHA on the booking form: Cloudflare Turnstile, hCaptcha and reCAPTCHA all
verify a widget's token with the same `siteverify` exchange (a form POST of `secret`,
`response` and `remoteip`, answered `{"success": true|false}`).

Off while CAPTCHA_VERIFY_URL is empty. On, a booking without a token, or with one the
service refuses, answers 422 on `captcha_token`; a service that cannot be asked answers 503.
"""

import logging

import httpx

from api.schemas import field_refused
from apptremind.errors import ServiceUnavailable
from apptremind.settings import Settings

TIMEOUT_SECONDS = 5.0
FIELD = ("body", "captcha_token")
logger = logging.getLogger("apptremind.api.captcha")


def is_enabled(settings: Settings) -> bool:
    return bool(settings.captcha_verify_url)


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
