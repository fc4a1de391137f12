import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from api.booking import guards
from api.booking.free_times import (
    LocalDay,
    RangeEnd,
    RangeStart,
    availability_response,
    slots_response,
)
from api.booking.schemas import (
    AppointmentResponse,
    AppointmentStatusFilter,
    AvailabilityResponse,
    BookingRequest,
    BookingResponse,
    PublicBusinessResponse,
    RescheduleBody,
    SlotsResponse,
)
from api.deps import PrincipalDep, SessionDep, SettingsDep, TemporalDep
from apptremind.booking import manage_links, service
from apptremind.booking.contracts import CancelRequest, RescheduleRequest
from apptremind.business import service as business_service
from apptremind.settings import Settings
from apptremind.temporal.appointments import AppointmentCommands, Change
from apptremind.temporal.client import Client

public_router = APIRouter(prefix="/public", tags=["public booking"])
appointments_router = APIRouter(prefix="/appointments", tags=["appointments"])


# Deep pages make PostgreSQL walk and drop every row before them: narrow the dates instead.
MAX_OFFSET = 10_000


@public_router.get("/slots", response_model=SlotsResponse)
async def list_slots(
    service_id: uuid.UUID,
    date: LocalDay,
    session: SessionDep,
    staff_id: Annotated[
        uuid.UUID | None, Query(description="absent: the free times of any staff member")
    ] = None,
) -> SlotsResponse:
    """An archived service answers 404 like an unknown one."""
    return await slots_response(session, service_id, staff_id, date)


@public_router.get("/availability", response_model=AvailabilityResponse)
async def list_available_days(
    service_id: uuid.UUID,
    first: RangeStart,
    last: RangeEnd,
    session: SessionDep,
    staff_id: Annotated[
        uuid.UUID | None, Query(description="absent: a day is available when anyone is free")
    ] = None,
) -> AvailabilityResponse:
    """An archived service answers 404 like an unknown one."""
    return await availability_response(session, service_id, staff_id, first, last)


@public_router.get("/businesses/{slug}", response_model=PublicBusinessResponse)
async def show_business(
    slug: Annotated[str, Path(max_length=80)], session: SessionDep
) -> PublicBusinessResponse:
    return PublicBusinessResponse.of(await business_service.public_business(session, slug))


IDEMPOTENCY_KEY = "Idempotency-Key"
# Printable ASCII, no space at either end (HTTP would strip it).
_IDEMPOTENCY_KEY_PATTERN = r"^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$"
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=IDEMPOTENCY_KEY,
        min_length=1,
        max_length=255,
        pattern=_IDEMPOTENCY_KEY_PATTERN,
        description=(
            "a key of the client's own, one per booking (a UUID): a retried request with "
            "the same key answers the booking it made again (`Idempotent-Replayed: true`) "
            "instead of booking twice; 1 to 255 printable ASCII characters"
        ),
    ),
]


@public_router.post(
    "/book",
    status_code=status.HTTP_201_CREATED,
    response_model=BookingResponse,
    responses={
        201: {
            "headers": {
                "Idempotent-Replayed": {
                    "description": "`true` when the answer is the booking the same "
                    "Idempotency-Key made before",
                    "schema": {"type": "string"},
                }
            }
        }
    },
)
async def book(
    body: BookingRequest,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    idempotency_key: IdempotencyKey = None,
) -> BookingResponse:
    """429 when the customer's email or phone booked too often within the hour. With an
    `Idempotency-Key` a repeated request answers the booking it made (no new booking, no
    confirmation, no throttle counted), 422 when the key booked something else, 409 while
    a request with the same key is booking at the same moment."""
    customer = service.Customer(
        name=body.customer_info.name,
        email=str(body.customer_info.email).lower() if body.customer_info.email else None,
        phone=body.customer_info.phone,
        note=body.note,
        idempotency_key=idempotency_key,
    )
    replayed = await service.booked_before(
        session, body.service_id, body.staff_id, body.time, customer
    )
    if replayed is not None:
        response.headers["Idempotent-Replayed"] = "true"
        return _booking_response(settings, replayed)
    await guards.check_booking_request(body, request, settings)
    limits = guards.customer_limits(settings)
    now = datetime.now(UTC)
    if body.staff_id is None:
        booked = await service.book_any_staff(
            session, body.service_id, body.time, customer, now, limits=limits
        )
    else:
        booked = await service.book(
            session, body.staff_id, body.service_id, body.time, customer, now, limits=limits
        )
    return _booking_response(settings, booked)


def _booking_response(settings: Settings, booked: service.BookedAppointment) -> BookingResponse:
    return BookingResponse.of(
        booked,
        manage_links.manage_token(settings, booked.id, booked.end_time),
        manage_links.manage_url(settings, booked.id, booked.end_time),
    )


@appointments_router.get("", response_model=list[AppointmentResponse])
async def list_appointments(
    principal: PrincipalDep,
    session: SessionDep,
    response: Response,
    start_from: Annotated[datetime | None, Query(alias="from")] = None,
    start_to: Annotated[datetime | None, Query(alias="to")] = None,
    staff_id: uuid.UUID | None = None,
    status: AppointmentStatusFilter | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[AppointmentResponse]:
    appointments, total = await service.list_appointments(
        session,
        principal.business_id,
        start_from=start_from,
        start_to=start_to,
        staff_id=staff_id,
        status=status,
        limit=limit,
        offset=offset,
    )
    response.headers["X-Total-Count"] = str(total)
    zone = (await business_service.get_business(session, principal.business_id)).zone
    names = await business_service.staff_names(session, principal.business_id)
    return [AppointmentResponse.of(a, zone, names) for a in appointments]


@appointments_router.get("/{appointment_id}", response_model=AppointmentResponse)
async def get_appointment(
    appointment_id: uuid.UUID, principal: PrincipalDep, session: SessionDep
) -> AppointmentResponse:
    return await _response(session, principal.business_id, appointment_id)


@appointments_router.get("/{appointment_id}/slots", response_model=SlotsResponse)
async def list_reschedule_slots(
    appointment_id: uuid.UUID, date: LocalDay, principal: PrincipalDep, session: SessionDep
) -> SlotsResponse:
    """The free times of one day to move the appointment to: its service (also when
    archived since) with its staff member, as `GET /public/slots` answers them."""
    appointment = await service.get_appointment(session, principal.business_id, appointment_id)
    return await slots_response(
        session, appointment.service_id, appointment.staff_id, date, include_archived=True
    )


@appointments_router.get("/{appointment_id}/availability", response_model=AvailabilityResponse)
async def list_reschedule_days(
    appointment_id: uuid.UUID,
    first: RangeStart,
    last: RangeEnd,
    principal: PrincipalDep,
    session: SessionDep,
) -> AvailabilityResponse:
    """The days with a free time to move the appointment to: its service (also when
    archived since) with its staff member, as `GET /public/availability` answers them."""
    appointment = await service.get_appointment(session, principal.business_id, appointment_id)
    return await availability_response(
        session,
        appointment.service_id,
        appointment.staff_id,
        first,
        last,
        include_archived=True,
    )


class AppointmentChanges:
    """Changes an appointment of the caller's business through its workflow."""

    def __init__(
        self,
        principal: PrincipalDep,
        session: SessionDep,
        temporal: TemporalDep,
        settings: SettingsDep,
    ) -> None:
        self.principal = principal
        self.session = session
        self.temporal = temporal
        self.settings = settings

    async def apply(self, appointment_id: uuid.UUID, change: Change) -> AppointmentResponse:
        business_id = self.principal.business_id
        await service.get_appointment(self.session, business_id, appointment_id)  # 404 if not ours
        return await change_through_workflow(
            self.session, self.temporal, self.settings, business_id, appointment_id, change
        )


ChangesDep = Annotated[AppointmentChanges, Depends()]


@appointments_router.delete("/{appointment_id}", response_model=AppointmentResponse)
async def cancel_appointment(
    appointment_id: uuid.UUID,
    changes: ChangesDep,
    reason: Annotated[str | None, Query(max_length=500)] = None,
) -> AppointmentResponse:
    principal = changes.principal
    request = CancelRequest(reason=reason, cancelled_by=f"{principal.role}:{principal.user_id}")
    return await changes.apply(appointment_id, lambda appointment: appointment.cancel(request))


@appointments_router.post("/{appointment_id}/reschedule", response_model=AppointmentResponse)
async def reschedule_appointment(
    appointment_id: uuid.UUID, body: RescheduleBody, changes: ChangesDep
) -> AppointmentResponse:
    request = RescheduleRequest(start_time=body.time)
    return await changes.apply(appointment_id, lambda appointment: appointment.reschedule(request))


@appointments_router.post("/{appointment_id}/complete", response_model=AppointmentResponse)
async def complete_appointment(
    appointment_id: uuid.UUID, changes: ChangesDep
) -> AppointmentResponse:
    return await changes.apply(appointment_id, lambda appointment: appointment.complete())


@appointments_router.post("/{appointment_id}/no-show", response_model=AppointmentResponse)
async def mark_no_show(appointment_id: uuid.UUID, changes: ChangesDep) -> AppointmentResponse:
    return await changes.apply(appointment_id, lambda appointment: appointment.mark_no_show())


async def change_through_workflow(
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    business_id: uuid.UUID,
    appointment_id: uuid.UUID,
    change: Change,
) -> AppointmentResponse:
    """Asks the appointment's workflow for `change` and answers the appointment as the
    workflow's activity left it.

    The checks read so far end their transaction first: the request holds no pooled
    connection while the workflow works, however long that takes.
    """
    await session.commit()
    await change(AppointmentCommands(temporal, settings, appointment_id, business_id))
    session.expire_all()  # the activity changed the rows in its own transaction
    return await _response(session, business_id, appointment_id)


async def _response(
    session: AsyncSession, business_id: uuid.UUID, appointment_id: uuid.UUID
) -> AppointmentResponse:
    appointment = await service.get_appointment(session, business_id, appointment_id)
    zone = (await business_service.get_business(session, business_id)).zone
    names = await business_service.staff_names(session, business_id)
    return AppointmentResponse.of(appointment, zone, names)
