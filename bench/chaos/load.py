"""The load: businesses set up by their owners through the API, appointments booked through
the public API, and the changes made while reminders go out (cancellations by the owner in
the API and by support staff with a Temporal signal, reschedules in the API).

Reminder times are whole minutes ("marks"): appointments start on the businesses' 5-minute
slot grid and reminder offsets are whole minutes. Before each booking or reschedule the
owner sets the business's `reminder_offsets_minutes` so that its reminders fall on the marks
chosen for it; the appointments themselves start well after the last mark, so that no
outage of the run can make a reminder come due after its appointment began.

Every request is retried like a real client does while the platform recovers (connection
errors, timeouts, 5xx), and every change is written down in a ledger with the times it was
asked for and answered: the verdicts compare the platform's behaviour with this ledger.
"""

import asyncio
import math
import random
import re
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import httpx
from temporalio.client import Client
from temporalio.service import RPCError

from bench.chaos.mailsink import Received

ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "UTC",
    "Australia/Sydney",
    "America/Los_Angeles",
    "Asia/Kathmandu",
    "Pacific/Auckland",
)
PASSWORD = "chaos run password"
CONFIRM_SIGN_UP_LINK = re.compile(r"/app/confirm-sign-up\?token=([\w.-]+)")
SLOT_MINUTES = 5
# Appointments start at least this long after the last mark: reminders stay useful however
# late an outage makes them (a reminder due after its appointment began is never sent).
START_MARGIN = timedelta(minutes=20)
# A reminder is planned at least this long after the booking or change that plans it.
PLAN_LEAD = timedelta(seconds=10)
REQUEST_DEADLINE_SECONDS = 180.0

ChangeKind = Literal["cancel (API)", "cancel (signal)", "reschedule (API)"]


def now() -> datetime:
    return datetime.now(UTC)


def ceil_minute(instant: datetime, minutes: int = 1) -> datetime:
    step = 60 * minutes
    return datetime.fromtimestamp(math.ceil(instant.timestamp() / step) * step, UTC)


@dataclass
class Business:
    index: int
    name: str
    zone: ZoneInfo
    id: uuid.UUID
    token: str
    staff_id: uuid.UUID
    service_id: uuid.UUID
    first_slot: datetime
    slots_taken: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def take_slot(self) -> datetime:
        start = self.first_slot + timedelta(minutes=SLOT_MINUTES * self.slots_taken)
        self.slots_taken += 1
        return start


@dataclass
class Version:
    """One start time of an appointment and the reminders the API planned for it."""

    start: datetime
    requested_at: datetime  # the request (booking or reschedule) that planned it
    answered_at: datetime
    wanted: list[datetime]  # the marks chosen for its reminders
    planned: list[datetime]  # the reminder times the API answered


@dataclass
class Change:
    kind: ChangeKind
    planned_for: datetime
    requested_at: datetime | None = None  # the attempt that took effect (signal: accepted)
    answered_at: datetime | None = None  # the API's answer, or the cancellation seen
    attempts: int = 0
    error: str | None = None


@dataclass
class Booking:
    id: uuid.UUID
    business: Business
    email: str
    versions: list[Version]
    changes: list[Change] = field(default_factory=list)

    @property
    def cancel(self) -> Change | None:
        return next(
            (c for c in self.changes if c.kind.startswith("cancel") and c.answered_at), None
        )

    @property
    def status(self) -> str:
        return "cancelled" if self.cancel else "booked"


class ApiError(Exception):
    pass


class Api:
    """The platform's HTTP API as a patient client: retries while it is unavailable."""

    def __init__(self, base: str) -> None:
        self.http = httpx.AsyncClient(base_url=f"{base}/api/v1", timeout=60)
        self.retried = 0

    async def close(self) -> None:
        await self.http.aclose()

    async def request(
        self, method: str, path: str, *, ok: Sequence[int] = (200, 201), **kwargs: Any
    ) -> tuple[httpx.Response, int]:
        """The first answer that is not an outage (5xx, no connection), and how many
        attempts it took; raises when the deadline passes."""
        deadline = time.monotonic() + REQUEST_DEADLINE_SECONDS
        attempts = 0
        while True:
            attempts += 1
            try:
                response = await self.http.request(method, path, **kwargs)
                if response.status_code < 500 and response.status_code != 429:
                    return response, attempts
                problem = f"{response.status_code} {response.text[:200]}"
            except httpx.HTTPError as exc:
                problem = repr(exc)
            if time.monotonic() > deadline:
                raise ApiError(f"{method} {path}: still failing: {problem}")
            self.retried += 1
            await asyncio.sleep(min(0.5 * attempts, 3))

    async def expect(self, method: str, path: str, **kwargs: Any) -> Any:
        response, _ = await self.request(method, path, **kwargs)
        if response.status_code >= 300:
            raise ApiError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response.json() if response.content else None


async def confirmation_token(
    mailbox: Callable[[], Sequence[Received]], email: str, timeout: float = 120.0
) -> str:
    """The token of the sign-up link mailed to `email`, waiting for the relay and worker."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in mailbox():
            found = CONFIRM_SIGN_UP_LINK.search(message.text)
            if message.to == email and found:
                return found.group(1)
        await asyncio.sleep(0.2)
    raise ApiError(f"no sign-up email to {email} within {timeout:.0f} s")


async def set_up_business(
    api: Api,
    mailbox: Callable[[], Sequence[Received]],
    index: int,
    run_tag: str,
    first_slot: datetime,
) -> Business:
    zone = ZONES[index % len(ZONES)]
    name = f"Chaos Salon {index + 1}"
    email = f"owner-{index + 1}-{run_tag}@example.com"
    # Signed up as a new owner is: the request, its email, the link's token confirmed.
    await api.expect(
        "POST",
        "/auth/register",
        json={"email": email, "password": PASSWORD, "business_name": name, "timezone": zone},
    )
    registered = await api.expect(
        "POST",
        "/auth/register/confirm",
        json={"token": await confirmation_token(mailbox, email)},
    )
    auth = {"Authorization": f"Bearer {registered['access_token']}"}
    await api.expect(
        "PATCH",
        "/business/profile",
        headers=auth,
        json={"min_notice_minutes": 0, "slot_interval_minutes": SLOT_MINUTES},
    )
    service = await api.expect(
        "POST",
        "/business/services",
        headers=auth,
        json={"name": "Quick trim", "duration_minutes": SLOT_MINUTES, "price": "15.00"},
    )
    every_day = [
        {"day_of_week": day, "start_time": "00:00", "end_time": "24:00"} for day in range(7)
    ]
    staff = await api.expect(
        "POST", "/business/staff", headers=auth, json={"name": "Sam", "working_hours": every_day}
    )
    return Business(
        index=index,
        name=name,
        zone=ZoneInfo(zone),
        id=uuid.UUID(registered["business_id"]),
        token=registered["access_token"],
        staff_id=uuid.UUID(staff["id"]),
        service_id=uuid.UUID(service["id"]),
        first_slot=first_slot,
    )


def offsets_for(start: datetime, marks: Sequence[datetime]) -> list[int]:
    return sorted({int((start - mark).total_seconds()) // 60 for mark in marks}, reverse=True)


class Load:
    def __init__(
        self,
        api: Api,
        temporal: Client,
        rng: random.Random,
        marks: list[datetime],
        greylisted: str,
    ) -> None:
        self.api = api
        self.temporal = temporal
        self.rng = rng
        self.marks = marks
        self.greylisted = greylisted
        self.bookings: list[Booking] = []
        self.problems: list[str] = []  # the load's own failures (not verdicts)
        self.after_run = marks[-1] + timedelta(minutes=15)  # reminders not due in the run

    def choose_marks(self, count: int) -> list[datetime]:
        """`count` marks still far enough ahead; a time after the run when none is."""
        eligible = [m for m in self.marks if m > now() + PLAN_LEAD]
        if not eligible:
            return [self.after_run]
        return sorted(self.rng.sample(eligible, min(count, len(eligible))))

    async def book_all(self, businesses: list[Business], per_business: list[int]) -> None:
        greylisted_for = set(self.rng.sample(range(sum(per_business)), 4))
        numbers = iter(range(sum(per_business)))
        plans = [[next(numbers) for _ in range(count)] for count in per_business]
        await asyncio.gather(
            *(
                self._book_for(business, plan, greylisted_for)
                for business, plan in zip(businesses, plans, strict=True)
            )
        )

    async def _book_for(self, business: Business, numbers: list[int], greylisted: set[int]) -> None:
        for number in numbers:
            email = self.greylisted if number in greylisted else f"customer-{number}@example.com"
            try:
                await self.book(business, email, number)
            except ApiError as exc:
                self.problems.append(f"booking {number} failed: {exc}")

    async def book(self, business: Business, email: str, number: int) -> Booking:
        async with business.lock:
            start = business.take_slot()
            wanted = self.choose_marks(2)
            await self.api.expect(
                "PATCH",
                "/business/profile",
                headers=business.auth,
                json={"reminder_offsets_minutes": offsets_for(start, wanted)},
            )
            body = {
                "staff_id": str(business.staff_id),
                "service_id": str(business.service_id),
                "time": start.astimezone(business.zone).isoformat(),
                "customer_info": {"name": f"Customer {number}", "email": email},
            }
            requested = now()
            response, attempts = await self.api.request("POST", "/public/book", json=body)
            if response.status_code == 409 and attempts > 1:
                # An earlier attempt went through but its answer was lost: find it.
                found = await self._appointment_at(business, start, email)
                if found is None:
                    raise ApiError(f"booking at {start} refused and not found")
                appointment_id, planned = found
            elif response.status_code != 201:
                raise ApiError(f"booking: {response.status_code} {response.text[:300]}")
            else:
                answer = response.json()
                appointment_id = uuid.UUID(answer["appointment_id"])
                planned = [datetime.fromisoformat(r["remind_at"]) for r in answer["reminders"]]
            version = Version(start, requested, now(), wanted, sorted(planned))
            booking = Booking(appointment_id, business, email, [version])
            self.bookings.append(booking)
            return booking

    async def _appointment_at(
        self, business: Business, start: datetime, email: str
    ) -> tuple[uuid.UUID, list[datetime]] | None:
        found = await self.api.expect(
            "GET",
            "/appointments",
            headers=business.auth,
            params={"from": start.isoformat(), "to": (start + timedelta(minutes=1)).isoformat()},
        )
        for appointment in found:
            if appointment["customer"]["email"] == email and appointment["status"] == "booked":
                planned = [
                    datetime.fromisoformat(r["remind_at"])
                    for r in appointment["reminders"]
                    if r["status"] != "cancelled"
                ]
                return uuid.UUID(appointment["id"]), planned
        return None

    # --- changes while reminders go out ---------------------------------------------------

    def plan_changes(
        self, shares: dict[ChangeKind, float], earliest: datetime, lead: tuple[float, float]
    ) -> list[tuple[Booking, Change]]:
        """Picks the appointments to change and when: `lead` seconds before one of their
        reminders (the first, or one after the first was due), so a change and a send never
        meet when the platform is healthy — only the faults can make them meet."""
        planned: list[tuple[Booking, Change]] = []
        for booking in self.bookings:
            if booking.changes:  # already chosen for another change
                continue
            roll = self.rng.random()
            kind: ChangeKind | None = None
            for candidate, share in shares.items():
                if roll < share:
                    kind = candidate
                    break
                roll -= share
            dues = [d for d in booking.versions[0].planned if d <= self.marks[-1]]
            if kind is None or not dues:
                continue
            target = self.rng.randrange(len(dues))
            at = dues[target] - timedelta(seconds=self.rng.uniform(*lead))
            if target > 0 and at < dues[target - 1] + timedelta(seconds=5):
                continue
            if at < earliest:
                continue
            change = Change(kind, at)
            booking.changes.append(change)
            planned.append((booking, change))
        return sorted(planned, key=lambda item: item[1].planned_for)

    def changes_at(
        self, mark: datetime, at: datetime, kinds: Sequence[ChangeKind]
    ) -> list[tuple[Booking, Change]]:
        """One change of each kind, all asked at `at`, for appointments with a reminder due
        at `mark` (and nothing else planned)."""
        due = [b for b in self.bookings if mark in b.versions[0].planned and not b.changes]
        planned = []
        for booking, kind in zip(
            self.rng.sample(due, min(len(kinds), len(due))), kinds, strict=False
        ):
            change = Change(kind, at)
            booking.changes.append(change)
            planned.append((booking, change))
        return planned

    async def run_changes(self, planned: list[tuple[Booking, Change]]) -> None:
        async def one(booking: Booking, change: Change) -> None:
            await asyncio.sleep(max(0.0, (change.planned_for - now()).total_seconds()))
            try:
                if change.kind == "cancel (API)":
                    await self.cancel_in_api(booking, change)
                elif change.kind == "cancel (signal)":
                    await self.cancel_by_signal(booking, change)
                else:
                    await self.reschedule(booking, change)
            except (ApiError, RPCError, TimeoutError) as exc:
                change.error = str(exc)
                self.problems.append(f"{change.kind} of {booking.id} failed: {exc}")

        await asyncio.gather(*(one(booking, change) for booking, change in planned))

    async def cancel_in_api(self, booking: Booking, change: Change) -> None:
        change.requested_at = now()
        response, change.attempts = await self.api.request(
            "DELETE",
            f"/appointments/{booking.id}",
            headers=booking.business.auth,
            params={"reason": "chaos run: the owner cancels"},
        )
        if response.status_code == 200 and response.json()["status"] == "cancelled":
            change.answered_at = now()
            return
        if response.status_code == 409 and change.attempts > 1:
            # An earlier attempt took effect but its answer was lost.
            if await self._status(booking) == "cancelled":
                change.answered_at = now()
                return
        raise ApiError(f"cancel: {response.status_code} {response.text[:300]}")

    async def cancel_by_signal(self, booking: Booking, change: Change) -> None:
        """What support staff do: `temporal workflow signal --name cancel` on the workflow.
        Retried while Temporal is down or the relay has not started the workflow yet."""
        handle = self.temporal.get_workflow_handle(f"appointment-{booking.id}")
        deadline = time.monotonic() + REQUEST_DEADLINE_SECONDS
        while True:
            change.attempts += 1
            try:
                await handle.signal(
                    "cancel", {"reason": "chaos run: support cancels", "cancelled_by": "support"}
                )
                change.requested_at = now()
                break
            except RPCError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(1)
        while await self._status(booking) != "cancelled":
            if time.monotonic() > deadline:
                raise TimeoutError("the signalled cancellation never reached the database")
            await asyncio.sleep(0.5)
        change.answered_at = now()

    async def reschedule(self, booking: Booking, change: Change) -> None:
        business = booking.business
        async with business.lock:
            start = business.take_slot()
            wanted = self.choose_marks(self.rng.choice((1, 2)))
            await self.api.expect(
                "PATCH",
                "/business/profile",
                headers=business.auth,
                json={"reminder_offsets_minutes": offsets_for(start, wanted)},
            )
            change.requested_at = now()
            response, change.attempts = await self.api.request(
                "POST",
                f"/appointments/{booking.id}/reschedule",
                headers=business.auth,
                json={"time": start.astimezone(business.zone).isoformat()},
            )
            if response.status_code != 200:
                raise ApiError(f"reschedule: {response.status_code} {response.text[:300]}")
            answer = response.json()
            change.answered_at = now()
            planned = [
                datetime.fromisoformat(r["remind_at"])
                for r in answer["reminders"]
                if r["status"] == "pending"
            ]
            booking.versions.append(
                Version(start, change.requested_at, change.answered_at, wanted, sorted(planned))
            )

    async def _status(self, booking: Booking) -> str:
        answer = await self.api.expect(
            "GET", f"/appointments/{booking.id}", headers=booking.business.auth
        )
        return str(answer["status"])
