"""ASGI middleware of the gateway role."""

import logging
import re
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import TypeAlias

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import send_problem
from apptremind.logs import request_id_var
from apptremind.metrics import HTTP_REQUEST_DURATION, HTTP_REQUESTS, HTTP_REQUESTS_IN_PROGRESS

Header: TypeAlias = tuple[bytes, bytes]


class BodySizeLimit:
    """Refuses request bodies over `max_bytes` with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(send)
            return

        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # An HTTPException, so the app's own handlers answer 413 while it reads.
                    raise _TooLarge(413, f"The request body exceeds {self.max_bytes} bytes")
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not response_started:
                await self._reject(send)

    async def _reject(self, send: Send) -> None:
        await send_problem(
            send, 413, "Content too large", f"The request body exceeds {self.max_bytes} bytes"
        )


class _TooLarge(HTTPException):
    pass


class RequestContext:
    """Gives each request an id (kept from X-Request-ID when sane) and logs one line for it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers", [])).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _SAFE_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            # Path only: query strings may carry personal data.
            logger.info(
                "%s %s %s %.1fms",
                scope["method"],
                scope["path"],
                status,
                (time.perf_counter() - started) * 1000,
            )
            request_id_var.reset(token)


class HttpMetrics:
    """Counts and times every request by route template (`/api/v1/appointments/{id}`, never
    the ids themselves) and status, and the requests in flight."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"] if scope["method"] in _METHODS else "other"
        status = 500
        started = time.perf_counter()

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        in_progress = HTTP_REQUESTS_IN_PROGRESS.labels(method)
        in_progress.inc()
        try:
            await self.app(scope, receive, send_with_status)
        finally:
            in_progress.dec()
            route = _route_template(scope)
            HTTP_REQUESTS.labels(method, route, str(status)).inc()
            HTTP_REQUEST_DURATION.labels(method, route).observe(time.perf_counter() - started)


def _route_template(scope: Scope) -> str:
    """The matched route's path template; requests no route matched share one label."""
    # An included router's route keeps its own path; its effective context has the prefix.
    route = (scope.get("fastapi") or {}).get("effective_route_context") or scope.get("route")
    template = getattr(route, "path_format", None)
    return template if isinstance(template, str) else "unmatched"


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
logger = logging.getLogger("apptremind.api.access")


# The built web app loads only its own scripts, styles and images; Mantine injects <style>
# elements at run time, hence 'unsafe-inline' for styles (never for scripts).
_WEB_APP_DIRECTIVES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("default-src", ("'self'",)),
    ("script-src", ("'self'",)),
    ("style-src", ("'self'", "'unsafe-inline'")),
    ("img-src", ("'self'", "data:")),
    ("font-src", ("'self'", "data:")),
    ("connect-src", ("'self'",)),
    ("object-src", ("'none'",)),
    ("base-uri", ("'self'",)),
    ("form-action", ("'self'",)),
    ("frame-ancestors", ("'none'",)),
)


def web_app_csp(extra: Mapping[str, Sequence[str]] | None = None) -> str:
    """The web app's policy, with `extra` sources added by directive (the CAPTCHA widget's
    script and frames when the check is on); a directive the base lacks starts from 'self'."""
    extra = extra or {}
    directives = dict(_WEB_APP_DIRECTIVES)
    for name, sources in extra.items():
        base = directives.get(name, ("'self'",))
        directives[name] = (*base, *(s for s in sources if s not in base))
    # Added directives go before object-src, beside the other fetch directives.
    order = [name for name, _ in _WEB_APP_DIRECTIVES]
    added = [name for name in extra if name not in order]
    order[order.index("object-src") : order.index("object-src")] = added
    return "; ".join(f"{name} {' '.join(directives[name])}" for name in order)


WEB_APP_CSP = web_app_csp()
# Everything else (JSON, calendar files) is never a document that loads anything.
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# The OpenAPI pages load Swagger UI / ReDoc from their CDN with inline scripts.
_DOCS_PATHS = ("/docs", "/redoc")
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """Headers every answer carries, errors included: no MIME sniffing, no referrer (the
    manage and reset pages carry tokens in their address), no framing, a content policy,
    HSTS when the deployment is reached over TLS, and `no-store` for API answers (tokens and
    personal data) unless a route chose its own caching."""

    def __init__(self, app: ASGIApp, *, hsts: bool, web_app_policy: str = WEB_APP_CSP) -> None:
        self.app = app
        self.hsts = hsts
        self.web_app_policy = web_app_policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = self._headers(path, list(message.get("headers", [])))
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _headers(self, path: str, headers: list[Header]) -> list[Header]:
        present = {name.lower() for name, _ in headers}
        content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
        added: list[tuple[bytes, str | None]] = [
            (b"x-content-type-options", "nosniff"),
            (b"referrer-policy", "no-referrer"),
            (b"x-frame-options", "DENY"),
            (b"content-security-policy", self._csp(path, content_type)),
            (b"strict-transport-security", HSTS if self.hsts else None),
            (b"cache-control", "no-store" if path.startswith("/api/") else None),
        ]
        return headers + [
            (name, value.encode()) for name, value in added if value and name not in present
        ]

    def _csp(self, path: str, content_type: bytes) -> str | None:
        if path.startswith(_DOCS_PATHS):
            return None
        return self.web_app_policy if content_type.startswith(b"text/html") else API_CSP
