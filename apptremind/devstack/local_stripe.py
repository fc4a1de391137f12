"""A stand-in for the part of Stripe's API that ApptRemind uses, on loopback.

`apptremind dev` starts it when no STRIPE_SECRET_KEY is set, so checkout works on a fresh
machine; the tests point the real `stripe` SDK at it too. Its checkout page has a Pay
button that does what Stripe does after a successful payment: it creates the subscription
and delivers signed `checkout.session.completed`, `customer.subscription.created` and
`invoice.paid` / `invoice.payment_succeeded` events to the webhook; cancelling a subscription
(`DELETE /v1/subscriptions/<id>`) sends `customer.subscription.deleted`. Its customer portal
(`POST /v1/billing_portal/sessions`) is a page that shows the customer's subscriptions and
invoices, cancels a subscription as Stripe's portal does (the signed
`customer.subscription.deleted` event) and links back to the session's `return_url`.
"""

import hashlib
import hmac
import html
import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse

PRO_PRICE_AMOUNT = 2900  # minor units
MONTH_SECONDS = 30 * 24 * 3600


def stripe_signature(payload: bytes, secret: str, timestamp: int) -> str:
    """The Stripe-Signature header Stripe sends: HMAC-SHA256 of "<t>.<payload>"."""
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@dataclass
class LocalStripeState:
    public_url: str = ""
    webhook_url: str = ""
    # Tests may route the webhook deliveries to an in-process app instead of the network.
    webhook_transport: httpx.AsyncBaseTransport | None = None
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    invoices: dict[str, dict[str, Any]] = field(default_factory=dict)
    portal_sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_idempotency_key: dict[str, dict[str, Any]] = field(default_factory=dict)
    # A test sets this to have the next API call refused with Stripe's error shape.
    refuse_next: str | None = None


def create_local_stripe(public_url: str, webhook_url: str, webhook_secret: str) -> FastAPI:
    app = FastAPI(title="Local Stripe stand-in")
    state = LocalStripeState(public_url=public_url.rstrip("/"), webhook_url=webhook_url)
    app.state.stripe = state

    async def created(request: Request, build: Any) -> JSONResponse:
        if state.refuse_next:
            message, state.refuse_next = state.refuse_next, None
            error = {"message": message, "type": "invalid_request_error"}
            return JSONResponse({"error": error}, status_code=400)
        key = request.headers.get("Idempotency-Key")
        if key and key in state.by_idempotency_key:
            return JSONResponse(state.by_idempotency_key[key])
        obj = build(_nested(dict(parse_qsl((await request.body()).decode()))))
        if key:
            state.by_idempotency_key[key] = obj
        return JSONResponse(obj)

    @app.post("/v1/customers")
    async def create_customer(request: Request) -> JSONResponse:
        def build(params: dict[str, Any]) -> dict[str, Any]:
            customer = {
                "id": _id("cus"),
                "object": "customer",
                "name": params.get("name"),
                "metadata": params.get("metadata", {}),
            }
            state.customers[customer["id"]] = customer
            return customer

        return await created(request, build)

    @app.post("/v1/checkout/sessions")
    async def create_checkout_session(request: Request) -> JSONResponse:
        def build(params: dict[str, Any]) -> dict[str, Any]:
            session_id = _id("cs_test")
            checkout = {
                "id": session_id,
                "object": "checkout.session",
                "url": f"{public_url}/checkout/{session_id}",
                "status": "open",
                "payment_status": "unpaid",
                "subscription": None,
                **params,
            }
            state.sessions[session_id] = checkout
            return checkout

        return await created(request, build)

    @app.post("/v1/billing_portal/sessions")
    async def create_portal_session(request: Request) -> JSONResponse:
        def build(params: dict[str, Any]) -> dict[str, Any]:
            portal_id = _id("bps")
            portal = {
                "id": portal_id,
                "object": "billing_portal.session",
                "customer": params.get("customer"),
                "return_url": params.get("return_url"),
                "created": int(time.time()),
                "livemode": False,
                "url": f"{state.public_url}/portal/{portal_id}",
            }
            state.portal_sessions[portal_id] = portal
            return portal

        if state.refuse_next is None:
            params = _nested(dict(parse_qsl((await request.body()).decode())))
            if params.get("customer") not in state.customers:
                error = {
                    "message": f"No such customer: '{params.get('customer')}'",
                    "type": "invalid_request_error",
                }
                return JSONResponse({"error": error}, status_code=400)
        return await created(request, build)

    @app.get("/portal/{portal_id}", response_class=HTMLResponse)
    async def portal_page(portal_id: str) -> HTMLResponse:
        portal = state.portal_sessions.get(portal_id)
        if portal is None:
            return HTMLResponse("<p>Unknown portal session.</p>", status_code=404)
        return HTMLResponse(portal_html(state, portal))

    @app.post("/portal/{portal_id}/subscriptions/{subscription_id}/cancel")
    async def portal_cancel(portal_id: str, subscription_id: str) -> HTMLResponse:
        portal = state.portal_sessions.get(portal_id)
        if portal is None:
            return HTMLResponse("<p>Unknown portal session.</p>", status_code=404)
        events = cancel_in_portal(state, portal, subscription_id)
        if not events:
            return HTMLResponse("<p>No such active subscription.</p>", status_code=404)
        delivered = [await deliver(event) for event in events]
        return HTMLResponse(
            f"<p>Subscription {html.escape(subscription_id)} cancelled. "
            f"Webhook answers: {', '.join(map(str, delivered))}</p>" + portal_html(state, portal)
        )

    @app.get("/invoices/{invoice_id}", response_class=HTMLResponse)
    async def invoice_page(invoice_id: str) -> HTMLResponse:
        invoice = state.invoices.get(invoice_id)
        if invoice is None:
            return HTMLResponse("<p>Unknown invoice.</p>", status_code=404)
        amount = f"{invoice['amount_paid'] / 100:.2f} {invoice['currency'].upper()}"
        return HTMLResponse(
            f"<h1>Invoice {html.escape(invoice['number'])}</h1>"
            f"<p>{amount}, {html.escape(invoice['status'])}. Local test invoice: nothing was "
            "charged.</p>"
        )

    @app.get("/v1/subscriptions/{subscription_id}")
    async def get_subscription(subscription_id: str) -> JSONResponse:
        found = state.subscriptions.get(subscription_id)
        if found is None:
            error = {"message": "No such subscription", "type": "invalid_request_error"}
            return JSONResponse({"error": error}, status_code=404)
        return JSONResponse(found)

    @app.get("/checkout/{session_id}", response_class=HTMLResponse)
    async def checkout_page(session_id: str) -> str:
        if session_id not in state.sessions:
            return "<p>Unknown checkout session.</p>"
        checkout = state.sessions[session_id]
        cancel = checkout.get("cancel_url")
        return (
            "<h1>ApptRemind Pro</h1><p>Local test checkout: no card is charged.</p>"
            f'<form method="post" action="/checkout/{session_id}/pay">'
            '<button type="submit">Pay</button></form>'
            + (f'<p><a href="{html.escape(cancel)}">Cancel and go back</a></p>' if cancel else "")
        )

    @app.post("/checkout/{session_id}/pay", response_class=HTMLResponse)
    async def pay(session_id: str) -> str:
        checkout = state.sessions.get(session_id)
        if checkout is None:
            return "<p>Unknown checkout session.</p>"
        delivered = [await deliver(event) for event in complete_checkout(state, checkout)]
        success = checkout.get("success_url")
        # Like Stripe, back to the business's success URL (after a moment to read this).
        back = (
            f'<meta http-equiv="refresh" content="2;url={html.escape(success)}">'
            f'<p><a href="{html.escape(success)}">Return to ApptRemind</a></p>'
            if success
            else ""
        )
        return (
            f"<p>Paid: subscription {checkout['subscription']} of customer "
            f"{checkout.get('customer')}. Webhook answers: {', '.join(map(str, delivered))}</p>"
            + back
        )

    @app.delete("/v1/subscriptions/{subscription_id}")
    async def cancel_subscription(subscription_id: str) -> JSONResponse:
        """Cancels at once, as Stripe's API does, and sends customer.subscription.deleted."""
        found = state.subscriptions.get(subscription_id)
        if found is None:
            error = {"message": "No such subscription", "type": "invalid_request_error"}
            return JSONResponse({"error": error}, status_code=404)
        found["status"] = "canceled"
        await deliver(_event("customer.subscription.deleted", found, int(time.time())))
        return JSONResponse(found)

    async def deliver(event: dict[str, Any]) -> int:
        payload = json.dumps(event).encode()
        header = stripe_signature(payload, webhook_secret, int(time.time()))
        async with httpx.AsyncClient(timeout=10, transport=state.webhook_transport) as http:
            response = await http.post(
                state.webhook_url,
                content=payload,
                headers={"Stripe-Signature": header, "Content-Type": "application/json"},
            )
        return response.status_code

    return app


def complete_checkout(state: LocalStripeState, checkout: dict[str, Any]) -> list[dict[str, Any]]:
    """What Stripe does when the customer pays: the subscription, its invoice, the events."""
    now = int(time.time())
    subscription_id = _id("sub")
    subscription = {
        "id": subscription_id,
        "object": "subscription",
        "customer": checkout.get("customer"),
        "status": "active",
        "cancel_at_period_end": False,
        "current_period_end": now + MONTH_SECONDS,
        "metadata": checkout.get("metadata", {}),
    }
    state.subscriptions[subscription_id] = subscription
    checkout.update(status="complete", payment_status="paid", subscription=subscription_id)
    invoice_id = _id("in")
    invoice = {
        "id": invoice_id,
        "object": "invoice",
        "customer": checkout.get("customer"),
        "subscription": subscription_id,
        "number": f"LOCAL-{len(state.invoices) + 1:04d}",
        "created": now,
        "amount_due": PRO_PRICE_AMOUNT,
        "amount_paid": PRO_PRICE_AMOUNT,
        "currency": "usd",
        "status": "paid",
        "status_transitions": {"finalized_at": now, "paid_at": now},
        "hosted_invoice_url": f"{state.public_url}/invoices/{invoice_id}",
    }
    state.invoices[invoice_id] = invoice
    # Stripe announces a paid invoice twice: `invoice.paid` and `invoice.payment_succeeded`.
    return [
        _event("checkout.session.completed", checkout, now),
        _event("customer.subscription.created", subscription, now),
        _event("invoice.paid", invoice, now),
        _event("invoice.payment_succeeded", invoice, now),
    ]


def cancel_in_portal(
    state: LocalStripeState, portal: dict[str, Any], subscription_id: str
) -> list[dict[str, Any]]:
    """What Stripe does when the customer cancels in the portal (cancellation at once): the
    subscription ends and `customer.subscription.deleted` is sent. Nothing for a
    subscription of another customer or one already ended."""
    subscription = state.subscriptions.get(subscription_id)
    if (
        subscription is None
        or subscription.get("customer") != portal.get("customer")
        or subscription.get("status") == "canceled"
    ):
        return []
    now = int(time.time())
    subscription.update(status="canceled", canceled_at=now, ended_at=now)
    return [_event("customer.subscription.deleted", subscription, now)]


def portal_html(state: LocalStripeState, portal: dict[str, Any]) -> str:
    """The portal page: the customer's subscriptions (cancel buttons) and invoices."""
    customer_id = portal.get("customer")
    customer = state.customers.get(str(customer_id), {})
    rows = []
    for subscription in state.subscriptions.values():
        if subscription.get("customer") != customer_id:
            continue
        status = html.escape(str(subscription.get("status")))
        end = subscription.get("current_period_end")
        renews = (
            f", current period ends {datetime.fromtimestamp(end, UTC):%Y-%m-%d}"
            if isinstance(end, int)
            else ""
        )
        cancel = (
            f'<form method="post" action="/portal/{portal["id"]}/subscriptions/'
            f'{subscription["id"]}/cancel"><button type="submit">Cancel subscription</button>'
            "</form>"
            if subscription.get("status") != "canceled"
            else ""
        )
        rows.append(
            f"<li>ApptRemind Pro ({html.escape(subscription['id'])}): {status}{renews}{cancel}</li>"
        )
    invoices = [
        f'<li><a href="{html.escape(i["hosted_invoice_url"])}">{html.escape(i["number"])}</a>: '
        f"{i['amount_paid'] / 100:.2f} {html.escape(i['currency'].upper())}, "
        f"{html.escape(i['status'])}</li>"
        for i in state.invoices.values()
        if i.get("customer") == customer_id
    ]
    return (
        f"<h1>Billing of {html.escape(str(customer.get('name') or customer_id))}</h1>"
        "<p>Local test portal: nothing is charged.</p>"
        f"<h2>Subscription</h2><ul>{''.join(rows) or '<li>No subscription.</li>'}</ul>"
        f"<h2>Invoices</h2><ul>{''.join(invoices) or '<li>No invoices.</li>'}</ul>"
        f'<p><a href="{html.escape(str(portal.get("return_url") or ""))}">'
        "Return to ApptRemind</a></p>"
    )


def _event(event_type: str, obj: dict[str, Any], created: int) -> dict[str, Any]:
    return {
        "id": _id("evt"),
        "object": "event",
        "type": event_type,
        "created": created,
        "livemode": False,
        "data": {"object": obj},
    }


def _id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def _nested(flat: dict[str, str]) -> dict[str, Any]:
    """Stripe's form encoding (`metadata[business_id]=…`, `line_items[0][price]=…`) as
    nested dicts (list indexes stay dict keys)."""
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        parts = key.replace("]", "").split("[")
        target = nested
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return nested
