"""Limits on how often one customer books: nobody can mail-bomb an email address or a phone
with confirmations, nor use up a Free business's monthly bookings from one address.

Counted from the appointments themselves (cancelled ones too: their confirmation was sent),
by email address or phone number, over the last hour.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from apptremind.booking.repository import AppointmentRepository
from apptremind.errors import AppError

WINDOW = timedelta(hours=1)


class TooManyBookings(AppError):
    status = 429
    title = "Too many bookings"


@dataclass(frozen=True)
class CustomerLimits:
    """Bookings one email address or phone number may make within `WINDOW` (0: no limit)."""

    per_business: int = 0
    everywhere: int = 0

    @property
    def active(self) -> bool:
        return self.per_business > 0 or self.everywhere > 0


NO_LIMITS = CustomerLimits()


async def ensure_not_throttled(
    session: AsyncSession,
    limits: CustomerLimits,
    business_id: uuid.UUID,
    email: str | None,
    phone: str | None,
    now: datetime,
) -> None:
    """429 when the customer's email or phone already booked its limit this hour.

    Bookings of one customer take turns on transaction-scoped advisory locks from here to
    commit, so concurrent requests cannot all count below the limit and all book.
    """
    if not limits.active:
        return
    repo = AppointmentRepository(session)
    await repo.lock_customers([key for key in (email, phone) if key])
    at_business, everywhere = await repo.count_customer_bookings_since(
        business_id, email, phone, now - WINDOW
    )
    if limits.per_business and at_business >= limits.per_business:
        raise TooManyBookings(
            "This email address or phone number has booked here several times within the "
            "hour; please try again later"
        )
    if limits.everywhere and everywhere >= limits.everywhere:
        raise TooManyBookings(
            "This email address or phone number has made many bookings within the hour; "
            "please try again later"
        )
