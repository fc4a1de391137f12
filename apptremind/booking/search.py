"""Free times across a team: the days of a range with a free slot, the slots of one day with
every staff member free at each start, the next free day. Each answer reads the terms once
and the appointments of the whole span once; the pure engine in `availability` does the rest.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from apptremind.booking.availability import (
    Busy,
    BusyTimes,
    Interval,
    Slot,
    SlotRules,
    day_slots,
    local_day_bounds,
)
from apptremind.booking.exceptions import InvalidDateRange
from apptremind.booking.repository import AppointmentRepository
from apptremind.business import service as business_service
from apptremind.business.service import BusinessTerms, ServiceTerms, StaffHours, TeamTerms

# Buffers reach at most this far past a day's bounds (services cap them at 4 hours).
BUSY_MARGIN = timedelta(hours=4)
MAX_RANGE_DAYS = 62
# The next free day is looked for in spans of this many days, one appointments query each.
SEARCH_CHUNK_DAYS = 62


def slot_rules(business: BusinessTerms, service: ServiceTerms) -> SlotRules:
    return SlotRules(
        duration_minutes=service.duration_minutes,
        buffer_before_minutes=service.buffer_before_minutes,
        buffer_after_minutes=service.buffer_after_minutes,
        step_minutes=business.slot_interval_minutes,
        min_notice_minutes=business.min_notice_minutes,
        horizon_days=business.booking_horizon_days,
    )


def bookable_dates(business: BusinessTerms, now: datetime) -> tuple[date, date]:
    """The local dates that can hold a slot at all: today to the horizon's last day.
    Dates outside are answered without computing (and without date arithmetic overflows)."""
    zone = business.zone
    return (
        now.astimezone(zone).date(),
        (now + timedelta(days=business.booking_horizon_days)).astimezone(zone).date(),
    )


def intervals_of(member: StaffHours, day: date) -> list[Interval]:
    return [Interval(start, end) for start, end in member.working_minutes(day)]


async def busy_by_staff(
    session: AsyncSession, staff_ids: list[uuid.UUID], first: date, last: date, zone: ZoneInfo
) -> dict[uuid.UUID, list[Busy]]:
    """The blocked times of the staff on the local dates first..last, in one query."""
    if not staff_ids:
        return {}
    start = local_day_bounds(first, zone)[0] - BUSY_MARGIN
    end = local_day_bounds(last, zone)[1] + BUSY_MARGIN
    ranges = await AppointmentRepository(session).blocked_ranges_of(staff_ids, start, end)
    return {staff: [Busy(s, e) for s, e in spans] for staff, spans in ranges.items()}


class _Team:
    """The terms of a team and, once read, its blocked times, indexed once per staff member
    for every day asked about."""

    def __init__(self, terms: TeamTerms) -> None:
        self.terms = terms
        self.zone: ZoneInfo = terms.business.zone
        self.rules = slot_rules(terms.business, terms.service)
        self.active = [member for member in terms.staff if member.is_active]
        self.busy: dict[uuid.UUID, BusyTimes] = {}

    def read_busy(self, busy: dict[uuid.UUID, list[Busy]]) -> None:
        self.busy = {member.id: BusyTimes(busy.get(member.id, ())) for member in self.active}

    def slots(
        self, member: StaffHours, day: date, now: datetime, limit: int | None = None
    ) -> list[Slot]:
        busy = self.busy.get(member.id) or BusyTimes(())
        intervals = intervals_of(member, day)
        return day_slots(day, self.zone, intervals, busy, self.rules, now, limit=limit)

    def has_free_slot(self, day: date, now: datetime) -> bool:
        return any(self.slots(member, day, now, limit=1) for member in self.active)


def _dates(first: date, last: date) -> Iterator[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


@dataclass(frozen=True)
class TeamSlot:
    start: datetime
    end: datetime
    staff_ids: list[uuid.UUID]


async def slots_on(
    session: AsyncSession,
    service_id: uuid.UUID,
    staff_id: uuid.UUID | None,
    day: date,
    now: datetime,
    *,
    include_archived: bool = False,
) -> tuple[BusinessTerms, list[TeamSlot]]:
    """The free starts of one local day, each with every staff member free then. An
    archived service is not found unless `include_archived` (moving an appointment)."""
    terms = await business_service.team_terms(
        session, service_id, staff_id, day, day, include_archived=include_archived
    )
    first, last = bookable_dates(terms.business, now)
    team = _Team(terms)
    if not first <= day <= last or not team.active:
        return terms.business, []
    team.read_busy(
        await busy_by_staff(session, [m.id for m in team.active], day, day, terms.business.zone)
    )
    by_start: dict[datetime, TeamSlot] = {}
    for member in team.active:
        for slot in team.slots(member, day, now):
            found = by_start.setdefault(slot.start, TeamSlot(slot.start, slot.end, []))
            found.staff_ids.append(member.id)
    return terms.business, [by_start[start] for start in sorted(by_start)]


@dataclass(frozen=True)
class DayAvailability:
    business: BusinessTerms
    days: list[tuple[date, bool]]
    next_available: date | None


async def days_available(
    session: AsyncSession,
    service_id: uuid.UUID,
    staff_id: uuid.UUID | None,
    first: date,
    last: date,
    now: datetime,
    *,
    include_archived: bool = False,
) -> DayAvailability:
    """Which days of first..last have a free slot, and the first such day on or after
    `first` within the booking horizon (looked for past `last` when none is in the range).
    An archived service is not found unless `include_archived` (moving an appointment)."""
    if last < first:
        raise InvalidDateRange("'to' must not be before 'from'")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise InvalidDateRange(f"A range spans at most {MAX_RANGE_DAYS} days")
    terms = await business_service.team_terms(
        session, service_id, staff_id, first, last, include_archived=include_archived
    )
    open_first, open_last = bookable_dates(terms.business, now)
    free: set[date] = set()
    lo, hi = max(first, open_first), min(last, open_last)
    team = _Team(terms)
    if lo <= hi and team.active:
        team.read_busy(await busy_by_staff(session, [m.id for m in team.active], lo, hi, team.zone))
        free = {day for day in _dates(lo, hi) if team.has_free_slot(day, now)}
    next_available = min(free) if free else None
    if next_available is None and team.active and last < open_last:
        next_available = await _next_free_day(
            session,
            service_id,
            staff_id,
            max(last + timedelta(days=1), open_first),
            open_last,
            now,
            include_archived=include_archived,
        )
    return DayAvailability(
        terms.business, [(day, day in free) for day in _dates(first, last)], next_available
    )


async def _next_free_day(
    session: AsyncSession,
    service_id: uuid.UUID,
    staff_id: uuid.UUID | None,
    first: date,
    last: date,
    now: datetime,
    *,
    include_archived: bool,
) -> date | None:
    """The first free day of first..last: the terms of the whole span in one query, then one
    appointments query per chunk of days, stopping at the first chunk with a free day."""
    terms = await business_service.team_terms(
        session, service_id, staff_id, first, last, include_archived=include_archived
    )
    team = _Team(terms)
    staff_ids = [m.id for m in team.active]
    if not staff_ids or not any(m.weekly_hours or m.overrides for m in team.active):
        return None
    chunk_start = first
    while chunk_start <= last:
        chunk_end = min(chunk_start + timedelta(days=SEARCH_CHUNK_DAYS - 1), last)
        team.read_busy(await busy_by_staff(session, staff_ids, chunk_start, chunk_end, team.zone))
        for day in _dates(chunk_start, chunk_end):
            if team.has_free_slot(day, now):
                return day
        chunk_start = chunk_end + timedelta(days=1)
    return None
