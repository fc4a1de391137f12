from urllib.parse import urlencode

from apptremind.settings import Settings


def password_reset_url(settings: Settings, token: str) -> str:
    """The web app's page that sets a new password with a reset token (the email's link)."""
    return f"{settings.public_base_url.rstrip('/')}/reset-password?{urlencode({'token': token})}"
