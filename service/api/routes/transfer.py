"""Export and import: the whole account as one JSON document, and contacts from a CSV."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError

from service.api.deps import (
    AccountDep,
    DryRunDep,
    KeyCheckedFirst,
    NowDep,
    SessionDep,
    SettingsDep,
    UnitOfWorkRoute,
)
from service.api.errors import problem
from service.api.routes import problems
from service.api.schemas.common import Problem
from service.api.schemas.transfer import (
    ContactsImportRead,
    DroppedReference,
    ExportDocument,
    IdsChoice,
    ImportDocument,
    ImportedCounts,
    ImportRead,
    check_connection,
    export_document,
    webhook_url_errors,
)
from service.services.errors import DomainError
from service.services.transfer import connections, linkedin, whole_account
from service.services.transfer.checks import IdsInUse, InvalidRecords, RecordError

router = APIRouter(prefix="/v1", tags=["export and import"], route_class=UnitOfWorkRoute)

JSON = "application/json"
CSV_TYPES = frozenset({"text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"})
LINKEDIN_EXAMPLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    'are missing."\n\n'
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ann,Lee,https://www.linkedin.com/in/ann-lee,ann@acme.example,Acme,"
    "Engineering Manager,12 Mar 2024\n"
)


class UnsupportedMediaType(DomainError):
    status = 415
    slug = "unsupported-media-type"
    title = "Unsupported media type"


@router.get(
    "/export",
    response_model=ExportDocument,
    responses={
        200: {
            "headers": {
                "Content-Disposition": {
                    "description": "attachment, with a file name that carries the date.",
                    "schema": {"type": "string"},
                }
            }
        },
        **problems(401),
    },
)
def export_account(session: SessionDep, account: AccountDep, now: NowDep) -> Response:
    """Every record of your account as one JSON document: profile, settings, organizations
    (each with its news), contacts, attempts, next actions in every state (the history) and
    webhooks, without their signing secrets. `POST /v1/import` takes it back, here or into
    another account or keepwarm. Sent as a download and never cached."""
    document = export_document(whole_account.export_account(session, account.id), now)
    name = f"keepwarm-export-{now.date().isoformat()}.json"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(document.model_dump_json(), media_type=JSON, headers=headers)


async def checked_document(body: ImportDocument, settings: SettingsDep) -> ImportDocument:
    """A document whose webhook URLs are ones a webhook may have (checked before the unit of
    work opens, as webhook creation checks them; the host is not looked up)."""
    errors = webhook_url_errors(body, allow_private=settings.webhook_allow_private)
    if errors:
        raise _invalid(errors)
    return body


def _invalid(errors: list[RecordError]) -> RequestValidationError:
    # Rendered as every other 422: one problem, an entry for each field.
    located = [
        {"loc": ("body", *error.field.split(".")), "msg": error.message, "type": "invalid"}
        for error in errors
    ]
    return RequestValidationError(located)


@router.post("/import", response_model=ImportRead, responses=problems(400, 401, 409, 422))
def import_account(
    body: Annotated[ImportDocument, Depends(checked_document)],
    session: SessionDep,
    account: AccountDep,
    now: NowDep,
    ids: Annotated[
        IdsChoice,
        Query(description="kept: the document's ids (409 if any is taken); new: fresh ones."),
    ] = IdsChoice.KEPT,
    dry_run: Annotated[
        bool, Query(description="Check everything and answer what would be imported.")
    ] = False,
) -> Response:
    """Take a document of `GET /v1/export` into your account: every record, or nothing.

    - Ids are kept by default. When one is taken by a record of your account, the answer is
      409 and `errors` names each such record (`organizations.3.id`); with `?ids=new` every
      record gets a new id and the references between them follow. A record whose id is
      used elsewhere in this keepwarm gets a new one, as with `?ids=new`.
    - A reference to a record the document does not hold (an attempt's `next_action_id`,
      `referred_to_contact_id` or `news_id`, a next action's `news_id`) is never stored: it
      is dropped (null), and `dropped` names each by its path.
    - A record is checked as the API checks it when it is created, and the rules between
      records too (an attempt's contact, a referral at the same organization, one open next
      action per organization): a bad one answers 422 naming each field by its path.
    - Times (`created_at`, `updated_at`, `occurred_at`) and the history of next actions are
      kept; the settings and profile given replace yours. Each imported organization's next
      action is then recomputed and announced to your webhooks as `followup.scheduled`.
    - Webhooks come in **disabled, with a new secret**: the export has no secret, so a
      receiver could not verify what keepwarm signs. Rotate the secret
      (`POST /v1/webhooks/{id}/rotate-secret`), give it to the receiver, then enable it.

    A round trip (export, import with `?ids=new` into an empty account, export again) gives
    the same document but for: every id, `exported_at`, each webhook's `enabled`,
    `disabled_reason` and `updated_at`, and for an open next action whose script phrasing
    changed (phrasings are picked with the ids as a seed) its `script`, `links`, `sequence`
    and `updated_at`.
    """
    try:
        imported = whole_account.import_account(
            session,
            account.id,
            body.records(),
            new_ids=ids == IdsChoice.NEW,
            dry_run=dry_run,
            now=now,
        )
    except InvalidRecords as exc:
        raise _invalid(exc.errors) from exc
    except IdsInUse as exc:
        return _conflict(exc)
    counts = ImportedCounts.model_validate(imported.counts, from_attributes=True)
    dropped = [
        DroppedReference(field=note.field, message=note.message) for note in imported.dropped
    ]
    result = ImportRead(dry_run=dry_run, ids=ids, imported=counts, dropped=dropped)
    return Response(result.model_dump_json(), media_type=JSON)


def _conflict(exc: IdsInUse) -> Response:
    # Nothing was written (the ids are checked first): answering commits nothing.
    errors = [
        {"field": error.field, "location": "body", "message": error.message, "type": "conflict"}
        for error in exc.errors
    ]
    return problem(exc.status, exc.slug, exc.title, exc.detail, errors=errors)


@dataclass(frozen=True)
class Upload:
    data: bytes
    encoding: str


async def csv_upload(request: Request, _key: Annotated[None, KeyCheckedFirst]) -> Upload:
    """The body of a text/csv request, and its charset (UTF-8 unless it says otherwise).

    Read only once the API key is known to be good: a caller without one gets 401 at once.
    """
    header = Message()
    header["content-type"] = request.headers.get("content-type", "")
    if header.get_content_type() not in CSV_TYPES:
        raise UnsupportedMediaType("Send the file with Content-Type: text/csv.")
    return Upload(await request.body(), str(header.get_param("charset") or "utf-8"))


def checked_rows(upload: Annotated[Upload, Depends(csv_upload)]) -> linkedin.CheckedRows:
    """The file's rows, read and checked in a worker thread before the unit of work opens."""
    return linkedin.check_rows(upload.data, check=check_connection, encoding=upload.encoding)


_CSV_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A LinkedIn connections export (Connections.csv), UTF-8.",
        "content": {
            "text/csv": {"schema": {"type": "string"}, "example": LINKEDIN_EXAMPLE},
        },
    }
}
_UNSUPPORTED: dict[int | str, dict[str, Any]] = {
    415: {
        "model": Problem,
        "description": "The body is not sent as text/csv.",
        "content": {"application/problem+json": {}},
    }
}


@router.post(
    "/contacts/import",
    response_model=ContactsImportRead,
    responses={**problems(400, 401, 422), **_UNSUPPORTED},
    openapi_extra=_CSV_BODY,
)
def import_contacts(
    dry_run: DryRunDep,
    rows: Annotated[linkedin.CheckedRows, Depends(checked_rows)],
    session: SessionDep,
    account: AccountDep,
    now: NowDep,
) -> ContactsImportRead:
    """Add people from a LinkedIn connections export (`Content-Type: text/csv`).

    The columns are LinkedIn's: First Name, Last Name, URL, Email Address, Company,
    Position, Connected On; the notes above the header are skipped. These are people you
    know, not rejections: each row becomes a contact at the organization with the company's
    name (case and spacing aside; of several, the one spelled alike, else the one with most
    contacts), or at a new one added with status `watching`, which gets
    no follow-ups until you set its `rejected_on` or the status `nurturing` (R17). The
    position is the title, and says the role (recruiting and talent words: `recruiter`; HR
    and people words: `hr`; else `other`).

    - `added` lists each person added (or, in a dry run, who would be) and where.
    - `skipped`: a person whose email, profile URL, or name at the same organization is in
      your account already (`contact_id` says who), or earlier in the file.
    - `errors`: a row the API would refuse (no name or company, a bad email or URL), by its
      line in the file, in plain words; the other rows are imported.

    An organization that was there and gets a contact has its next action recomputed. A dry
    run only reads: it holds no write lock while it checks the file.
    """
    result = connections.import_connections(session, account.id, rows, dry_run=dry_run, now=now)
    return ContactsImportRead.model_validate(result, from_attributes=True)
