import uuid
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api.booking.schemas import (
    AppointmentResponse,
    AppointmentStatus,
    BookingRequest,
    BookingResponse,
    RescheduleBody,
    SlotResponse,
    SlotsResponse,
)
from api.deps import PrincipalDep, SessionDep, SettingsDep, TemporalDep
from apptremind.booking import service
from apptremind.booking.workflow_commands import Update, run_update
from apptremind.business import service as business_service
from apptremind.settings import Settings
from workflows.appointment import AppointmentWorkflow, CancelRequest, RescheduleRequest

public_router = APIRouter(prefix="/public", tags=["public booking"])
appointments_router = APIRouter(prefix="/appointments", tags=["appointments"])


@public_router.get("/slots", response_model=SlotsResponse)
async def list_slots(
    staff_id: uuid.UUID,
    service_id: uuid.UUID,
    date: Annotated[date, Query(description="a calendar day in the business's timezone")],
    session: SessionDep,
) -> SlotsResponse:
    context = await service.booking_context(session, staff_id, service_id, date, date)
    slots = await service.slots_on(session, context, date, datetime.now(UTC))
    return SlotsResponse(
        date=date,
        timezone=context.business.timezone,
        slots=[SlotResponse(start=s.start, end=s.end) for s in slots],
    )


@public_router.post("/book", status_code=status.HTTP_201_CREATED, response_model=BookingResponse)
async def book(body: BookingRequest, session: SessionDep) -> BookingResponse:
    appointment = await service.book(
        session,
        body.staff_id,
        body.service_id,
        body.time,
        service.Customer(
            name=body.customer_info.name,
            email=str(body.customer_info.email).lower() if body.customer_info.email else None,
            phone=body.customer_info.phone,
        ),
        datetime.now(UTC),
    )
    return BookingResponse.of(appointment)


@appointments_router.get("", response_model=list[AppointmentResponse])
async def list_appointments(
    principal: PrincipalDep,
    session: SessionDep,
    response: Response,
    start_from: Annotated[datetime | None, Query(alias="from")] = None,
    start_to: Annotated[datetime | None, Query(alias="to")] = None,
    staff_id: uuid.UUID | None = None,
    status: AppointmentStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
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
    return [AppointmentResponse.of(a, zone) for a in appointments]


@appointments_router.get("/{appointment_id}", response_model=AppointmentResponse)
async def get_appointment(
    appointment_id: uuid.UUID, principal: PrincipalDep, session: SessionDep
) -> AppointmentResponse:
    return await _response(session, principal.business_id, appointment_id)


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

    async def apply(self, appointment_id: uuid.UUID, update: Update) -> AppointmentResponse:
        business_id = self.principal.business_id
        await service.get_appointment(self.session, business_id, appointment_id)  # 404 if not ours
        return await change_through_workflow(
            self.session, self.temporal, self.settings, business_id, appointment_id, update
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
    return await changes.apply(
        appointment_id, lambda handle: handle.execute_update(AppointmentWorkflow.cancel, request)
    )


@appointments_router.post("/{appointment_id}/reschedule", response_model=AppointmentResponse)
async def reschedule_appointment(
    appointment_id: uuid.UUID, body: RescheduleBody, changes: ChangesDep
) -> AppointmentResponse:
    request = RescheduleRequest(start_time=body.time)
    return await changes.apply(
        appointment_id,
        lambda handle: handle.execute_update(AppointmentWorkflow.reschedule, request),
    )


@appointments_router.post("/{appointment_id}/complete", response_model=AppointmentResponse)
async def complete_appointment(
    appointment_id: uuid.UUID, changes: ChangesDep
) -> AppointmentResponse:
    return await changes.apply(
        appointment_id, lambda handle: handle.execute_update(AppointmentWorkflow.complete)
    )


@appointments_router.post("/{appointment_id}/no-show", response_model=AppointmentResponse)
async def mark_no_show(appointment_id: uuid.UUID, changes: ChangesDep) -> AppointmentResponse:
    return await changes.apply(
        appointment_id, lambda handle: handle.execute_update(AppointmentWorkflow.no_show)
    )


async def change_through_workflow(
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    business_id: uuid.UUID,
    appointment_id: uuid.UUID,
    update: Update,
) -> AppointmentResponse:
    """Runs `update` on the appointment's workflow and answers the appointment as the
    workflow's activity left it."""
    await run_update(temporal, settings, appointment_id, business_id, update)
    session.expire_all()  # the activity changed the rows in its own transaction
    return await _response(session, business_id, appointment_id)


async def _response(
    session: AsyncSession, business_id: uuid.UUID, appointment_id: uuid.UUID
) -> AppointmentResponse:
    appointment = await service.get_appointment(session, business_id, appointment_id)
    zone = (await business_service.get_business(session, business_id)).zone
    return AppointmentResponse.of(appointment, zone)
