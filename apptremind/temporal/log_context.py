"""Temporal's ids on every log line written inside an activity."""

import logging

from temporalio import activity


class ActivityLogContext(logging.Filter):
    """Gives a record logged inside an activity by any logger the activity's ids, the
    `temporal_activity` dict Temporal's own activity.logger attaches (logs.JsonFormatter
    writes it out)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "temporal_activity") and activity.in_activity():
            info = activity.info()
            record.temporal_activity = {
                "workflow_id": info.workflow_id,
                "workflow_run_id": info.workflow_run_id,
                "activity_id": info.activity_id,
                "activity_type": info.activity_type,
                "attempt": info.attempt,
            }
        return True


def log_activity_context() -> None:
    """Installs the filter on the process's log handlers (configured by `configure_logging`)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, ActivityLogContext) for f in handler.filters):
            handler.addFilter(ActivityLogContext())
