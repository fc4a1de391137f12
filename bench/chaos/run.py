"""`python -m bench.chaos [--short] [--seed N]`: reminders under faults, judged from outside.

Starts the whole platform on the embedded stack, every part a real OS process on free
loopback ports (PostgreSQL, the Temporal dev server, the broker, the API, the relay, both
workers, both consumers) with email going to an SMTP sink of its own; books appointments in
several businesses whose reminders fall due over a few minutes, cancels and reschedules
some of them meanwhile, and injects faults at seeded random moments. Then it checks, from
the sink, the database, the analytics API and Temporal, that every reminder due was
delivered exactly once and nothing else was, and prints the verdicts with the faults'
timeline. Exit status 1 when a promise is broken, 2 when the run itself could not be made.
"""

import argparse
import asyncio
import os
import random
import shutil
import signal
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType

from temporalio.client import Client

from apptremind.devstack.processes import free_port
from bench.chaos.faults import Fault, FaultBudget, Injector, plan_faults
from bench.chaos.load import (
    START_MARGIN,
    Api,
    Booking,
    ChangeKind,
    Load,
    ceil_minute,
    now,
    set_up_business,
)
from bench.chaos.mailsink import MailSink
from bench.chaos.stack import Stack
from bench.chaos.verdicts import (
    Findings,
    analytics_truth,
    classify,
    count_workflows,
    judge_analytics,
    judge_ledger,
    judge_messages,
    judge_outbox,
    judge_workflows,
    lateness_line,
    read_analytics,
    read_database,
    read_workflows,
)

GREYLISTED = "greylisted@example.com"
SMTP_QUIT_LATENCY = 0.1  # seconds: a server across a network, not on loopback
# While the appointments worker is down across one mark, support cancels three of the
# mark's appointments by signal, the owner cancels two and reschedules one in the API.
OUTAGE_CHANGES: tuple[ChangeKind, ...] = (
    "cancel (signal)",
    "cancel (signal)",
    "cancel (signal)",
    "cancel (API)",
    "cancel (API)",
    "reschedule (API)",
)
OUTAGE_BEFORE_MARK = 6.0  # seconds the worker goes down before the mark
OUTAGE_CHANGES_BEFORE_MARK = 3.0
OUTAGE_SECONDS = 10.0


@dataclass(frozen=True)
class Options:
    seed: int
    short: bool
    appointments: int
    businesses: int
    marks: int
    lead: float  # seconds from the start of booking to the first mark, at least
    change_lead: tuple[float, float]  # seconds before a reminder that a change is made
    budget: FaultBudget
    greylist_times: int
    settle_timeout: float
    changes_during_outage: bool
    keep: bool


CHANGE_SHARES: dict[ChangeKind, float] = {
    "cancel (API)": 0.12,
    "cancel (signal)": 0.08,
    "reschedule (API)": 0.12,
}


def parse_options(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench.chaos", description=__doc__)
    parser.add_argument("--seed", type=int, default=1, help="the RNG seed (default 1)")
    parser.add_argument(
        "--short", action="store_true", help="the short version make test runs (~2 minutes)"
    )
    parser.add_argument("--appointments", type=int, help="default 300 (short: 40)")
    parser.add_argument("--businesses", type=int, help="default 6 (short: 2)")
    parser.add_argument("--marks", type=int, help="minutes with reminders due: 5 (short: 1)")
    parser.add_argument(
        "--broker-outage", type=float, help="seconds the broker is away: 60 (short: 8)"
    )
    parser.add_argument("--kills", type=int, help="kills of each process: 3 (short: 1)")
    parser.add_argument(
        "--changes-during-outage",
        action=argparse.BooleanOptionalAction,
        help="cancel and reschedule while the appointments worker is down across a mark "
        "(default: on)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the run's folder (logs, mail) even when it passes"
    )
    args = parser.parse_args(argv)
    short = args.short
    budget = FaultBudget(
        kills_each=args.kills if args.kills is not None else (1 if short else 3),
        pause=(1.0, 3.0) if short else (2.0, 8.0),
        broker_outages=1 if short else 2,
        broker_outage=args.broker_outage or (8.0 if short else 60.0),
        postgres_restarts=1,
        temporal_restarts=1,
        server_pause=1.0 if short else 3.0,
        aim_at_bursts=not short,
    )
    return Options(
        seed=args.seed,
        short=short,
        appointments=args.appointments or (40 if short else 300),
        businesses=args.businesses or (2 if short else 6),
        marks=args.marks or (1 if short else 5),
        lead=20.0 if short else 50.0,
        change_lead=(8.0, 14.0) if short else (35.0, 50.0),
        budget=budget,
        greylist_times=2 if short else 3,
        settle_timeout=90.0 if short else 240.0,
        changes_during_outage=args.changes_during_outage is not False,
        keep=args.keep,
    )


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def clock(instant: datetime | None, zero: datetime) -> str:
    return "   ?   " if instant is None else f"{(instant - zero).total_seconds():7.1f}"


class Run:
    def __init__(self, options: Options, run_dir: Path) -> None:
        self.options = options
        self.run_dir = run_dir
        self.rng = random.Random(options.seed)
        self.sink = MailSink(
            run_dir / "mail.jsonl", GREYLISTED, options.greylist_times, SMTP_QUIT_LATENCY
        )
        self.sink.start(free_port())
        self.stack = Stack(run_dir, self.sink.port)
        self.temporal_durable: bool | None = None
        self.started = time.monotonic()

    async def execute(self) -> int:
        stack = self.stack
        say(f"chaos: run folder {self.run_dir}")
        say("chaos: starting PostgreSQL, the Temporal dev server and the broker")
        await asyncio.to_thread(stack.start_servers)
        self.temporal_durable = await stack.temporal_survives_restart()
        say(f"chaos: Temporal keeps its workflows across kill -9: {self.temporal_durable}")
        stack.start_platform()
        await stack.wait_ready()
        say(f"chaos: platform ready after {time.monotonic() - self.started:.0f} s")
        api = Api(stack.api_base)
        temporal = await stack.temporal_client()
        try:
            return await self._load_and_judge(api, temporal)
        finally:
            await api.close()

    async def _load_and_judge(self, api: Api, temporal: Client) -> int:
        options, stack, rng = self.options, self.stack, self.rng
        tag = uuid.uuid4().hex[:8]
        placeholder = now()
        businesses = list(
            await asyncio.gather(
                *(
                    set_up_business(api, lambda: self.sink.received, i, tag, placeholder)
                    for i in range(options.businesses)
                )
            )
        )
        zero = now()
        first_mark = ceil_minute(zero + timedelta(seconds=options.lead))
        marks = [first_mark + timedelta(minutes=i) for i in range(options.marks)]
        first_slot = ceil_minute(marks[-1] + START_MARGIN, 5)
        for business in businesses:
            business.first_slot = first_slot
        per_business = [
            options.appointments // options.businesses
            + (i < options.appointments % options.businesses)
            for i in range(options.businesses)
        ]
        if max(per_business) > 80:
            raise SystemExit("at most 80 appointments per business (the Free plan's month)")
        # The short run's faults that spare the sends need room after its one mark.
        span = (marks[-1] - zero).total_seconds() + (25 if options.short else 10)
        budget = options.budget
        if not self.temporal_durable:
            budget = FaultBudget(**{**budget.__dict__, "temporal_restarts": 0})
        # The changes during an outage need a mark after the bookings.
        outage_mark = rng.choice(marks[1:] or marks)
        outage = Fault(
            round((outage_mark - zero).total_seconds() - OUTAGE_BEFORE_MARK, 1),
            "worker-appointments",
            OUTAGE_SECONDS,
            note=f" (cancels and a reschedule asked meanwhile, {OUTAGE_CHANGES_BEFORE_MARK:.0f} s"
            " before the mark)",
        )
        bursts = [(m - zero).total_seconds() for m in marks]
        reserved = [outage] if options.changes_during_outage else []
        faults = plan_faults(rng, budget, span, bursts, reserved=reserved)
        say(
            f"chaos: {options.appointments} appointments in {options.businesses} businesses, "
            f"reminders due at {', '.join(f'{m:%H:%M}' for m in marks)} UTC; "
            f"{len(faults)} faults over {span:.0f} s"
        )
        load = Load(api, temporal, rng, marks, GREYLISTED)
        injector = Injector(stack, zero, self._reminders_since)
        faults_done = asyncio.create_task(injector.run(faults))
        watcher = asyncio.create_task(injector.watch())
        greylist = asyncio.create_task(self._rearm_greylist(marks))
        try:
            await load.book_all(businesses, per_business)
            say(f"chaos: {len(load.bookings)} booked after {(now() - zero).total_seconds():.0f} s")
            asked = outage_mark - timedelta(seconds=OUTAGE_CHANGES_BEFORE_MARK)
            changes = (
                load.changes_at(outage_mark, asked, OUTAGE_CHANGES)
                if options.changes_during_outage
                else []
            )
            changes += load.plan_changes(
                CHANGE_SHARES, now() + timedelta(seconds=2), options.change_lead
            )
            await load.run_changes(changes)
            await faults_done
            say("chaos: faults done; waiting for the platform to settle")
            bookings = {b.id: b for b in load.bookings}
            findings = await self._settle(api, temporal, load, marks[-1])
        finally:
            injector.stop_watching()
            greylist.cancel()
            await asyncio.gather(watcher, greylist, return_exceptions=True)
        self._report(findings, faults, injector, load, marks, zero, bookings)
        failed = any(v.ok is False for v in findings.verdicts) or bool(load.problems)
        return 1 if failed else 0

    def _reminders_since(self, instant: datetime) -> int:
        return sum(1 for m in self.sink.received if m.kind == "reminder" and m.at >= instant)

    async def _rearm_greylist(self, marks: list[datetime]) -> None:
        for mark in marks:
            await asyncio.sleep(max(0.0, (mark - now()).total_seconds() - 1))
            self.sink.rearm_greylist()

    async def _settle(
        self, api: Api, temporal: Client, load: Load, last_mark: datetime
    ) -> Findings:
        """Waits (polling, with a deadline) until reminders due are resolved, the outbox is
        drained, analytics agrees and no workflow is busy; then judges what it sees."""
        bookings = {b.id: b for b in load.bookings}
        deadline = time.monotonic() + self.options.settle_timeout
        cutoff = last_mark
        while True:
            await asyncio.sleep(max(0.0, (last_mark - now()).total_seconds() + 2))
            database = await read_database(self.stack.database_url)
            received = self.sink.received
            fates = classify(bookings, database, received, cutoff)
            findings = Findings(fates)
            judge_messages(findings, bookings, database, received)
            judge_ledger(findings, bookings, database)
            judge_outbox(findings, database)
            truth = analytics_truth(load.bookings, fates)
            days = [day for _, day in truth]
            businesses = list({b.business.id: b.business for b in load.bookings}.values())
            measured = await read_analytics(api, businesses, days)
            names = {b.id: b.name for b in businesses}
            judge_analytics(findings, truth, measured, names)
            states = await read_workflows(temporal, load.bookings)
            judge_workflows(findings, bookings, states, await count_workflows(temporal))
            if all(v.ok is not False for v in findings.verdicts) or time.monotonic() > deadline:
                return findings
            # Quiet: nothing left to send or deliver, so a failure seen now is final.
            settling = ("outbox drained", "analytics days", "workflows still busy")
            quiet = all(
                v.ok is not False for v in findings.verdicts if v.promise.startswith(settling)
            ) and not any(f.expectation == "due" and f.row.status == "pending" for f in fates)
            if quiet:
                return findings
            await asyncio.sleep(3)

    def _report(
        self,
        findings: Findings,
        faults: list[Fault],
        injector: Injector,
        load: Load,
        marks: list[datetime],
        zero: datetime,
        bookings: dict[uuid.UUID, Booking],
    ) -> None:
        options = self.options
        out: list[str] = []
        cancelled = sum(1 for b in load.bookings if b.status == "cancelled")
        moved = sum(1 for b in load.bookings if len(b.versions) > 1)
        out.append(
            f"chaos run ({'short' if options.short else 'full'}): seed {options.seed}, "
            f"{len(load.bookings)} appointments in {options.businesses} businesses, "
            f"{cancelled} cancelled, {moved} rescheduled; reminders due at "
            f"{len(marks)} marks from {marks[0]:%H:%M} UTC; wall time "
            f"{time.monotonic() - self.started:.0f} s"
        )
        out.append("")
        out.append("timeline (t = seconds after booking began)")
        out.append(f"  {'t':>7}  {'until':>7}  what")
        lines: list[tuple[float, str]] = []
        for fault in faults:
            start = (fault.started - zero).total_seconds() if fault.started else fault.at
            until = clock(fault.ended, zero)
            note = f"  NOT INJECTED: {fault.error}" if fault.error else ""
            lines.append((start, f"  {start:7.1f}  {until}  {fault.action}{note}"))
        for event in injector.events:
            t = (event.at - zero).total_seconds()
            lines.append((t, f"  {t:7.1f}  {'':7}  !! {event.what}"))
        for n, mark in enumerate(marks, 1):
            at_mark = [
                f for f in findings.fates if f.row.remind_at == mark and f.expectation != "ended"
            ]
            late = [f.lateness for f in at_mark if f.lateness is not None]
            t = (mark - zero).total_seconds()
            lines.append(
                (
                    t,
                    f"  {t:7.1f}  {'':7}  mark {n}: {len(at_mark)} reminders due, "
                    f"{len(late)} received; lateness {lateness_line(late)}",
                )
            )
        out += [line for _, line in sorted(lines, key=lambda item: item[0])]
        out.append("")
        late_all = [f.lateness for f in findings.fates if f.lateness is not None]
        out.append(f"lateness (received - remind_at), all reminders: {lateness_line(late_all)}")
        slow = sorted(
            (f for f in findings.fates if f.lateness is not None and f.lateness > 10),
            key=lambda f: -(f.lateness or 0),
        )
        if slow:
            out.append(f"  {len(slow)} reminders later than 10 s, e.g.:")
            for f in slow[:5]:
                out.append(
                    f"    reminder {f.row.id} due t={clock(f.row.remind_at, zero).strip()} "
                    f"received t={clock(min(m.at for m in f.received), zero).strip()}"
                )
        out.append(
            f"greylisting: {self.sink.greylist_refusals} RCPTs to {GREYLISTED} answered 451; "
            f"API requests retried during outages: {load.api.retried}"
        )
        if self.temporal_durable is False:
            out.append(
                "Temporal dev server restart NOT injected: its workflows did not survive "
                "kill -9 and a restart on the same database file"
            )
        out.append(
            "broker outages: connections cut and the port closed at the broker's address (the "
            "embedded broker keeps messages in memory only, so its process is left running)"
        )
        out.append("")
        width = max(len(v.promise) for v in findings.verdicts)
        out.append(f"  {'promise':<{width}}  {'expected':>9}  {'measured':>16}  verdict")
        for v in findings.verdicts:
            verdict = "info" if v.ok is None else ("PASS" if v.ok else "FAIL")
            out.append(f"  {v.promise:<{width}}  {v.expected:>9}  {v.measured:>16}  {verdict}")
        crashes = len(injector.events)
        out.append(
            f"  {'processes that exited without being killed':<{width}}  {'0':>9}  "
            f"{crashes:>16}  {'info' if crashes == 0 else 'NOTE'}"
        )
        if load.problems:
            out.append("")
            out.append(f"the load itself failed {len(load.problems)} times (the run is invalid):")
            out += [f"  {p}" for p in load.problems[:20]]
        if findings.details:
            out.append("")
            out.append("details:")
            out += [f"  {d}" for d in findings.details[:60]]
            if len(findings.details) > 60:
                out.append(f"  … and {len(findings.details) - 60} more")
        failed = any(v.ok is False for v in findings.verdicts) or bool(load.problems)
        out.append("")
        out.append(f"RESULT: {'FAIL' if failed else 'PASS'} (seed {options.seed})")
        print("\n".join(out), flush=True)

    def close(self, keep: bool) -> None:
        self.stack.stop()
        self.sink.stop()
        if keep:
            say(f"chaos: logs, mail and data kept in {self.run_dir}")
        else:
            shutil.rmtree(self.run_dir, ignore_errors=True)


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # the run's clean-up stops every process it started


def main(argv: list[str] | None = None) -> int:
    options = parse_options(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    # Outside pytest's tmp tree (reset to mode 0700 by any session that starts), where the
    # unprivileged user PostgreSQL runs as can reach its data.
    run_dir = Path(tempfile.mkdtemp(prefix="apptremind-chaos-"))
    os.chmod(run_dir, 0o755)
    run = Run(options, run_dir)
    code = 2
    try:
        code = asyncio.run(run.execute())
    except KeyboardInterrupt:
        say("chaos: interrupted")
    except Exception as exc:
        say(f"chaos: the run could not be made: {type(exc).__name__}: {exc}")
    finally:
        run.close(keep=options.keep or code != 0)
    return code
