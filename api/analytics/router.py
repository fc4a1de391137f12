from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.analytics.schemas import DaySummaryResponse
from api.deps import PrincipalDep, SessionDep
from apptremind.analytics import service

router = APIRouter(prefix="/analytics", tags=["analytics"])


@router.get("/summary", response_model=list[DaySummaryResponse])
async def summary(
    principal: PrincipalDep,
    session: SessionDep,
    start: Annotated[date, Query(alias="from", description="first local date, inclusive")],
    end: Annotated[date, Query(alias="to", description="last local date, inclusive")],
) -> list[DaySummaryResponse]:
    """The business's figures per local date, built from the events a few seconds behind."""
    days = await service.summary(session, principal.business_id, start, end)
    return [
        DaySummaryResponse(
            date=d.date,
            booked=d.booked,
            cancelled=d.cancelled,
            completed=d.completed,
            no_show=d.no_show,
            reminders_sent=d.reminders_sent,
            reminders_failed=d.reminders_failed,
            no_show_rate=d.no_show_rate,
        )
        for d in days
    ]
