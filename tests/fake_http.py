"""Fake HTTP APIs on loopback: the outside world's edge (SendGrid, Twilio) for tests.

Each fake records the requests it received and answers from a queue of canned responses
(the default answer once the queue is empty), so a test can script failures.
"""

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)

    def json(self) -> dict:  # type: ignore[type-arg]
        return json.loads(self.body)


@dataclass
class Answer:
    status: int
    body: dict = field(default_factory=dict)  # type: ignore[type-arg]
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # sent instead of `body`, e.g. a proxy's HTML error page
    content_type: str = "application/json"


class FakeApi:
    def __init__(self, default: Answer) -> None:
        self.default = default
        self.scripted: list[Answer] = []
        self.received: list[Received] = []
        self._outcomes: list[bool] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        # A provider that stalls mid-send: requests matching `hold_when` wait, after being
        # received and before being answered, until `release()`; `holding` is set meanwhile.
        self.hold_when: Callable[[Received], bool] | None = None
        self.holding = threading.Event()
        self._released = threading.Event()

    def answer_next(self, *answers: Answer) -> None:
        self.scripted.extend(answers)

    def release(self) -> None:
        self.hold_when = None
        self._released.set()

    def accepted(self) -> list[Received]:
        """The requests answered with a 2xx."""
        return [r for r, ok in zip(self.received, self._outcomes, strict=True) if ok]

    def start(self) -> None:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._released.set()
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                received = Received("POST", self.path, dict(self.headers), self.rfile.read(length))
                fake.received.append(received)
                if fake.hold_when is not None and fake.hold_when(received):
                    fake.holding.set()
                    fake._released.wait(timeout=120)
                answer = fake.scripted.pop(0) if fake.scripted else fake.default
                fake._outcomes.append(200 <= answer.status < 300)
                payload = answer.raw if answer.raw is not None else json.dumps(answer.body).encode()
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


def _serve(default: Answer) -> Iterator[FakeApi]:
    api = FakeApi(default)
    api.start()
    try:
        yield api
    finally:
        api.stop()


@pytest.fixture
def fake_sendgrid() -> Iterator[FakeApi]:
    yield from _serve(Answer(202, headers={"X-Message-Id": "sg-message-1"}))


@pytest.fixture
def fake_twilio() -> Iterator[FakeApi]:
    yield from _serve(Answer(201, {"sid": "SM0123456789abcdef", "status": "queued"}))
