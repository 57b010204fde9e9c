"""The agenda: a home screen in one call."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from service.api.schemas.common import Output
from service.domain.model import ContactRole, OrganizationStatus
from service.services.planning.action_body import NextActionRead
from service.services.planning.agenda import AttentionProblem


class AgendaOrganizationRead(Output):
    id: uuid.UUID
    name: str
    status: OrganizationStatus


class AgendaContactRead(Output):
    id: uuid.UUID
    name: str
    role: ContactRole
    email: str | None
    phone: str | None
    profile_url: str | None
    timezone: str | None = Field(description="Their IANA time zone; null: the same as yours.")


class AgendaItemRead(NextActionRead):
    organization: AgendaOrganizationRead = Field(description="The organization it is about.")
    contact: AgendaContactRead = Field(description="The person to reach, with their details.")


class AgendaCountsRead(Output):
    overdue: int = Field(description="Items due before now.")
    today: int = Field(
        description="Items due from now until the end of today, in your settings' time zone."
    )
    upcoming: int = Field(description="Items due after today, within the agenda's days.")


class AttentionRead(Output):
    organization_id: uuid.UUID
    name: str = Field(description="The organization's name.")
    problem: AttentionProblem = Field(
        description="paused (no follow-ups until you set it back), no_contacts (nobody on "
        "file), only_recruiters (no one but recruiters or HR: add the hiring manager), "
        "no_plan (contacts, but no follow-up planned: none active or reachable)."
    )


class AgendaRead(Output):
    now: datetime = Field(description="The time the agenda was made for.")
    counts: AgendaCountsRead
    items: list[AgendaItemRead] = Field(
        description="The open next actions due before now + days (overdue ones included), "
        "soonest first, each with its organization and contact."
    )
    attention: list[AttentionRead] = Field(
        description="Organizations that need you, one entry each with its most specific "
        "problem, by name."
    )
