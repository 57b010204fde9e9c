"""The calendar feed: subscribe once, see every follow-up in Google, Apple or Outlook."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter, Header, Request, Response

from service.api.deps import AccountDep, NowDep, SessionDep
from service.api.routes import AUTHED, PUBLIC, problems
from service.api.routing import UnitOfWorkRoute
from service.api.schemas.webhooks import CalendarRead
from service.services import calendar

router = APIRouter(tags=["calendar"], route_class=UnitOfWorkRoute)
ICS = "text/calendar; charset=utf-8"
_ICS_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {"schema": {"type": "string"}}}, "description": "ICS"},
    304: {"description": "Unchanged since the ETag you sent."},
}


def _ics(body: bytes, if_none_match: str | None) -> Response:
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "private, max-age=300"}
    if if_none_match is not None and _matches(etag, if_none_match):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=ICS, headers=headers)


def _matches(etag: str, if_none_match: str) -> bool:
    # RFC 9110: If-None-Match compares weakly, and proxies that compress weaken ETags (W/"…").
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags


def _urls(request: Request, token: str) -> CalendarRead:
    feed = str(request.url_for("get_calendar_feed_by_token", token=token))
    return CalendarRead(feed_url=feed, webcal_url="webcal://" + feed.split("://", 1)[1])


@router.get("/v1/calendar.ics", response_class=Response, responses=_ICS_RESPONSE | AUTHED)
def get_calendar_feed(
    session: SessionDep,
    account: AccountDep,
    if_none_match: str | None = Header(default=None),
) -> Response:
    """Your open follow-ups as an ICS calendar (one VEVENT each, with a 10-minute alarm)."""
    return _ics(calendar.render_feed(session, account.id), if_none_match)


@router.get(
    "/calendar/{token}.ics",
    response_class=Response,
    responses=_ICS_RESPONSE | problems(404, 422),
    openapi_extra=PUBLIC,
)
def get_calendar_feed_by_token(
    token: str,
    session: SessionDep,
    if_none_match: str | None = Header(default=None),
) -> Response:
    """The same feed at a secret URL, for calendar apps that cannot send headers."""
    account_id = calendar.account_for_token(session, token)
    return _ics(calendar.render_feed(session, account_id), if_none_match)


@router.get("/v1/calendar", response_model=CalendarRead, responses=AUTHED)
def get_calendar(
    request: Request, session: SessionDep, account: AccountDep, now: NowDep
) -> CalendarRead:
    """Your feed's secret URL: paste it into your calendar's "subscribe by URL"."""
    return _urls(request, calendar.feed_token(session, account.id, now=now))


@router.post("/v1/calendar/rotate-token", response_model=CalendarRead, responses=AUTHED)
def rotate_calendar_token(
    request: Request, session: SessionDep, account: AccountDep, now: NowDep
) -> CalendarRead:
    """A new secret URL; the old one answers 404 from now on."""
    return _urls(request, calendar.rotate_token(session, account.id, now=now))
