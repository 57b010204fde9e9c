"""The writing of a checked document's records, and the plans of its organizations."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.base import Base
from service.db.cadence import NextAction
from service.db.models import Attempt, Contact, NewsItem, Organization
from service.db.outbox import WebhookEndpoint
from service.domain.tokens import new_secret
from service.services.outbox import events, payloads
from service.services.planning import action_body, next_actions, plans
from service.services.transfer.checks import Record, Records

# Told how far a long step has come: its name, how many of how many are done.
Progress = Callable[[str, int, int], None]
# Why an imported webhook is disabled: its receiver cannot know the secret it is signed with.
IMPORTED_WEBHOOK = (
    "Imported: rotate its secret (POST /v1/webhooks/{id}/rotate-secret), give the new one to "
    "the receiver, then enable it."
)
MODELS: dict[str, type[Base]] = {
    "organizations": Organization,
    "news": NewsItem,
    "contacts": Contact,
    "attempts": Attempt,
    "next_actions": NextAction,
    "webhooks": WebhookEndpoint,
}
_CHUNK = 500  # ids per IN (...) list: SQLite allows a few thousand bound values per statement


class Ids:
    """The id each record gets: its own, or a new one, with references following it.

    `foreign` are the kept ids that records of another account have: those records get a new
    one, as with `new` (never reported: which ids another account holds is not yours to know).
    """

    def __init__(
        self,
        records: Records,
        *,
        new: bool,
        foreign: Mapping[str, set[uuid.UUID]] | None = None,
    ) -> None:
        self.new = new
        taken = foreign or {}
        self.given = {
            kind: {
                record.id: uuid.uuid4() if new or record.id in taken.get(kind, ()) else record.id
                for record in listed
            }
            for kind, listed in records.kinds().items()
        }

    def of(self, kind: str, value: uuid.UUID | None) -> uuid.UUID | None:
        """The id a reference names now; None for a record the document lacks (dropped)."""
        if value is None:
            return None
        return self.given[kind].get(value)


def write_records(
    session: Session,
    account_id: uuid.UUID,
    records: Records,
    ids: Ids,
    now: datetime,
    report: Progress,
) -> list[Organization]:
    """Write every record, the ones named before the ones naming them; the organizations."""

    def stamped(kind: str, record: Record, **overrides: Any) -> dict[str, Any]:
        names = MODELS[kind].__table__.c.keys()
        fields = {name: value for name, value in record.fields.items() if name in names}
        created = fields.get("created_at") or now
        mine = {
            "id": ids.of(kind, record.id),
            "account_id": account_id,
            "created_at": created,
            "updated_at": fields.get("updated_at") or created,
        }
        return fields | mine | overrides

    def of(kind: str, record: Record, field: str) -> uuid.UUID | None:
        return ids.of(kind, record.fields[field])

    organization_of = {r.id: of("organizations", r, "organization_id") for r in records.contacts}
    today = now.astimezone(UTC).date()  # as POST .../news defaults it
    organizations = [Organization(**stamped("organizations", r)) for r in records.organizations]
    rows: dict[str, list[Any]] = {
        "organizations": organizations,
        "news": [
            NewsItem(
                **stamped(
                    "news",
                    r,
                    organization_id=ids.of("organizations", r.parent),
                    noticed_on=r.fields["noticed_on"] or today,
                )
            )
            for r in records.news
        ],
        "contacts": [
            Contact(**stamped("contacts", r, organization_id=organization_of[r.id]))
            for r in records.contacts
        ],
        "attempts": [
            Attempt(
                **stamped(
                    "attempts",
                    r,
                    organization_id=organization_of[r.fields["contact_id"]],
                    contact_id=of("contacts", r, "contact_id"),
                    referred_to_contact_id=of("contacts", r, "referred_to_contact_id"),
                    news_id=of("news", r, "news_id"),
                    next_action_id=of("next_actions", r, "next_action_id"),
                    occurred_at=r.fields["occurred_at"] or now,
                )
            )
            for r in records.attempts
        ],
        "next_actions": [
            NextAction(
                **stamped(
                    "next_actions",
                    r,
                    organization_id=of("organizations", r, "organization_id"),
                    contact_id=of("contacts", r, "contact_id"),
                    news_id=of("news", r, "news_id"),
                    plan_version=plans.PLAN_VERSION,
                )
            )
            for r in records.next_actions
        ],
        "webhooks": [
            WebhookEndpoint(
                **stamped(
                    "webhooks",
                    r,
                    events=list(dict.fromkeys(r.fields["events"] or events.EVENT_TYPES)),
                    enabled=False,
                    disabled_reason=IMPORTED_WEBHOOK,
                    secret=new_secret(),
                    updated_at=now,  # disabled by the import, now
                )
            )
            for r in records.webhooks
        ],
    }
    contacts = {contact.id: contact for contact in rows["contacts"]}
    for action in rows["next_actions"]:
        action.body = action_body.render(action, contacts[action.contact_id])
    total, done = records.count(), 0
    for listed in rows.values():  # in the order of the foreign keys
        session.add_all(listed)
        session.flush()
        done += len(listed)
        report("records", done, total)
    return organizations


def plan_organizations(
    session: Session,
    account_id: uuid.UUID,
    organizations: list[Organization],
    now: datetime,
    report: Progress,
) -> None:
    """Recompute the imported organizations' next actions, locked in id order first.

    A follow-up that comes in is new to the account's webhooks: each is announced once, as
    followup.scheduled in the state it is left in, not as the changes its recompute made.
    """
    ordered = sorted(organizations, key=lambda organization: organization.id)
    for chunk in chunks([organization.id for organization in ordered]):
        session.execute(
            select(Organization.id)
            .where(Organization.id.in_(chunk))
            .order_by(Organization.id)
            .with_for_update(key_share=True)
        )
    announced: list[events.Pending] = []
    for done, organization in enumerate(ordered, 1):
        action = next_actions.refresh(session, organization, now, outbox=[])
        if action is not None:
            data = functools.partial(
                payloads.followup_data, session, action, None, organization, now=now
            )
            announced.append(events.Pending(account_id, "followup.scheduled", data))
        report("next actions", done, len(ordered))
    events.emit_many(session, announced, now=now)


def chunks(values: list[uuid.UUID]) -> Iterator[list[uuid.UUID]]:
    """The values in lists short enough for one IN (...) each."""
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]
