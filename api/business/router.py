import uuid
from datetime import date
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from api.business.schemas import (
    DateOverrideRequest,
    DateOverrideResponse,
    ProfileResponse,
    ProfileUpdate,
    ServiceCreate,
    ServiceResponse,
    ServiceUpdate,
    StaffCreate,
    StaffResponse,
    StaffUpdate,
)
from api.deps import ManagerDep, PrincipalDep, SessionDep
from apptremind.business import service

router = APIRouter(prefix="/business", tags=["business"])


@router.get("/profile", response_model=ProfileResponse)
async def get_profile(principal: PrincipalDep, session: SessionDep) -> ProfileResponse:
    business = await service.get_business(session, principal.business_id)
    return ProfileResponse.of(business)


@router.patch("/profile", response_model=ProfileResponse)
async def update_profile(
    body: ProfileUpdate, principal: ManagerDep, session: SessionDep
) -> ProfileResponse:
    business = await service.update_profile(
        session, principal.business_id, body.model_dump(exclude_unset=True)
    )
    return ProfileResponse.of(business)


async def _zone(session: AsyncSession, business_id: uuid.UUID) -> ZoneInfo:
    return (await service.get_business(session, business_id)).zone


@router.get("/services", response_model=list[ServiceResponse])
async def list_services(
    principal: PrincipalDep,
    session: SessionDep,
    include_archived: Annotated[
        bool, Query(description="true: the archived services too, after the offered ones")
    ] = False,
) -> list[ServiceResponse]:
    services = await service.list_services(
        session, principal.business_id, include_archived=include_archived
    )
    zone = await _zone(session, principal.business_id)
    return [ServiceResponse.of(s, zone) for s in services]


@router.post("/services", status_code=status.HTTP_201_CREATED, response_model=ServiceResponse)
async def create_service(
    body: ServiceCreate, principal: ManagerDep, session: SessionDep
) -> ServiceResponse:
    created = await service.create_service(session, principal.business_id, **body.model_dump())
    return ServiceResponse.of(created, await _zone(session, principal.business_id))


@router.get("/services/{service_id}", response_model=ServiceResponse)
async def get_service(
    service_id: uuid.UUID, principal: PrincipalDep, session: SessionDep
) -> ServiceResponse:
    found = await service.get_service(session, principal.business_id, service_id)
    return ServiceResponse.of(found, await _zone(session, principal.business_id))


@router.patch("/services/{service_id}", response_model=ServiceResponse)
async def update_service(
    service_id: uuid.UUID, body: ServiceUpdate, principal: ManagerDep, session: SessionDep
) -> ServiceResponse:
    updated = await service.update_service(
        session, principal.business_id, service_id, body.model_dump(exclude_unset=True)
    )
    return ServiceResponse.of(updated, await _zone(session, principal.business_id))


@router.delete("/services/{service_id}", status_code=status.HTTP_204_NO_CONTENT)
async def archive_service(
    service_id: uuid.UUID, principal: ManagerDep, session: SessionDep
) -> Response:
    """Archives the service (it is not deleted): customers no longer see or book it, its
    appointments stay, `PATCH {"archived": false}` restores it. Repeating it answers 204."""
    await service.archive_service(session, principal.business_id, service_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/staff", response_model=list[StaffResponse])
async def list_staff(principal: PrincipalDep, session: SessionDep) -> list[StaffResponse]:
    return [StaffResponse.of(s) for s in await service.list_staff(session, principal.business_id)]


@router.post("/staff", status_code=status.HTTP_201_CREATED, response_model=StaffResponse)
async def create_staff(
    body: StaffCreate, principal: ManagerDep, session: SessionDep
) -> StaffResponse:
    staff = await service.create_staff(
        session,
        principal.business_id,
        name=body.name,
        is_active=body.is_active,
        working_hours=body.intervals(),
    )
    return StaffResponse.of(staff)


@router.get("/staff/{staff_id}", response_model=StaffResponse)
async def get_staff(
    staff_id: uuid.UUID, principal: PrincipalDep, session: SessionDep
) -> StaffResponse:
    return StaffResponse.of(await service.get_staff(session, principal.business_id, staff_id))


@router.patch("/staff/{staff_id}", response_model=StaffResponse)
async def update_staff(
    staff_id: uuid.UUID, body: StaffUpdate, principal: ManagerDep, session: SessionDep
) -> StaffResponse:
    hours = body.working_hours
    staff = await service.update_staff(
        session,
        principal.business_id,
        staff_id,
        name=body.name,
        is_active=body.is_active,
        working_hours=[item.interval() for item in hours] if hours is not None else None,
    )
    return StaffResponse.of(staff)


@router.delete("/staff/{staff_id}", status_code=status.HTTP_204_NO_CONTENT)
async def deactivate_staff(
    staff_id: uuid.UUID, principal: ManagerDep, session: SessionDep
) -> Response:
    await service.deactivate_staff(session, principal.business_id, staff_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/staff/{staff_id}/overrides", response_model=list[DateOverrideResponse])
async def list_date_overrides(
    staff_id: uuid.UUID,
    principal: PrincipalDep,
    session: SessionDep,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
) -> list[DateOverrideResponse]:
    overrides = await service.list_date_overrides(
        session, principal.business_id, staff_id, start, end
    )
    return [DateOverrideResponse.of(o) for o in overrides]


@router.put("/staff/{staff_id}/overrides/{day}", response_model=DateOverrideResponse)
async def set_date_override(
    staff_id: uuid.UUID,
    day: date,
    body: DateOverrideRequest,
    principal: ManagerDep,
    session: SessionDep,
) -> DateOverrideResponse:
    override = await service.set_date_override(
        session, principal.business_id, staff_id, day, body.intervals(day)
    )
    return DateOverrideResponse.of(override)


@router.delete("/staff/{staff_id}/overrides/{day}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_date_override(
    staff_id: uuid.UUID, day: date, principal: ManagerDep, session: SessionDep
) -> Response:
    await service.delete_date_override(session, principal.business_id, staff_id, day)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
