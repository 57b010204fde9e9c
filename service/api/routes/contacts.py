"""Contacts: the people you keep in touch with."""

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
from service.api.schemas.records import ContactCreate, ContactRead, ContactUpdate
from service.domain.model import ContactRole, ContactStatus
from service.services.records import contacts

router = APIRouter(prefix="/v1/contacts", tags=["contacts"], route_class=UnitOfWorkRoute)


@router.post(
    "",
    status_code=201,
    response_model=ContactRead,
    responses=ONE | headers(201, "ETag", "Location"),
)
def create_contact(
    body: ContactCreate,
    request: Request,
    idempotent: IdempotentDep,
) -> Response:
    """Add a person at one of your organizations; the hiring manager matters most."""
    session, account, now = idempotent.session, idempotent.account, idempotent.now

    def produce() -> Response:
        contact = contacts.create_contact(session, account.id, body.model_dump(), now=now)
        url = location(request, "v1/contacts", contact.id)
        return one(ContactRead, contact, status=201, location=url)

    return idempotent.run(body, produce)


@router.get("", response_model=Page[ContactRead], responses=AUTHED | headers(200, "Link"))
def list_contacts(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    organization_id: uuid.UUID | None = Query(default=None),
    role: ContactRole | None = Query(default=None),
    status: ContactStatus | None = Query(default=None),
    q: Annotated[
        Name | None,
        Query(
            description="Search: contacts whose name, email or title contains this text, "
            "ignoring case (on PostgreSQL beyond ASCII too: Zoë finds ZOË). Trimmed, 1 to 200 "
            "characters; % _ and \\ match themselves. Combines with the other filters."
        ),
    ] = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Response:
    """Your contacts, oldest first; filter by organization, role or status, search with `q`."""
    result = contacts.list_contacts(
        session,
        account.id,
        organization_id=organization_id,
        role=role,
        status=status,
        q=q,
        limit=limit,
        cursor=cursor,
    )
    return page(request, ContactRead, result)


@router.get("/{contact_id}", response_model=ContactRead, responses=ONE | headers(200, "ETag"))
def get_contact(contact_id: uuid.UUID, session: SessionDep, account: AccountDep) -> Response:
    """One contact, with its ETag."""
    return one(ContactRead, contacts.read_contact(session, account.id, contact_id))


@router.patch(
    "/{contact_id}", response_model=ContactRead, responses=WRITE_ONE | headers(200, "ETag")
)
def update_contact(
    contact_id: uuid.UUID,
    body: ContactUpdate,
    session: SessionDep,
    account: AccountDep,
    if_match: IfMatchDep,
    now: NowDep,
) -> Response:
    """Change some fields (JSON merge patch). A contact who asked to stop stays do_not_contact."""
    contact = contacts.update_contact(
        session, account.id, contact_id, body.changes(), expected_version=if_match, now=now
    )
    return one(ContactRead, contact)


@router.delete("/{contact_id}", status_code=204, responses=WRITE_ONE)
def delete_contact(
    contact_id: uuid.UUID,
    session: SessionDep,
    account: AccountDep,
    if_match: IfMatchDep,
    now: NowDep,
) -> Response:
    """Delete a contact and the attempts made with them (archive instead to keep history)."""
    contacts.delete_contact(session, account.id, contact_id, expected_version=if_match, now=now)
    return no_content()
