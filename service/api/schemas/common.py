"""Types shared by the HTTP contract: problems, pages, validated strings."""

from __future__ import annotations

import re
import uuid
import zoneinfo
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    TypeAdapter,
    field_validator,
)

T = TypeVar("T")

_http_url = TypeAdapter(HttpUrl)
_PHONE = re.compile(r"^\+?[0-9][0-9 ().\-/]{3,38}$")


@lru_cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _timezone(value: str) -> str:
    if value not in _zones():
        raise ValueError("not an IANA time zone name (for example Europe/London)")
    return value


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refuse it here rather than fail in the database.
    if "\x00" in value:
        raise ValueError("may not contain the NUL character")
    return value


def _url(value: str) -> str:
    _no_nul(value)
    try:
        _http_url.validate_python(value)
    except ValueError:
        raise ValueError("not an http or https URL") from None
    return value


def _phone(value: str) -> str:
    if not _PHONE.match(value) or sum(ch.isdigit() for ch in value) < 5:
        raise ValueError("not a phone number (digits, spaces, + ( ) - . / allowed)")
    return value


def _utc(value: datetime) -> datetime:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
    return value.astimezone(UTC)


def _day(value: date) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
    return value


# Free text refuses NUL: put it on every str a client may send that is stored or queried.
NoNul = AfterValidator(_no_nul)
MIN_YEAR, MAX_YEAR = 1970, 2200
Timestamp = Annotated[AwareDatetime, AfterValidator(_utc)]
Day = Annotated[date, AfterValidator(_day)]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_no_nul),
]
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_no_nul)
]
Notes = Annotated[str, StringConstraints(max_length=10_000), AfterValidator(_no_nul)]
Signature = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(_no_nul),
]
Url = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_url)]
TimeZoneName = Annotated[str, StringConstraints(max_length=64), AfterValidator(_timezone)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_phone)]


class Input(BaseModel):
    """Request bodies: unknown fields are refused, so a typo never silently loses data."""

    model_config = ConfigDict(extra="forbid")


def _not_nullable(schema: dict[str, Any], model: type[Any]) -> None:
    # The document says what the server accepts: a field a patch refuses as null is not
    # nullable there (it is still optional: absent means unchanged).
    for name in getattr(model, "not_null", ()):
        field = schema.get("properties", {}).get(name)
        if field is None or "anyOf" not in field:
            continue
        field.pop("default", None)  # absent means unchanged, never null
        kinds = [kind for kind in field["anyOf"] if kind != {"type": "null"}]
        del field["anyOf"]
        field.update(kinds[0] if len(kinds) == 1 else {"anyOf": kinds})


class Patch(Input):
    """A JSON merge patch: absent fields stay, null clears a nullable field."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_not_nullable)
    not_null: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_null(cls, value: Any, info: Any) -> Any:
        if value is None and info.field_name in cls.not_null:
            raise ValueError("may not be null")
        return value

    def changes(self) -> dict[str, Any]:
        """Only the fields the client sent."""
        return self.model_dump(exclude_unset=True)


class Output(BaseModel):
    """Response bodies, read from ORM rows."""

    model_config = ConfigDict(from_attributes=True)


class FieldError(BaseModel):
    field: str = Field(description="The field at fault, dotted for nested fields.")
    location: str = Field(description="body, query, path or header.")
    message: str
    type: str = Field(description="A machine-readable error kind.")


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = None


class Page(BaseModel, Generic[T]):
    data: list[T]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= to get the next page; null on the last page."
    )


class Created(BaseModel):
    id: uuid.UUID
