from typing import Any

from apptremind.errors import BadGateway, BadRequest, Conflict, PaymentRequired, ServiceUnavailable

UPGRADE = {
    "plan": "pro",
    "how": "the owner starts a Stripe Checkout: POST /api/v1/billing/checkout",
}


class PlanLimitExceeded(PaymentRequired):
    """An action the business's plan does not include: says which limit and how to upgrade."""

    title = "Plan limit reached"

    def __init__(self, detail: str, *, limit: str, plan: str, **extra: Any) -> None:
        super().__init__(detail, limit=limit, plan=plan, upgrade=UPGRADE, **extra)


class AlreadyPro(Conflict):
    title = "Already on Pro"


class NoBillingAccount(Conflict):
    title = "No billing account"


class InvalidWebhook(BadRequest):
    title = "Invalid webhook"


class BillingNotConfigured(ServiceUnavailable):
    title = "Billing not configured"


class PaymentProviderError(BadGateway):
    title = "Payment provider error"
