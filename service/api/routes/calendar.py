"""The calendar feed: subscribe once, see every follow-up in Google, Apple or Outlook."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter, Header, Request, Response

from service.api.deps import AccountDep, NowDep, SessionDep, UnitOfWorkRoute
from service.api.errors import problem
from service.api.http import location
from service.api.routes import AUTHED, PUBLIC, headers, problems
from service.api.schemas.common import Problem
from service.api.schemas.webhooks import CalendarRead
from service.services.calendar import feed

router = APIRouter(tags=["calendar"], route_class=UnitOfWorkRoute)
ICS = "text/calendar; charset=utf-8"
_ICS_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {"schema": {"type": "string"}}}, "description": "ICS"},
    304: {"description": "Unchanged since the ETag you sent."},
}
_URLS_RESPONSES: dict[int | str, dict[str, Any]] = AUTHED | {
    503: {
        "model": Problem,
        "description": "The server does not know its public address (KEEPWARM_PUBLIC_URL), "
        "or the database is busy (with Retry-After).",
        "content": {"application/problem+json": {}},
    }
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


def _urls(feed: str) -> CalendarRead:
    return CalendarRead(feed_url=feed, webcal_url="webcal://" + feed.split("://", 1)[1])


def _public(request: Request) -> bool:
    # A calendar app needs an absolute URL, which only KEEPWARM_PUBLIC_URL (or a loopback
    # client's own host) gives: a relative one would be useless, a guessed one unsafe.
    return not location(request, "calendar").startswith("/")


def _no_public_url() -> Response:
    return problem(
        503,
        "public-url-unset",
        "Public URL not configured",
        "This server does not know its public address, so it cannot give your calendar a "
        "feed URL: its operator must set KEEPWARM_PUBLIC_URL (for example "
        "https://keepwarm.example.com).",
    )


@router.get(
    "/v1/calendar.ics",
    response_class=Response,
    responses=_ICS_RESPONSE | AUTHED | headers(200, "ETag"),
)
def get_calendar_feed(
    session: SessionDep,
    account: AccountDep,
    now: NowDep,
    if_none_match: str | None = Header(default=None),
) -> Response:
    """Your follow-ups as an ICS calendar (one VEVENT each, with a 10-minute alarm).

    An overdue one shows at the next slot still ahead (today at your preferred hour if that
    is ahead, else the next working day), its summary starting "Overdue:"; a done one stays
    for 30 days at the time it was done ("Done:").
    """
    return _ics(feed.render_feed(session, account.id, now=now), if_none_match)


@router.get(
    "/calendar/{token}.ics",
    response_class=Response,
    responses=_ICS_RESPONSE | problems(404, 422) | headers(200, "ETag"),
    openapi_extra=PUBLIC,
)
def get_calendar_feed_by_token(
    token: str,
    session: SessionDep,
    now: NowDep,
    if_none_match: str | None = Header(default=None),
) -> Response:
    """The same feed at a secret URL, for calendar apps that cannot send headers."""
    account_id = feed.account_for_token(session, token)
    return _ics(feed.render_feed(session, account_id, now=now), if_none_match)


@router.get("/v1/calendar", response_model=CalendarRead, responses=_URLS_RESPONSES)
def get_calendar(
    request: Request, session: SessionDep, account: AccountDep, now: NowDep
) -> CalendarRead | Response:
    """Your feed's secret URL: paste it into your calendar's "subscribe by URL"."""
    if not _public(request):
        return _no_public_url()
    token = feed.feed_token(session, account.id, now=now)
    return _urls(location(request, "calendar", f"{token}.ics"))


@router.post("/v1/calendar/rotate-token", response_model=CalendarRead, responses=_URLS_RESPONSES)
def rotate_calendar_token(
    request: Request, session: SessionDep, account: AccountDep, now: NowDep
) -> CalendarRead | Response:
    """A new secret URL; the old one answers 404 from now on."""
    if not _public(request):
        return _no_public_url()
    token = feed.rotate_token(session, account.id, now=now)
    return _urls(location(request, "calendar", f"{token}.ics"))
