"""API keys: one per device or integration, shown once, revoked at once."""

from __future__ import annotations

import json
import uuid

from fastapi import APIRouter, Request, Response

from service.api.deps import AccountDep, CursorQuery, LimitQuery, SessionDep, UnitOfWorkRoute
from service.api.http import IdempotentDep, location, no_content, one, page
from service.api.routes import AUTHED, ONE, headers, problems
from service.api.schemas.accounts import ApiKeyCreate, ApiKeyIssued, ApiKeyRead
from service.api.schemas.common import Page as ListPage
from service.services.accounts import api_keys
from service.services.errors import Conflict, NotFound

router = APIRouter(prefix="/v1", tags=["accounts"], route_class=UnitOfWorkRoute)


@router.get(
    "/api-keys", response_model=ListPage[ApiKeyRead], responses=AUTHED | headers(200, "Link")
)
def list_api_keys(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Response:
    """Your API keys (never the keys themselves)."""
    return page(
        request, ApiKeyRead, api_keys.list_keys(session, account.id, limit=limit, cursor=cursor)
    )


@router.post(
    "/api-keys",
    status_code=201,
    response_model=ApiKeyIssued,
    responses=problems(400, 401, 409, 422) | headers(201, "Location"),
)
def create_api_key(
    body: ApiKeyCreate,
    request: Request,
    idempotent: IdempotentDep,
) -> Response:
    """Issue another API key (for a script or a calendar integration); shown once.

    Secrets are never stored, so a replay with the same Idempotency-Key answers the same key
    with a fresh secret, and the secret of the first answer stops working. A replay after the
    key was revoked answers 409.
    """
    session, account, now = idempotent.session, idempotent.account, idempotent.now

    def answer(issued: api_keys.IssuedKey) -> Response:
        payload = ApiKeyIssued(id=issued.key.id, name=issued.key.name, api_key=issued.secret)
        return Response(
            payload.model_dump_json(),
            status_code=201,
            media_type="application/json",
            headers={"Location": location(request, "v1/api-keys", issued.key.id)},
        )

    def produce() -> Response:
        return answer(api_keys.create_key(session, account.id, name=body.name, now=now))

    def keep(created: str) -> str:
        return json.dumps({"id": json.loads(created)["id"]})

    def replay(kept: str) -> Response:
        try:
            issued = api_keys.reissue_key(session, account.id, uuid.UUID(json.loads(kept)["id"]))
        except NotFound:
            raise Conflict(
                "The key created with this Idempotency-Key was revoked; create another "
                "with a new key."
            ) from None
        return answer(issued)

    return idempotent.run(body, produce, keep=keep, replay=replay)


@router.get("/api-keys/{key_id}", response_model=ApiKeyRead, responses=ONE | headers(200, "ETag"))
def get_api_key(key_id: uuid.UUID, session: SessionDep, account: AccountDep) -> Response:
    """One of your API keys (never the key itself)."""
    return one(ApiKeyRead, api_keys.get_key(session, account.id, key_id))


@router.delete("/api-keys/{key_id}", status_code=204, responses=ONE)
def delete_api_key(key_id: uuid.UUID, session: SessionDep, account: AccountDep) -> Response:
    """Revoke a key: it stops working at once."""
    api_keys.revoke_key(session, account.id, key_id)
    return no_content()
