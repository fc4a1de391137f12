"""/healthz and Prometheus /metrics for the platform's long-running processes (the Kafka
consumers, the outbox relay): a tiny HTTP responder over whatever the process measures."""

import asyncio
import logging
from typing import Protocol

logger = logging.getLogger("apptremind.metrics")


class MetricsSource(Protocol):
    @property
    def name(self) -> str:
        """Names the process in logs."""
        ...

    def healthy(self) -> bool: ...

    def render(self) -> str:
        """The Prometheus text exposition format (version 0.0.4)."""
        ...


class MetricsServer:
    """A minimal HTTP/1.1 responder: GET /healthz and GET /metrics, nothing else."""

    def __init__(self, metrics: MetricsSource, host: str, port: int) -> None:
        self.metrics = metrics
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, self.port)
        logger.info("%s metrics on http://%s:%d/metrics", self.metrics.name, self.host, self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            method, path = (request.split(b" ", 2) + [b"", b""])[:2]
            status, content_type, body = self._answer(method.decode(), path.decode())
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
            await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
            pass
        finally:
            writer.close()

    def _answer(self, method: str, path: str) -> tuple[str, str, bytes]:
        path = path.split("?", 1)[0]
        if method != "GET":
            return "405 Method Not Allowed", "text/plain", b"method not allowed\n"
        if path == "/healthz":
            if self.metrics.healthy():
                return "200 OK", "application/json", b'{"status":"ok"}'
            return "503 Service Unavailable", "application/json", b'{"status":"unavailable"}'
        if path == "/metrics":
            return "200 OK", "text/plain; version=0.0.4", self.metrics.render().encode()
        return "404 Not Found", "text/plain", b"not found\n"
