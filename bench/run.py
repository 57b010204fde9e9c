"""Run the benchmarks and print a table: `python -m bench.run [--postgres] [--seconds N]`."""

from __future__ import annotations

import argparse
import platform
import tempfile
from contextlib import ExitStack
from pathlib import Path

from bench import http_bench


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per endpoint")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--only", choices=["http", "scheduler", "delivery"], action="append")
    args = parser.parse_args()
    sections = set(args.only or ["http", "scheduler", "delivery"])
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kw-bench-")))
        backends = {"sqlite": f"sqlite:///{workdir / 'http.db'}"}
        if args.postgres:
            from tests.pg import create_database, postgres_cluster

            server = stack.enter_context(postgres_cluster())
            backends["postgresql"] = create_database(server, "bench_http")
        print(f"machine: {platform.processor() or platform.machine()}, "
              f"{platform.python_implementation()} {platform.python_version()}")
        for name, url in backends.items():
            if "http" in sections:
                f = http_bench.run(url, seconds=args.seconds, connections=args.connections,
                                   workdir=workdir)
                print(f"[{name}] hello                      {f.hello:9.0f} req/s")
                print(f"[{name}] GET /v1/contacts/{{id}}     {f.contact:9.0f} req/s  "
                      f"ratio {f.contact / f.hello:.2f} (target >= 0.35)")
                print(f"[{name}] GET /v1/next-actions?limit=50 {f.next_actions:7.0f} req/s  "
                      f"ratio {f.next_actions / f.hello:.2f} (target >= 0.15)")
                print(f"[{name}] POST /v1/attempts           {f.post_attempts:9.0f} req/s  "
                      f"(target >= 400)")
                print(f"[{name}] peak RSS of the service     {f.peak_rss_mb:9.1f} MB (target <= 200)")


if __name__ == "__main__":
    main()
