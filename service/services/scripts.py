"""The script check: brief, on-topic, ends with a question, never asks for a job."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.cadence import NextAction
from service.db.models import Attempt, Contact, NewsItem, Organization
from service.domain.model import ActionState, Channel
from service.domain.scripts import ScriptCheck, check_script, render_variant
from service.services.errors import InvalidField


def _previous_texts(session: Session, contact: Contact, organization: Organization) -> list[str]:
    texts: list[str] = []
    rows = session.execute(
        select(Attempt.script_variant, NewsItem.headline)
        .outerjoin(NewsItem, NewsItem.id == Attempt.news_id)
        .where(Attempt.contact_id == contact.id, Attempt.script_variant.is_not(None))
    )
    for variant, headline in rows:
        if variant is None:
            continue
        try:
            texts.append(
                render_variant(
                    variant,
                    organization_name=organization.name,
                    contact_name=contact.name,
                    news_headline=headline,
                )
            )
        except ValueError:
            continue  # a variant the client made up: nothing to compare against
    done = session.scalars(
        select(NextAction.script).where(
            NextAction.contact_id == contact.id, NextAction.state == ActionState.DONE
        )
    )
    texts.extend(str(script["text"]) for script in done if script.get("text"))
    return texts


def check(
    session: Session,
    account_id: uuid.UUID,
    *,
    channel: Channel,
    text: str,
    contact_id: uuid.UUID | None,
) -> ScriptCheck:
    """Check a script; with a contact, also against what was already said to them."""
    if contact_id is None:
        return check_script(channel=channel, text=text, organization_name=None, previous_texts=())
    contact = session.get(Contact, contact_id)
    if contact is None or contact.account_id != account_id:
        raise InvalidField("contact_id", "no contact with that id in this account")
    organization = session.get_one(Organization, contact.organization_id)
    return check_script(
        channel=channel,
        text=text,
        organization_name=organization.name,
        previous_texts=_previous_texts(session, contact, organization),
    )
