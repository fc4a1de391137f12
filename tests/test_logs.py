"""JSON log lines carry the ids that tie them to a request, a trace and a Temporal run."""

import json
import logging

from opentelemetry.sdk.trace import TracerProvider

from apptremind.logs import JsonFormatter, request_id_var


def record(**extra) -> logging.LogRecord:
    entry = logging.LogRecord("apptremind.test", logging.INFO, __file__, 1, "hello", (), None)
    for key, value in extra.items():
        setattr(entry, key, value)
    return entry


def test_a_line_keeps_the_fields_temporals_loggers_attach():
    line = json.loads(
        JsonFormatter().format(
            record(
                temporal_workflow={"workflow_id": "appointment-1", "run_id": "r1"},
                temporal_activity={"activity_id": "7", "activity_type": "send_reminder"},
                fields={"reminder_id": "x"},
            )
        )
    )
    assert line["temporal_workflow"]["workflow_id"] == "appointment-1"
    assert line["temporal_activity"]["activity_id"] == "7"
    assert line["reminder_id"] == "x"


def test_a_line_carries_the_request_and_trace_ids():
    tracer = TracerProvider().get_tracer("test")
    token = request_id_var.set("req-12345678")
    try:
        with tracer.start_as_current_span("booking") as span:
            line = json.loads(JsonFormatter().format(record()))
    finally:
        request_id_var.reset(token)
    assert line["request_id"] == "req-12345678"
    assert line["trace_id"] == format(span.get_span_context().trace_id, "032x")
    assert "trace_id" not in json.loads(JsonFormatter().format(record()))
