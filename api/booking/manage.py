"""The customer's self-service: the signed link of the confirmation email shows, cancels
or reschedules one appointment, through the same workflow updates as the owner's API."""

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import Field

from api.booking.router import change_through_workflow
from api.booking.schemas import AppointmentResponse, RescheduleBody
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.schemas import StrictModel
from apptremind.booking import service
from apptremind.booking.exceptions import AppointmentNotFound, InvalidTransition
from apptremind.booking.manage_links import token_is_valid
from apptremind.booking.models import Appointment
from apptremind.booking.workflow_commands import Update
from apptremind.business import service as business_service
from workflows.appointment import AppointmentWorkflow, CancelRequest, RescheduleRequest

router = APIRouter(prefix="/public/appointments", tags=["customer self-service"])


class CustomerCancelBody(StrictModel):
    reason: str | None = Field(default=None, max_length=500)


class CustomerLink:
    """The appointment the link names. A wrong token answers exactly like an unknown id."""

    def __init__(
        self,
        appointment_id: uuid.UUID,
        token: Annotated[str, Query(max_length=128, description="from the confirmation email")],
        session: SessionDep,
        temporal: TemporalDep,
        settings: SettingsDep,
    ) -> None:
        self.appointment_id = appointment_id
        self.token = token
        self.session = session
        self.temporal = temporal
        self.settings = settings

    async def appointment(self) -> Appointment:
        if not token_is_valid(self.settings.jwt_secret, self.appointment_id, self.token):
            raise AppointmentNotFound()
        return await service.find_appointment(self.session, self.appointment_id)

    async def apply(self, update: Update) -> AppointmentResponse:
        appointment = await self.appointment()
        if appointment.start_time <= datetime.now(UTC):
            raise InvalidTransition("An appointment that has begun cannot be changed online")
        return await change_through_workflow(
            self.session,
            self.temporal,
            self.settings,
            appointment.business_id,
            appointment.id,
            update,
        )


LinkDep = Annotated[CustomerLink, Depends()]


@router.get("/{appointment_id}", response_model=AppointmentResponse)
async def show_appointment(link: LinkDep) -> AppointmentResponse:
    appointment = await link.appointment()
    business = await business_service.get_business(link.session, appointment.business_id)
    return AppointmentResponse.of(appointment, business.zone)


@router.post("/{appointment_id}/cancel", response_model=AppointmentResponse)
async def cancel_appointment(
    link: LinkDep, body: CustomerCancelBody | None = None
) -> AppointmentResponse:
    request = CancelRequest(reason=body.reason if body else None, cancelled_by="customer")
    return await link.apply(
        lambda handle: handle.execute_update(AppointmentWorkflow.cancel, request)
    )


@router.post("/{appointment_id}/reschedule", response_model=AppointmentResponse)
async def reschedule_appointment(link: LinkDep, body: RescheduleBody) -> AppointmentResponse:
    request = RescheduleRequest(start_time=body.time)
    return await link.apply(
        lambda handle: handle.execute_update(AppointmentWorkflow.reschedule, request)
    )
