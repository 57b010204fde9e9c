"""Export and import: the account as one JSON document, and LinkedIn connections as CSV.

An imported record is checked by the schema that creates it through the API (its fields, and
the id and times it had), so an import accepts what the API accepts.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints, ValidationError, model_validator

from service.api.schemas.accounts import ProfileRead, ProfileUpdate
from service.api.schemas.cadence import NextActionRead, ScriptRead, SettingsRead, SettingsUpdate
from service.api.schemas.common import Day, Input, NoNul, Timestamp
from service.api.schemas.records import (
    AttemptCreate,
    AttemptRead,
    ContactCreate,
    ContactRead,
    NewsCreate,
    NewsRead,
    OrganizationCreate,
    OrganizationRead,
)
from service.api.schemas.webhooks import WebhookCreate, WebhookRead
from service.domain.model import ActionState, Channel, Phase
from service.scheduler.ssrf import UnsafeURL, check_url_syntax
from service.services.transfer import linkedin, whole_account
from service.services.transfer.checks import RecordError

FORMAT_VERSION = 1


class OrganizationExport(OrganizationRead):
    news: list[NewsRead]


class NextActionExport(NextActionRead):
    snoozed_until: datetime | None = Field(
        description="Set by a snooze: the action is due then, until the next touch."
    )


class ExportDocument(BaseModel):
    """Every record of an account; POST /v1/import takes it back."""

    format_version: Literal[1] = Field(description="Changes when the layout does.")
    exported_at: datetime
    profile: ProfileRead
    settings: SettingsRead
    organizations: list[OrganizationExport] = Field(description="Each with its news items.")
    contacts: list[ContactRead]
    attempts: list[AttemptRead]
    next_actions: list[NextActionExport] = Field(
        description="Every state: the open ones and the history (done, skipped, cancelled)."
    )
    webhooks: list[WebhookRead] = Field(description="Without their signing secrets.")


def export_document(records: whole_account.AccountRecords, now: datetime) -> ExportDocument:
    """The document of an account's records."""
    news: dict[uuid.UUID, list[NewsRead]] = {}
    for item in records.news:
        news.setdefault(item.organization_id, []).append(NewsRead.model_validate(item))
    organizations = [
        OrganizationExport(
            **OrganizationRead.model_validate(row).model_dump(), news=news.get(row.id, [])
        )
        for row in records.organizations
    ]
    # Each action as GET shows it (its stored representation), and when a snooze ends.
    actions = [
        NextActionExport.model_validate(json.loads(row.body) | {"snoozed_until": row.snoozed_until})
        for row in records.next_actions
    ]
    return ExportDocument(
        format_version=FORMAT_VERSION,
        exported_at=now,
        profile=ProfileRead.model_validate(records.profile),
        settings=SettingsRead.model_validate(records.settings),
        organizations=organizations,
        contacts=[ContactRead.model_validate(row) for row in records.contacts],
        attempts=[AttemptRead.model_validate(row) for row in records.attempts],
        next_actions=actions,
        webhooks=[WebhookRead.model_validate(row) for row in records.webhooks],
    )


class Times(Input):
    """When an imported record was made and last changed; absent, the time of the import."""

    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class NewsImport(NewsCreate):
    id: uuid.UUID
    organization_id: uuid.UUID | None = Field(
        default=None, description="If given, the organization it is listed in."
    )
    created_at: Timestamp | None = None


class OrganizationImport(OrganizationCreate, Times):
    id: uuid.UUID
    news: list[NewsImport] = Field(default_factory=list)


class ContactImport(ContactCreate, Times):
    id: uuid.UUID


class AttemptImport(AttemptCreate, Times):
    id: uuid.UUID
    organization_id: uuid.UUID | None = Field(
        default=None, description="If given, the organization of its contact."
    )


class ScriptImport(ScriptRead, Input):
    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        # The texts of a script are free text a client sends: no NUL, as everywhere else.
        if _has_nul(data):
            raise ValueError("may not contain the NUL character")
        return data


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


Reason = Annotated[str, StringConstraints(min_length=1, max_length=2000), NoNul]
Hint = Annotated[str, StringConstraints(min_length=1, max_length=64), NoNul]


class NextActionImport(Times):
    id: uuid.UUID
    organization_id: uuid.UUID
    contact_id: uuid.UUID
    due_at: Timestamp
    window_start: Day
    window_end: Day
    phase: Phase
    channel: Channel
    reason: Reason
    hints: list[Hint] = Field(default_factory=list, max_length=20)
    script: ScriptImport
    links: dict[str, str | None] | None = Field(
        default=None, description="Ignored: made again from the contact."
    )
    news_id: uuid.UUID | None = None
    state: ActionState
    sequence: int = Field(default=0, ge=0, le=1_000_000_000)
    snoozed_until: Timestamp | None = None


DisabledReason = Annotated[str, StringConstraints(max_length=500)]


class WebhookImport(WebhookCreate, Times):
    id: uuid.UUID
    enabled: bool = Field(default=False, description="Ignored: an imported webhook is disabled.")
    disabled_reason: DisabledReason | None = Field(default=None, description="Ignored.")


class ImportDocument(Input):
    """A document of GET /v1/export (from this account, another, or another keepwarm)."""

    format_version: Literal[1]
    exported_at: Timestamp | None = None
    profile: ProfileUpdate | None = Field(default=None, description="Replaces yours if given.")
    settings: SettingsUpdate | None = Field(
        default=None, description="Replaces yours (the fields given) if given."
    )
    organizations: list[OrganizationImport] = Field(default_factory=list)
    contacts: list[ContactImport] = Field(default_factory=list)
    attempts: list[AttemptImport] = Field(default_factory=list)
    next_actions: list[NextActionImport] = Field(default_factory=list)
    webhooks: list[WebhookImport] = Field(default_factory=list)

    def records(self) -> dict[str, Any]:
        """What whole_account.import_account takes: fields, settings and profile as merge
        patches."""
        kinds = ("organizations", "contacts", "attempts", "next_actions", "webhooks")
        document = self.model_dump(include=set(kinds))
        document["settings"] = self.settings.changes() if self.settings else {}
        document["profile"] = self.profile.changes() if self.profile else {}
        return document


class IdsChoice(StrEnum):
    KEPT = "kept"
    NEW = "new"


class ImportedCounts(BaseModel):
    organizations: int
    news: int
    contacts: int
    attempts: int
    next_actions: int
    webhooks: int


class DroppedReference(BaseModel):
    field: str = Field(description="The reference, by its path: attempts.3.next_action_id.")
    message: str


class ImportRead(BaseModel):
    dry_run: bool = Field(description="True: nothing was written; this is what would have been.")
    ids: IdsChoice = Field(description="kept: the document's ids; new: fresh ones.")
    imported: ImportedCounts
    dropped: list[DroppedReference] = Field(
        description="References to records the document does not hold: stored as null."
    )


def field_errors(exc: ValidationError) -> list[RecordError]:
    """A schema's refusals, each naming its field (dotted, as problem documents do)."""
    return [
        RecordError(
            ".".join(str(part) for part in error["loc"]) or "body",
            str(error["msg"]).removeprefix("Value error, "),
        )
        for error in exc.errors()
    ]


def webhook_url_errors(document: ImportDocument, *, allow_private: bool) -> list[RecordError]:
    """The webhooks whose URL no webhook may have (https, no private host; nothing looked up)."""
    errors = []
    for i, webhook in enumerate(document.webhooks):
        try:
            check_url_syntax(webhook.url, allow_private=allow_private)
        except UnsafeURL as exc:
            errors.append(RecordError(f"webhooks.{i}.url", exc.reason))
    return errors


# --- LinkedIn connections (CSV)


_ANY_ORGANIZATION = uuid.UUID(int=0)  # a connection's organization is found by its name


def check_connection(values: Mapping[str, Any]) -> dict[str, Any]:
    """A connection's company and person, checked as POST /v1/organizations and
    POST /v1/contacts check them; linkedin.RowRefused names each field refused."""
    fields = dict(values)
    errors: list[tuple[str, str]] = []
    try:
        company = OrganizationCreate.model_validate({"name": fields.pop("company")}).name
    except ValidationError as exc:
        errors += [("company", error.message) for error in field_errors(exc)]
    try:
        contact = ContactCreate.model_validate(fields | {"organization_id": _ANY_ORGANIZATION})
    except ValidationError as exc:
        errors += [(error.field, error.message) for error in field_errors(exc)]
    if errors:
        raise linkedin.RowRefused(errors)
    return contact.model_dump(exclude={"organization_id"}) | {"company": company}


class CreatedCounts(BaseModel):
    organizations: int
    contacts: int


class SkippedRow(BaseModel):
    line: int = Field(description="The row's line in the file (the first is 1).")
    name: str
    reason: str = Field(
        description="Who it is and why: the contact already in your account (same email, "
        "profile URL, or name at the same company), or an earlier line of the file."
    )
    contact_id: uuid.UUID | None = Field(
        description="The contact already in your account; null when it is an earlier line."
    )


class AddedRow(BaseModel):
    line: int = Field(description="The row's line in the file (the first is 1).")
    name: str
    organization: str = Field(description="The organization the contact is added at.")
    organization_id: uuid.UUID | None = Field(
        description="Its id; null for an organization a dry run would add."
    )
    new_organization: bool = Field(
        description="True: the organization is added by this import, as watching (R17)."
    )


class RowError(BaseModel):
    line: int = Field(description="The row's line in the file (the first is 1).")
    field: str = Field(description="The column at fault, as the file names it.")
    message: str = Field(description="In plain words, e.g. 'this row has no company'.")


class ContactsImportRead(BaseModel):
    dry_run: bool = Field(description="True: nothing was written; this is what would have been.")
    created: CreatedCounts
    new_organizations: list[str] = Field(
        description="The companies added as organizations, status watching (no organization "
        "had their name, case and spacing aside)."
    )
    added: list[AddedRow] = Field(description="Who is (or would be) added, and where.")
    skipped: list[SkippedRow] = Field(
        description="Rows of people already in your account, or earlier in the file."
    )
    errors: list[RowError] = Field(description="Rows not imported, and why.")
