"""How long sending one customer message may take, and why the numbers nest as they do.

A reminder is sent inside the transaction that claimed it under its appointment's row lock
(`apptremind/booking/reminder_delivery.py`): claim, one provider call, record the outcome,
commit. A cancel or reschedule takes the same lock, so it either commits before the claim
(nothing is sent) or waits until the send is recorded (the reminder went out first, and the
record says so). The lock across the provider call *is* the guarantee, so the call is
bounded instead, and the bounds nest:

    one provider call                       PROVIDER_TIMEOUT_SECONDS (settings, default 15 s)
      + claim and record (again if lost)    BOOKKEEPING_SECONDS
    = the longest a send attempt runs       send_attempt_seconds()
    <= one attempt's start_to_close         SEND_ATTEMPT_TIMEOUT (the workflows pass it)
    <= the worker's graceful shutdown       worker_shutdown_grace()

- Within start_to_close: Temporal never times out an attempt that is still sending, so it
  never starts a second attempt that would queue behind the first one's lock while the
  first one's outcome goes unreported.
- Within the graceful shutdown: a notification worker stopped by SIGTERM lets the send in
  flight finish and record its outcome. Cancelled halfway, the send's transaction would roll
  back its claim while the message may already be out, and the retry would send it again.
  (Container stop periods, `docker-compose.yml` and the `apptremind dev` supervisor, leave
  the worker longer than this.)
"""

from datetime import timedelta

# start_to_close_timeout of every send activity: reminders, confirmations, change notices,
# password reset emails. Changing it does not change a workflow's commands (no replay issue).
SEND_ATTEMPT_TIMEOUT = timedelta(seconds=60)

# Recording a send the provider accepted, when the database lost the claim's transaction
# (restarted, connection dropped), is tried again in fresh transactions for this long: the
# message is out, and an attempt that fails here would have its retry send it again.
RECORD_AGAIN_SECONDS = 15.0

# Claiming (the row lock, a few reads, one outbox row) and recording (an update, one outbox
# row) are short transactions; this is their allowance within one attempt, recording again
# included.
BOOKKEEPING_SECONDS = 5.0 + RECORD_AGAIN_SECONDS

# A send attempt's worker reports it alive this often, and Temporal gives up on a worker that
# stayed silent for SEND_HEARTBEAT_TIMEOUT (killed, cut off): the send is retried within
# seconds instead of at start_to_close. The appointment's row lock keeps a retry that starts
# while a slow first attempt is still sending from sending again.
SEND_HEARTBEAT_INTERVAL = timedelta(seconds=2)
SEND_HEARTBEAT_TIMEOUT = timedelta(seconds=10)

# Settings refuse a PROVIDER_TIMEOUT_SECONDS above this.
MAX_PROVIDER_TIMEOUT_SECONDS = SEND_ATTEMPT_TIMEOUT.total_seconds() - BOOKKEEPING_SECONDS


def send_attempt_seconds(provider_timeout_seconds: float) -> float:
    """The longest one attempt of a send activity runs."""
    return provider_timeout_seconds + BOOKKEEPING_SECONDS


def worker_shutdown_grace(provider_timeout_seconds: float) -> timedelta:
    """How long a stopping notification worker lets the sends in flight finish."""
    return timedelta(seconds=send_attempt_seconds(provider_timeout_seconds))
