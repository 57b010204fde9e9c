"""The agenda: one call for a home screen (what is overdue, due today, coming up)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from service.api.deps import AccountDep, NowDep, SessionDep, UnitOfWorkRoute
from service.api.http import one
from service.api.routes import AUTHED, headers
from service.api.schemas.agenda import AgendaRead
from service.services.planning import agenda

router = APIRouter(prefix="/v1", tags=["agenda"], route_class=UnitOfWorkRoute)

DaysQuery = Annotated[int, Query(ge=1, le=60, description="How many days ahead to look (1 to 60).")]


@router.get("/agenda", response_model=AgendaRead, responses=AUTHED | headers(200, "ETag"))
def get_agenda(
    session: SessionDep, account: AccountDep, now: NowDep, days: DaysQuery = 7
) -> Response:
    """Your home screen in one call: what is overdue, due today and coming up.

    `items` are the open next actions due in the next `days` (and any overdue), each with
    its organization, contact, script and links. "Today" ends at midnight in your settings'
    time zone. `attention` lists the organizations that need you: paused, without contacts,
    with only recruiters, or with nothing planned.
    """
    return one(AgendaRead, agenda.get_agenda(session, account.id, now, days=days))
