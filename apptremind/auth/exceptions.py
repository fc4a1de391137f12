from apptremind.errors import BadRequest, Conflict, Forbidden, NotFound, Unauthorized


class InvalidToken(Unauthorized):
    title = "Invalid token"


class InvalidCredentials(Unauthorized):
    title = "Invalid credentials"


class EmailTaken(Conflict):
    title = "Email already registered"


class InvalidResetToken(BadRequest):
    title = "Invalid reset token"


class InvalidSignUpToken(BadRequest):
    title = "Invalid confirmation link"


class NotAllowed(Forbidden):
    title = "Forbidden"


class LoginDeactivated(Unauthorized):
    title = "Login deactivated"


class LoginNotFound(NotFound):
    title = "Login not found"


class LockoutRefused(Conflict):
    """A change that would leave a login or the business without anyone to manage it."""

    title = "Change refused"
