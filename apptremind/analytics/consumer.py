"""The analytics consumer: appointment and notification events into daily figures."""

from apptremind.analytics.facts import SCHEMAS
from apptremind.analytics.models import AnalyticsProcessedEvent, AppointmentFact
from apptremind.analytics.service import apply_events
from apptremind.consumers.runner import ConsumerSpec

ANALYTICS = ConsumerSpec(
    name="analytics",
    schemas=SCHEMAS,
    processed_events=AnalyticsProcessedEvent.__table__,  # type: ignore[arg-type]
    apply=apply_events,
    state_tables=[AppointmentFact.__table__],  # type: ignore[list-item]
)
