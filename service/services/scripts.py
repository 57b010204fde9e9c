"""The script check: brief, on-topic, ends with a question, never asks for a job."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.cadence import NextAction
from service.db.models import Attempt, Contact, NewsItem, Organization
from service.domain.model import ActionState, Channel
from service.domain.scripts import ScriptCheck, check_script, render_variant
from service.services.records import get_referenced

NO_ORGANIZATION_REFERENCE = "no_organization_reference"


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
        result = check_script(channel=channel, text=text, organization_name=None, previous_texts=())
        return _accept_any_organization(session, account_id, text, result)
    contact = get_referenced(session, Contact, account_id, contact_id, "contact_id", "contact")
    organization = session.get_one(Organization, contact.organization_id)
    return check_script(
        channel=channel,
        text=text,
        organization_name=organization.name,
        previous_texts=_previous_texts(session, contact, organization),
    )


def _accept_any_organization(
    session: Session, account_id: uuid.UUID, text: str, result: ScriptCheck
) -> ScriptCheck:
    """Without a contact, naming any of the account's organizations is a reference to it."""
    if all(warning.code != NO_ORGANIZATION_REFERENCE for warning in result.warnings):
        return result
    folded = " ".join(text.split()).casefold()
    names = session.scalars(select(Organization.name).where(Organization.account_id == account_id))
    if not any(" ".join(name.split()).casefold() in folded for name in names):
        return result
    kept = tuple(w for w in result.warnings if w.code != NO_ORGANIZATION_REFERENCE)
    return ScriptCheck(ok=not kept, word_count=result.word_count, warnings=kept)
