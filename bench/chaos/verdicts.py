"""The verdicts, measured from outside: the mail sink, the database, the analytics API and
Temporal, each held against the ledger of what the load did.

Messages are matched to what they are about by the Message-ID the SMTP provider gives every
message: its last part is a uuid5 of the send's idempotency key (`reminder-<reminder id>`,
`confirmation-<appointment id>`, ...), the same for every resend, which is how a mail system
spots a resend too. The manage link (appointment id) and the appointment time in the subject
are checked against it.
"""

import statistics
import uuid
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import psycopg
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError

from bench.chaos.load import Api, Booking, Business
from bench.chaos.mailsink import Received, idempotency_uuid

STUCK_ATTEMPTS = 3  # a pending activity on this attempt or later is retrying, not working


@dataclass(frozen=True)
class ReminderRow:
    id: uuid.UUID
    appointment_id: uuid.UUID
    remind_at: datetime
    status: str
    sent_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class Database:
    reminders: list[ReminderRow]
    appointment_status: dict[uuid.UUID, str]
    unpublished: int
    undispatched: int


async def read_database(url: str) -> Database:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as connection:
        rows = await (
            await connection.execute(
                "SELECT id, appointment_id, remind_at, status, sent_at, created_at "
                "FROM booking.reminders"
            )
        ).fetchall()
        statuses = await (
            await connection.execute("SELECT id, status FROM booking.appointments")
        ).fetchall()
        outbox = await (
            await connection.execute(
                "SELECT count(*) FILTER (WHERE published_at IS NULL), "
                "count(*) FILTER (WHERE needs_dispatch AND dispatched_at IS NULL) "
                "FROM outbox.events"
            )
        ).fetchone()
    assert outbox is not None
    return Database(
        reminders=[ReminderRow(*row) for row in rows],
        appointment_status={row[0]: row[1] for row in statuses},
        unpublished=int(outbox[0]),
        undispatched=int(outbox[1]),
    )


@dataclass
class ReminderFate:
    row: ReminderRow
    booking: Booking
    version: int  # index into booking.versions
    received: list[Received]
    # "due": must arrive exactly once; "not due": must not arrive (yet);
    # "ended": its appointment was cancelled or moved before it was due: must not arrive;
    # "before change": due before the change was asked: once, or overtaken by the change;
    # "during change": due while the change was under way: at most once.
    expectation: str
    ended_by: str | None = None
    ended_asked: datetime | None = None  # when the change that ended it was asked
    ended_settled: datetime | None = None  # answered (API) or accepted (signal)

    @property
    def lateness(self) -> float | None:
        if not self.received:
            return None
        return (min(r.at for r in self.received) - self.row.remind_at).total_seconds()


@dataclass
class Verdict:
    promise: str
    expected: str
    measured: str
    ok: bool | None  # None: for information


@dataclass
class Findings:
    fates: list[ReminderFate]
    verdicts: list[Verdict] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # what a failed verdict is made of


def _version_of(booking: Booking, row: ReminderRow) -> int:
    index = 0
    for i, version in enumerate(booking.versions):
        if version.requested_at <= row.created_at:
            index = i
    return index


def classify(
    bookings: dict[uuid.UUID, Booking],
    database: Database,
    received: list[Received],
    cutoff: datetime,
) -> list[ReminderFate]:
    by_key: dict[str, list[Received]] = defaultdict(list)
    for message in received:
        if message.idempotency_uuid:
            by_key[message.idempotency_uuid].append(message)
    fates = []
    for row in database.reminders:
        booking = bookings.get(row.appointment_id)
        if booking is None:
            continue
        version = _version_of(booking, row)
        mail = by_key.get(idempotency_uuid(f"reminder-{row.id}"), [])
        ends = []
        if version + 1 < len(booking.versions):
            moved = booking.versions[version + 1]
            ends.append(("moved", moved.requested_at, moved.answered_at))
        cancel = booking.cancel
        if cancel is not None and cancel.requested_at and cancel.answered_at:
            # A signal is durable once accepted: support staff are told it is done.
            settled = cancel.requested_at if "signal" in cancel.kind else cancel.answered_at
            ends.append((cancel.kind, cancel.requested_at, settled))
        if ends:
            kind, asked, settled = min(ends, key=lambda end: end[1])
            if row.remind_at >= settled:
                expectation = "ended"
            elif row.remind_at < asked:
                expectation = "before change"
            else:
                expectation = "during change"
            fates.append(
                ReminderFate(row, booking, version, mail, expectation, kind, asked, settled)
            )
        else:
            expectation = "due" if row.remind_at <= cutoff else "not due"
            fates.append(ReminderFate(row, booking, version, mail, expectation))
    return fates


def _hms(instant: datetime | None) -> str:
    return "?" if instant is None else f"{instant:%H:%M:%S.%f}"[:-3]


def _shows_time(message: Received, start: datetime, business: Business) -> bool:
    local = start.astimezone(business.zone)
    return f"{local:%H:%M}" in message.subject and f"{local.day} {local:%b %Y}" in message.subject


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def judge_messages(
    findings: Findings,
    bookings: dict[uuid.UUID, Booking],
    database: Database,
    received: list[Received],
) -> None:
    fates, verdicts, details = findings.fates, findings.verdicts, findings.details
    due = [f for f in fates if f.expectation == "due"]
    once = [f for f in due if len(f.received) == 1]
    lost = [f for f in due if not f.received]
    verdicts.append(
        Verdict("reminders due for booked appointments, each delivered once",
                str(len(due)), str(len(once)), len(once) == len(due) and bool(due))
    )  # fmt: skip
    verdicts.append(Verdict("  of them lost (never received)", "0", str(len(lost)), not lost))
    details += [
        f"LOST reminder {f.row.id} of appointment {f.booking.id} due {f.row.remind_at:%H:%M:%S}"
        f" (database: {f.row.status})"
        for f in lost
    ]

    copies = Counter(m.idempotency_uuid or m.message_id for m in received)
    duplicates = {key: n for key, n in copies.items() if n > 1}
    duplicate_reminders = [f for f in fates if len(f.received) > 1]
    verdicts.append(
        Verdict("messages received more than once (any kind)", "0",
                str(sum(n - 1 for n in duplicates.values())), not duplicates)
    )  # fmt: skip
    for f in duplicate_reminders:
        times = ", ".join(f"{m.at:%H:%M:%S.%f}"[:-3] for m in f.received)
        details.append(
            f"DUPLICATE reminder {f.row.id} of appointment {f.booking.id} due "
            f"{f.row.remind_at:%H:%M:%S}: received {len(f.received)} times at {times}"
        )
    other_duplicates = len(duplicates) - len(duplicate_reminders)
    if other_duplicates > 0:
        details.append(f"DUPLICATE non-reminder messages: {other_duplicates} distinct messages")

    ended = [f for f in fates if f.expectation == "ended"]
    after_cancel = [
        f for f in ended if f.ended_by and f.ended_by.startswith("cancel") and f.received
    ]
    at_old_time = [f for f in ended if f.ended_by == "moved" and f.received]
    cancelled_total = sum(1 for f in ended if f.ended_by and f.ended_by.startswith("cancel"))
    verdicts.append(
        Verdict("reminders sent after their appointment was cancelled", "0",
                f"{len(after_cancel)} of {cancelled_total}", not after_cancel)
    )  # fmt: skip
    verdicts.append(
        Verdict("reminders sent at a moved appointment's old time", "0",
                f"{len(at_old_time)} of {len(ended) - cancelled_total}", not at_old_time)
    )  # fmt: skip
    for f in after_cancel + at_old_time:
        details.append(
            f"SENT AFTER {f.ended_by}: reminder {f.row.id} of appointment {f.booking.id} due "
            f"{f.row.remind_at:%H:%M:%S}, received {_hms(f.received[0].at)}; "
            f"the change was asked {_hms(f.ended_asked)} and done {_hms(f.ended_settled)}"
        )
    not_due_sent = [f for f in fates if f.expectation == "not due" and f.received]
    verdicts.append(
        Verdict("reminders sent before they were due", "0", str(len(not_due_sent)),
                not not_due_sent)
    )  # fmt: skip

    wrong_time = []
    for f in fates:
        version = f.booking.versions[f.version]
        for message in f.received:
            if not _shows_time(message, version.start, f.booking.business) or (
                message.appointment_id != f.booking.id
            ):
                wrong_time.append((f, message))
    verdicts.append(
        Verdict("reminders naming the wrong appointment or time", "0", str(len(wrong_time)),
                not wrong_time)
    )  # fmt: skip
    details += [
        f"WRONG TIME: reminder {f.row.id} says {m.subject!r}; appointment "
        f"{f.booking.id} starts {f.booking.versions[f.version].start:%H:%M} UTC"
        for f, m in wrong_time
    ]

    known = {idempotency_uuid(f"reminder-{f.row.id}") for f in fates}
    unknown = [m for m in received if m.kind == "reminder" and m.idempotency_uuid not in known]
    verdicts.append(
        Verdict("reminder messages matching no reminder of the run", "0", str(len(unknown)),
                not unknown)
    )  # fmt: skip
    details += [f"UNMATCHED reminder message {m.message_id} {m.subject!r}" for m in unknown]

    mismatched = [
        f
        for f in fates
        if (f.row.status == "sent") != bool(f.received)
        or (f.row.status == "pending" and f.expectation == "due")
    ]
    verdicts.append(
        Verdict("reminder rows whose status matches the sink", str(len(fates)),
                str(len(fates) - len(mismatched)), not mismatched)
    )  # fmt: skip
    details += [
        f"MISMATCH reminder {f.row.id} ({f.expectation}, due {f.row.remind_at:%H:%M:%S}): "
        f"database says {f.row.status}, sink received {len(f.received)}"
        for f in mismatched
    ]
    overtaken = [f for f in fates if f.expectation in ("before change", "during change")]
    verdicts.append(
        Verdict("reminders due around a change: sent / overtaken by it", "-",
                f"{sum(1 for f in overtaken if f.received)} / "
                f"{sum(1 for f in overtaken if not f.received)}", None)
    )  # fmt: skip

    # The messages about the appointment itself: one confirmation per booked appointment,
    # one cancellation notice per cancelled one.
    booked = [b for b in bookings.values() if database.appointment_status.get(b.id) == "booked"]
    cancelled = [
        b for b in bookings.values() if database.appointment_status.get(b.id) == "cancelled"
    ]
    confirmed = [b for b in booked if copies.get(idempotency_uuid(f"confirmation-{b.id}")) == 1]
    told = [b for b in cancelled if copies.get(idempotency_uuid(f"cancellation-{b.id}")) == 1]
    verdicts.append(
        Verdict("booked appointments with one confirmation", str(len(booked)),
                str(len(confirmed)), len(confirmed) == len(booked))
    )  # fmt: skip
    verdicts.append(
        Verdict("cancelled appointments with one cancellation notice", str(len(cancelled)),
                str(len(told)), len(told) == len(cancelled))
    )  # fmt: skip
    details += [
        f"NO CONFIRMATION for booked appointment {b.id}" for b in booked if b not in confirmed
    ]
    details += [f"NO CANCELLATION NOTICE for {b.id}" for b in cancelled if b not in told]


def judge_ledger(
    findings: Findings, bookings: dict[uuid.UUID, Booking], database: Database
) -> None:
    """The database holds what the load was answered: statuses and reminder plans."""
    wrong_status = [
        b for b in bookings.values() if database.appointment_status.get(b.id) != b.status
    ]
    findings.verdicts.append(
        Verdict("appointment statuses as the load left them", str(len(bookings)),
                str(len(bookings) - len(wrong_status)), not wrong_status)
    )  # fmt: skip
    findings.details += [
        f"STATUS of {b.id}: load expects {b.status}, database has "
        f"{database.appointment_status.get(b.id)}"
        for b in wrong_status
    ]
    misplanned = [
        (b, v)
        for b in bookings.values()
        for v in b.versions
        if sorted(v.planned) != sorted(v.wanted)
    ]
    findings.verdicts.append(
        Verdict("reminders planned at the times the owner's offsets give", "0 off",
                f"{len(misplanned)} off", not misplanned)
    )  # fmt: skip
    findings.details += [
        f"PLANNED {b.id} at {v.start:%H:%M}: wanted {[f'{w:%H:%M}' for w in v.wanted]}, "
        f"planned {[f'{p:%H:%M}' for p in v.planned]}"
        for b, v in misplanned
    ]


def judge_outbox(findings: Findings, database: Database) -> None:
    left = database.unpublished + database.undispatched
    findings.verdicts.append(
        Verdict("outbox drained (unpublished + undispatched events)", "0",
                f"{database.unpublished} + {database.undispatched}", left == 0)
    )  # fmt: skip


def analytics_truth(
    bookings: list[Booking], fates: list[ReminderFate]
) -> dict[tuple[uuid.UUID, date], tuple[int, int, int, int, int, int]]:
    """Per business and local date: booked, cancelled, completed, no-show, reminders sent
    (distinct reminders the sink received) and reminders failed (none should)."""
    sent: Counter[uuid.UUID] = Counter(f.booking.id for f in fates if f.received)
    truth: dict[tuple[uuid.UUID, date], list[int]] = defaultdict(lambda: [0] * 6)
    for booking in bookings:
        local = booking.versions[-1].start.astimezone(booking.business.zone).date()
        figures = truth[(booking.business.id, local)]
        figures[0] += 1
        figures[1] += booking.status == "cancelled"
        figures[4] += sent[booking.id]
    return {key: (v[0], v[1], v[2], v[3], v[4], v[5]) for key, v in truth.items()}


async def read_analytics(
    api: Api, businesses: list[Business], days: list[date]
) -> dict[tuple[uuid.UUID, date], tuple[int, int, int, int, int, int]]:
    first, last = min(days) - timedelta(days=1), max(days) + timedelta(days=1)
    figures = {}
    for business in businesses:
        summary = await api.expect(
            "GET",
            "/analytics/summary",
            headers=business.auth,
            params={"from": first.isoformat(), "to": last.isoformat()},
        )
        for day in summary:
            values = (
                day["booked"], day["cancelled"], day["completed"], day["no_show"],
                day["reminders_sent"], day["reminders_failed"],
            )  # fmt: skip
            if any(values):
                figures[(business.id, date.fromisoformat(day["date"]))] = values
    return figures


def judge_analytics(
    findings: Findings,
    truth: Mapping[tuple[uuid.UUID, date], tuple[int, ...]],
    measured: Mapping[tuple[uuid.UUID, date], tuple[int, ...]],
    names: dict[uuid.UUID, str],
) -> None:
    keys = sorted(set(truth) | set(measured), key=lambda k: (names.get(k[0], ""), k[1]))
    wrong = [k for k in keys if truth.get(k) != measured.get(k)]
    findings.verdicts.append(
        Verdict("analytics days equal to the truth (booked, cancelled, sent, failed)",
                str(len(keys)), str(len(keys) - len(wrong)), not wrong)
    )  # fmt: skip
    findings.details += [
        f"ANALYTICS {names.get(k[0])} {k[1]}: truth {truth.get(k)}, API {measured.get(k)} "
        "(booked, cancelled, completed, no_show, sent, failed)"
        for k in wrong
    ]


@dataclass
class WorkflowState:
    status: WorkflowExecutionStatus | None  # None: not found
    stuck: list[str]  # what keeps retrying
    busy: int = 0  # pending activities and workflow tasks of any attempt


async def read_workflows(client: Client, bookings: list[Booking]) -> dict[uuid.UUID, WorkflowState]:
    states = {}
    for booking in bookings:
        handle = client.get_workflow_handle(f"appointment-{booking.id}")
        try:
            described = await handle.describe()
        except RPCError:
            states[booking.id] = WorkflowState(None, [])
            continue
        raw = described.raw_description
        stuck = [
            f"activity {a.activity_type.name} on attempt {a.attempt}"
            + (f" ({a.last_failure.message[:120]})" if a.HasField("last_failure") else "")
            for a in raw.pending_activities
            if a.attempt >= STUCK_ATTEMPTS
        ]
        if raw.HasField("pending_workflow_task") and raw.pending_workflow_task.attempt > 1:
            stuck.append(f"workflow task on attempt {raw.pending_workflow_task.attempt}")
        busy = len(raw.pending_activities) + raw.HasField("pending_workflow_task")
        states[booking.id] = WorkflowState(described.status, stuck, busy)
    return states


async def count_workflows(client: Client) -> int:
    count = await client.count_workflows("WorkflowType = 'AppointmentWorkflow'")
    return count.count


def judge_workflows(
    findings: Findings,
    bookings: dict[uuid.UUID, Booking],
    states: dict[uuid.UUID, WorkflowState],
    total: int,
) -> None:
    missing = [i for i, s in states.items() if s.status is None]
    findings.verdicts.append(
        Verdict("appointment workflows (one per appointment, none extra)", str(len(bookings)),
                f"{len(states) - len(missing)} found, {total} in all",
                not missing and total == len(bookings))
    )  # fmt: skip
    should_end = [i for i, b in bookings.items() if b.status == "cancelled"]
    ended = [i for i in should_end if states[i].status == WorkflowExecutionStatus.COMPLETED]
    findings.verdicts.append(
        Verdict("workflows of cancelled appointments completed", str(len(should_end)),
                str(len(ended)), len(ended) == len(should_end))
    )  # fmt: skip
    open_ = [i for i, b in bookings.items() if b.status == "booked"]
    running = [i for i in open_ if states[i].status == WorkflowExecutionStatus.RUNNING]
    findings.verdicts.append(
        Verdict("workflows of booked appointments still running", str(len(open_)),
                str(len(running)), len(running) == len(open_))
    )  # fmt: skip
    stuck = {i: s.stuck for i, s in states.items() if s.stuck}
    findings.verdicts.append(
        Verdict(f"workflows stuck (activity on attempt >= {STUCK_ATTEMPTS}, failing task)", "0",
                str(len(stuck)), not stuck)
    )  # fmt: skip
    # Quiet means settled: a send that is still retrying could yet arrive twice.
    busy = [i for i, s in states.items() if s.busy]
    findings.verdicts.append(
        Verdict("workflows still busy (pending activity or task) at the end", "0",
                str(len(busy)), not busy)
    )  # fmt: skip
    findings.details += [f"MISSING workflow appointment-{i}" for i in missing]
    findings.details += [
        f"WORKFLOW appointment-{i} ({bookings[i].status}) is {states[i].status}"
        for i in set(should_end) - set(ended)
    ]
    findings.details += [
        f"WORKFLOW appointment-{i} ({bookings[i].status}) is {states[i].status}"
        for i in set(open_) - set(running)
    ]
    findings.details += [f"STUCK appointment-{i}: {'; '.join(s)}" for i, s in stuck.items()]


def lateness_line(values: list[float]) -> str:
    if not values:
        return "nothing received"
    return (
        f"p50 {statistics.median(values):6.2f} s  p99 {percentile(values, 0.99):6.2f} s  "
        f"max {max(values):6.2f} s"
    )
