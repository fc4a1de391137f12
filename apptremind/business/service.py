"""Business master data: the profile, services, staff and their working hours."""

import datetime as dt
import logging
import re
import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from apptremind.billing.plans import PLANS, plan_for
from apptremind.business.exceptions import (
    BusinessNotFound,
    DateOverrideNotFound,
    InvalidCountry,
    InvalidCurrency,
    InvalidTimezone,
    ServiceNotFound,
    SlugTaken,
    StaffNotFound,
)
from apptremind.business.models import (
    Business,
    DateOverride,
    DateOverrideInterval,
    Service,
    StaffMember,
    WorkingHours,
)
from apptremind.business.repository import BusinessRepository
from apptremind.currencies import DEFAULT_CURRENCY, is_valid_currency
from apptremind.events import SubscriptionUpgraded
from apptremind.timezones import country_of_timezone, is_valid_country, is_valid_timezone

SLUG_MAX = 60

logger = logging.getLogger("apptremind.business")


@dataclass(frozen=True, order=True)
class WorkingInterval:
    day_of_week: int
    start_minute: int
    end_minute: int


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:SLUG_MAX].strip("-") or "business"


def check_timezone(timezone: str) -> None:
    """Refuses (422) a time zone a business could not have."""
    if not is_valid_timezone(timezone):
        raise InvalidTimezone(f"'{timezone}' is not an IANA time zone name")


def check_currency(currency: str) -> None:
    """Refuses (422) a code that is not a currency's ISO 4217 code."""
    if not is_valid_currency(currency):
        raise InvalidCurrency(f"'{currency}' is not an ISO 4217 currency code, e.g. EUR or USD")


async def create_business(
    session: AsyncSession, name: str, timezone: str, currency: str = DEFAULT_CURRENCY
) -> Business:
    check_timezone(timezone)
    check_currency(currency)
    repo = BusinessRepository(session)
    slug = slugify(name)
    while await repo.slug_exists(slug):
        slug = f"{slugify(name)[: SLUG_MAX - 7]}-{secrets.token_hex(3)}"
    business = Business(name=name, slug=slug, timezone=timezone, currency=currency)
    await repo.add(business)
    await session.refresh(business)
    return business


async def get_business(session: AsyncSession, business_id: uuid.UUID) -> Business:
    business = await BusinessRepository(session).get_business(business_id)
    if business is None:
        raise BusinessNotFound()
    return business


async def update_profile(
    session: AsyncSession, business_id: uuid.UUID, changes: dict[str, Any]
) -> Business:
    repo = BusinessRepository(session)
    business = await get_business(session, business_id)
    if "timezone" in changes and not is_valid_timezone(changes["timezone"]):
        raise InvalidTimezone(f"'{changes['timezone']}' is not an IANA time zone name")
    if changes.get("country") is not None and not is_valid_country(changes["country"]):
        raise InvalidCountry(f"'{changes['country']}' is not an ISO 3166-1 alpha-2 country code")
    if "currency" in changes:
        check_currency(changes["currency"])
    if "slug" in changes and changes["slug"] != business.slug:
        if await repo.slug_exists(changes["slug"]):
            raise SlugTaken(f"The slug '{changes['slug']}' is used by another business")
    if "reminder_channels" in changes:
        # Only newly enabled channels need the plan: after a downgrade `sms` stays listed
        # (and unsent), and saving the profile unchanged must keep working.
        added = set(changes["reminder_channels"]) - set(business.reminder_channels)
        plan_for(business.subscription_tier).ensure_channels(sorted(added))
    for field, value in changes.items():
        setattr(business, field, value)
    await session.flush()
    await session.refresh(business)
    return business


def default_country(business: Business) -> str | None:
    """The business's country, or its time zone's when unset: the phone number's default."""
    return business.country or country_of_timezone(business.timezone)


@dataclass(frozen=True)
class PublicBusiness:
    """What the public booking page shows of a business: only what can be booked."""

    business: Business
    country: str | None
    services: list[Service]  # not archived
    staff: list[StaffMember]  # active only, without their hours


async def public_business(session: AsyncSession, slug: str) -> PublicBusiness:
    repo = BusinessRepository(session)
    business = await repo.get_by_slug(slug)
    if business is None:
        raise BusinessNotFound(f"No business has the address '{slug}'")
    return PublicBusiness(
        business=business,
        country=default_country(business),
        services=await repo.list_services(business.id),
        staff=await repo.list_active_staff(business.id),
    )


async def apply_subscription_tier(session: AsyncSession, event: dict[str, Any]) -> bool:
    """Applies a `subscription.upgraded` event (envelope); False when it changes nothing.

    Billing numbers its tier changes; a replayed or overtaken event (revision not above
    the last one applied) is ignored, so deliveries in any order and any number converge.
    Staff, services and settings are kept as they are: the plan limits apply from here on.
    """
    upgraded = SubscriptionUpgraded.model_validate(event["data"])
    business = await BusinessRepository(session).lock_business(upgraded.business_id)
    if business is None:
        logger.warning("subscription event %s for an unknown business", event.get("event_id"))
        return False
    if upgraded.tier not in PLANS:
        logger.warning("subscription event %s names no known plan", event.get("event_id"))
        return False
    if upgraded.revision <= business.subscription_revision:
        return False
    business.subscription_tier = upgraded.tier
    business.subscription_revision = upgraded.revision
    await session.flush()
    logger.info("business %s is now on the %s plan", business.id, business.subscription_tier)
    return True


async def list_services(
    session: AsyncSession, business_id: uuid.UUID, *, include_archived: bool = False
) -> list[Service]:
    """The services customers can book, by name; with `include_archived`, the archived
    ones follow them."""
    return await BusinessRepository(session).list_services(
        business_id, include_archived=include_archived
    )


async def get_service(
    session: AsyncSession, business_id: uuid.UUID, service_id: uuid.UUID
) -> Service:
    """One of the business's services, archived or not (the owner still sees those)."""
    service = await BusinessRepository(session).get_service(business_id, service_id)
    if service is None:
        raise ServiceNotFound()
    return service


async def create_service(
    session: AsyncSession,
    business_id: uuid.UUID,
    *,
    name: str,
    duration_minutes: int,
    price: Decimal,
    description: str | None = None,
    buffer_before_minutes: int = 0,
    buffer_after_minutes: int = 0,
) -> Service:
    service = Service(
        business_id=business_id,
        name=name,
        duration_minutes=duration_minutes,
        price=price,
        description=description,
        buffer_before_minutes=buffer_before_minutes,
        buffer_after_minutes=buffer_after_minutes,
    )
    await BusinessRepository(session).add(service)
    await session.refresh(service)
    return service


async def update_service(
    session: AsyncSession, business_id: uuid.UUID, service_id: uuid.UUID, changes: dict[str, Any]
) -> Service:
    """Changes the given fields; `archived` (a bool) archives or restores the service."""
    service = await get_service(session, business_id, service_id)
    changes = dict(changes)
    archived = changes.pop("archived", None)
    for field, value in changes.items():
        setattr(service, field, value)
    if archived is not None:
        _set_archived(service, archived)
    await session.flush()
    await session.refresh(service)
    return service


async def archive_service(
    session: AsyncSession, business_id: uuid.UUID, service_id: uuid.UUID
) -> Service:
    """Archives the service: customers no longer see or book it, its appointments stay as
    they are (they keep their own copy of its name, duration and price) and can still be
    moved. Archiving an archived service changes nothing; `update_service` restores it."""
    return await update_service(session, business_id, service_id, {"archived": True})


def _set_archived(service: Service, archived: bool) -> None:
    """Idempotent: an archived service keeps the time it was first archived."""
    if not archived:
        service.archived_at = None
    elif service.archived_at is None:
        service.archived_at = dt.datetime.now(dt.UTC)


async def list_staff(session: AsyncSession, business_id: uuid.UUID) -> list[StaffMember]:
    return await BusinessRepository(session).list_staff(business_id)


async def get_staff(
    session: AsyncSession, business_id: uuid.UUID, staff_id: uuid.UUID
) -> StaffMember:
    staff = await BusinessRepository(session).get_staff(business_id, staff_id)
    if staff is None:
        raise StaffNotFound()
    return staff


async def create_staff(
    session: AsyncSession,
    business_id: uuid.UUID,
    *,
    name: str,
    working_hours: list[WorkingInterval],
    is_active: bool = True,
) -> StaffMember:
    if is_active:
        await _ensure_staff_capacity(session, business_id)
    staff = StaffMember(
        business_id=business_id,
        name=name,
        is_active=is_active,
        working_hours=[_hours(interval) for interval in working_hours],
    )
    await BusinessRepository(session).add(staff)
    return await get_staff(session, business_id, staff.id)


async def update_staff(
    session: AsyncSession,
    business_id: uuid.UUID,
    staff_id: uuid.UUID,
    *,
    name: str | None = None,
    is_active: bool | None = None,
    working_hours: list[WorkingInterval] | None = None,
) -> StaffMember:
    staff = await get_staff(session, business_id, staff_id)
    if is_active and not staff.is_active:
        await _ensure_staff_capacity(session, business_id)
    if name is not None:
        staff.name = name
    if is_active is not None:
        staff.is_active = is_active
    if working_hours is not None:
        # Replacing the whole week: flush the removals first so the no-overlap
        # constraint never sees old and new intervals side by side.
        staff.working_hours.clear()
        await session.flush()
        staff.working_hours.extend(_hours(interval) for interval in working_hours)
    await session.flush()
    session.expunge(staff)
    return await get_staff(session, business_id, staff_id)


async def deactivate_staff(
    session: AsyncSession, business_id: uuid.UUID, staff_id: uuid.UUID
) -> None:
    """Staff are deactivated, never deleted, so their appointments keep their history."""
    staff = await get_staff(session, business_id, staff_id)
    staff.is_active = False
    await session.flush()


async def _ensure_staff_capacity(session: AsyncSession, business_id: uuid.UUID) -> None:
    """402 when one more active staff member is past the plan; the business row lock
    makes concurrent additions take turns, so they cannot both slip under the limit."""
    repo = BusinessRepository(session)
    business = await repo.lock_business(business_id)
    if business is None:
        raise BusinessNotFound()
    plan_for(business.subscription_tier).ensure_staff_capacity(
        await repo.count_active_staff(business_id)
    )


def _hours(interval: WorkingInterval) -> WorkingHours:
    return WorkingHours(
        day_of_week=interval.day_of_week,
        start_minute=interval.start_minute,
        end_minute=interval.end_minute,
    )


@dataclass(frozen=True)
class BusinessTerms:
    id: uuid.UUID
    timezone: str
    reminder_offsets_minutes: list[int]
    reminder_channels: list[str]
    slot_interval_minutes: int | None
    min_notice_minutes: int
    booking_horizon_days: int
    subscription_tier: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class StaffTerms:
    id: uuid.UUID
    is_active: bool


@dataclass(frozen=True)
class ServiceTerms:
    id: uuid.UUID
    name: str
    duration_minutes: int
    price: Decimal
    buffer_before_minutes: int
    buffer_after_minutes: int


@dataclass(frozen=True)
class BookingTerms:
    """What the public booking page needs of one staff member, one service and their
    business, with the working hours of the dates `first`..`last`: plain values."""

    business: BusinessTerms
    staff: StaffTerms
    service: ServiceTerms
    first: dt.date
    last: dt.date
    weekly_hours: list[WorkingInterval]
    overrides: dict[dt.date, list[tuple[int, int]]]

    def working_minutes(self, day: dt.date) -> list[tuple[int, int]]:
        """The day's working intervals (minutes after local midnight): an override wins."""
        return _working_minutes(self.weekly_hours, self.overrides, self.first, self.last, day)


def _working_minutes(
    weekly_hours: list[WorkingInterval],
    overrides: dict[dt.date, list[tuple[int, int]]],
    first: dt.date,
    last: dt.date,
    day: dt.date,
) -> list[tuple[int, int]]:
    if not first <= day <= last:
        raise ValueError(f"{day} is outside the dates read ({first}..{last})")
    if day in overrides:
        return overrides[day]
    weekday = day.weekday()
    return [(h.start_minute, h.end_minute) for h in weekly_hours if h.day_of_week == weekday]


def _overrides(rows: list[list[Any]] | None) -> dict[dt.date, list[tuple[int, int]]]:
    """Override rows (date, start, end) by date; an override without intervals is a day off."""
    overrides: dict[dt.date, list[tuple[int, int]]] = {}
    for day, start, end in rows or ():
        intervals = overrides.setdefault(dt.date.fromisoformat(day), [])
        if start is not None:
            intervals.append((start, end))
    return {day: sorted(intervals) for day, intervals in overrides.items()}


def _business_terms(row: dict[str, Any]) -> BusinessTerms:
    return BusinessTerms(
        id=row["business_id"],
        timezone=row["timezone"],
        reminder_offsets_minutes=row["reminder_offsets_minutes"],
        reminder_channels=row["reminder_channels"],
        slot_interval_minutes=row["slot_interval_minutes"],
        min_notice_minutes=row["min_notice_minutes"],
        booking_horizon_days=row["booking_horizon_days"],
        subscription_tier=row["subscription_tier"],
    )


def _service_terms(service_id: uuid.UUID, row: dict[str, Any]) -> ServiceTerms:
    return ServiceTerms(
        id=service_id,
        name=row["service_name"],
        duration_minutes=row["duration_minutes"],
        price=row["price"],
        buffer_before_minutes=row["buffer_before_minutes"],
        buffer_after_minutes=row["buffer_after_minutes"],
    )


async def booking_terms(
    session: AsyncSession,
    staff_id: uuid.UUID,
    service_id: uuid.UUID,
    first: dt.date,
    last: dt.date,
    *,
    include_archived: bool = False,
) -> BookingTerms:
    """A staff member by id alone (the public page names staff by id) with a service of the
    same business (another business's is not found, nor an archived one unless
    `include_archived`: moving an appointment already booked), in one query."""
    row = await BusinessRepository(session).booking_terms(
        staff_id, service_id, first, last, include_archived=include_archived
    )
    if row is None:
        raise StaffNotFound()
    if row["service_id"] is None:
        raise ServiceNotFound()
    return BookingTerms(
        business=_business_terms(row),
        staff=StaffTerms(id=staff_id, is_active=row["is_active"]),
        service=_service_terms(service_id, row),
        first=first,
        last=last,
        weekly_hours=sorted(WorkingInterval(*hours) for hours in row["weekly_hours"] or ()),
        overrides=_overrides(row["overrides"]),
    )


@dataclass(frozen=True)
class StaffHours:
    """One staff member's working hours for the dates `first`..`last` of a `TeamTerms`."""

    id: uuid.UUID
    is_active: bool
    weekly_hours: list[WorkingInterval]
    overrides: dict[dt.date, list[tuple[int, int]]]
    first: dt.date
    last: dt.date

    def working_minutes(self, day: dt.date) -> list[tuple[int, int]]:
        return _working_minutes(self.weekly_hours, self.overrides, self.first, self.last, day)


@dataclass(frozen=True)
class TeamTerms:
    """A service, its business and the staff who may take it (the active ones, or the one
    asked for) with their hours of the dates `first`..`last`."""

    business: BusinessTerms
    service: ServiceTerms
    staff: list[StaffHours]
    first: dt.date
    last: dt.date


async def team_terms(
    session: AsyncSession,
    service_id: uuid.UUID,
    staff_id: uuid.UUID | None,
    first: dt.date,
    last: dt.date,
    *,
    include_archived: bool = False,
) -> TeamTerms:
    """The terms for booking `service_id` with `staff_id` or, when None, any active staff
    member, in one query; a staff member of another business is not found, nor an archived
    service unless `include_archived` (times to move an appointment already booked to)."""
    row = await BusinessRepository(session).team_terms(
        service_id, staff_id, first, last, include_archived=include_archived
    )
    if row is None:
        raise ServiceNotFound()
    staff = [
        StaffHours(
            id=uuid.UUID(member["id"]),
            is_active=member["is_active"],
            weekly_hours=sorted(WorkingInterval(*hours) for hours in member["weekly_hours"] or ()),
            overrides=_overrides(member["overrides"]),
            first=first,
            last=last,
        )
        for member in row["staff"] or ()
    ]
    if staff_id is not None and not staff:
        raise StaffNotFound()
    return TeamTerms(
        business=_business_terms(row),
        service=_service_terms(service_id, row),
        staff=staff,
        first=first,
        last=last,
    )


async def list_date_overrides(
    session: AsyncSession,
    business_id: uuid.UUID,
    staff_id: uuid.UUID,
    first: dt.date,
    last: dt.date,
) -> list[DateOverride]:
    await get_staff(session, business_id, staff_id)
    return await BusinessRepository(session).date_overrides(staff_id, first, last)


async def set_date_override(
    session: AsyncSession,
    business_id: uuid.UUID,
    staff_id: uuid.UUID,
    day: dt.date,
    intervals: list[WorkingInterval],
) -> DateOverride:
    """Replaces the hours of one date; an empty list makes it a day off."""
    await get_staff(session, business_id, staff_id)
    repo = BusinessRepository(session)
    await repo.delete_date_override(staff_id, day)
    override = DateOverride(
        staff_id=staff_id,
        date=day,
        intervals=[
            DateOverrideInterval(start_minute=i.start_minute, end_minute=i.end_minute)
            for i in intervals
        ],
    )
    await repo.add(override)
    [stored] = await repo.date_overrides(staff_id, day, day)
    return stored


async def delete_date_override(
    session: AsyncSession, business_id: uuid.UUID, staff_id: uuid.UUID, day: dt.date
) -> None:
    await get_staff(session, business_id, staff_id)
    if not await BusinessRepository(session).delete_date_override(staff_id, day):
        raise DateOverrideNotFound()


@dataclass(frozen=True)
class MessageSender:
    """Who a customer message comes from, in one read."""

    business_name: str
    zone: ZoneInfo
    staff_name: str


async def staff_names(session: AsyncSession, business_id: uuid.UUID) -> dict[uuid.UUID, str]:
    """Every staff member's name by id, the inactive ones included (their history stays)."""
    return await BusinessRepository(session).staff_names(business_id)


@dataclass(frozen=True)
class AppointmentHost:
    """The business and staff member an appointment is with, as its customer sees them."""

    business: Business
    staff_name: str


async def appointment_host(
    session: AsyncSession, business_id: uuid.UUID, staff_id: uuid.UUID
) -> AppointmentHost:
    row = await BusinessRepository(session).business_with_staff_name(business_id, staff_id)
    if row is None:
        raise StaffNotFound()
    return AppointmentHost(*row)


async def message_sender(
    session: AsyncSession, business_id: uuid.UUID, staff_id: uuid.UUID
) -> MessageSender:
    """Names for a message; a staff member deactivated since the booking is still named."""
    row = await BusinessRepository(session).names(business_id, staff_id)
    if row is None:
        raise StaffNotFound()
    business_name, timezone, staff_name = row
    return MessageSender(business_name, ZoneInfo(timezone), staff_name)
