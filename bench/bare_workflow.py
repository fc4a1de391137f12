"""The baselines of bench_reminders and bench_sleeping: a workflow that sleeps until its due
time and runs an activity that does nothing. Kept in its own module so Temporal's sandbox
imports little."""

from datetime import UTC, datetime, timedelta

from temporalio import activity, workflow

# BareSplitReminder's activity runs on its own task queue: the workflow's, plus this.
ACTIVITY_QUEUE_SUFFIX = "-activities"


@activity.defn(name="bare_noop")
async def bare_noop(due: datetime) -> float:
    return (datetime.now(UTC) - due).total_seconds()


async def _sleep_until(due: datetime) -> None:
    delay = due - workflow.now()
    if delay > timedelta(0):
        await workflow.sleep(delay)


@workflow.defn(name="BareReminder")
class BareReminder:
    """Its activity on the workflow's own task queue: the worker that runs the workflow task
    runs the activity too, handed over eagerly without another poll."""

    @workflow.run
    async def run(self, due: datetime) -> float:
        await _sleep_until(due)
        return await workflow.execute_activity(
            bare_noop, due, start_to_close_timeout=timedelta(seconds=30)
        )


@workflow.defn(name="BareSplitReminder")
class BareSplitReminder:
    """Its activity on another task queue, served by another process, as a reminder goes
    from the appointments worker to the notifications worker: what that split costs."""

    @workflow.run
    async def run(self, due: datetime) -> float:
        await _sleep_until(due)
        return await workflow.execute_activity(
            bare_noop,
            due,
            task_queue=workflow.info().task_queue + ACTIVITY_QUEUE_SUFFIX,
            start_to_close_timeout=timedelta(seconds=30),
        )
