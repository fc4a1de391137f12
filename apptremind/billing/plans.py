"""The plans a business can be on, and their limits: the one place that defines them."""

from dataclasses import dataclass

from apptremind.billing.exceptions import PlanLimitExceeded

FREE_TIER = "free"
PRO_TIER = "pro"
CHECKOUT_PATH = "/api/v1/billing/checkout"


@dataclass(frozen=True)
class Plan:
    tier: str
    name: str
    max_active_staff: int | None  # None: unlimited
    monthly_bookings: int | None  # per calendar month in the business's time zone
    reminder_channels: frozenset[str]

    def deliverable_channels(self, channels: list[str]) -> list[str]:
        """The configured channels this plan sends on (a downgrade keeps `sms` listed)."""
        return [channel for channel in channels if channel in self.reminder_channels]

    def ensure_channels(self, channels: list[str]) -> None:
        refused = sorted(set(channels) - self.reminder_channels)
        if refused:
            raise PlanLimitExceeded(
                f"{', '.join(refused).upper()} reminders are not part of the {self.name} plan; "
                "upgrade to Pro to send them",
                limit="reminder_channels",
                plan=self.tier,
                allowed=sorted(self.reminder_channels),
            )

    def ensure_staff_capacity(self, active_staff: int) -> None:
        if self.max_active_staff is not None and active_staff >= self.max_active_staff:
            raise PlanLimitExceeded(
                f"The {self.name} plan includes {self.max_active_staff} active staff member; "
                "upgrade to Pro for unlimited staff",
                limit="staff",
                plan=self.tier,
                allowed=self.max_active_staff,
            )

    def ensure_booking_capacity(self, booked_this_month: int) -> None:
        if self.monthly_bookings is not None and booked_this_month >= self.monthly_bookings:
            raise PlanLimitExceeded(
                "This business cannot take more online bookings this month. Please contact "
                "the business directly. (Owner: the plan's monthly booking limit is reached; "
                "upgrade to Pro for unlimited bookings.)",
                limit="monthly_bookings",
                plan=self.tier,
                allowed=self.monthly_bookings,
            )


FREE = Plan(
    tier=FREE_TIER,
    name="Free",
    max_active_staff=1,
    monthly_bookings=100,
    reminder_channels=frozenset({"email"}),
)
PRO = Plan(
    tier=PRO_TIER,
    name="Pro",
    max_active_staff=None,
    monthly_bookings=None,
    reminder_channels=frozenset({"email", "sms"}),
)
PLANS = {plan.tier: plan for plan in (FREE, PRO)}


def plan_for(tier: str) -> Plan:
    return PLANS[tier]
