"""Message texts. Kept as plain functions so every field they use is explicit."""

from datetime import datetime
from urllib.parse import quote

from apptremind.notifications.providers import Email


def password_reset_email(to: str, token: str, expires_at: datetime, reset_page_url: str) -> Email:
    link = (
        f"\nOr open this page:\n{reset_page_url}?token={quote(token)}\n" if reset_page_url else ""
    )
    return Email(
        to=to,
        subject="Reset your ApptRemind password",
        text=(
            "Someone asked to reset the password of your ApptRemind account.\n\n"
            f"Your reset code:\n{token}\n{link}\n"
            f"It works once and expires at {expires_at:%Y-%m-%d %H:%M} UTC.\n"
            "If you did not ask for this, ignore this email: your password stays as it is.\n"
        ),
    )
