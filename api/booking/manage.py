"""The customer's self-service: the signed link of the confirmation email shows, cancels
or reschedules one appointment, through the same workflow updates as the owner's API, and
downloads it as a calendar file."""

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import Field

from api.booking.free_times import (
    LocalDay,
    RangeEnd,
    RangeStart,
    availability_response,
    slots_response,
)
from api.booking.schemas import (
    AvailabilityResponse,
    CustomerAppointmentResponse,
    RescheduleBody,
    SlotsResponse,
)
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.schemas import StrictModel
from apptremind.booking import reminder_delivery, service
from apptremind.booking.contracts import AppointmentStatus, CancelRequest, RescheduleRequest
from apptremind.booking.exceptions import AppointmentNotFound, InvalidTransition
from apptremind.booking.manage_links import token_is_valid
from apptremind.booking.models import Appointment
from apptremind.business import service as business_service
from apptremind.temporal.appointments import AppointmentCommands, Change

router = APIRouter(prefix="/public/appointments", tags=["customer self-service"])


class CustomerCancelBody(StrictModel):
    reason: str | None = Field(default=None, max_length=500)


class CustomerLink:
    """The appointment the link names. A wrong or expired token answers exactly like an
    unknown id, and so does a link to an appointment that is over: once it is closed
    (cancelled, completed, no-show) and past, the link no longer shows the customer's data."""

    def __init__(
        self,
        appointment_id: uuid.UUID,
        token: Annotated[str, Query(max_length=128, description="from the confirmation email")],
        session: SessionDep,
        settings: SettingsDep,
    ) -> None:
        self.appointment_id = appointment_id
        self.token = token
        self.session = session
        self.settings = settings

    async def appointment(self) -> Appointment:
        appointment = await service.find_appointment(self.session, self.appointment_id)
        now = datetime.now(UTC)
        if not token_is_valid(
            self.settings, appointment.id, self.token, appointment.end_time, now
        ) or (appointment.status != AppointmentStatus.BOOKED and appointment.end_time <= now):
            raise AppointmentNotFound()
        return appointment

    async def response(self, appointment: Appointment) -> CustomerAppointmentResponse:
        host = await business_service.appointment_host(
            self.session, appointment.business_id, appointment.staff_id
        )
        return CustomerAppointmentResponse.of(appointment, host)

    async def apply(self, temporal: TemporalDep, change: Change) -> CustomerAppointmentResponse:
        appointment = await self.appointment()
        if appointment.start_time <= datetime.now(UTC):
            raise InvalidTransition("An appointment that has begun cannot be changed online")
        appointment_id, business_id = appointment.id, appointment.business_id
        await change(AppointmentCommands(temporal, self.settings, appointment_id, business_id))
        self.session.expire_all()  # the workflow's activity changed the rows in its own transaction
        return await self.response(await service.find_appointment(self.session, appointment_id))


LinkDep = Annotated[CustomerLink, Depends()]


@router.get("/{appointment_id}", response_model=CustomerAppointmentResponse)
async def show_appointment(link: LinkDep) -> CustomerAppointmentResponse:
    return await link.response(await link.appointment())


@router.get("/{appointment_id}/slots", response_model=SlotsResponse)
async def list_reschedule_slots(link: LinkDep, date: LocalDay) -> SlotsResponse:
    """The free times of one day to move the appointment to: its service (also when the
    business archived it since) with its staff member, as `GET /public/slots` answers them."""
    appointment = await link.appointment()
    return await slots_response(
        link.session, appointment.service_id, appointment.staff_id, date, include_archived=True
    )


@router.get("/{appointment_id}/availability", response_model=AvailabilityResponse)
async def list_reschedule_days(
    link: LinkDep, first: RangeStart, last: RangeEnd
) -> AvailabilityResponse:
    """The days with a free time to move the appointment to: its service (also when archived
    since) with its staff member, as `GET /public/availability` answers them."""
    appointment = await link.appointment()
    return await availability_response(
        link.session,
        appointment.service_id,
        appointment.staff_id,
        first,
        last,
        include_archived=True,
    )


@router.get(
    "/{appointment_id}/calendar.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}, "description": "an iCalendar file"}},
)
async def download_calendar_file(link: LinkDep) -> Response:
    appointment = await link.appointment()
    invitation = await reminder_delivery.calendar_invitation(
        link.session, appointment, link.settings, datetime.now(UTC)
    )
    return Response(
        invitation.data,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="appointment.ics"'},
    )


@router.post("/{appointment_id}/cancel", response_model=CustomerAppointmentResponse)
async def cancel_appointment(
    link: LinkDep, temporal: TemporalDep, body: CustomerCancelBody | None = None
) -> CustomerAppointmentResponse:
    request = CancelRequest(reason=body.reason if body else None, cancelled_by="customer")
    return await link.apply(temporal, lambda appointment: appointment.cancel(request))


@router.post("/{appointment_id}/reschedule", response_model=CustomerAppointmentResponse)
async def reschedule_appointment(
    link: LinkDep, temporal: TemporalDep, body: RescheduleBody
) -> CustomerAppointmentResponse:
    request = RescheduleRequest(start_time=body.time)
    return await link.apply(temporal, lambda appointment: appointment.reschedule(request))
