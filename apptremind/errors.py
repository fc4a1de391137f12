"""One error hierarchy for expected failures; the API renders each as problem+json."""

from typing import Any


class AppError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.extra = extra

    @property
    def type(self) -> str:
        return "https://apptremind.dev/problems/" + self.title.lower().replace(" ", "-")


class BadRequest(AppError):
    status = 400
    title = "Bad request"


class Unauthorized(AppError):
    status = 401
    title = "Unauthorized"


class PaymentRequired(AppError):
    status = 402
    title = "Payment required"


class Forbidden(AppError):
    status = 403
    title = "Forbidden"


class NotFound(AppError):
    status = 404
    title = "Not found"


class Conflict(AppError):
    status = 409
    title = "Conflict"


class Unprocessable(AppError):
    status = 422
    title = "Unprocessable content"


class BadGateway(AppError):
    status = 502
    title = "Bad gateway"


class ServiceUnavailable(AppError):
    status = 503
    title = "Service unavailable"
