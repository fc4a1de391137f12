"""The official Stripe SDK, set up once per process: async HTTP, STRIPE_API_BASE honoured."""

import stripe

from apptremind.settings import Settings

REQUEST_TIMEOUT_SECONDS = 10


def create_stripe_http_client() -> stripe.HTTPXClient:
    """httpx's async client: Stripe calls never block the event loop. Close it on shutdown."""
    return stripe.HTTPXClient(timeout=REQUEST_TIMEOUT_SECONDS)


def create_stripe_client(settings: Settings, http_client: stripe.HTTPClient) -> stripe.StripeClient:
    api_base = settings.stripe_api_base.rstrip("/")
    return stripe.StripeClient(
        settings.stripe_secret_key.get_secret_value() or "sk_test_unset",
        base_addresses={"api": api_base} if api_base else {},
        http_client=http_client,
        # Retried POSTs carry the SDK's idempotency key, so they are never applied twice.
        max_network_retries=2,
    )
