"""HTTP throughput of keepwarm's hot endpoints, as ratios to a FastAPI hello endpoint."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.seed import seed_account
from bench.servers import peak_rss_mb, uvicorn_server, wrk

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


@dataclass
class HttpFigures:
    hello: float
    contact: float
    next_actions: float
    post_attempts: float
    peak_rss_mb: float
    hello_runs: tuple[float, float]


def run(database_url: str, *, seconds: int, connections: int, workdir: Path) -> HttpFigures:
    seeded = seed_account(database_url, organizations_count=1000)
    auth = {"Authorization": f"Bearer {seeded.api_key}"}
    # The yardstick is measured before and after keepwarm (the machine drifts): the mean.
    hello_before = _hello(seconds, connections, workdir)
    env = {
        "KEEPWARM_DATABASE_URL": database_url,
        "KEEPWARM_SCHEDULER": "off",
        "KEEPWARM_LOG_LEVEL": "WARNING",
    }
    with uvicorn_server("service.main:create_app", env, workdir / "keepwarm.log") as (base, pid):
        contact = wrk(
            f"{base}/v1/contacts/{seeded.contact_ids[0]}",
            seconds=seconds,
            connections=connections,
            headers=auth,
        )
        listing = wrk(
            f"{base}/v1/next-actions?limit=50",
            seconds=seconds,
            connections=connections,
            headers=auth,
        )
        script = Path(tempfile.mkstemp(suffix=".lua", dir=workdir)[1])
        ids = ",".join(json.dumps(i) for i in seeded.contact_ids)
        script.write_text(POST_SCRIPT % (ids, seeded.api_key))
        posting = wrk(base, seconds=seconds, connections=connections, script=script)
        rss = peak_rss_mb(pid)
    hello_after = _hello(seconds, connections, workdir)
    hello = (hello_before + hello_after) / 2
    return HttpFigures(hello, contact, listing, posting, rss, (hello_before, hello_after))


def _hello(seconds: int, connections: int, workdir: Path) -> float:
    with uvicorn_server("bench.hello:create_app", {}, workdir / "hello.log") as (base, _):
        return wrk(f"{base}/hello", seconds=seconds, connections=connections)
