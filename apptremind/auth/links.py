from urllib.parse import urlencode

from apptremind.settings import Settings


def password_reset_url(settings: Settings, token: str) -> str:
    """The web app's page that sets a new password with a reset token (the email's link)."""
    return f"{settings.public_base_url.rstrip('/')}/reset-password?{urlencode({'token': token})}"


def sign_up_confirmation_url(settings: Settings, token: str) -> str:
    """The web app's page that confirms a sign-up with its token (the email's link)."""
    base = settings.public_base_url.rstrip("/")
    return f"{base}/app/confirm-sign-up?{urlencode({'token': token})}"


def sign_in_url(settings: Settings) -> str:
    return f"{settings.public_base_url.rstrip('/')}/app/sign-in"


def forgot_password_url(settings: Settings) -> str:
    return f"{settings.public_base_url.rstrip('/')}/app/forgot-password"
