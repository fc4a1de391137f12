"""The baseline of bench_reminders: a workflow that sleeps until its due time and runs an
activity that does nothing. Kept in its own module so Temporal's sandbox imports little."""

from datetime import UTC, datetime, timedelta

from temporalio import activity, workflow


@activity.defn(name="bare_noop")
async def bare_noop(due: datetime) -> float:
    return (datetime.now(UTC) - due).total_seconds()


@workflow.defn(name="BareReminder")
class BareReminder:
    @workflow.run
    async def run(self, due: datetime) -> float:
        delay = due - workflow.now()
        if delay > timedelta(0):
            await workflow.sleep(delay)
        return await workflow.execute_activity(
            bare_noop, due, start_to_close_timeout=timedelta(seconds=30)
        )
