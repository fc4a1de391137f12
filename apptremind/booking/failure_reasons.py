"""Why a reminder failed, in a short sentence for the business's owner.

The reminder row keeps the provider's own words (`error`, for support); owners see this
instead: what went wrong and, where it helps, what to do. It names no recipient, token or
provider payload, only the kind of failure, so nothing the owner does not already see.
"""

import re

# Twilio's permanent error codes (apptremind/notifications/twilio.py) in the owner's words.
_TWILIO = {
    21211: "The phone number is not valid",
    21408: "Texts cannot be sent to this phone number's country",
    21610: "The customer has opted out of text messages",
    21612: "Texts cannot be sent to this phone number",
    21614: "The phone number cannot receive texts (not a mobile number)",
}
_TWILIO_CODE = re.compile(r"Twilio error (\d+)")

TOO_LATE = "Not sent: the appointment had already started"
MAX_LENGTH = 200


def failure_reason(channel: str, detail: str | None) -> str:
    """The owner-facing reason of a failed reminder from the recorded failure `detail`."""
    text = (detail or "").strip()
    lowered = text.lower()
    thing = "text" if channel == "sms" else "email"
    if lowered.startswith("not sent: the appointment had already started"):
        reason = TOO_LATE
    elif lowered.startswith("not delivered before the appointment started"):
        provider = "SMS" if channel == "sms" else "email"
        reason = (
            f"Not delivered before the appointment started: the {provider} provider "
            "could not be reached or kept refusing"
        )
    elif match := _TWILIO_CODE.search(text):
        reason = _TWILIO.get(int(match.group(1)), "The SMS provider refused the text")
    elif "recipient refused by the mail server" in lowered:
        reason = "The customer's mail server refused the email address"
    elif "refused by the mail server" in lowered:
        reason = "The mail server refused the email"
    elif lowered.startswith("sendgrid answered"):
        reason = "The email provider refused the email"
    elif lowered.startswith("twilio answered"):
        reason = "The SMS provider refused the text"
    else:
        reason = f"The {thing} could not be delivered"
    return reason[:MAX_LENGTH]
