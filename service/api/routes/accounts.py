"""Sign-up, log-in and API keys."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from fastapi import APIRouter, Request, Response

from service.api.deps import AccountDep, CursorQuery, LimitQuery, NowDep, SessionDep, SettingsDep
from service.api.http import IdempotentDep, location, no_content, one, page
from service.api.routes import AUTHED, ONE, PUBLIC, problems
from service.api.routing import UnitOfWorkRoute
from service.api.schemas.accounts import (
    AccountCreate,
    AccountRead,
    ApiKeyCreate,
    ApiKeyIssued,
    ApiKeyRead,
    SignUpRead,
    TokenCreate,
)
from service.api.schemas.common import Page as ListPage
from service.config import Signup
from service.services import accounts
from service.services.errors import Conflict, Forbidden, NotFound

router = APIRouter(prefix="/v1", tags=["accounts"], route_class=UnitOfWorkRoute)


@router.post(
    "/accounts",
    status_code=201,
    response_model=SignUpRead,
    responses=problems(400, 403, 409, 422),
    openapi_extra=PUBLIC,
)
def create_account(
    body: AccountCreate, request: Request, session: SessionDep, settings: SettingsDep, now: NowDep
) -> Response:
    """Sign up. The answer holds your first API key, shown only this once."""
    if settings.signup == Signup.CLOSED:
        raise Forbidden("Sign-up is closed on this server; ask its operator for an account.")
    account, issued = accounts.sign_up(session, email=body.email, password=body.password, now=now)
    payload = SignUpRead(account=AccountRead.model_validate(account), api_key=issued.secret)
    return Response(
        payload.model_dump_json(),
        status_code=201,
        media_type="application/json",
        headers={"Location": location(request, "v1/me")},
    )


@router.post(
    "/tokens",
    status_code=201,
    response_model=ApiKeyIssued,
    responses=problems(400, 401, 422, 429),
    openapi_extra=PUBLIC,
)
def create_token(
    body: TokenCreate, request: Request, session: SessionDep, settings: SettingsDep, now: NowDep
) -> Response:
    """Log in on a new device: a new API key. Repeated failures for one email answer 429."""
    policy = accounts.LoginPolicy(
        max_failures=settings.login_max_failures,
        lockout=timedelta(seconds=settings.login_lockout_seconds),
    )
    issued = accounts.log_in(
        session, email=body.email, password=body.password, name=body.name, now=now, policy=policy
    )
    payload = ApiKeyIssued(id=issued.key.id, name=issued.key.name, api_key=issued.secret)
    return Response(
        payload.model_dump_json(),
        status_code=201,
        media_type="application/json",
        headers={"Location": location(request, "v1/api-keys", issued.key.id)},
    )


@router.get("/me", response_model=AccountRead, responses=AUTHED)
def get_me(session: SessionDep, account: AccountDep) -> Response:
    """The account of the API key you are using."""
    return one(AccountRead, accounts.get_account(session, account.id))


@router.get("/api-keys", response_model=ListPage[ApiKeyRead], responses=AUTHED)
def list_api_keys(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Response:
    """Your API keys (never the keys themselves)."""
    return page(
        request, ApiKeyRead, accounts.list_keys(session, account.id, limit=limit, cursor=cursor)
    )


@router.post(
    "/api-keys",
    status_code=201,
    response_model=ApiKeyIssued,
    responses=problems(400, 401, 409, 422),
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

    def answer(issued: accounts.IssuedKey) -> str:
        payload = ApiKeyIssued(id=issued.key.id, name=issued.key.name, api_key=issued.secret)
        return payload.model_dump_json()

    def produce() -> Response:
        issued = accounts.create_key(session, account.id, name=body.name, now=now)
        return Response(
            answer(issued),
            status_code=201,
            media_type="application/json",
            headers={"Location": location(request, "v1/api-keys", issued.key.id)},
        )

    def keep(created: str) -> str:
        return json.dumps({"id": json.loads(created)["id"]})

    def replay(kept: str) -> str:
        try:
            issued = accounts.reissue_key(session, account.id, uuid.UUID(json.loads(kept)["id"]))
        except NotFound:
            raise Conflict(
                "The key created with this Idempotency-Key was revoked; create another "
                "with a new key."
            ) from None
        return answer(issued)

    return idempotent.run(body, produce, keep=keep, replay=replay)


@router.get("/api-keys/{key_id}", response_model=ApiKeyRead, responses=ONE)
def get_api_key(key_id: uuid.UUID, session: SessionDep, account: AccountDep) -> Response:
    """One of your API keys (never the key itself)."""
    return one(ApiKeyRead, accounts.get_key(session, account.id, key_id))


@router.delete("/api-keys/{key_id}", status_code=204, responses=ONE)
def delete_api_key(key_id: uuid.UUID, session: SessionDep, account: AccountDep) -> Response:
    """Revoke a key: it stops working at once."""
    accounts.revoke_key(session, account.id, key_id)
    return no_content()
