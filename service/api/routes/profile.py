"""Your profile: the name and signature the scripts sign with."""

from __future__ import annotations

from fastapi import APIRouter, Response

from service.api.deps import AccountDep, IfMatchDep, NowDep, SessionDep, UnitOfWorkRoute
from service.api.http import one
from service.api.routes import AUTHED, WRITE_ONE, headers
from service.api.schemas.accounts import ProfileRead, ProfileUpdate
from service.services.accounts import profile

router = APIRouter(prefix="/v1", tags=["settings"], route_class=UnitOfWorkRoute)


@router.get("/profile", response_model=ProfileRead, responses=AUTHED | headers(200, "ETag"))
def get_profile(session: SessionDep, account: AccountDep) -> Response:
    """Your name and email signature, as the suggested scripts use them."""
    return one(ProfileRead, profile.load_profile(session, account.id))


@router.patch("/profile", response_model=ProfileRead, responses=WRITE_ONE | headers(200, "ETag"))
def update_profile(
    body: ProfileUpdate,
    session: SessionDep,
    account: AccountDep,
    if_match: IfMatchDep,
    now: NowDep,
) -> Response:
    """Set your name and signature (JSON merge patch); every open next action's script
    is written again with them, so no placeholder is left where the profile is complete."""
    row = profile.update_profile(
        session, account.id, body.changes(), expected_version=if_match, now=now
    )
    return one(ProfileRead, row)
