"""HTTP cost of keepwarm's hot endpoints, beside FastAPI hello and the textbook reference app."""

from __future__ import annotations

import json
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from bench import reference
from bench.seed import seed_account, vacuum_analyze
from bench.servers import Figure, peak_rss_mb, uvicorn_server, wrk
from service.db.models import Attempt, Contact
from service.db.session import make_engine

POST_SCRIPT = """
local ids = {%s}
local n = 0
request = function()
  n = n + 1
  local body = '{"contact_id":"' .. ids[(n %% #ids) + 1] .. '","channel":"email","outcome":"sent"}'
  return wrk.format("POST", "/v1/attempts", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer %s"}, body)
end
"""
# The organizations that carry a long history, for the POST's cost at 800 attempts.
HISTORY_ORGANIZATIONS = 20
HISTORY_ATTEMPTS = 800


@dataclass
class HttpFigures:
    hello: Figure
    hello_runs: tuple[Figure, Figure]
    reference: Figure
    contact: Figure
    next_actions: Figure
    post_fresh: Figure
    post_history: Figure
    peak_rss_mb: float


def run(
    database_url: str, reference_url: str, *, seconds: int, connections: int, workdir: Path
) -> HttpFigures:
    seeded = seed_account(database_url, organizations_count=1000)
    fresh, heavy = (
        seeded.contact_ids[:-HISTORY_ORGANIZATIONS],
        seeded.contact_ids[-HISTORY_ORGANIZATIONS:],
    )
    add_history(database_url, heavy, HISTORY_ATTEMPTS)
    ref_key, ref_ids = reference.seed(reference_url, contacts=1000)
    # hello is measured before and after keepwarm (the machine drifts): the mean is the yardstick.
    hello_before = _hello(seconds, connections, workdir)
    reference_figure = _reference(reference_url, ref_key, ref_ids[0], seconds, connections, workdir)
    env = {
        "KEEPWARM_DATABASE_URL": database_url,
        "KEEPWARM_SCHEDULER": "off",
        "KEEPWARM_LOG_LEVEL": "WARNING",
    }
    auth = {"Authorization": f"Bearer {seeded.api_key}"}
    with uvicorn_server("service.main:create_app", env, workdir / "keepwarm.log") as (base, pid):
        load = {"pid": pid, "seconds": seconds, "connections": connections}
        contact = wrk(f"{base}/v1/contacts/{seeded.contact_ids[0]}", headers=auth, **load)
        listing = wrk(f"{base}/v1/next-actions?limit=50", headers=auth, **load)
        post_fresh = wrk(base, script=_post_script(workdir, fresh, seeded.api_key), **load)
        post_history = wrk(base, script=_post_script(workdir, heavy, seeded.api_key), **load)
        rss = peak_rss_mb(pid)
    hello_after = _hello(seconds, connections, workdir)
    hello = Figure(
        (hello_before.rps + hello_after.rps) / 2, (hello_before.cpu_ms + hello_after.cpu_ms) / 2
    )
    return HttpFigures(
        hello,
        (hello_before, hello_after),
        reference_figure,
        contact,
        listing,
        post_fresh,
        post_history,
        rss,
    )


def add_history(url: str, contact_ids: list[str], count: int) -> None:
    """Give each contact's organization `count` outbound emails over the past years, in bulk."""
    engine = make_engine(url)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        ids = [uuid.UUID(c) for c in contact_ids]
        columns = (Contact.id, Contact.organization_id, Contact.account_id)
        owners = conn.execute(select(*columns).where(Contact.id.in_(ids))).all()
        rows = [
            {
                "id": uuid.uuid4(),
                "account_id": account_id,
                "organization_id": organization_id,
                "contact_id": contact_id,
                "channel": "email",
                "direction": "outbound",
                "occurred_at": now - timedelta(days=2 * (count - k) + 1),
                "outcome": "sent",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for contact_id, organization_id, account_id in owners
            for k in range(count)
        ]
        conn.execute(insert(Attempt), rows)
    vacuum_analyze(engine)
    engine.dispose()


def _post_script(workdir: Path, contact_ids: list[str], api_key: str) -> Path:
    script = Path(tempfile.mkstemp(suffix=".lua", dir=workdir)[1])
    script.write_text(POST_SCRIPT % (",".join(json.dumps(i) for i in contact_ids), api_key))
    return script


def _hello(seconds: int, connections: int, workdir: Path) -> Figure:
    with uvicorn_server("bench.hello:create_app", {}, workdir / "hello.log") as (base, pid):
        return wrk(f"{base}/hello", pid=pid, seconds=seconds, connections=connections)


def _reference(
    url: str, key: str, contact_id: str, seconds: int, connections: int, workdir: Path
) -> Figure:
    env = {"REFERENCE_DATABASE_URL": url}
    with uvicorn_server("bench.reference:create_app", env, workdir / "ref.log") as (base, pid):
        return wrk(
            f"{base}/v1/contacts/{contact_id}",
            pid=pid,
            seconds=seconds,
            connections=connections,
            headers={"Authorization": f"Bearer {key}"},
        )
