"""Sign-up, log-in, your account, its password and its deletion (API keys: api_keys.py)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials

from service.api.deps import (
    AccountDep,
    NowDep,
    SessionDep,
    SettingsDep,
    UnitOfWorkRoute,
    bearer,
    read_before,
    request_now,
)
from service.api.http import location, no_content, one
from service.api.routes import AUTHED, PUBLIC, headers, problems
from service.api.schemas.accounts import (
    AccountCreate,
    AccountDelete,
    AccountRead,
    ApiKeyIssued,
    PasswordChange,
    SignUpRead,
    TokenCreate,
)
from service.config import Settings, Signup
from service.services.accounts import access, api_keys, passwords
from service.services.errors import Forbidden, InvalidField, Unauthorized

router = APIRouter(prefix="/v1", tags=["accounts"], route_class=UnitOfWorkRoute)


def client_of(request: Request) -> str:
    """The address a request came from; for IPv6 its /64 network (what one host can use)."""
    host = request.client.host if request.client is not None else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


@dataclass(frozen=True)
class SignUp:
    email: str
    password_hash: str
    client: str
    key_name: str


@dataclass(frozen=True)
class LogIn:
    body: TokenCreate
    client: str
    verified: passwords.Credentials | None


@dataclass(frozen=True)
class Reauthentication:
    """The caller's password, sent again and checked: whose, from where, and if it matched."""

    email: str
    client: str
    verified: passwords.Credentials | None


@dataclass(frozen=True)
class PasswordChanging:
    reauthentication: Reauthentication
    new_password_hash: str


BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]


# Hashing and checking a password are slow on purpose, and estimating a new one's strength
# takes milliseconds: these dependencies do it before the unit of work opens (they come
# before the session), so it holds no transaction and no write turn. A client over its limit
# is refused before either.


async def signing_up(body: AccountCreate, request: Request, settings: SettingsDep) -> SignUp:
    """A sign-up within the client's limit, its password hashed."""
    if settings.signup == Signup.CLOSED:
        raise Forbidden("Sign-up is closed on this server; ask its operator for an account.")
    client = client_of(request)
    now = request_now(request)
    await read_before(
        request,
        partial(access.check_throttle, email=access.SIGN_UPS, client=client, now=now),
    )
    await hard_to_guess("password", body.password, body.email)
    password_hash = await run_in_threadpool(passwords.hash_password, body.password)
    return SignUp(body.email, password_hash, client, body.key_name)


async def hard_to_guess(field: str, password: str, email: str) -> None:
    """Refuse a new password that is easy to guess, naming the field and the reason."""
    problem = await run_in_threadpool(partial(passwords.password_problem, password, email=email))
    if problem is not None:
        raise InvalidField(field, problem)


async def logging_in(body: TokenCreate, request: Request) -> LogIn:
    """A log-in not locked for this email and client, its password checked."""
    client = client_of(request)
    now = request_now(request)
    await read_before(
        request, partial(access.check_throttle, email=body.email, client=client, now=now)
    )
    found = await read_before(request, partial(access.credentials, email=body.email))
    matched = await run_in_threadpool(passwords.verify_password, found, body.password)
    return LogIn(body, client, found if matched else None)


async def reauthenticating(
    request: Request, credentials: BearerCredentials, password: str
) -> Reauthentication:
    """The key's account and its password checked again, as a log-in checks it (throttled)."""
    if credentials is None or not credentials.credentials.strip():
        raise Unauthorized("Send your API key as 'Authorization: Bearer <key>'.")
    client = client_of(request)
    now = request_now(request)
    key_hash = api_keys.hash_key(credentials.credentials.strip())
    owner = await read_before(
        request, partial(access.key_owner, key_hash=key_hash, client=client, now=now)
    )
    matched = await run_in_threadpool(passwords.verify_password, owner.credentials, password)
    return Reauthentication(owner.email, client, owner.credentials if matched else None)


async def changing_password(
    body: PasswordChange, request: Request, credentials: BearerCredentials
) -> PasswordChanging:
    """A password change whose current password was checked and whose new one is hashed."""
    checked = await reauthenticating(request, credentials, body.current_password)
    if checked.verified is None:  # no hash needed: the unit of work refuses it and counts it
        return PasswordChanging(checked, "")
    if body.new_password == body.current_password:
        raise InvalidField("new_password", "this is your current password; choose another")
    await hard_to_guess("new_password", body.new_password, checked.email)
    new_hash = await run_in_threadpool(passwords.hash_password, body.new_password)
    return PasswordChanging(checked, new_hash)


async def deleting_account(
    body: AccountDelete, request: Request, credentials: BearerCredentials
) -> Reauthentication:
    """An account deletion whose password was checked."""
    return await reauthenticating(request, credentials, body.password)


def failed_log_ins(settings: Settings) -> access.ThrottlePolicy:
    """The log-in throttle: a wrong password sent again counts against it too."""
    return access.ThrottlePolicy(
        max_count=settings.login_max_failures,
        period=timedelta(seconds=settings.login_lockout_seconds),
    )


@router.post(
    "/accounts",
    status_code=201,
    response_model=SignUpRead,
    responses=problems(400, 403, 409, 422, 429) | headers(201, "Location"),
    openapi_extra=PUBLIC,
)
def create_account(
    sign_up: Annotated[SignUp, Depends(signing_up)],
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> Response:
    """Sign up. The answer holds your first API key, shown only this once.

    Sign-ups from one address are limited (429 with Retry-After beyond).
    """
    account, issued = access.register(
        session,
        email=sign_up.email,
        password_hash=sign_up.password_hash,
        now=now,
        client=sign_up.client,
        policy=access.ThrottlePolicy(
            max_count=settings.signup_per_client_per_hour, period=timedelta(hours=1)
        ),
        key_name=sign_up.key_name,
    )
    payload = SignUpRead(
        account=AccountRead.model_validate(account),
        api_key=issued.secret,
        api_key_id=issued.key.id,
    )
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
    responses=problems(400, 401, 422, 429) | headers(201, "Location"),
    openapi_extra=PUBLIC,
)
def create_token(
    log_in: Annotated[LogIn, Depends(logging_in)],
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> Response:
    """Log in on a new device: a new API key.

    Repeated failures for one email from one address answer 429 with Retry-After, for that
    address only: the owner can still log in from elsewhere.
    """
    policy = failed_log_ins(settings)
    issued = access.log_in(
        session,
        email=log_in.body.email,
        client=log_in.client,
        verified=log_in.verified,
        name=log_in.body.name,
        now=now,
        policy=policy,
    )
    payload = ApiKeyIssued(id=issued.key.id, name=issued.key.name, api_key=issued.secret)
    return Response(
        payload.model_dump_json(),
        status_code=201,
        media_type="application/json",
        headers={"Location": location(request, "v1/api-keys", issued.key.id)},
    )


@router.get("/me", response_model=AccountRead, responses=AUTHED | headers(200, "ETag"))
def get_me(session: SessionDep, account: AccountDep) -> Response:
    """The account of the API key you are using."""
    return one(AccountRead, access.get_account(session, account.id))


@router.post("/account/password", status_code=204, responses=problems(400, 401, 409, 422, 429))
def change_password(
    change: Annotated[PasswordChanging, Depends(changing_password)],
    session: SessionDep,
    account: AccountDep,
    settings: SettingsDep,
    now: NowDep,
) -> Response:
    """Change your password; send the current one too.

    A wrong current password answers 422 naming `current_password` and counts as a failed
    log-in from your address (429 with Retry-After once locked). Your API keys keep working,
    this one and those of your other devices alike: a password change signs nothing out.
    If you change it because someone else may know it, list your keys
    (`GET /v1/api-keys`) and revoke the ones you do not recognise.
    """
    reauthentication = change.reauthentication
    access.change_password(
        session,
        account.id,
        email=reauthentication.email,
        client=reauthentication.client,
        verified=reauthentication.verified,
        new_password_hash=change.new_password_hash,
        now=now,
        policy=failed_log_ins(settings),
    )
    return no_content()


@router.delete("/account", status_code=204, responses=problems(400, 401, 409, 422, 429))
def delete_account(
    reauthentication: Annotated[Reauthentication, Depends(deleting_account)],
    session: SessionDep,
    account: AccountDep,
    settings: SettingsDep,
    now: NowDep,
) -> Response:
    """Delete your account and every record of it, for good; send your password to confirm.

    Organizations, news, contacts, attempts, next actions, settings, profile, webhooks and
    their deliveries, the calendar feed (its URL answers 404) and every API key go; this
    key is refused from then on. A wrong password answers 422 naming `password` and counts
    as a failed log-in from your address (429 with Retry-After once locked).
    """
    access.delete_account(
        session,
        account.id,
        email=reauthentication.email,
        client=reauthentication.client,
        verified=reauthentication.verified,
        now=now,
        policy=failed_log_ins(settings),
    )
    return no_content()
