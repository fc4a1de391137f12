"""Message texts. Kept as plain functions so every field they use is explicit."""

import re
from datetime import datetime
from typing import TYPE_CHECKING

from apptremind.notifications.calendar import CalendarEvent, appointment_ics
from apptremind.notifications.providers import Attachment, Email, Sms

if TYPE_CHECKING:
    from apptremind.booking.reminder_delivery import AppointmentMessage


def password_reset_email(to: str, token: str, expires_at: datetime, reset_url: str) -> Email:
    return Email(
        to=to,
        subject="Reset your ApptRemind password",
        text=(
            "Someone asked to reset the password of your ApptRemind account.\n\n"
            f"Choose a new password on this page:\n{reset_url}\n\n"
            f"Your reset code, if the page asks for it:\n{token}\n\n"
            f"It works once and expires at {expires_at:%Y-%m-%d %H:%M} UTC.\n"
            "If you did not ask for this, ignore this email: your password stays as it is.\n"
        ),
    )


def sign_up_email(to: str, expires_at: datetime, confirm_url: str) -> Email:
    return Email(
        to=to,
        subject="Confirm your sign-up to ApptRemind",
        text=(
            "Welcome to ApptRemind!\n\n"
            f"Confirm your email address to create your account:\n{confirm_url}\n\n"
            f"The link works once and expires at {expires_at:%Y-%m-%d %H:%M} UTC.\n"
            "If you did not sign up, ignore this email: no account is created.\n"
        ),
    )


def existing_account_email(to: str, sign_in_url: str, forgot_password_url: str) -> Email:
    return Email(
        to=to,
        subject="You already have an ApptRemind account",
        text=(
            "Someone tried to sign up to ApptRemind with this email address, "
            "but it already has an account.\n\n"
            f"Sign in here:\n{sign_in_url}\n\n"
            f"Forgot your password? Reset it here:\n{forgot_password_url}\n\n"
            "If this was not you, ignore this email: nothing has changed.\n"
        ),
    )


def _header(value: str) -> str:
    """A header value of one line: names saved before they were checked may still hold a
    line break, which would make the provider refuse every email that names them."""
    return " ".join(_BREAKS_AND_CONTROLS.sub(" ", value).split())


_BREAKS_AND_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _when(starts_at: datetime) -> str:
    """'Mon 7 Dec 2026, 09:00 CET': local time with the zone's abbreviation."""
    return f"{starts_at:%a} {starts_at.day} {starts_at:%b %Y, %H:%M %Z}"


def reminder_email(message: "AppointmentMessage") -> Email:
    when = _when(message.starts_at)
    return Email(
        to=message.recipient,
        subject=_header(f"Reminder: {message.service_name} at {message.business_name}, {when}"),
        text=(
            f"Hello {message.customer_name},\n\n"
            f"this is a reminder of your appointment:\n\n"
            f"{_summary(message)}\n"
            f"To cancel or reschedule, open:\n{message.manage_url}\n"
        ),
    )


def confirmation_email(message: "AppointmentMessage", now: datetime) -> Email:
    return Email(
        to=message.recipient,
        subject=_header(
            f"Booked: {message.service_name} at {message.business_name}, {_when(message.starts_at)}"
        ),
        text=(
            f"Hello {message.customer_name},\n\n"
            f"your appointment is booked:\n\n"
            f"{_summary(message)}\n"
            "The attached invitation adds it to your calendar.\n"
            f"To cancel or reschedule, open:\n{message.manage_url}\n"
        ),
        attachments=(invitation(message, now, sequence=0),),
    )


def rescheduled_email(message: "AppointmentMessage", now: datetime, sequence: int) -> Email:
    return Email(
        to=message.recipient,
        subject=_header(
            f"New time: {message.service_name} at {message.business_name}, "
            f"{_when(message.starts_at)}"
        ),
        text=(
            f"Hello {message.customer_name},\n\n"
            f"your appointment has moved to a new time:\n\n"
            f"{_summary(message)}\n"
            "The attached invitation updates your calendar.\n"
            f"To cancel or reschedule, open:\n{message.manage_url}\n"
        ),
        attachments=(invitation(message, now, sequence=sequence),),
    )


def cancellation_email(message: "AppointmentMessage", now: datetime, sequence: int) -> Email:
    return Email(
        to=message.recipient,
        subject=_header(
            f"Cancelled: {message.service_name} at {message.business_name}, "
            f"{_when(message.starts_at)}"
        ),
        text=(
            f"Hello {message.customer_name},\n\n"
            f"your appointment has been cancelled:\n\n"
            f"{_summary(message)}\n"
            "The attached update removes it from your calendar. You will get no reminders "
            "for it.\n"
        ),
        attachments=(invitation(message, now, sequence=sequence, cancelled=True),),
    )


def invitation(
    message: "AppointmentMessage", now: datetime, sequence: int, cancelled: bool = False
) -> Attachment:
    """The appointment's calendar file: attached to emails, and the manage page's download."""
    event = CalendarEvent(
        appointment_id=message.appointment_id,
        start=message.starts_at,
        end=message.ends_at,
        summary=f"{message.service_name} at {message.business_name}",
        location=message.business_name,
        description=f"With {message.staff_name}. To cancel or reschedule: {message.manage_url}",
        sequence=sequence,
        cancelled=cancelled,
    )
    method = "CANCEL" if cancelled else "PUBLISH"
    return Attachment(
        "appointment.ics", f"text/calendar; method={method}", appointment_ics(event, now)
    )


def reminder_sms(message: "AppointmentMessage") -> Sms:
    # Never ask for a reply: carriers treat CANCEL, STOP and the like as an opt-out.
    return Sms(
        to=message.recipient,
        text=(
            f"Reminder: {message.service_name} with {message.staff_name} at "
            f"{message.business_name}, {_when(message.starts_at)}. "
            f"Cancel or reschedule: {message.manage_url}"
        ),
    )


def _summary(message: "AppointmentMessage") -> str:
    return (
        f"  {message.service_name} with {message.staff_name}\n"
        f"  {message.business_name}\n"
        f"  {_when(message.starts_at)}\n"
    )
