"""A client developer's first script: sign up, add an employer and its manager, log a touch."""

from __future__ import annotations

import sys

from kwclient import AuthenticatedClient, Client
from kwclient.api.accounts import create_account
from kwclient.api.attempts import create_attempt
from kwclient.api.contacts import create_contact, get_contact, update_contact
from kwclient.api.next_actions import list_next_actions
from kwclient.api.organizations import create_organization
from kwclient.models import (
    AccountCreate,
    AttemptCreate,
    ContactCreate,
    ContactRead,
    ContactRole,
    ContactUpdate,
    NextActionRead,
    OrganizationCreate,
    OrganizationRead,
    Outcome,
    PageNextActionRead,
    SignUpRead,
)


def main(base_url: str, email: str) -> None:
    signed = create_account.sync(
        client=Client(base_url=base_url),
        # tests.conftest.PASSWORD: this script runs alone, outside the test package.
        body=AccountCreate(email=email, password="correct horse battery staple"),
    )
    assert isinstance(signed, SignUpRead), signed
    client = AuthenticatedClient(base_url=base_url, token=signed.api_key)
    acme = create_organization.sync(client=client, body=OrganizationCreate(name="Acme"))
    assert isinstance(acme, OrganizationRead), acme
    ann = create_contact.sync(
        client=client,
        body=ContactCreate(
            organization_id=acme.id,
            name="Ann Lee",
            role=ContactRole.HIRING_MANAGER,
            email="ann@acme.example",
        ),
    )
    assert isinstance(ann, ContactRead), ann
    fetched = get_contact.sync_detailed(ann.id, client=client)
    etag: str = fetched.headers["ETag"]
    renamed = update_contact.sync(
        ann.id, client=client, body=ContactUpdate(title="VP Engineering"), if_match=etag
    )
    assert isinstance(renamed, ContactRead) and renamed.title == "VP Engineering", renamed
    page = list_next_actions.sync(client=client, organization_id=acme.id)
    assert isinstance(page, PageNextActionRead), page
    action: NextActionRead = page.data[0]
    logged = create_attempt.sync(
        client=client,
        body=AttemptCreate(
            contact_id=ann.id,
            channel=action.channel,
            outcome=Outcome.SENT,
            next_action_id=action.id,
        ),
    )
    print(action.channel.value, action.script.text.split(",")[0], type(logged).__name__)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
