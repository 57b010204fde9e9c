"""Run the benchmarks and print a table: `python -m bench.run [--postgres] [--seconds N]`."""

from __future__ import annotations

import argparse
import platform
import tempfile
from contextlib import ExitStack
from pathlib import Path

from bench import delivery_bench, http_bench, scale
from bench.servers import Figure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per endpoint")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--only", choices=["http", "scheduler", "delivery"], action="append")
    parser.add_argument("--organizations", type=int, default=100_000)
    parser.add_argument("--attempts-per-org", type=int, default=10)
    args = parser.parse_args()
    sections = set(args.only or ["http", "scheduler", "delivery"])
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kw-bench-")))
        backends = {"sqlite": lambda name: f"sqlite:///{workdir / (name + '.db')}"}
        if args.postgres:
            from tests.pg import create_database, postgres_cluster

            server = stack.enter_context(postgres_cluster())
            backends["postgresql"] = lambda name: create_database(server, name)
        print(
            f"machine: {platform.processor() or platform.machine()}, "
            f"{platform.python_implementation()} {platform.python_version()}"
        )
        for name, database in backends.items():
            if "http" in sections:
                _print_http(
                    name,
                    http_bench.run(
                        database("http"),
                        database("reference"),
                        seconds=args.seconds,
                        connections=args.connections,
                        workdir=workdir,
                    ),
                )
            if "scheduler" in sections:
                g = scale.run(
                    database("scale"),
                    organizations=args.organizations,
                    attempts_per_org=args.attempts_per_org,
                )
                print(
                    f"[{name}] seeded {g.organizations} organizations, {g.attempts} attempts "
                    f"in {g.seed_seconds:.0f} s"
                )
                print(
                    f"[{name}] tick, nothing due           {g.idle_tick_ms:9.1f} ms (target < 20)"
                )
                print(
                    f"[{name}] tick, {g.due_count} turned due      {g.due_tick_ms:9.1f} ms "
                    f"(target < 1000; {g.events_written} events written)"
                )
            if "delivery" in sections:
                rate = delivery_bench.run(database("delivery"), count=3000, workdir=workdir)
                print(f"[{name}] webhook deliveries           {rate:9.0f} /s (target >= 500)")


# SPEC section 5's targets on this 2-core machine: CPU ms per request (SQLite, PostgreSQL).
CPU_TARGETS = {"contact": (1.2, 1.8), "next_actions": (2.0, 2.0)}
POST_FLOORS = {"sqlite": 250, "postgresql": 150}


def _print_http(name: str, f: http_bench.HttpFigures) -> None:
    ref = f.reference

    def line(label: str, figure: Figure, target: str) -> None:
        print(
            f"[{name}] {label:32} {figure.rps:8.0f} req/s {figure.cpu_ms:6.2f} ms CPU/req  "
            f"x{figure.ratio(ref):.2f} of the reference, {figure.ratio(f.hello):.3f} of hello"
            f"  ({target})"
        )

    column = 0 if name == "sqlite" else 1
    line("hello", f.hello, f"{f.hello_runs[0].rps:.0f} before, {f.hello_runs[1].rps:.0f} after")
    line("reference GET /v1/contacts/{id}", ref, "textbook FastAPI + SQLAlchemy")
    line(
        "GET /v1/contacts/{id}",
        f.contact,
        f">= 1.5x the reference, <= {CPU_TARGETS['contact'][column]} ms",
    )
    line(
        "GET /v1/next-actions?limit=50",
        f.next_actions,
        f"<= {CPU_TARGETS['next_actions'][column]} ms",
    )
    line("POST /v1/attempts, fresh", f.post_fresh, f">= {POST_FLOORS[name]} req/s")
    growth = f.post_history.cpu_ms / f.post_fresh.cpu_ms
    line(
        f"POST /v1/attempts, {http_bench.HISTORY_ATTEMPTS} on file",
        f.post_history,
        f"{growth:.2f}x the fresh POST's CPU, <= 1.3",
    )
    print(f"[{name}] peak RSS of the service          {f.peak_rss_mb:8.1f} MB (target <= 200)")


if __name__ == "__main__":
    main()
