"""Organizations and their news items."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from service.api.deps import (
    AccountDep,
    CursorQuery,
    IfMatchDep,
    LimitQuery,
    NowDep,
    SessionDep,
    UnitOfWorkRoute,
)
from service.api.http import IdempotentDep, location, no_content, one, page
from service.api.routes import AUTHED, ONE, WRITE_ONE, headers
from service.api.schemas.common import Name, Page
from service.api.schemas.records import (
    NewsCreate,
    NewsRead,
    OrganizationCreate,
    OrganizationRead,
    OrganizationUpdate,
)
from service.domain.model import OrganizationStatus
from service.services.records import organizations

router = APIRouter(prefix="/v1/organizations", tags=["organizations"], route_class=UnitOfWorkRoute)


@router.post(
    "",
    status_code=201,
    response_model=OrganizationRead,
    responses=AUTHED | headers(201, "ETag", "Location"),
)
def create_organization(
    body: OrganizationCreate,
    request: Request,
    idempotent: IdempotentDep,
) -> Response:
    """Record an organization that turned you down and that you want to keep warm."""
    session, account, now = idempotent.session, idempotent.account, idempotent.now

    def produce() -> Response:
        org = organizations.create_organization(session, account.id, body.model_dump(), now=now)
        return one(
            OrganizationRead,
            org,
            status=201,
            location=location(request, "v1/organizations", org.id),
        )

    return idempotent.run(body, produce)


@router.get("", response_model=Page[OrganizationRead], responses=AUTHED | headers(200, "Link"))
def list_organizations(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    status: OrganizationStatus | None = Query(default=None),
    q: Annotated[
        Name | None,
        Query(
            description="Search: organizations whose name or role applied contains this text, "
            "ignoring case (on PostgreSQL beyond ASCII too: Zoë finds ZOË). Trimmed, 1 to 200 "
            "characters; % _ and \\ match themselves. Combines with the other filters."
        ),
    ] = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Response:
    """Your organizations, oldest first; filter by status, search with `q`."""
    result = organizations.list_organizations(
        session, account.id, status=status, q=q, limit=limit, cursor=cursor
    )
    return page(request, OrganizationRead, result)


@router.get(
    "/{organization_id}", response_model=OrganizationRead, responses=ONE | headers(200, "ETag")
)
def get_organization(
    organization_id: uuid.UUID, session: SessionDep, account: AccountDep
) -> Response:
    """One organization, with its ETag."""
    return one(
        OrganizationRead, organizations.read_organization(session, account.id, organization_id)
    )


@router.patch(
    "/{organization_id}",
    response_model=OrganizationRead,
    responses=WRITE_ONE | headers(200, "ETag"),
)
def update_organization(
    organization_id: uuid.UUID,
    body: OrganizationUpdate,
    session: SessionDep,
    account: AccountDep,
    if_match: IfMatchDep,
    now: NowDep,
) -> Response:
    """Change some fields (JSON merge patch); send If-Match to avoid overwriting a newer edit."""
    org = organizations.update_organization(
        session, account.id, organization_id, body.changes(), expected_version=if_match, now=now
    )
    return one(OrganizationRead, org)


@router.delete("/{organization_id}", status_code=204, responses=WRITE_ONE)
def delete_organization(
    organization_id: uuid.UUID,
    session: SessionDep,
    account: AccountDep,
    if_match: IfMatchDep,
    now: NowDep,
) -> Response:
    """Delete an organization with its contacts, attempts, news and next actions."""
    organizations.delete_organization(
        session, account.id, organization_id, expected_version=if_match, now=now
    )
    return no_content()


@router.post(
    "/{organization_id}/news",
    status_code=201,
    response_model=NewsRead,
    responses=ONE | headers(201, "ETag", "Location"),
)
def create_news(
    organization_id: uuid.UUID,
    body: NewsCreate,
    request: Request,
    idempotent: IdempotentDep,
) -> Response:
    """Note something the organization announced; the next script mentions it."""
    session, account, now = idempotent.session, idempotent.account, idempotent.now

    def produce() -> Response:
        item = organizations.add_news(
            session,
            account.id,
            organization_id,
            headline=body.headline,
            url=body.url,
            noticed_on=body.noticed_on or now.date(),
            tone=body.tone,
            summary=body.summary,
            now=now,
        )
        url = location(request, "v1/organizations", organization_id, "news", item.id)
        return one(NewsRead, item, status=201, location=url)

    return idempotent.run(body, produce)


@router.get(
    "/{organization_id}/news", response_model=Page[NewsRead], responses=ONE | headers(200, "Link")
)
def list_news(
    organization_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    account: AccountDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Response:
    """The organization's news items, in the order you added them."""
    result = organizations.list_news(
        session, account.id, organization_id, limit=limit, cursor=cursor
    )
    return page(request, NewsRead, result)


@router.get(
    "/{organization_id}/news/{news_id}",
    response_model=NewsRead,
    responses=ONE | headers(200, "ETag"),
)
def get_news(
    organization_id: uuid.UUID, news_id: uuid.UUID, session: SessionDep, account: AccountDep
) -> Response:
    """One news item."""
    return one(NewsRead, organizations.get_news(session, account.id, organization_id, news_id))


@router.delete("/{organization_id}/news/{news_id}", status_code=204, responses=ONE)
def delete_news(
    organization_id: uuid.UUID,
    news_id: uuid.UUID,
    session: SessionDep,
    account: AccountDep,
    now: NowDep,
) -> Response:
    """Forget a news item."""
    organizations.delete_news(session, account.id, organization_id, news_id, now=now)
    return no_content()
