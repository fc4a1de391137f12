"""What crosses the Temporal boundary for customer and account messages: the inputs and
results of the email workflows and of the send activities.

Pydantic and the standard library only: workflow code imports this module through the
sandbox, and nothing here may bring in the database, a provider or a service.
"""

import uuid
from enum import StrEnum

from pydantic import BaseModel

# The ApplicationError type of a send the provider refused for good: not retried.
PERMANENT_FAILURE = "PermanentDeliveryError"


class AppointmentChange(StrEnum):
    """A change the customer is told of by email."""

    CANCELLED = "cancelled"
    RESCHEDULED = "rescheduled"


class ReminderRef(BaseModel):
    reminder_id: uuid.UUID


class ConfirmationRef(BaseModel):
    appointment_id: uuid.UUID


class ChangeNoticeRef(BaseModel):
    appointment_id: uuid.UUID
    change: AppointmentChange
    sequence: int  # how many times the appointment had changed: the invitation's SEQUENCE


class PasswordResetEmailInput(BaseModel):
    token_id: uuid.UUID


class PasswordResetEmailResult(BaseModel):
    outcome: str


class SignUpEmailInput(BaseModel):
    sign_up_id: uuid.UUID


class SignUpEmailResult(BaseModel):
    outcome: str
