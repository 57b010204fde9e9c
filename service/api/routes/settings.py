"""Account settings (the cadence) and the script check."""

from __future__ import annotations

from fastapi import APIRouter, Response

from service.api.deps import AccountDep, IfMatchDep, NowDep, SessionDep, UnitOfWorkRoute
from service.api.http import one
from service.api.routes import AUTHED, WRITE_ONE, headers
from service.api.schemas.cadence import (
    ScriptCheckCreate,
    ScriptCheckRead,
    SettingsRead,
    SettingsUpdate,
)
from service.services.accounts import settings
from service.services.planning import scripts

router = APIRouter(prefix="/v1", tags=["settings"], route_class=UnitOfWorkRoute)


@router.get("/settings", response_model=SettingsRead, responses=AUTHED | headers(200, "ETag"))
def get_settings(session: SessionDep, account: AccountDep) -> Response:
    """Your cadence: time zone, preferred hour, intervals and windows."""
    return one(SettingsRead, settings.load_settings(session, account.id))


@router.patch("/settings", response_model=SettingsRead, responses=WRITE_ONE | headers(200, "ETag"))
def update_settings(
    body: SettingsUpdate,
    session: SessionDep,
    account: AccountDep,
    if_match: IfMatchDep,
    now: NowDep,
) -> Response:
    """Change the cadence (JSON merge patch); every open next action is recomputed."""
    row = settings.update_settings(
        session, account.id, body.changes(), expected_version=if_match, now=now
    )
    return one(SettingsRead, row)


@router.post("/scripts/check", response_model=ScriptCheckRead, responses=AUTHED)
def check_script(
    body: ScriptCheckCreate, session: SessionDep, account: AccountDep
) -> ScriptCheckRead:
    """Check your own wording: brief, on-topic, ends with a question, never asks for a job.

    A closing or a reply (`kind`) is said inside a conversation: it needs no question and no
    mention of the organization, but is held to the other rules.
    """
    result = scripts.check(
        session,
        account.id,
        channel=body.channel,
        text=body.text,
        contact_id=body.contact_id,
        kind=body.kind,
    )
    return ScriptCheckRead.model_validate(result, from_attributes=True)
