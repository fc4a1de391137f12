from datetime import datetime

from pydantic import BaseModel, Field

from apptremind.billing.models import Invoice, InvoiceStatus


class CheckoutResponse(BaseModel):
    checkout_url: str
    session_id: str


class PortalResponse(BaseModel):
    portal_url: str = Field(description="Stripe's customer portal; it links back to /app/billing")


class SubscriptionResponse(BaseModel):
    tier: str
    status: str | None
    current_period_end: datetime | None
    cancel_at_period_end: bool = Field(
        description="true: the plan ends at current_period_end instead of renewing"
    )
    bookings_this_month: int = Field(
        description="bookings made this calendar month (business time zone), not cancelled: "
        "the figure the plan's limit is checked against"
    )
    monthly_booking_limit: int | None = Field(description="null: unlimited (Pro)")
    has_billing_account: bool = Field(
        description="the business has a Stripe customer, so POST /billing/portal works"
    )


class InvoiceResponse(BaseModel):
    id: str = Field(description="Stripe's invoice id")
    number: str | None
    amount: int = Field(description="minor units (cents): paid if paid, else due")
    currency: str = Field(description="ISO 4217, lower case as Stripe reports it")
    status: str = Field(description="open, paid or payment_failed")
    paid_at: datetime | None
    hosted_invoice_url: str | None = Field(description="Stripe's page of the invoice")

    @classmethod
    def of(cls, invoice: Invoice) -> "InvoiceResponse":
        return cls(
            id=invoice.stripe_invoice_id,
            number=invoice.number,
            amount=invoice.amount_paid
            if invoice.status == InvoiceStatus.PAID
            else invoice.amount_due,
            currency=invoice.currency,
            status=invoice.status,
            paid_at=invoice.paid_at,
            hosted_invoice_url=invoice.hosted_invoice_url,
        )


class WebhookAck(BaseModel):
    received: bool = True
    outcome: str
