"""Logging: one JSON line per record outside a terminal, readable lines inside one.

Each JSON line carries the request id (API), the trace and span ids when the record is
written inside a traced span, and the workflow / activity ids Temporal's loggers attach."""

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            entry["trace_id"] = format(span.trace_id, "032x")
            entry["span_id"] = format(span.span_id, "016x")
        # Temporal's workflow.logger and activity.logger attach these dicts (workflow id, run
        # id, activity id, attempt, ...); in a worker, a plain logger inside an activity gets
        # the same ids (apptremind/temporal/log_context.py).
        for key in ("temporal_workflow", "temporal_activity"):
            value = getattr(record, key, None)
            if isinstance(value, dict):
                entry[key] = value
        # `logger.info(..., extra={"fields": {...}})`: ids and figures as JSON keys of their own.
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update((key, value) for key, value in fields.items() if key not in entry)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(process: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if sys.stderr.isatty():
        handler.setFormatter(logging.Formatter(f"%(asctime)s {process} %(levelname)s %(message)s"))
    else:
        handler.setFormatter(JsonFormatter())
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    logging.getLogger("uvicorn.access").disabled = True  # the API logs its own access lines
