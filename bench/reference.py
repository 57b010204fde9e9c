"""The textbook reference app of SPEC section 5: FastAPI + SQLAlchemy 2 ORM, written the way
most FastAPI services are (a sync endpoint, a sync `Session` yield dependency, a bearer key
looked up by its sha256), answering the same JSON as keepwarm's `GET /v1/contacts/{id}`.

Served by `bench.servers.uvicorn_server("bench.reference:create_app", ...)` with
`REFERENCE_DATABASE_URL` naming a database that `seed` filled.
"""

# No `from __future__ import annotations`: FastAPI must see the dependency aliases that
# create_app defines in its own scope as objects, not as names it cannot resolve.
import hashlib
import os
import secrets
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException
from pydantic import BaseModel, ConfigDict
from sqlalchemy import DateTime, String, create_engine, insert
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker


class Base(DeclarativeBase):
    pass


class ApiKey(Base):
    __tablename__ = "reference_api_keys"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[uuid.UUID]


class Contact(Base):
    __tablename__ = "reference_contacts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    account_id: Mapped[uuid.UUID] = mapped_column(index=True)
    organization_id: Mapped[uuid.UUID]
    name: Mapped[str]
    role: Mapped[str]
    title: Mapped[str | None]
    email: Mapped[str | None]
    phone: Mapped[str | None]
    profile_url: Mapped[str | None]
    timezone: Mapped[str | None]
    greeting_name: Mapped[str | None]
    status: Mapped[str]
    notes: Mapped[str | None]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ContactRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    role: str
    title: str | None
    email: str | None
    phone: str | None
    profile_url: str | None
    timezone: str | None
    greeting_name: str | None
    status: str
    notes: str | None
    created_at: datetime
    updated_at: datetime


def create_app() -> FastAPI:
    engine = create_engine(os.environ["REFERENCE_DATABASE_URL"])
    session_factory = sessionmaker(engine)
    app = FastAPI()

    def get_session() -> Iterator[Session]:
        with session_factory() as session:
            yield session

    SessionDep = Annotated[Session, Depends(get_session)]

    def get_account_id(session: SessionDep, authorization: Annotated[str, Header()]) -> uuid.UUID:
        scheme, _, key = authorization.partition(" ")
        found = session.get(ApiKey, hashlib.sha256(key.encode()).hexdigest())
        if scheme.lower() != "bearer" or found is None:
            raise HTTPException(status_code=401, detail="Not authenticated")
        return found.account_id

    AccountDep = Annotated[uuid.UUID, Depends(get_account_id)]

    @app.get("/v1/contacts/{contact_id}", response_model=ContactRead)
    def read_contact(contact_id: uuid.UUID, session: SessionDep, account_id: AccountDep) -> Contact:
        contact = session.get(Contact, contact_id)
        if contact is None or contact.account_id != account_id:
            raise HTTPException(status_code=404, detail="Contact not found")
        return contact

    return app


def seed(url: str, *, contacts: int) -> tuple[str, list[str]]:
    """Create the reference's tables, one key and N contacts; return the key and the ids."""
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    key, account_id, now = secrets.token_urlsafe(32), uuid.uuid4(), datetime.now(UTC)
    ids = [uuid.uuid4() for _ in range(contacts)]
    rows = [
        {
            "id": contact_id,
            "account_id": account_id,
            "organization_id": uuid.uuid4(),
            "name": f"Person {n}",
            "role": "hiring_manager",
            "title": None,
            "email": f"p{n}@example.com",
            "phone": "+1 312 555 0100",
            "profile_url": None,
            "timezone": None,
            "greeting_name": None,
            "status": "active",
            "notes": None,
            "created_at": now,
            "updated_at": now,
        }
        for n, contact_id in enumerate(ids)
    ]
    with engine.begin() as conn:
        key_hash = hashlib.sha256(key.encode()).hexdigest()
        conn.execute(insert(ApiKey), [{"key_hash": key_hash, "account_id": account_id}])
        conn.execute(insert(Contact), rows)
    engine.dispose()
    return key, [str(i) for i in ids]
