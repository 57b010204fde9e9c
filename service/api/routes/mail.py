"""Mail: the logging address for touches by BCC, and the reminders' one-click unsubscribe."""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from service.api.deps import AccountDep, NowDep, SessionDep, UnitOfWorkRoute
from service.api.routes import AUTHED, PUBLIC, problems
from service.api.schemas.mail import LoggingAddressRead
from service.domain.wording import mail as words
from service.services.mail import addresses, reminders

router = APIRouter(tags=["mail"], route_class=UnitOfWorkRoute)
_HTML: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {"schema": {"type": "string"}}}, "description": "A page."}
}


def _domain(request: Request) -> str | None:
    domain: str | None = request.app.state.settings.mail_domain
    return domain


@router.get("/v1/mail/logging-address", response_model=LoggingAddressRead, responses=AUTHED)
def get_logging_address(
    request: Request, session: SessionDep, account: AccountDep, now: NowDep
) -> LoggingAddressRead:
    """Your private address: BCC it on an email to a contact (or forward their reply to it)
    and the attempt is logged, fulfilling the follow-up it answers."""
    domain = _domain(request)
    if domain is None:
        return LoggingAddressRead(address=None)
    token = addresses.logging_token(session, account.id, now=now)
    return LoggingAddressRead(address=addresses.address_of(token, domain))


@router.post("/v1/mail/logging-address/rotate", response_model=LoggingAddressRead, responses=AUTHED)
def rotate_logging_address(
    request: Request, session: SessionDep, account: AccountDep, now: NowDep
) -> LoggingAddressRead:
    """A new private address; mail to the old one is refused from now on."""
    domain = _domain(request)
    if domain is None:
        return LoggingAddressRead(address=None)
    token = addresses.rotate(session, account.id, now=now)
    return LoggingAddressRead(address=addresses.address_of(token, domain))


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{html.escape(title)}</title></head>"
        f"<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )


@router.get(
    "/mail/unsubscribe/{token}",
    response_class=Response,
    responses=_HTML | problems(404, 422),
    openapi_extra=PUBLIC,
)
def confirm_unsubscribe(token: str, session: SessionDep, now: NowDep) -> HTMLResponse:
    """The page a reminder's unsubscribe link opens: a button that turns reminders off (a
    GET changes nothing, so a mail scanner following links does not unsubscribe anyone)."""
    reminders.check_link(session, token, now=now)
    form = (
        f'<form method="post" action="{html.escape(token)}">'
        '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
        f"<button>{html.escape(words.CONFIRM_BUTTON)}</button></form>"
    )
    return _page(words.CONFIRM_TITLE, form)


@router.post(
    "/mail/unsubscribe/{token}",
    response_class=Response,
    responses=_HTML | problems(404, 422),
    openapi_extra=PUBLIC,
)
def unsubscribe(token: str, session: SessionDep, now: NowDep) -> HTMLResponse:
    """RFC 8058 one-click unsubscribe: turns the reminders off, no sign-in needed."""
    reminders.unsubscribe(session, token, now=now)
    return _page(words.DONE_TITLE, f"<p>{html.escape(words.DONE_TEXT)}</p>")
