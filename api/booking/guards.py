"""The public booking form's checks against abuse, before anything is read or written:
the CAPTCHA when it is on, and phone numbers only of the countries texts may go to."""

import phonenumbers
from fastapi import Request

from api.booking import captcha
from api.booking.schemas import BookingRequest
from api.schemas import field_refused
from apptremind.booking.throttles import NO_LIMITS, CustomerLimits
from apptremind.settings import Settings

PHONE_FIELD = ("body", "customer_info", "phone")


async def check_booking_request(body: BookingRequest, request: Request, settings: Settings) -> None:
    ensure_phone_country_allowed(body.customer_info.phone, settings.sms_allowed_countries)
    client = request.client.host if request.client else None
    await captcha.verify(request.app.state.captcha_http, settings, body.captcha_token, client)


def ensure_phone_country_allowed(phone: str | None, allowed: list[str]) -> None:
    """SMS pumping sends texts to premium numbers abroad: with SMS_ALLOWED_COUNTRIES set, a
    number of another country is refused at the phone field, before it is stored."""
    if phone is None or not allowed:
        return
    region = phonenumbers.region_code_for_number(phonenumbers.parse(phone, None))
    if region not in allowed:
        raise field_refused(
            PHONE_FIELD,
            "Phone numbers of this country are not accepted; leave it out and give an email "
            "address, or use a number from " + ", ".join(sorted(allowed)),
        )


# Bookings one email or phone may make within an hour when the settings leave them unset.
DEFAULT_LIMITS = CustomerLimits(per_business=3, everywhere=10)


def customer_limits(settings: Settings) -> CustomerLimits:
    """The settings' limits; unset ones are the defaults, or none in local and test."""
    default = NO_LIMITS if settings.environment in ("local", "test") else DEFAULT_LIMITS
    per_business = settings.booking_limit_per_customer_per_business
    everywhere = settings.booking_limit_per_customer
    return CustomerLimits(
        per_business=default.per_business if per_business is None else per_business,
        everywhere=default.everywhere if everywhere is None else everywhere,
    )
