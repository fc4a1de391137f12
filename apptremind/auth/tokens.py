"""Access tokens (JWT), password-reset tokens and sign-up confirmation tokens."""

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from pydantic import SecretStr

from apptremind.auth.exceptions import InvalidResetToken, InvalidSignUpToken, InvalidToken

ALGORITHM = "HS256"
# Who issues access tokens and for whom: a token signed with the same key for another purpose
# (or by another service sharing it) is not an access token to this API.
ISSUER = "apptremind"
AUDIENCE = "apptremind-api"
ROLES = ("owner", "admin", "staff")
RESET_TOKEN_REJECTED = "The reset token is invalid, used or expired"
SIGN_UP_TOKEN_REJECTED = (
    "This confirmation link is invalid, was already used or has expired; sign up again"
)


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    business_id: uuid.UUID
    role: str
    token_version: int = 0  # the account's when the token was issued

    @property
    def can_manage_business(self) -> bool:
        return self.role in ("owner", "admin")


def issue_access_token(principal: Principal, secret: str | SecretStr, expires_minutes: int) -> str:
    now = datetime.now(UTC)
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(principal.user_id),
        "business_id": str(principal.business_id),
        "role": principal.role,
        "ver": principal.token_version,
        "iat": now,
        "exp": now + timedelta(minutes=expires_minutes),
    }
    return jwt.encode(claims, _key(secret), algorithm=ALGORITHM)


def read_access_token(token: str, secret: str | SecretStr) -> Principal:
    """Validates signature (HS256 only, so `alg: none` is refused), expiry, issuer and
    audience."""
    try:
        claims = jwt.decode(
            token,
            _key(secret),
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            audience=AUDIENCE,
            options={"require": ["exp", "sub", "iss", "aud"]},
        )
        principal = Principal(
            user_id=uuid.UUID(claims["sub"]),
            business_id=uuid.UUID(claims["business_id"]),
            role=claims["role"],
            token_version=int(claims.get("ver", 0)),
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("The access token has expired") from exc
    except (jwt.PyJWTError, KeyError, ValueError, TypeError) as exc:
        raise InvalidToken("The access token is invalid") from exc
    if principal.role not in ROLES:
        raise InvalidToken("The access token is invalid")
    return principal


def password_reset_token(token_id: uuid.UUID, secret: str | SecretStr) -> str:
    """The token mailed to the user: its id plus a keyed MAC of the id.

    It is never stored nor put on the bus; the mailer derives it again from the id.
    """
    mac = hmac.new(_reset_key(secret), token_id.bytes, hashlib.sha256).digest()
    return f"{token_id.hex}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


def parse_password_reset_token(token: str, secret: str | SecretStr) -> uuid.UUID:
    """The token's id if its MAC is genuine."""
    try:
        token_id = uuid.UUID(hex=token.split(".", 1)[0])
    except ValueError as exc:
        raise InvalidResetToken(RESET_TOKEN_REJECTED) from exc
    expected = password_reset_token(token_id, secret).encode()
    if not hmac.compare_digest(expected, token.encode("utf-8", "surrogatepass")):
        raise InvalidResetToken(RESET_TOKEN_REJECTED)
    return token_id


def sign_up_token(sign_up_id: uuid.UUID, secret: str | SecretStr) -> str:
    """The token that confirms a sign-up, mailed to its address: the pending sign-up's id
    plus a keyed MAC of it (a key of its own: a reset token never confirms a sign-up).

    It is never stored nor put on the bus; the mailer derives it again from the id.
    """
    mac = hmac.new(_sign_up_key(secret), sign_up_id.bytes, hashlib.sha256).digest()
    return f"{sign_up_id.hex}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


def parse_sign_up_token(token: str, secret: str | SecretStr) -> uuid.UUID:
    """The pending sign-up's id if the token's MAC is genuine."""
    try:
        sign_up_id = uuid.UUID(hex=token.split(".", 1)[0])
    except ValueError as exc:
        raise InvalidSignUpToken(SIGN_UP_TOKEN_REJECTED) from exc
    expected = sign_up_token(sign_up_id, secret).encode()
    if not hmac.compare_digest(expected, token.encode("utf-8", "surrogatepass")):
        raise InvalidSignUpToken(SIGN_UP_TOKEN_REJECTED)
    return sign_up_id


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _key(secret: str | SecretStr) -> str:
    return secret.get_secret_value() if isinstance(secret, SecretStr) else secret


def _reset_key(secret: str | SecretStr) -> bytes:
    return hashlib.sha256(b"apptremind password reset\x00" + _key(secret).encode()).digest()


def _sign_up_key(secret: str | SecretStr) -> bytes:
    return hashlib.sha256(b"apptremind sign-up\x00" + _key(secret).encode()).digest()
