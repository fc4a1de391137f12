from apptremind.errors import BadRequest, Conflict, Forbidden, Unauthorized


class InvalidToken(Unauthorized):
    title = "Invalid token"


class InvalidCredentials(Unauthorized):
    title = "Invalid credentials"


class EmailTaken(Conflict):
    title = "Email already registered"


class InvalidResetToken(BadRequest):
    title = "Invalid reset token"


class NotAllowed(Forbidden):
    title = "Forbidden"
