"""The next action's public representation, rendered once when the row is written.

A list page of next actions is mostly scripts: decoding 50 rows and validating them again
on every read cost more than the rest of the request. The row carries its representation
(`body`, JSON text) instead, rendered here at every insert and update, whoever the writer is
(requests, the scheduler), so a read is a copy of stored text.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import event, inspect
from sqlalchemy.orm import Mapper, object_session
from sqlalchemy.orm.attributes import flag_modified

from service.db.cadence import NextAction
from service.domain.model import ActionState, Channel, Phase, Situation


class ScriptResponseRead(BaseModel):
    when: str = Field(description="What may happen during the call or meeting.")
    say: str = Field(description="A prepared line for it.")


class ScriptRead(BaseModel):
    variant: str = Field(description="Record it as the attempt's script_variant.")
    situation: Situation = Field(
        description="first_touch, warm, maintenance, opening, referral, requested (the date "
        "they asked for) or recruiter_only (no one but recruiters or HR on file)."
    )
    subject: str | None = Field(description="An email subject line; null for other channels.")
    greeting: str = Field(
        description="The name to greet them by: their greeting_name, else their first name."
    )
    parts: dict[str, str] = Field(
        description="purpose, interest, news, question and (calls, voicemails) closing."
    )
    text: str = Field(
        description="The script to send or say; for a call, the live conversation (pause "
        "after the question; the closing ends the call)."
    )
    voicemail: str | None = Field(
        description="For a call: the message to leave if nobody answers (at most 80 words); "
        "null for other channels."
    )
    responses: list[ScriptResponseRead] = Field(
        description="Calls and meetings: prepared lines for what may happen (referred to the "
        "recruiter, an opening mentioned, they are busy); empty for other channels."
    )
    word_count: int


class NextActionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    organization_id: uuid.UUID
    contact_id: uuid.UUID
    due_at: datetime
    window_start: date = Field(description="Local date in the contact's time zone.")
    window_end: date
    phase: Phase
    channel: Channel
    reason: str = Field(description="Why this, why now, in one sentence.")
    hints: list[str] = Field(description="add_hiring_manager, single_channel, find_news.")
    script: ScriptRead
    news_id: uuid.UUID | None = Field(description="The news item the script mentions.")
    state: ActionState
    sequence: int = Field(description="Increments each time the action is rescheduled.")
    created_at: datetime
    updated_at: datetime


def render_action(action: Any) -> str:
    """The JSON representation of a next action (an ORM row or a selected row)."""
    return NextActionRead.model_validate(action).model_dump_json()


@event.listens_for(NextAction, "before_insert")
def _render_new(_mapper: Mapper[Any], _connection: Any, action: NextAction) -> None:
    # Column defaults are applied after this hook: fill the ones the representation shows.
    if action.id is None:
        action.id = uuid.uuid4()
    if action.sequence is None:
        action.sequence = 0
    action.body = render_action(action)


@event.listens_for(NextAction, "before_update")
def _render_changed(_mapper: Mapper[Any], _connection: Any, action: NextAction) -> None:
    session = object_session(action)
    if session is None or not session.is_modified(action):
        return
    if not inspect(action).attrs.updated_at.history.has_changes():
        # Keep the stored time: the column's onupdate would set one the body does not show.
        flag_modified(action, "updated_at")
    body = render_action(action)
    if body != action.body:
        action.body = body
