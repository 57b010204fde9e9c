"""Response helpers: ETags, pages with Link headers, idempotent creation."""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Header, Request, Response
from pydantic import BaseModel, StringConstraints
from sqlalchemy.orm import Session

from service.api.deps import AccountDep, NowDep, Principal, SessionDep
from service.api.schemas.common import NoNul
from service.services.records import idempotency
from service.services.records.shared import Page

JSON = "application/json"


def etag_of(row: Any) -> str:
    """The ETag of a versioned row."""
    return f'"{row.version}"'


def content_etag(body: str) -> str:
    """A strong ETag derived from a representation."""
    return f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'


def one(
    schema: type[BaseModel], row: Any, *, status: int = 200, location: str | None = None
) -> Response:
    """A single resource with its ETag (and Location when created)."""
    body = schema.model_validate(row).model_dump_json()
    # Unversioned resources (account, news item) get an ETag of their content.
    tag = etag_of(row) if hasattr(row, "version") else content_etag(body)
    headers = {"ETag": tag}
    if location is not None:
        headers["Location"] = location
    return Response(body, status_code=status, media_type=JSON, headers=headers)


def stored_body(row: Any) -> Response:
    """A resource served as its stored representation (a next action's body), with its ETag."""
    return Response(row.body, media_type=JSON, headers={"ETag": etag_of(row)})


def page(request: Request, schema: type[BaseModel], result: Page[Any]) -> Response:
    """A list page: {data, next_cursor} and an RFC 8288 Link to the next page."""
    items = (schema.model_validate(row).model_dump_json() for row in result.items)
    return rendered_page(request, Page(list(items), result.next_cursor))


def rendered_page(request: Request, result: Page[str]) -> Response:
    """A list page of items already rendered as JSON."""
    items = ",".join(result.items)
    cursor = "null" if result.next_cursor is None else f'"{result.next_cursor}"'
    headers = {}
    if result.next_cursor is not None:
        # On the same base as Location: a Host header the client forged must not reach it.
        root = str(request.scope.get("root_path", ""))
        path = request.url.path.removeprefix(root) if root else request.url.path
        # The request's own query (already parsed), its cursor replaced by the next one.
        query = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
        query.append(("cursor", result.next_cursor))
        headers["Link"] = f'<{location(request, path)}?{urlencode(query)}>; rel="next"'
    body = f'{{"data":[{items}],"next_cursor":{cursor}}}'
    return Response(body, media_type=JSON, headers=headers)


IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="Retry-safe creation: a replay with the same key and body returns the "
        "first response; kept 24 hours.",
    ),
    StringConstraints(min_length=1, max_length=255),
    NoNul,
]


class Idempotent:
    """Replays the first response of a POST that carried the same Idempotency-Key."""

    def __init__(
        self,
        request: Request,
        session: Session,
        account: Principal,
        now: datetime,
        key: str | None,
    ) -> None:
        self.request, self.session, self.account, self.now, self.key = (
            request,
            session,
            account,
            now,
            key,
        )

    def run(
        self,
        payload: BaseModel | None,
        produce: Callable[[], Response],
        *,
        keep: Callable[[str], str] | None = None,
        replay: Callable[[str], Response] | None = None,
    ) -> Response:
        """Answer from the stored response, or produce one and store it.

        `keep` trims the body before it is stored (a secret must never be), and `replay`
        answers a retry from what was kept (a secret made anew, never the first one).
        Concurrent requests with one key wait for the first, then replay its answer.
        """
        if self.key is None:
            return produce()
        digest = hashlib.sha256(
            f"{self.request.method} {self.request.url.path}\n".encode()
            + (payload.model_dump_json().encode() if payload is not None else b"")
        ).hexdigest()
        # Locations are kept relative to the base URL: the Host header is the client's to
        # choose, and an absolute URL could outgrow the column.
        base = location(self.request)
        stored = idempotency.claim(self.session, self.account.id, self.key, digest, now=self.now)
        if stored is not None:
            answer = replay(stored.body) if replay is not None else _stored(stored, base)
            answer.headers["Idempotent-Replayed"] = "true"
            return answer
        response = produce()
        body = bytes(response.body).decode()
        if keep is not None:
            body = keep(body)
        where = response.headers.get("Location")
        if where is not None and where.startswith(base + "/"):
            where = where.removeprefix(base)
        idempotency.remember(
            self.session,
            self.account.id,
            self.key,
            idempotency.StoredResponse(
                response.status_code, body, where, response.headers.get("ETag")
            ),
        )
        return response


def _stored(stored: idempotency.StoredResponse, base: str) -> Response:
    headers = {}
    if stored.location:
        relative = stored.location.startswith("/")
        headers["Location"] = base + stored.location if relative else stored.location
    if stored.etag:
        headers["ETag"] = stored.etag
    return Response(stored.body, status_code=stored.status_code, media_type=JSON, headers=headers)


async def get_idempotent(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    now: NowDep,
    key: IdempotencyKeyHeader = None,
) -> Idempotent:
    """A creation's unit of work, account and clock, and its Idempotency-Key."""
    return Idempotent(request, session, account, now, key)


IdempotentDep = Annotated[Idempotent, Depends(get_idempotent)]


def location(request: Request, *parts: object) -> str:
    """The URL of a resource: absolute on KEEPWARM_PUBLIC_URL, else see below.

    The Host header is the client's to choose, so it is trusted only from a loopback client;
    any other client gets a URL relative to the root, which RFC 9110 allows in Location.
    """
    path = "".join("/" + str(part).strip("/") for part in parts)
    public_url: str | None = request.app.state.settings.public_url
    if public_url:
        return public_url + path
    host = request.client.host if request.client else ""
    try:
        local = ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    if local:
        return str(request.base_url).rstrip("/") + path
    return str(request.scope.get("root_path", "")).rstrip("/") + path


def no_content() -> Response:
    """204 for a delete."""
    return Response(status_code=204)
