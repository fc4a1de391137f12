"""Accounts: sign-up with email confirmation, login, staff logins and password reset."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from apptremind import events
from apptremind.auth.exceptions import (
    EmailTaken,
    InvalidCredentials,
    InvalidResetToken,
    InvalidSignUpToken,
    InvalidToken,
    LockoutRefused,
    LoginDeactivated,
    LoginNotFound,
    NotAllowed,
)
from apptremind.auth.models import PasswordResetToken, PendingSignUp, User
from apptremind.auth.passwords import hash_password, verify_password
from apptremind.auth.repository import (
    PasswordResetRepository,
    PendingSignUpRepository,
    UserRepository,
)
from apptremind.auth.tokens import (
    RESET_TOKEN_REJECTED,
    SIGN_UP_TOKEN_REJECTED,
    Principal,
    hash_token,
    parse_password_reset_token,
    parse_sign_up_token,
    password_reset_token,
    sign_up_token,
)
from apptremind.business import service as business_service
from apptremind.business.models import Business
from apptremind.currencies import DEFAULT_CURRENCY
from apptremind.outbox.service import emit

RESET_TOKEN_TTL = timedelta(hours=1)
RESET_THROTTLE_WINDOW = timedelta(hours=1)
SIGN_UP_TOKEN_TTL = timedelta(hours=24)
SIGN_UP_THROTTLE_WINDOW = timedelta(hours=1)
SIGN_UP_EMAILS_PER_HOUR = 3


@dataclass(frozen=True)
class PasswordResetDelivery:
    """What the mailer needs to send a reset email; the raw token exists only here."""

    email: str
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class SignUpDelivery:
    """What the mailer needs for a sign-up's email; the raw token exists only here.

    `has_account` is decided when the email is sent: an address that has an account by then
    is told so instead of getting a link that could not create a second one.
    """

    email: str
    token: str
    expires_at: datetime
    has_account: bool


def principal_of(user: User) -> Principal:
    return Principal(
        user_id=user.id,
        business_id=user.business_id,
        role=user.role,
        token_version=user.token_version,
    )


async def current_principal(session: AsyncSession, claimed: Principal) -> Principal:
    """The caller as the account is now, if the token is still good for it: the account
    exists, is active and has not reset its password since the token was issued."""
    user = await UserRepository(session).get(claimed.user_id)
    if user is None or not user.is_active:
        raise InvalidToken("The account of this token no longer exists")
    if user.token_version != claimed.token_version:
        raise InvalidToken("The access token was revoked; log in again")
    return principal_of(user)


async def request_sign_up(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    business_name: str,
    timezone: str,
    secret: str | SecretStr,
    currency: str = DEFAULT_CURRENCY,
) -> str | None:
    """Stores a pending sign-up and asks for its email (`user.sign_up_requested`); returns
    the raw token that confirms it, which the caller must not keep, or None when the address
    already asked for `SIGN_UP_EMAILS_PER_HOUR` sign-ups within the hour (nobody can flood
    an inbox with them).

    Whether the address already has an account is not looked at here: the answer and the
    work (the password is hashed either way) are the same, so neither tells who has an
    account. The email, sent later, says which it is.
    """
    stored = await store_sign_up(
        session,
        email=email,
        password=password,
        business_name=business_name,
        timezone=timezone,
        secret=secret,
        currency=currency,
    )
    if stored is None:
        return None
    sign_up_id, token = stored
    # No business exists yet: the sign-up's own id keys the event.
    await emit(session, events.SignUpRequested(email=email.lower(), sign_up_id=sign_up_id))
    return token


async def store_sign_up(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    business_name: str,
    timezone: str,
    secret: str | SecretStr,
    currency: str = DEFAULT_CURRENCY,
) -> tuple[uuid.UUID, str] | None:
    """The pending sign-up alone, with its id and raw token, asking for no email: for a
    caller that hands the token over itself. None when the address is throttled."""
    business_service.check_timezone(timezone)
    business_service.check_currency(currency)
    email = email.lower()
    password_hash = await hash_password(password)
    pending = PendingSignUpRepository(session)
    since = datetime.now(UTC) - SIGN_UP_THROTTLE_WINDOW
    if await pending.count_for_email_since(email, since) >= SIGN_UP_EMAILS_PER_HOUR:
        return None
    sign_up_id = uuid.uuid4()
    token = sign_up_token(sign_up_id, secret)
    await pending.add(
        PendingSignUp(
            id=sign_up_id,
            email=email,
            password_hash=password_hash,
            business_name=business_name,
            timezone=timezone,
            currency=currency,
            token_hash=hash_token(token),
            expires_at=datetime.now(UTC) + SIGN_UP_TOKEN_TTL,
        )
    )
    return sign_up_id, token


async def sign_up_delivery(
    session: AsyncSession, sign_up_id: uuid.UUID, secret: str | SecretStr
) -> SignUpDelivery | None:
    """The email to send for a sign-up, or None when it was confirmed or has expired."""
    stored = await PendingSignUpRepository(session).get(sign_up_id)
    if stored is None or stored.used_at is not None or stored.expires_at <= datetime.now(UTC):
        return None
    return SignUpDelivery(
        email=stored.email,
        token=sign_up_token(sign_up_id, secret),
        expires_at=stored.expires_at,
        has_account=await UserRepository(session).email_exists(stored.email),
    )


async def confirm_sign_up(
    session: AsyncSession, token: str, secret: str | SecretStr
) -> tuple[User, Business]:
    """Creates the owner's login and the business of a pending sign-up, in the caller's
    transaction. Refused (400, one message for all): a token that is not ours, used or
    expired, or whose address got an account since it was mailed."""
    if not token.isascii():  # never a token of ours; compared as text it would raise
        raise InvalidSignUpToken(SIGN_UP_TOKEN_REJECTED)
    sign_up_id = parse_sign_up_token(token, secret)
    pending = PendingSignUpRepository(session)
    peek = await pending.get(sign_up_id)
    if peek is None:
        raise InvalidSignUpToken(SIGN_UP_TOKEN_REJECTED)
    await pending.lock_email(peek.email)
    stored = await pending.get_for_update(sign_up_id)
    now = datetime.now(UTC)
    if (
        stored is None
        or stored.token_hash != hash_token(token)
        or stored.used_at is not None
        or stored.expires_at <= now
        or await UserRepository(session).email_exists(stored.email)
    ):
        raise InvalidSignUpToken(SIGN_UP_TOKEN_REJECTED)
    # One confirmed sign-up retires every other link mailed to the address.
    await pending.use_all_for_email(stored.email, now)
    business = await business_service.create_business(
        session, stored.business_name, stored.timezone, stored.currency
    )
    user = await _add_user(session, business.id, stored.email, stored.password_hash, "owner")
    return user, business


async def create_login(
    session: AsyncSession, business_id: uuid.UUID, *, email: str, password: str, role: str
) -> User:
    """A further login for the business (staff or admin), created by its owner."""
    return await _create_user(session, business_id, email, password, role)


async def list_logins(session: AsyncSession, business_id: uuid.UUID) -> list[User]:
    return await UserRepository(session).list_for_business(business_id)


async def update_login(
    session: AsyncSession,
    actor: Principal,
    user_id: uuid.UUID,
    *,
    role: str | None = None,
    is_active: bool | None = None,
) -> User:
    """Changes a login's role or deactivates / reactivates it, for an owner or admin of the
    same business. A demoted or deactivated login loses access at once: its token version is
    raised, so every access token issued before stops working (a later reactivation does not
    bring them back).

    Refused: another business's login (404); an admin changing an owner or making one (403);
    changing one's own role or deactivating oneself (409); leaving the business without an
    active owner (409).
    """
    logins = await UserRepository(session).lock_business_logins(actor.business_id)
    by_id = {login.id: login for login in logins}
    me = by_id.get(actor.user_id)
    if me is None or not me.is_active or me.role not in ("owner", "admin"):
        raise NotAllowed("Only the business's owner or an admin can change logins")
    target = by_id.get(user_id)
    if target is None:
        raise LoginNotFound("No such login in this business")
    new_role = role if role is not None else target.role
    new_active = is_active if is_active is not None else target.is_active
    role_changes, deactivates = new_role != target.role, target.is_active and not new_active
    if target.id == me.id and (role_changes or deactivates):
        raise LockoutRefused(
            "You cannot change the role of your own login or deactivate it; "
            "ask another owner to do it"
        )
    if me.role != "owner" and (target.role == "owner" or new_role == "owner"):
        raise NotAllowed("Only an owner can change an owner's login or make a login an owner")
    if target.role == "owner" and target.is_active and (new_role != "owner" or not new_active):
        other_owners = [
            login
            for login in logins
            if login.id != target.id and login.role == "owner" and login.is_active
        ]
        if not other_owners:
            raise LockoutRefused("The business must keep at least one active owner")
    if role_changes or deactivates:
        target.token_version += 1  # its open sessions end with their next request
    target.role = new_role
    target.is_active = new_active
    await session.flush()
    return target


async def get_active_user(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await UserRepository(session).get(user_id)
    if user is None or not user.is_active:
        raise InvalidToken("The account of this token no longer exists")
    return user


async def authenticate(session: AsyncSession, email: str, password: str) -> User:
    user = await UserRepository(session).get_by_email(email)
    valid = await verify_password(user.password_hash if user else None, password)
    if user is None or not valid:
        raise InvalidCredentials("Email or password is wrong")
    if not user.is_active:
        # Said only to whoever knows the password: no one learns which emails have logins.
        raise LoginDeactivated(
            "This login has been deactivated; ask the business's owner to reactivate it"
        )
    return user


async def request_password_reset(
    session: AsyncSession, email: str, secret: str | SecretStr, limit_per_hour: int = 3
) -> None:
    """Issues a reset token for a known, active account, at most `limit_per_hour` an hour
    (nobody can flood an inbox with reset emails); says nothing either way.

    An unknown email does the same reads as a known one, so the answer's timing tells as
    little as the answer.
    """
    user = await UserRepository(session).get_by_email(email)
    known = user is not None and user.is_active
    resets = PasswordResetRepository(session)
    since = datetime.now(UTC) - RESET_THROTTLE_WINDOW
    issued = await resets.count_issued_since(user.id if user and known else uuid.uuid4(), since)
    if user is None or not known or issued >= limit_per_hour:
        return
    token_id = uuid.uuid4()
    await resets.add(
        PasswordResetToken(
            id=token_id,
            user_id=user.id,
            token_hash=hash_token(password_reset_token(token_id, secret)),
            expires_at=datetime.now(UTC) + RESET_TOKEN_TTL,
        )
    )
    await emit(
        session,
        events.PasswordResetRequested(email=user.email, token_id=token_id),
        key=user.business_id,
    )


async def password_reset_delivery(
    session: AsyncSession, token_id: uuid.UUID, secret: str | SecretStr
) -> PasswordResetDelivery | None:
    """The email to send for a reset request, or None when the token is used or expired."""
    token = await PasswordResetRepository(session).get(token_id)
    if token is None or token.used_at is not None or token.expires_at <= datetime.now(UTC):
        return None
    user = await UserRepository(session).get(token.user_id)
    if user is None or not user.is_active:
        return None
    return PasswordResetDelivery(
        email=user.email,
        token=password_reset_token(token_id, secret),
        expires_at=token.expires_at,
    )


async def confirm_password_reset(
    session: AsyncSession, token: str, new_password: str, secret: str | SecretStr
) -> None:
    if not token.isascii():  # never a token of ours; compared as text it would raise
        raise InvalidResetToken(RESET_TOKEN_REJECTED)
    token_id = parse_password_reset_token(token, secret)
    resets = PasswordResetRepository(session)
    stored = await resets.get_for_update(token_id)
    now = datetime.now(UTC)
    if (
        stored is None
        or stored.token_hash != hash_token(token)
        or stored.used_at is not None
        or stored.expires_at <= now
    ):
        raise InvalidResetToken(RESET_TOKEN_REJECTED)
    user = await UserRepository(session).get(stored.user_id)
    if user is None or not user.is_active:
        raise InvalidResetToken(RESET_TOKEN_REJECTED)
    user.password_hash = await hash_password(new_password)
    user.token_version += 1  # every access token issued before the reset stops working
    # Using one token retires every other outstanding token of the account.
    await resets.use_all_for_user(user.id, now)
    await session.flush()


async def _create_user(
    session: AsyncSession, business_id: uuid.UUID, email: str, password: str, role: str
) -> User:
    if await UserRepository(session).email_exists(email):
        raise EmailTaken(f"An account with the email {email} already exists")
    return await _add_user(session, business_id, email, await hash_password(password), role)


async def _add_user(
    session: AsyncSession, business_id: uuid.UUID, email: str, password_hash: str, role: str
) -> User:
    user = await UserRepository(session).add(
        User(business_id=business_id, email=email.lower(), password_hash=password_hash, role=role)
    )
    await emit(
        session,
        events.UserCreated(user_id=user.id, email=user.email, role=role, business_id=business_id),
    )
    return user
