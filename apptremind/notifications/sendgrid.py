"""SendGrid's v3 Mail Send API (https://docs.sendgrid.com/api-reference/mail-send).

SendGrid takes no idempotency key, so the reminder row claimed before the send stays the
guard against a second message; the key still travels in `custom_args`, which SendGrid
reports back in its event webhooks, so a delivery can be traced to its reminder.
"""

import asyncio
import base64
from email.utils import parseaddr

import httpx

from apptremind.notifications.providers import (
    Attachment,
    Email,
    PermanentDeliveryError,
    TransientDeliveryError,
    error_body_summary,
    retry_after,
)

# Refusals worth retrying: throttling, and credentials an operator can fix while we wait.
RETRYABLE_STATUSES = {401, 403, 408, 429}


class SendGridEmailProvider:
    def __init__(self, api_key: str, sender: str, api_base: str, timeout: float = 15.0) -> None:
        self.api_key = api_key
        name, address = parseaddr(sender)
        self.sender = {"email": address, **({"name": name} if name else {})}
        self.url = api_base.rstrip("/") + "/v3/mail/send"
        self.timeout = timeout

    async def send(self, email: Email, idempotency_key: str) -> str:
        body = {
            "personalizations": [{"to": [{"email": email.to}]}],
            "from": self.sender,
            "subject": email.subject,
            "content": [{"type": "text/plain", "value": email.text}],
            "custom_args": {"idempotency_key": idempotency_key},
            **(
                {"attachments": [_attachment(a) for a in email.attachments]}
                if email.attachments
                else {}
            ),
        }
        try:
            # httpx's timeout bounds each phase (connect, each read...); `asyncio.timeout`
            # the whole call: a send holds its appointment's lock that long at most.
            async with (
                asyncio.timeout(self.timeout),
                httpx.AsyncClient(timeout=self.timeout) as http,
            ):
                response = await http.post(
                    self.url, json=body, headers={"Authorization": f"Bearer {self.api_key}"}
                )
        except (httpx.HTTPError, TimeoutError) as exc:  # TimeoutError: the whole call's deadline
            raise TransientDeliveryError(f"SendGrid unreachable: {exc!r}") from exc
        if response.status_code in (200, 202):
            return response.headers.get("X-Message-Id") or idempotency_key
        reason = f"SendGrid answered {response.status_code}: {_errors(response)}"
        if response.status_code in RETRYABLE_STATUSES or response.status_code >= 500:
            raise TransientDeliveryError(reason, retry_after(response.headers))
        raise PermanentDeliveryError(reason)


def _attachment(attachment: Attachment) -> dict[str, str]:
    return {
        "content": base64.b64encode(attachment.data).decode("ascii"),
        "type": attachment.content_type,
        "filename": attachment.filename,
        "disposition": "attachment",
    }


def _errors(response: httpx.Response) -> str:
    try:
        return "; ".join(str(e.get("message", "")) for e in response.json()["errors"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return error_body_summary(response.text, response.headers.get("content-type", ""))
