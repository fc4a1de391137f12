from apptremind.errors import Unprocessable


class InvalidRange(Unprocessable):
    title = "Invalid date range"
