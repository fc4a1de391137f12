"""The customer's link to cancel or reschedule their appointment without an account.

The token is an HMAC of the appointment id under a key derived from JWT_SECRET: nothing is
stored, it cannot be forged or moved to another appointment, and it stops working when the
appointment is no longer booked (the workflow refuses the change).
"""

import base64
import hashlib
import hmac
import uuid
from urllib.parse import urlencode

from apptremind.settings import Settings

_PURPOSE = b"apptremind/manage-appointment/v1"


def manage_token(secret: str, appointment_id: uuid.UUID) -> str:
    key = hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()
    digest = hmac.new(key, appointment_id.bytes, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def token_is_valid(secret: str, appointment_id: uuid.UUID, token: str) -> bool:
    return hmac.compare_digest(manage_token(secret, appointment_id), token)


def manage_url(settings: Settings, appointment_id: uuid.UUID) -> str:
    """The web app's manage page of the appointment, absolute: it goes into emails."""
    token = manage_token(settings.jwt_secret, appointment_id)
    base = settings.public_base_url.rstrip("/")
    return f"{base}/manage/{appointment_id}?{urlencode({'token': token})}"
