from datetime import datetime

from pydantic import BaseModel


class CheckoutResponse(BaseModel):
    checkout_url: str
    session_id: str


class SubscriptionResponse(BaseModel):
    tier: str
    status: str | None
    current_period_end: datetime | None


class WebhookAck(BaseModel):
    received: bool = True
    outcome: str
