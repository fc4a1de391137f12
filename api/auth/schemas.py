import uuid
from typing import Literal

from pydantic import BaseModel, EmailStr, Field

from api.schemas import OneLine, StrictModel

Password = Field(min_length=8, max_length=128)


class RegisterRequest(StrictModel):
    email: EmailStr = Field(max_length=320)
    password: str = Password
    business_name: OneLine = Field(min_length=1, max_length=200)
    timezone: str = Field(default="UTC", max_length=64, examples=["Europe/Berlin"])
    currency: str = Field(
        default="EUR",
        max_length=3,
        examples=["EUR"],
        description="ISO 4217 code of the business's prices; can be changed in the profile",
    )


class SignUpAccepted(BaseModel):
    detail: str = "Check your email: a link to confirm your sign-up is on its way."


class SignUpConfirm(StrictModel):
    token: str = Field(min_length=1, max_length=200)


class RegisterResponse(BaseModel):
    user_id: uuid.UUID
    business_id: uuid.UUID
    access_token: str
    token_type: Literal["bearer"] = "bearer"


class LoginRequest(StrictModel):
    email: EmailStr = Field(max_length=320)
    password: str = Field(max_length=128)


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class PasswordResetRequest(StrictModel):
    email: EmailStr = Field(max_length=320)


class PasswordResetAccepted(BaseModel):
    detail: str = "If the account exists, a reset link is on its way."


class PasswordResetConfirm(StrictModel):
    token: str = Field(min_length=1, max_length=200)
    new_password: str = Password


class CreateLoginRequest(StrictModel):
    email: EmailStr = Field(max_length=320)
    password: str = Password
    role: Literal["staff", "admin"] = "staff"


class UpdateLoginRequest(StrictModel):
    """Any of the fields; an absent (or null) field stays as it is."""

    role: Literal["owner", "admin", "staff"] | None = Field(
        default=None, description="only an owner may make a login an owner or change an owner"
    )
    is_active: bool | None = Field(
        default=None, description="false ends the login's sessions at once; true reactivates it"
    )


class UserResponse(BaseModel):
    id: uuid.UUID
    business_id: uuid.UUID
    email: str
    role: str
    is_active: bool
