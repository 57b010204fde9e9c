"""Webhooks: signed follow-up events for calendars and other integrations."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Request, Response

from service.api.deps import (
    AccountDep,
    CursorQuery,
    IfMatchDep,
    LimitQuery,
    NowDep,
    SessionDep,
    SettingsDep,
    UnitOfWorkRoute,
)
from service.api.http import IdempotentDep, location, no_content, one, page
from service.api.routes import AUTHED, ONE, WRITE_ONE, headers, problems
from service.api.schemas.common import Page
from service.api.schemas.webhooks import (
    DeliveryAttemptRead,
    Queued,
    WebhookCreate,
    WebhookRead,
    WebhookUpdate,
    WebhookWithSecret,
)
from service.config import Settings
from service.db.outbox import WebhookEndpoint
from service.scheduler.ssrf import UnsafeURL, no_public_address, resolve_checked
from service.services.errors import Conflict, InvalidField, NotFound
from service.services.outbox import webhooks

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], route_class=UnitOfWorkRoute)


DNS_TIMEOUT_SECONDS = 10.0


async def _check_destination(url: str, settings: Settings) -> None:
    try:
        async with asyncio.timeout(DNS_TIMEOUT_SECONDS):
            await resolve_checked(url, allow_private=settings.webhook_allow_private)
    except TimeoutError:
        # A name an internal resolver is slow to answer is refused like any other.
        host = httpx.URL(url).raw_host.decode("ascii")
        raise InvalidField("url", no_public_address(host)) from None
    except UnsafeURL as exc:
        raise InvalidField("url", exc.reason) from exc


# The URL is resolved and checked before the unit of work opens (these dependencies come
# first): a slow resolver then holds no transaction, no connection and no write turn.


async def checked_create(body: WebhookCreate, settings: SettingsDep) -> WebhookCreate:
    """A new webhook whose URL resolves to addresses it may call."""
    await _check_destination(body.url, settings)
    return body


async def checked_update(body: WebhookUpdate, settings: SettingsDep) -> WebhookUpdate:
    """A webhook patch whose new URL, if any, resolves to addresses it may call."""
    url = body.changes().get("url")
    if url is not None:
        await _check_destination(url, settings)
    return body


@router.post(
    "",
    status_code=201,
    response_model=WebhookWithSecret,
    responses=problems(400, 401, 409, 422) | headers(201, "ETag", "Location"),
)
def create_webhook(
    body: Annotated[WebhookCreate, Depends(checked_create)],
    request: Request,
    idempotent: IdempotentDep,
) -> Response:
    """Send signed events (Standard Webhooks) to a URL; the secret is shown only now.

    An account has at most 20 webhooks (409 beyond). Secrets are never stored for replays:
    a retry with the same Idempotency-Key answers the same webhook with a new secret, and
    the secret of the first answer stops working. A retry after the webhook was deleted
    answers 409.
    """
    session, account, now = idempotent.session, idempotent.account, idempotent.now

    def answer(endpoint: WebhookEndpoint) -> Response:
        url = location(request, "v1/webhooks", endpoint.id)
        return one(WebhookWithSecret, endpoint, status=201, location=url)

    def produce() -> Response:
        return answer(webhooks.create_endpoint(session, account.id, body.model_dump(), now=now))

    def keep(created: str) -> str:
        return json.dumps({"id": json.loads(created)["id"]})

    def replay(kept: str) -> Response:
        hook_id = uuid.UUID(json.loads(kept)["id"])
        try:
            return answer(webhooks.rotate_secret(session, account.id, hook_id, now=now))
        except NotFound:
            raise Conflict(
                "The webhook created with this Idempotency-Key was deleted; create another "
                "with a new key."
            ) from None

    return idempotent.run(body, produce, keep=keep, replay=replay)


@router.get("", response_model=Page[WebhookRead], responses=AUTHED | headers(200, "Link"))
def list_webhooks(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Response:
    """Your webhook endpoints (never their secrets)."""
    result = webhooks.list_endpoints(session, account.id, limit=limit, cursor=cursor)
    return page(request, WebhookRead, result)


@router.get("/{webhook_id}", response_model=WebhookRead, responses=ONE | headers(200, "ETag"))
def get_webhook(webhook_id: uuid.UUID, session: SessionDep, account: AccountDep) -> Response:
    """One endpoint; `disabled_reason` says why keepwarm stopped sending, if it did."""
    return one(WebhookRead, webhooks.get_endpoint(session, account.id, webhook_id))


@router.patch(
    "/{webhook_id}", response_model=WebhookRead, responses=WRITE_ONE | headers(200, "ETag")
)
def update_webhook(
    webhook_id: uuid.UUID,
    body: Annotated[WebhookUpdate, Depends(checked_update)],
    session: SessionDep,
    account: AccountDep,
    if_match: IfMatchDep,
    now: NowDep,
) -> Response:
    """Change the URL, events, description, or enable it again (JSON merge patch)."""
    endpoint = webhooks.update_endpoint(
        session, account.id, webhook_id, body.changes(), expected_version=if_match, now=now
    )
    return one(WebhookRead, endpoint)


@router.delete("/{webhook_id}", status_code=204, responses=WRITE_ONE)
def delete_webhook(
    webhook_id: uuid.UUID, session: SessionDep, account: AccountDep, if_match: IfMatchDep
) -> Response:
    """Stop sending to this endpoint and forget its delivery log."""
    webhooks.delete_endpoint(session, account.id, webhook_id, expected_version=if_match)
    return no_content()


@router.post(
    "/{webhook_id}/rotate-secret",
    response_model=WebhookWithSecret,
    responses=ONE | headers(200, "ETag"),
)
def rotate_webhook_secret(
    webhook_id: uuid.UUID, session: SessionDep, account: AccountDep, now: NowDep
) -> Response:
    """Replace the signing secret; the new one is shown only now."""
    return one(WebhookWithSecret, webhooks.rotate_secret(session, account.id, webhook_id, now=now))


@router.post(
    "/{webhook_id}/ping",
    status_code=202,
    response_model=Queued,
    responses=problems(400, 401, 404, 409, 422),
)
def ping_webhook(
    webhook_id: uuid.UUID, request: Request, session: SessionDep, account: AccountDep, now: NowDep
) -> Queued:
    """Send a webhook.ping to check the endpoint; see the result in its deliveries."""
    event = webhooks.ping(session, account.id, webhook_id, now=now)
    request.state.after_commit = request.app.state.wake
    return Queued(event_id=event.id)


@router.get(
    "/{webhook_id}/deliveries",
    response_model=Page[DeliveryAttemptRead],
    responses=ONE | headers(200, "Link"),
)
def list_webhook_deliveries(
    webhook_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    account: AccountDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Response:
    """Every request made to the endpoint, newest first, with status, timing and answer."""
    result = webhooks.list_delivery_attempts(
        session, account.id, webhook_id, limit=limit, cursor=cursor
    )
    return page(request, DeliveryAttemptRead, result)


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    status_code=202,
    response_model=Queued,
    responses=problems(400, 401, 404, 409, 422),
)
def redeliver_webhook_delivery(
    webhook_id: uuid.UUID,
    delivery_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    account: AccountDep,
    now: NowDep,
) -> Queued:
    """Send that event again, with the same webhook-id (receivers can de-duplicate)."""
    delivery = webhooks.redeliver(session, account.id, webhook_id, delivery_id, now=now)
    request.state.after_commit = request.app.state.wake
    return Queued(event_id=delivery.event_id, delivery_id=delivery.id)
