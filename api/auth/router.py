import uuid

from fastapi import APIRouter, Response, status

from api.auth.schemas import (
    CreateLoginRequest,
    LoginRequest,
    PasswordResetAccepted,
    PasswordResetConfirm,
    PasswordResetRequest,
    RegisterRequest,
    RegisterResponse,
    SignUpAccepted,
    SignUpConfirm,
    TokenResponse,
    UpdateLoginRequest,
    UserResponse,
)
from api.deps import ManagerDep, OwnerDep, PrincipalDep, SessionDep, SettingsDep
from apptremind.auth import service
from apptremind.auth.tokens import issue_access_token

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/register", status_code=status.HTTP_202_ACCEPTED, response_model=SignUpAccepted)
async def register(
    body: RegisterRequest, session: SessionDep, settings: SettingsDep
) -> SignUpAccepted:
    """Starts a sign-up: the address gets an email with a link that confirms it (valid for
    24 hours), or, when it already has an account, an email saying so. The answer is the same
    either way."""
    await service.request_sign_up(
        session,
        email=body.email,
        password=body.password,
        business_name=body.business_name,
        timezone=body.timezone,
        currency=body.currency,
        secret=settings.jwt_secret,
    )
    return SignUpAccepted()


@router.post(
    "/register/confirm", status_code=status.HTTP_201_CREATED, response_model=RegisterResponse
)
async def confirm_registration(
    body: SignUpConfirm, session: SessionDep, settings: SettingsDep
) -> RegisterResponse:
    """Confirms a sign-up with the token from its email: creates the owner's login and the
    business, and signs the owner in. 400 when the link is invalid, used or expired, or its
    address got an account meanwhile."""
    user, business = await service.confirm_sign_up(session, body.token, settings.jwt_secret)
    token = issue_access_token(
        service.principal_of(user), settings.jwt_secret, settings.jwt_expires_minutes
    )
    return RegisterResponse(user_id=user.id, business_id=business.id, access_token=token)


@router.post("/login", response_model=TokenResponse)
async def login(body: LoginRequest, session: SessionDep, settings: SettingsDep) -> TokenResponse:
    user = await service.authenticate(session, body.email, body.password)
    token = issue_access_token(
        service.principal_of(user), settings.jwt_secret, settings.jwt_expires_minutes
    )
    return TokenResponse(access_token=token, expires_in=settings.jwt_expires_minutes * 60)


@router.post(
    "/password-reset", status_code=status.HTTP_202_ACCEPTED, response_model=PasswordResetAccepted
)
async def request_password_reset(
    body: PasswordResetRequest, session: SessionDep, settings: SettingsDep
) -> PasswordResetAccepted:
    await service.request_password_reset(
        session, body.email, settings.jwt_secret, settings.password_reset_limit_per_account
    )
    return PasswordResetAccepted()


@router.post("/password-reset/confirm", status_code=status.HTTP_204_NO_CONTENT)
async def confirm_password_reset(
    body: PasswordResetConfirm, session: SessionDep, settings: SettingsDep
) -> Response:
    await service.confirm_password_reset(
        session, body.token, body.new_password, settings.jwt_secret
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", response_model=UserResponse)
async def me(principal: PrincipalDep, session: SessionDep) -> UserResponse:
    user = await service.get_active_user(session, principal.user_id)
    return UserResponse.model_validate(user, from_attributes=True)


@router.post("/users", status_code=status.HTTP_201_CREATED, response_model=UserResponse)
async def create_login(
    body: CreateLoginRequest, principal: OwnerDep, session: SessionDep
) -> UserResponse:
    user = await service.create_login(
        session, principal.business_id, email=body.email, password=body.password, role=body.role
    )
    return UserResponse.model_validate(user, from_attributes=True)


@router.get("/users", response_model=list[UserResponse])
async def list_logins(principal: ManagerDep, session: SessionDep) -> list[UserResponse]:
    users = await service.list_logins(session, principal.business_id)
    return [UserResponse.model_validate(user, from_attributes=True) for user in users]


@router.patch("/users/{user_id}", response_model=UserResponse)
async def update_login(
    user_id: uuid.UUID, body: UpdateLoginRequest, principal: ManagerDep, session: SessionDep
) -> UserResponse:
    """Changes a login's role or (de)activates it (owner or admin; only an owner touches an
    owner). A demoted or deactivated login's open sessions end at once (401)."""
    user = await service.update_login(
        session, principal, user_id, role=body.role, is_active=body.is_active
    )
    return UserResponse.model_validate(user, from_attributes=True)


@router.delete("/users/{user_id}", response_model=UserResponse)
async def deactivate_login(
    user_id: uuid.UUID, principal: ManagerDep, session: SessionDep
) -> UserResponse:
    """Deactivates the login (kept, listed, reactivable with PATCH is_active=true) and ends
    its sessions; answers the login as it now is. Repeating it changes nothing."""
    user = await service.update_login(session, principal, user_id, is_active=False)
    return UserResponse.model_validate(user, from_attributes=True)
