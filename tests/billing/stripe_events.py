"""Stripe events as Stripe sends them, signed in the test the way Stripe signs them."""

import hashlib
import hmac
import json
import time
import uuid
from typing import Any

WEBHOOK_SECRET = "whsec_test_" + "s" * 32
WEBHOOK = "/api/v1/billing/webhook"
MONTH = 30 * 24 * 3600


def event(event_type: str, obj: dict[str, Any], created: int | None = None) -> dict[str, Any]:
    return {
        "id": f"evt_{uuid.uuid4().hex}",
        "object": "event",
        "api_version": "2025-06-30.basil",
        "type": event_type,
        "created": created if created is not None else int(time.time()),
        "livemode": False,
        "data": {"object": obj},
    }


def subscription(
    subscription_id: str, customer: str, status: str = "active", period_end: int | None = None
) -> dict[str, Any]:
    end = period_end or int(time.time()) + MONTH
    return {
        "id": subscription_id,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "cancel_at_period_end": False,
        # Newer API versions carry the period on the subscription's items.
        "items": {"object": "list", "data": [{"id": "si_1", "current_period_end": end}]},
    }


def checkout_completed(session_id: str, customer: str, subscription_id: str, business_id: str):
    return {
        "id": session_id,
        "object": "checkout.session",
        "mode": "subscription",
        "status": "complete",
        "payment_status": "paid",
        "customer": customer,
        "subscription": subscription_id,
        "client_reference_id": business_id,
        "metadata": {"business_id": business_id},
    }


def invoice(invoice_id: str, customer: str, amount: int = 2900, paid: bool = True, **extra):
    return {
        "id": invoice_id,
        "object": "invoice",
        "customer": customer,
        "amount_due": amount,
        "amount_paid": amount if paid else 0,
        "currency": "eur",
        "status": "paid" if paid else "open",
        **extra,
    }


def signature(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    t = timestamp if timestamp is not None else int(time.time())
    mac = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


async def deliver(client, evt: dict[str, Any], **signing: Any):
    payload = json.dumps(evt).encode()
    return await client.post(
        WEBHOOK,
        content=payload,
        headers={
            "Stripe-Signature": signature(payload, **signing),
            "content-type": "application/json",
        },
    )
