"""The free times of a service, as the public booking pages, the owner moving an appointment
and the customer's manage link all ask for them: one day's slots, or the days with one."""

import uuid
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import Query
from sqlalchemy.ext.asyncio import AsyncSession

from api.booking.schemas import AvailabilityResponse, DayResponse, SlotResponse, SlotsResponse
from apptremind.booking import search
from apptremind.booking.search import MAX_RANGE_DAYS

LocalDay = Annotated[date, Query(description="a calendar day in the business's timezone")]
RangeStart = Annotated[date, Query(alias="from", description="a local calendar day")]
RangeEnd = Annotated[date, Query(alias="to", description=f"at most {MAX_RANGE_DAYS} days on")]


async def slots_response(
    session: AsyncSession,
    service_id: uuid.UUID,
    staff_id: uuid.UUID | None,
    day: date,
    *,
    include_archived: bool = False,
) -> SlotsResponse:
    business, slots = await search.slots_on(
        session, service_id, staff_id, day, datetime.now(UTC), include_archived=include_archived
    )
    return SlotsResponse(
        date=day, timezone=business.timezone, slots=[SlotResponse.of(s) for s in slots]
    )


async def availability_response(
    session: AsyncSession,
    service_id: uuid.UUID,
    staff_id: uuid.UUID | None,
    first: date,
    last: date,
    *,
    include_archived: bool = False,
) -> AvailabilityResponse:
    found = await search.days_available(
        session,
        service_id,
        staff_id,
        first,
        last,
        datetime.now(UTC),
        include_archived=include_archived,
    )
    return AvailabilityResponse(
        timezone=found.business.timezone,
        from_=first,
        to=last,
        days=[DayResponse(date=day, available=available) for day, available in found.days],
        next_available_date=found.next_available,
    )
