"""The customer's link to cancel or reschedule their appointment without an account.

The token is `<expiry>.<mac>`: the Unix time (hex) after which the link stops working, and
an HMAC of the appointment id and that time under CUSTOMER_LINK_SECRET (a key of its own,
never the access tokens' JWT_SECRET). Nothing is stored; a token cannot be forged, moved to
another appointment or extended. A link expires `LINK_VALID_AFTER_END` after the end of the
appointment it was sent for (a new time comes with a new link); changes stop earlier, when
the appointment is no longer booked (the workflow refuses them).

Links sent before expiries existed (an HMAC of the id alone under a key derived from
JWT_SECRET) keep working until the same moment: `LINK_VALID_AFTER_END` after the
appointment's end.
"""

import base64
import hashlib
import hmac
import string
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlencode

from pydantic import SecretStr

from apptremind.settings import Settings

LINK_VALID_AFTER_END = timedelta(days=30)
_PURPOSE = b"apptremind/manage-appointment/v2"
_LEGACY_PURPOSE = b"apptremind/manage-appointment/v1"
_MAX_EXPIRY_DIGITS = 12  # hex digits of a Unix time, with room to spare


def link_expiry(end_time: datetime) -> datetime:
    """When a link sent for an appointment ending at `end_time` stops working."""
    return end_time + LINK_VALID_AFTER_END


def manage_token(settings: Settings, appointment_id: uuid.UUID, end_time: datetime) -> str:
    """The token of a link to the appointment that ends at `end_time`."""
    expires = int(link_expiry(end_time).timestamp())
    return f"{expires:x}.{_mac(settings.customer_link_secret, appointment_id, expires)}"


def token_is_valid(
    settings: Settings,
    appointment_id: uuid.UUID,
    token: str,
    end_time: datetime,
    now: datetime,
) -> bool:
    """Whether `token` opens the appointment (ending at `end_time`) at `now`."""
    if not token.isascii():
        return False
    if "." not in token:
        return now < link_expiry(end_time) and _equal(
            _legacy_mac(settings.jwt_secret, appointment_id), token
        )
    expiry, _, mac = token.partition(".")
    if not 0 < len(expiry) <= _MAX_EXPIRY_DIGITS or expiry.strip(string.hexdigits):
        return False
    expires = int(expiry, 16)
    if now.timestamp() >= expires:
        return False
    return _equal(_mac(settings.customer_link_secret, appointment_id, expires), mac)


def manage_url(settings: Settings, appointment_id: uuid.UUID, end_time: datetime) -> str:
    """The web app's manage page of the appointment, absolute: it goes into emails."""
    token = manage_token(settings, appointment_id, end_time)
    base = settings.public_base_url.rstrip("/")
    return f"{base}/manage/{appointment_id}?{urlencode({'token': token})}"


def _mac(secret: SecretStr, appointment_id: uuid.UUID, expires: int) -> str:
    key = hmac.new(secret.get_secret_value().encode(), _PURPOSE, hashlib.sha256).digest()
    message = appointment_id.bytes + expires.to_bytes(8, "big")
    return _b64(hmac.new(key, message, hashlib.sha256).digest())


def _legacy_mac(secret: SecretStr, appointment_id: uuid.UUID) -> str:
    key = hmac.new(secret.get_secret_value().encode(), _LEGACY_PURPOSE, hashlib.sha256).digest()
    return _b64(hmac.new(key, appointment_id.bytes, hashlib.sha256).digest())


def _b64(digest: bytes) -> str:
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _equal(expected: str, given: str) -> bool:
    """Constant time, on bytes: any text compares without raising."""
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "surrogatepass"))
