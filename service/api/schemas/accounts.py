"""Accounts, log-in and API keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import EmailStr, Field, StringConstraints

from service.api.schemas.common import Input, Name, Output, Patch, Phone, Signature

# How hard to guess it is (slower) is checked after parsing, off the event loop and before
# the unit of work, by the route's dependency: see routes/accounts.py::hard_to_guess.
Password = Annotated[str, StringConstraints(min_length=10, max_length=200)]
STRENGTH = (
    "At least 10 characters and hard to guess (zxcvbn's estimate 3 of 4 or more): not a "
    "common word repeated or numbered, not a run like abcdef, not your email's name"
)
KeyName = Annotated[Name, StringConstraints(max_length=100)]
# A password to check, not to set: any length a password can have.
GivenPassword = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class AccountCreate(Input):
    email: EmailStr = Field(examples=["ada@example.com"])
    password: Password = Field(description=f"{STRENGTH}.")
    key_name: KeyName = Field(
        default="sign-up", description="A label for the first API key (the device or app)."
    )


class AccountRead(Output):
    id: uuid.UUID
    email: str
    created_at: datetime


class SignUpRead(Output):
    account: AccountRead
    api_key: str = Field(description="Shown once: store it now. Send as `Authorization: Bearer …`.")
    api_key_id: uuid.UUID = Field(
        description="The key's id in GET /v1/api-keys: DELETE /v1/api-keys/{id} revokes it "
        "(signing out)."
    )


class TokenCreate(Input):
    email: EmailStr
    password: GivenPassword
    name: KeyName = Field(default="device", description="A label for the device or script.")


class PasswordChange(Input):
    current_password: GivenPassword
    new_password: Password = Field(description=f"{STRENGTH}; not the current password.")


class AccountDelete(Input):
    password: GivenPassword = Field(description="Your password, to confirm.")


class ApiKeyCreate(Input):
    name: KeyName = "api key"


class ApiKeyRead(Output):
    id: uuid.UUID
    name: str
    created_at: datetime
    last_used_at: datetime | None


class ApiKeyIssued(Output):
    id: uuid.UUID
    name: str
    api_key: str = Field(description="Shown once: store it now.")


class ProfileRead(Output):
    name: str | None = Field(
        description='Your name, as scripts say it ("it\'s Sam Park"); '
        "until set, scripts carry the placeholder [your name]."
    )
    signature: str | None = Field(
        description='How emails sign off below "Best regards," (several lines allowed); '
        "default: your name."
    )
    phone: str | None = Field(
        description="The callback number voicemails leave; until set, the next action of a "
        "call carries the hint add_phone."
    )
    email: str | None = Field(description="Your email address, for the scripts that need it.")


class ProfileUpdate(Patch):
    name: Name | None = Field(default=None, examples=["Sam Park"])
    signature: Signature | None = Field(
        default=None, examples=["Sam Park\nsam@example.com · +1 312 555 0199"]
    )
    phone: Phone | None = Field(default=None, examples=["+1 312 555 0199"])
    email: EmailStr | None = Field(default=None, examples=["sam@example.com"])
