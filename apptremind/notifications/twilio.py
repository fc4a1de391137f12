"""Twilio's Programmable Messaging API (POST /2010-04-01/Accounts/{sid}/Messages.json).

Twilio takes no idempotency key for a message, so the reminder row claimed before the send
is the guard against a second text.
"""

import asyncio

import httpx

from apptremind.notifications.providers import (
    PermanentDeliveryError,
    Sms,
    TransientDeliveryError,
    error_body_summary,
    retry_after,
)

# Twilio error codes that no retry will change.
OPTED_OUT = 21610  # the recipient replied STOP: honour it
PERMANENT_CODES = {
    21211: "invalid 'To' phone number",
    21408: "no permission to send to this region",
    21612: "the 'To' number cannot be reached from the 'From' number",
    21614: "the 'To' number is not a mobile number",
    OPTED_OUT: "the recipient opted out of messages from this number",
}
RETRYABLE_STATUSES = {401, 403, 408, 429}


class TwilioSmsProvider:
    def __init__(
        self, account_sid: str, auth_token: str, sender: str, api_base: str, timeout: float = 15.0
    ) -> None:
        self.auth = (account_sid, auth_token)
        self.sender = sender
        self.url = f"{api_base.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self.timeout = timeout

    async def send(self, sms: Sms, idempotency_key: str) -> str:
        try:
            # httpx's timeout bounds each phase (connect, each read...); `asyncio.timeout`
            # the whole call: a send holds its appointment's lock that long at most.
            async with (
                asyncio.timeout(self.timeout),
                httpx.AsyncClient(timeout=self.timeout, auth=self.auth) as http,
            ):
                response = await http.post(
                    self.url, data={"To": sms.to, "From": self.sender, "Body": sms.text}
                )
        except (httpx.HTTPError, TimeoutError) as exc:  # TimeoutError: the whole call's deadline
            raise TransientDeliveryError(f"Twilio unreachable: {exc!r}") from exc
        body = _json(response)
        if response.status_code in (200, 201):
            return str(body.get("sid") or idempotency_key)
        code = body.get("code")
        if code in PERMANENT_CODES:
            raise PermanentDeliveryError(f"Twilio error {code}: {PERMANENT_CODES[code]}")
        detail = body.get("message") or error_body_summary(
            response.text, response.headers.get("content-type", "")
        )
        reason = f"Twilio answered {response.status_code}: {detail}"
        if response.status_code in RETRYABLE_STATUSES or response.status_code >= 500:
            raise TransientDeliveryError(reason, retry_after(response.headers))
        raise PermanentDeliveryError(reason)


def _json(response: httpx.Response) -> dict[str, object]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
