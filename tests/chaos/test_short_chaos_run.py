"""The short chaos run, `python -m bench.chaos --short` (what `make chaos` runs, smaller):
the whole platform with every part a real OS process, appointments booked, cancelled and
moved while processes are killed, the broker is away, PostgreSQL and Temporal restart.
Every promise it checks must hold, and it must stay well under three minutes."""

import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.devstack.dev_platform import kill_processes_under

REPOSITORY = Path(__file__).resolve().parents[2]
SEED = 1
TIMEOUT_SECONDS = 200

PROMISES = (
    "reminders due for booked appointments, each delivered once",
    "of them lost (never received)",
    "messages received more than once (any kind)",
    "reminders sent after their appointment was cancelled",
    "reminders sent at a moved appointment's old time",
    "reminders naming the wrong appointment or time",
    "reminder rows whose status matches the sink",
    "booked appointments with one confirmation",
    "cancelled appointments with one cancellation notice",
    "outbox drained",
    "analytics days equal to the truth",
    "workflows of cancelled appointments completed",
    "workflows stuck",
)
FAULTS = (
    "kill -9 worker-notifications",
    "kill -9 worker-appointments",
    "kill -9 relay",
    "kill -9 consume-analytics",
    "kill -9 consume-billing",
    "broker unreachable",
    "PostgreSQL immediate shutdown + restart",
    "kill -9 Temporal dev server + restart",
)


def run_short_chaos(errors: Path) -> tuple[int, str]:
    with errors.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.chaos", "--short", "--seed", str(SEED)],
            cwd=REPOSITORY,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        try:
            output, _ = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGTERM)  # the run stops its platform and exits
            try:
                output, _ = process.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                output, _ = process.communicate()
            for line in errors.read_text().splitlines():
                if line.startswith("chaos: run folder "):
                    kill_processes_under(Path(line.removeprefix("chaos: run folder ")))
            raise AssertionError(
                f"the short chaos run took over {TIMEOUT_SECONDS} s:\n{output}\n"
                f"{errors.read_text()[-3000:]}"
            ) from None
    return process.returncode, output


def test_short_chaos_run_keeps_every_promise(tmp_path: Path) -> None:
    started = time.monotonic()
    code, report = run_short_chaos(tmp_path / "stderr.log")
    elapsed = time.monotonic() - started
    errors = (tmp_path / "stderr.log").read_text()

    assert code == 0, f"exit {code}:\n{report}\n{errors[-3000:]}"
    assert f"RESULT: PASS (seed {SEED})" in report, report
    lines = report.splitlines()
    for promise in PROMISES:
        line = next((line for line in lines if promise in line), None)
        assert line is not None, f"no verdict for {promise!r}:\n{report}"
        assert line.rstrip().endswith("PASS"), line
    for fault in FAULTS:
        assert fault in report, f"{fault!r} was not injected:\n{report}"
    assert "NOT INJECTED" not in report, report
    assert "mark 1:" in report, report
    assert elapsed < 180, f"the short run took {elapsed:.0f} s"
