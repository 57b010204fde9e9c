"""Run the benchmarks and print a table: `python -m bench.run [--postgres] [--seconds N]`."""

from __future__ import annotations

import argparse
import platform
import tempfile
from contextlib import ExitStack
from pathlib import Path

from bench import delivery_bench, http_bench, scale


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
                f = http_bench.run(
                    database("http"),
                    seconds=args.seconds,
                    connections=args.connections,
                    workdir=workdir,
                )
                print(
                    f"[{name}] hello                      {f.hello:9.0f} req/s  "
                    f"(mean of {f.hello_runs[0]:.0f} before and {f.hello_runs[1]:.0f} after)"
                )
                print(
                    f"[{name}] GET /v1/contacts/{{id}}     {f.contact:9.0f} req/s  "
                    f"ratio {f.contact / f.hello:.2f} (floor >= 0.30, goal 0.35)"
                )
                print(
                    f"[{name}] GET /v1/next-actions?limit=50 {f.next_actions:7.0f} req/s  "
                    f"ratio {f.next_actions / f.hello:.2f} (floor >= 0.12, goal 0.15)"
                )
                # The target is absolute; its ratio to the spec's hello (9,600) shows how far
                # this run's machine speed moves it.
                floor = 400 if name == "sqlite" else 250
                print(
                    f"[{name}] POST /v1/attempts           {f.post_attempts:9.0f} req/s  "
                    f"(target >= {floor}; ratio {f.post_attempts / f.hello:.3f}, "
                    f"spec's {floor} / 9,600 = {floor / 9600:.3f})"
                )
                print(
                    f"[{name}] peak RSS of the service     {f.peak_rss_mb:9.1f} MB (target <= 200)"
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


if __name__ == "__main__":
    main()
