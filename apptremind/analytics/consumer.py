"""The analytics consumer: appointment and notification events into daily figures."""

from apptremind.analytics.facts import COLUMNS, SCHEMAS
from apptremind.analytics.models import AnalyticsProcessedEvent, AppointmentFact
from apptremind.analytics.repository import MERGE_NEW_EVENTS
from apptremind.consumers.runner import ConsumerSpec

ANALYTICS = ConsumerSpec(
    name="analytics",
    schemas=SCHEMAS,
    processed_events=AnalyticsProcessedEvent.__table__,  # type: ignore[arg-type]
    columns=COLUMNS,
    apply=MERGE_NEW_EVENTS,
    state_tables=[AppointmentFact.__table__],  # type: ignore[list-item]
)
