"""The checks an imported document passes before anything is written: references and rules.

The fields of each record were checked by the API's own schemas; these are the rules between
records that the API checks when each record is written one at a time. Only rules that every
stored record keeps are applied, so whatever an export holds can be imported again: a referral
whose contact was deleted since (its `referred_to_contact_id` became null) is history, not an
error. A reference to a record the document does not hold (a next action or news item that is
gone, or a record of another account) is never stored: it is dropped, and each is reported.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from service.domain.channels import CHANNELS_OF_OUTCOME
from service.domain.model import OPEN_STATES, OrganizationStatus, Outcome
from service.domain.slots import local_date
from service.services.errors import Conflict, InvalidField
from service.services.records.attempts import CLOCK_SKEW
from service.services.records.organizations import WATCHING_REFUSES

NOT_IN_DOCUMENT = "no {kind} with that id in the document"
DROPPED = NOT_IN_DOCUMENT  # in the report's `dropped` list: the field is named beside it
# The references a record may lose, by kind of record (field, kind of record named): never
# stored when the document does not hold the record they name.
OPTIONAL_REFERENCES = {
    "attempts": (
        ("referred_to_contact_id", "contacts"),
        ("news_id", "news"),
        ("next_action_id", "next_actions"),
    ),
    "next_actions": (("news_id", "news"),),
}
_NOUNS = {"contacts": "contact", "news": "news item", "next_actions": "next action"}


@dataclass(frozen=True)
class RecordError:
    """A field of an imported record, named by its path in the document, and what is wrong."""

    field: str
    message: str


class InvalidRecords(InvalidField):
    """Records the API would refuse: `errors` names every one (a 422)."""

    def __init__(self, errors: Sequence[RecordError]) -> None:
        super().__init__(errors[0].field, errors[0].message)
        self.errors = list(errors)
        self.detail = f"Check these fields: {', '.join(error.field for error in errors)}."


class IdsInUse(Conflict):
    """Records whose ids another record already has (a 409): `errors` names every one."""

    def __init__(self, errors: Sequence[RecordError]) -> None:
        super().__init__(
            f"{len(errors)} record ids are already in use; nothing was imported. "
            "Import with ?ids=new to give every record a new id."
        )
        self.errors = list(errors)


@dataclass(frozen=True)
class Record:
    """One record of the document: where it is (`organizations.3`), its fields, and for a news
    item the id of the organization it is listed in."""

    path: str
    fields: Mapping[str, Any]
    parent: uuid.UUID | None = None

    @property
    def id(self) -> uuid.UUID:
        value: uuid.UUID = self.fields["id"]
        return value


@dataclass(frozen=True)
class Records:
    """The document's records by kind, news items lifted out of their organizations."""

    organizations: list[Record]
    news: list[Record]
    contacts: list[Record]
    attempts: list[Record]
    next_actions: list[Record]
    webhooks: list[Record]

    def count(self) -> int:
        """How many records there are, of every kind."""
        return sum(len(kind) for kind in self.kinds().values())

    def kinds(self) -> dict[str, list[Record]]:
        """The records by kind (the document's key, `news` for the news items)."""
        return {
            "organizations": self.organizations,
            "news": self.news,
            "contacts": self.contacts,
            "attempts": self.attempts,
            "next_actions": self.next_actions,
            "webhooks": self.webhooks,
        }


def records_of(document: Mapping[str, Any]) -> Records:
    """The records of a document, each with its path."""

    def listed(key: str) -> list[Record]:
        return [Record(f"{key}.{i}", fields) for i, fields in enumerate(document.get(key, ()))]

    organizations = listed("organizations")
    news = [
        Record(f"{organization.path}.news.{j}", item, organization.id)
        for organization in organizations
        for j, item in enumerate(organization.fields.get("news", ()))
    ]
    return Records(
        organizations,
        news,
        listed("contacts"),
        listed("attempts"),
        listed("next_actions"),
        listed("webhooks"),
    )


def check_records(records: Records, *, now: datetime, zone: ZoneInfo) -> None:
    """Raise InvalidRecords naming every record that breaks a rule; `zone` says what today is."""
    errors = _duplicates(records)
    errors += _organizations(records, local_date(now, zone).isoformat())
    errors += _contacts(records)
    errors += _attempts(records, now)
    errors += _next_actions(records)
    if errors:
        raise InvalidRecords(errors)


def _duplicates(records: Records) -> list[RecordError]:
    errors = []
    for kind in records.kinds().values():
        first: dict[uuid.UUID, str] = {}
        for record in kind:
            if record.id in first:
                message = f"the same id as {first[record.id]}"
                errors.append(RecordError(f"{record.path}.id", message))
            first.setdefault(record.id, record.path)
    return errors


def _organizations(records: Records, today: str) -> list[RecordError]:
    errors = []
    for record in records.organizations:
        fields = record.fields
        if fields["paused_reason"] is not None and fields["status"] != OrganizationStatus.PAUSED:
            message = "only allowed with status 'paused'"
            errors.append(RecordError(f"{record.path}.paused_reason", message))
        if fields["status"] == OrganizationStatus.WATCHING and fields["rejected_on"] is not None:
            message = WATCHING_REFUSES["rejected_on"]
            errors.append(RecordError(f"{record.path}.rejected_on", message))
        elif fields["rejected_on"] is not None and fields["rejected_on"].isoformat() > today:
            message = f"cannot be after today ({today})"
            errors.append(RecordError(f"{record.path}.rejected_on", message))
    for item in records.news:
        if item.fields.get("organization_id") not in (None, item.parent):
            message = "must be the id of the organization it is listed in"
            errors.append(RecordError(f"{item.path}.organization_id", message))
    return errors


def _contacts(records: Records) -> list[RecordError]:
    organizations = {record.id for record in records.organizations}
    return [
        RecordError(f"{record.path}.organization_id", NOT_IN_DOCUMENT.format(kind="organization"))
        for record in records.contacts
        if record.fields["organization_id"] not in organizations
    ]


def _attempts(records: Records, now: datetime) -> list[RecordError]:
    organization_of = {r.id: r.fields["organization_id"] for r in records.contacts}
    news_organization = {item.id: item.parent for item in records.news}
    action_organization = {r.id: r.fields["organization_id"] for r in records.next_actions}
    errors = []
    for record in records.attempts:
        fields = record.fields

        def refuse(name: str, message: str, path: str = record.path) -> None:
            errors.append(RecordError(f"{path}.{name}", message))

        organization = organization_of.get(fields["contact_id"])
        if organization is None:
            refuse("contact_id", NOT_IN_DOCUMENT.format(kind="contact"))
            continue
        if fields.get("organization_id") not in (None, organization):
            refuse("organization_id", "must be the organization of the attempt's contact")
        if fields["occurred_at"] is not None and fields["occurred_at"] > now + CLOCK_SKEW:
            refuse("occurred_at", "an attempt cannot happen in the future")
        fits = CHANNELS_OF_OUTCOME.get(fields["outcome"]) if fields["outcome"] else None
        if fits is not None and fields["channel"] not in fits:
            refuse("outcome", f"'{fields['outcome']}' only fits channel {_or(sorted(fits))}")
        referred = fields["referred_to_contact_id"]
        if referred is not None and fields["outcome"] != Outcome.REFERRED:
            refuse("referred_to_contact_id", "only allowed with outcome 'referred'")
        elif referred in organization_of and (
            organization_of[referred] != organization or referred == fields["contact_id"]
        ):
            refuse("referred_to_contact_id", "must be another contact at the same organization")
        if fields["follow_up_channel"] is not None and fields["follow_up_on"] is None:
            refuse("follow_up_channel", "only allowed with follow_up_on")
        news = fields["news_id"]
        if news in news_organization and news_organization[news] != organization:
            refuse("news_id", "must be a news item of the attempt's organization")
        action = fields["next_action_id"]
        if action in action_organization and action_organization[action] != organization:
            refuse("next_action_id", "belongs to another organization")
    return errors


def _next_actions(records: Records) -> list[RecordError]:
    organizations = {record.id for record in records.organizations}
    organization_of = {r.id: r.fields["organization_id"] for r in records.contacts}
    open_ones: Counter[uuid.UUID] = Counter()
    errors = []
    for record in records.next_actions:
        fields = record.fields
        organization = fields["organization_id"]
        if organization not in organizations:
            message = NOT_IN_DOCUMENT.format(kind="organization")
            errors.append(RecordError(f"{record.path}.organization_id", message))
        elif organization_of.get(fields["contact_id"]) != organization:
            message = "no contact with that id at this organization in the document"
            errors.append(RecordError(f"{record.path}.contact_id", message))
        if fields["state"] in OPEN_STATES:
            open_ones[organization] += 1
            if open_ones[organization] > 1:
                message = "an organization has at most one scheduled or due next action"
                errors.append(RecordError(f"{record.path}.state", message))
    return errors


def dropped_references(records: Records) -> list[RecordError]:
    """The references to records the document does not hold, each by its path: dropped."""
    kinds = records.kinds()
    held = {kind: {record.id for record in listed} for kind, listed in kinds.items()}
    notes = []
    for kind in ("attempts", "next_actions"):
        for record in kinds[kind]:
            for field, named in OPTIONAL_REFERENCES[kind]:
                value = record.fields.get(field)
                if value is not None and value not in held[named]:
                    message = DROPPED.format(kind=_NOUNS[named])
                    notes.append(RecordError(f"{record.path}.{field}", message))
    return notes


def _or(choices: Iterable[str]) -> str:
    *others, last = choices
    return f"{', '.join(others)} or {last}" if others else last
