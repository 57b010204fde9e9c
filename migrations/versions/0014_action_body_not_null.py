"""next actions' bodies: rendered where missing, then NOT NULL

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

Every writer renders an action's public representation now (service.services.planning.action_body),
and readers serve it as stored, with no fallback for a missing one. Rows that no release has
written since 0008 cleared their bodies get theirs here, from their columns and their
contact's details, as the application renders them (tests/db/test_migrations.py compares the
two). Static: this file never imports the application, so it renders what it needs itself.

Expand only: the previous release renders a body at every insert and update already.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_actions = sa.table(
    "next_actions",
    sa.column("id", sa.Uuid()),
    sa.column("organization_id", sa.Uuid()),
    sa.column("contact_id", sa.Uuid()),
    sa.column("due_at", sa.DateTime(timezone=True)),
    sa.column("window_start", sa.Date()),
    sa.column("window_end", sa.Date()),
    sa.column("phase", sa.String()),
    sa.column("channel", sa.String()),
    sa.column("reason", sa.Text()),
    sa.column("hints", sa.JSON()),
    sa.column("script", sa.JSON()),
    sa.column("news_id", sa.Uuid()),
    sa.column("state", sa.String()),
    sa.column("sequence", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("body", sa.Text()),
)
_contacts = sa.table(
    "contacts",
    sa.column("id", sa.Uuid()),
    sa.column("email", sa.String()),
    sa.column("phone", sa.String()),
    sa.column("profile_url", sa.String()),
)
_CHUNK = 500


def upgrade() -> None:
    connection = op.get_bind()
    missing = (
        sa.select(_actions, _contacts.c.email, _contacts.c.phone, _contacts.c.profile_url)
        .outerjoin(_contacts, _contacts.c.id == _actions.c.contact_id)
        .where(_actions.c.body.is_(None))
    )
    write = (
        _actions.update()
        .where(_actions.c.id == sa.bindparam("action_id"))
        .values(body=sa.bindparam("rendered"), script=sa.bindparam("whole_script"))
    )
    # A chunk at a time along the ids, so neither the memory it takes nor the rows it reads
    # again grow with the table.
    last: Any = None
    while rows := connection.execute(
        (missing if last is None else missing.where(_actions.c.id > last))
        .order_by(_actions.c.id)
        .limit(_CHUNK)
    ).all():
        connection.execute(
            write,
            [{"action_id": r.id, "rendered": _render(r), "whole_script": _whole(r)} for r in rows],
        )
        last = rows[-1].id
    with op.batch_alter_table("next_actions", schema=None) as batch_op:
        batch_op.alter_column("body", existing_type=sa.Text(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("next_actions", schema=None) as batch_op:
        batch_op.alter_column("body", existing_type=sa.Text(), nullable=True)


# The representation as the application's NextActionRead serializes it: its keys in order,
# times in UTC with a Z, compact JSON with the characters as they are.
def _render(row: Any) -> str:
    script = row.script or {}
    body = {
        "id": str(row.id),
        "organization_id": str(row.organization_id),
        "contact_id": str(row.contact_id),
        "due_at": _moment(row.due_at),
        "window_start": _day(row.window_start),
        "window_end": _day(row.window_end),
        "phase": row.phase,
        "channel": row.channel,
        "reason": row.reason,
        "hints": list(row.hints or []),
        "script": _script(script, row.phase),
        "links": _links(row, script),
        "news_id": None if row.news_id is None else str(row.news_id),
        "state": row.state,
        "sequence": row.sequence or 0,
        "created_at": _moment(row.created_at),
        "updated_at": _moment(row.updated_at),
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


# A script stored before situations and greetings existed (0005) names none: the phase's
# own situation, and no greeting, stand in for them.
_SITUATION_OF_PHASE = {
    "initial": "first_touch",
    "warm": "warm",
    "maintenance": "maintenance",
    "opening": "opening",
}


def _whole(row: Any) -> dict[str, Any]:
    # The stored script with what the body shows filled in, so the application renders this
    # row again (a contact's new email, a snooze) as it is rendered here.
    script = dict(row.script or {})
    return {**script, **_script(script, row.phase)}


def _script(script: Mapping[str, Any], phase: str) -> dict[str, Any]:
    written = script.get("as_email")
    return {
        "variant": script.get("variant", ""),
        "situation": script.get("situation") or _SITUATION_OF_PHASE.get(phase, "maintenance"),
        "subject": script.get("subject"),
        "greeting": script.get("greeting", ""),
        "parts": dict(script.get("parts") or {}),
        "text": script.get("text", ""),
        "voicemail": script.get("voicemail"),
        "responses": [
            {"when": response["when"], "say": response["say"]}
            for response in script.get("responses") or []
        ],
        "word_count": script.get("word_count", 0),
        "as_email": ({"subject": written["subject"], "text": written["text"]} if written else None),
    }


def _moment(value: datetime) -> str:
    # SQLite gives the stored UTC time without a zone; PostgreSQL gives it in the session's.
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.isoformat().replace("+00:00", "Z")


def _day(value: date) -> str:
    return value.isoformat()


def _links(row: Any, script: Mapping[str, Any]) -> dict[str, str | None]:
    address = (row.email or "").strip()
    subject, text = script.get("subject"), script.get("text")
    written = script.get("as_email")
    if row.channel != "email":
        subject, text = (written["subject"], written["text"]) if written else (None, text)
    return {
        "mailto": _mailto(address, subject, text) if address else None,
        "tel": _tel(row.phone),
        "profile": (row.profile_url or "").strip() or None,
    }


def _mailto(address: str, subject: str | None, text: str | None) -> str:
    fields = [(name, value) for name, value in (("subject", subject), ("body", text)) if value]
    query = "&".join(f"{name}={_header_value(value)}" for name, value in fields)
    uri = "mailto:" + quote(address.strip(), safe="@+")
    return f"{uri}?{query}" if query else uri


def _header_value(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "%0D%0A".join(quote(line, safe="") for line in lines)


def _tel(phone: str | None) -> str | None:
    number = (phone or "").strip()
    digits = "".join(ch for ch in number if ch in "0123456789")
    if not digits:
        return None
    return "tel:" + "+" * number.startswith("+") + digits
