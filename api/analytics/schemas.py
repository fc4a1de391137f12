from datetime import date

from pydantic import BaseModel, Field


class DaySummaryResponse(BaseModel):
    date: date
    booked: int
    cancelled: int
    completed: int
    no_show: int
    reminders_sent: int
    reminders_failed: int
    no_show_rate: float | None = Field(
        description="no-shows / (completed + no-shows); null when no appointment was closed"
    )
