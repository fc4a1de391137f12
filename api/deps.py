"""Request dependencies: the unit of work, settings and the caller's identity."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from apptremind.auth import service as auth_service
from apptremind.auth.exceptions import InvalidToken, NotAllowed
from apptremind.auth.tokens import Principal, read_access_token
from apptremind.db import unit_of_work
from apptremind.errors import ServiceUnavailable
from apptremind.settings import Settings
from apptremind.temporal.client import Client, connect_temporal


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# Dependencies that never wait are still `async def`: FastAPI runs a plain `def` dependency
# on its thread pool, two thread hand-offs per request for a dictionary lookup.
async def get_settings(request: Request) -> Settings:
    return settings_of(request)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One request, one transaction, committed before the response is sent."""
    async with unit_of_work(request.app.state.sessionmaker) as session:
        yield session


async def get_temporal(request: Request) -> Client:
    """One Temporal client per app, connected on first use."""
    state = request.app.state
    if state.temporal is None:
        try:
            state.temporal = await connect_temporal(state.settings)
        except RuntimeError as exc:
            raise ServiceUnavailable("The scheduler is unreachable; try again shortly") from exc
    client: Client = state.temporal
    return client


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]

_bearer = HTTPBearer(auto_error=False, description="The access token from /auth/login")


async def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    session: SessionDep,
) -> Principal:
    """The caller, checked against the account itself: a token outlives neither the account
    nor a password reset, and the role is the account's current one."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise InvalidToken("A bearer access token is required")
    claimed = read_access_token(credentials.credentials, settings_of(request).jwt_secret)
    return await auth_service.current_principal(session, claimed)


async def get_manager(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    if not principal.can_manage_business:
        raise NotAllowed("Only the business's owner or an admin can change this")
    return principal


async def get_owner(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    if principal.role != "owner":
        raise NotAllowed("Only the business's owner can do this")
    return principal


SettingsDep = Annotated[Settings, Depends(get_settings)]
TemporalDep = Annotated[Client, Depends(get_temporal)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
ManagerDep = Annotated[Principal, Depends(get_manager)]
OwnerDep = Annotated[Principal, Depends(get_owner)]
