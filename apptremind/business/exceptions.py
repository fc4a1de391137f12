from apptremind.errors import Conflict, NotFound, Unprocessable


class BusinessNotFound(NotFound):
    title = "Business not found"


class ServiceNotFound(NotFound):
    title = "Service not found"


class StaffNotFound(NotFound):
    title = "Staff member not found"


class SlugTaken(Conflict):
    title = "Slug already taken"


class InvalidTimezone(Unprocessable):
    title = "Invalid timezone"


class DateOverrideNotFound(NotFound):
    title = "Date override not found"


class InvalidCountry(Unprocessable):
    title = "Invalid country"


class InvalidCurrency(Unprocessable):
    title = "Invalid currency"
