"""OpenTelemetry traces: one booking followed from the HTTP request through the outbox row,
the relay, the Kafka message and the workflow into the reminder's send.

Off by default. With OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
set, every process exports its spans over OTLP/HTTP (the standard OTEL_* variables apply:
OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, OTEL_RESOURCE_ATTRIBUTES, ...). The W3C
trace context travels as `traceparent`/`tracestate`: in HTTP headers, in the outbox row's
`trace_context` column, in Kafka message headers and in Temporal's workflow and activity
headers (the SDK's TracingInterceptor).
"""

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.trace import Link, Span, SpanKind

logger = logging.getLogger("apptremind.tracing")

TRACER_NAME = "apptremind"
_provider: TracerProvider | None = None


def otlp_configured(environ: Mapping[str, str] = os.environ) -> bool:
    return bool(
        environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        or environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )


def configure_tracing(
    service: str,
    exporter: SpanExporter | None = None,
    processor: SpanProcessor | None = None,
) -> bool:
    """Sets up this process's tracer provider once; True when traces are recorded.

    Without an exporter (or processor) given, spans go over OTLP/HTTP when it is configured
    and nowhere otherwise (tracing stays off: no provider, no interceptor, no cost)."""
    global _provider
    if _provider is not None:
        return True
    if exporter is None and processor is None:
        if not otlp_configured() or os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
            return False
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()
    resource = Resource.create({SERVICE_NAME: os.environ.get("OTEL_SERVICE_NAME", service)})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(processor or BatchSpanProcessor(exporter))  # type: ignore[arg-type]
    trace.set_tracer_provider(provider)
    _provider = provider
    logger.info("traces of %s are exported", service)
    return True


def tracing_enabled() -> bool:
    return _provider is not None


def flush_traces(timeout_millis: int = 5000) -> None:
    """Sends the spans still buffered (before a process exits)."""
    if _provider is not None:
        _provider.force_flush(timeout_millis)


def tracer_provider() -> trace.TracerProvider:
    return _provider if _provider is not None else trace.get_tracer_provider()


def tracer() -> trace.Tracer:
    return tracer_provider().get_tracer(TRACER_NAME)


def current_trace_context() -> dict[str, str] | None:
    """The current span's context as W3C headers (`traceparent`, maybe `tracestate`), or None
    outside a recorded trace."""
    if not trace.get_current_span().get_span_context().is_valid:
        return None
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier or None


def current_trace_id() -> str | None:
    span_context = trace.get_current_span().get_span_context()
    return format(span_context.trace_id, "032x") if span_context.is_valid else None


def kafka_headers(carrier: Mapping[str, str] | None) -> list[tuple[str, bytes]]:
    return [(key, value.encode()) for key, value in (carrier or {}).items()]


def carrier_from_kafka_headers(headers: Any) -> dict[str, str]:
    return {
        key: value.decode("latin-1")
        for key, value in headers or ()
        if key in ("traceparent", "tracestate") and isinstance(value, bytes)
    }


@contextmanager
def batch_span(name: str, kafka_headers_of: Callable[[], Iterable[Any]]) -> Iterator[None]:
    """A consumer's span over one batch, linked to the trace of each message in it.

    A batch applies the events of many bookings in one statement, so it continues none of
    their traces: each message's trace gets a link to the span instead (OpenTelemetry's
    shape for batch processing). The headers are read only when tracing is on."""
    if _provider is None:
        yield
        return
    links = []
    for headers in kafka_headers_of():
        carrier = carrier_from_kafka_headers(headers)
        span_context = trace.get_current_span(propagate.extract(carrier)).get_span_context()
        if span_context.is_valid:
            links.append(Link(span_context))
    with tracer().start_as_current_span(
        name, context=otel_context.Context(), kind=SpanKind.CONSUMER, links=links
    ):
        yield


@contextmanager
def span_from(
    name: str,
    carrier: Mapping[str, str] | None,
    kind: SpanKind = SpanKind.INTERNAL,
    attributes: Mapping[str, Any] | None = None,
) -> Iterator[Span | None]:
    """A span continuing the trace whose context `carrier` holds (a new trace without one).

    Yields None, and records nothing, when tracing is off."""
    if _provider is None:
        yield None
        return
    parent = propagate.extract(dict(carrier)) if carrier else otel_context.Context()
    token = otel_context.attach(parent)
    try:
        with tracer().start_as_current_span(name, kind=kind, attributes=attributes) as span:
            yield span
    finally:
        otel_context.detach(token)


def instrument_engine(engine: Any) -> None:
    """SQL statements as child spans (the SQLAlchemy instrumentation), when tracing is on."""
    if _provider is None:
        return
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
    from opentelemetry.metrics import get_meter

    # Per engine rather than SQLAlchemyInstrumentor().instrument(), which instruments one
    # engine per process; the connection-usage figure goes to no meter.
    usage = get_meter(TRACER_NAME).create_up_down_counter(
        "db.client.connections.usage", unit="connections"
    )
    EngineTracer(tracer(), engine.sync_engine, usage)
