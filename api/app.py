"""The API process: one FastAPI app in the gateway role (auth, CORS, limits, problem+json)."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api import health, metrics
from api.analytics.router import router as analytics_router
from api.auth.router import router as auth_router
from api.billing.router import router as billing_router
from api.booking import captcha
from api.booking.manage import router as customer_router
from api.booking.public_config import router as public_config_router
from api.booking.router import appointments_router, public_router
from api.business.router import router as business_router
from api.errors import install_error_handlers
from api.middleware import (
    BodySizeLimit,
    HttpMetrics,
    RequestContext,
    SecurityHeaders,
    web_app_csp,
)
from api.rate_limits import RateLimit
from api.web_app import install_web_app
from apptremind.auth.passwords import use_hash_threads
from apptremind.billing.stripe_client import create_stripe_client, create_stripe_http_client
from apptremind.db import create_engine, create_sessionmaker
from apptremind.settings import Settings, get_settings
from apptremind.telemetry.tracing import (
    configure_tracing,
    flush_traces,
    instrument_engine,
    tracer_provider,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    # Sized for the requests one process serves at once, without overflow: a connection
    # opened beyond the pool is closed again on return, so under sustained load each request
    # paid for a new PostgreSQL backend. Requests beyond the pool wait for a connection.
    engine = create_engine(settings, pool_size=20, max_overflow=0)
    use_hash_threads(settings.password_hash_threads)
    tracing = configure_tracing("apptremind-api")  # on when OTEL_EXPORTER_OTLP_ENDPOINT is set
    instrument_engine(engine)
    stripe_http = create_stripe_http_client()
    captcha_http = captcha.create_http_client()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The modules and app built at start-up live as long as the process: kept out of
        # the collector, a full collection no longer walks them (~75 ms with the event loop
        # stopped, every few seconds under load: the slowest requests' latency).
        gc.freeze()
        yield
        await stripe_http.close_async()
        await captcha_http.aclose()
        await engine.dispose()
        flush_traces()

    app = FastAPI(
        title="ApptRemind",
        version="0.1.0",
        description="Bookings and reliable reminders for small businesses.",
        lifespan=lifespan,
        # Off (API_DOCS_ENABLED=false), the OpenAPI document and its pages answer 404.
        openapi_url="/openapi.json" if settings.api_docs_enabled else None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = create_sessionmaker(engine)
    app.state.temporal = None
    app.state.stripe = create_stripe_client(settings, stripe_http)
    app.state.captcha_http = captcha_http

    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RateLimit, settings=settings)  # inside CORS: a 429 is readable by pages
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            # Readable by pages of other origins: list paging, request ids, 429 back-off.
            expose_headers=["X-Total-Count", "X-Request-ID", "Retry-After"],
            max_age=600,
        )
    app.add_middleware(RequestContext)
    # Outermost: every answer. The pages' policy lets the CAPTCHA widget in when it is on.
    app.add_middleware(
        SecurityHeaders,
        hsts=settings.hsts_enabled,
        web_app_policy=web_app_csp(captcha.content_sources(settings)),
    )
    app.add_middleware(HttpMetrics)  # around all of it: every answer, its status and time

    v1 = APIRouter(prefix="/api/v1")
    v1.include_router(public_router)  # routes match in order: the busiest (booking) first
    v1.include_router(public_config_router)
    v1.include_router(auth_router)
    v1.include_router(business_router)
    v1.include_router(customer_router)
    v1.include_router(appointments_router)
    v1.include_router(billing_router)
    v1.include_router(analytics_router)
    app.include_router(v1)
    app.include_router(health.router)
    app.include_router(metrics.router)

    if tracing:
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

        FastAPIInstrumentor.instrument_app(
            app, tracer_provider=tracer_provider(), excluded_urls="/metrics,/healthz"
        )
    install_web_app(app, settings.web_dist_dir)
    return app
