"""Accounts, log-in and API keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, EmailStr, Field, StringConstraints

from service.api.schemas.common import Input, Name, Output, Patch, Phone, Signature
from service.services.passwords import password_problem


def _hard_to_guess(password: str) -> str:
    problem = password_problem(password)
    if problem is not None:
        raise ValueError(problem)
    return password


Password = Annotated[
    str, StringConstraints(min_length=10, max_length=200), AfterValidator(_hard_to_guess)
]
KeyName = Annotated[Name, StringConstraints(max_length=100)]
# A password to check, not to set: any length a password can have.
GivenPassword = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class AccountCreate(Input):
    email: EmailStr = Field(examples=["ada@example.com"])
    password: Password = Field(
        description="At least 10 characters; not one of the most common passwords, nor "
        "spaces or digits alone."
    )
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
    new_password: Password = Field(
        description="At least 10 characters; not one of the most common passwords, nor "
        "spaces or digits alone; not the current password."
    )


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
