from apptremind.errors import Conflict, NotFound, Unprocessable


class SlotTaken(Conflict):
    title = "Slot not available"


class NotBookable(Unprocessable):
    title = "Time not bookable"


class AppointmentNotFound(NotFound):
    title = "Appointment not found"


class InvalidTransition(Conflict):
    title = "Invalid appointment transition"


class InvalidDateRange(Unprocessable):
    title = "Invalid date range"


class BookingInProgress(Conflict):
    """Another request with the same Idempotency-Key booked at the same moment."""

    title = "Booking already in progress"


class IdempotencyKeyReused(Unprocessable):
    title = "Idempotency-Key reused"
