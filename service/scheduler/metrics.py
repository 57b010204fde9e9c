"""Prometheus metrics of the scheduler: ticks, due follow-ups, the outbox, delivery outcomes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    Info,
    PlatformCollector,
    ProcessCollector,
)

from service.build import commit, package_version
from service.services.outbox.delivery import Backlog, Outcome

TICK_OUTCOMES = ("ok", "failed")
# Attempts recorded with their outcome, and sends a stop cut short (released, sent again).
INTERRUPTED = "interrupted"
DELIVERY_OUTCOMES = (*(outcome.value for outcome in Outcome), INTERRUPTED)
PURGED_KINDS = ("events", "delivery_attempts")


def process_registry() -> CollectorRegistry:
    """A registry of this process's own figures (CPU, memory, files, GC, Python version), and
    keepwarm_build_info{version, commit}: which build is running."""
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
    build = Info("keepwarm_build", "The keepwarm version and commit running.", registry=registry)
    build.info({"version": package_version(), "commit": commit()})
    return registry


class SchedulerMetrics:
    """The scheduler's series, in the registry it is given (nothing global)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.tick_duration = Histogram(
            "keepwarm_scheduler_tick_duration_seconds",
            "Time one scheduler tick took, deliveries included.",
            registry=registry,
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
        )
        self.ticks = Counter(
            "keepwarm_scheduler_ticks",
            "Scheduler ticks run, by outcome (ok, failed).",
            ["outcome"],
            registry=registry,
        )
        self.due = Counter(
            "keepwarm_scheduler_followups_due",
            "Follow-ups turned due (each with one followup.due event).",
            registry=registry,
        )
        self.recomputed = Counter(
            "keepwarm_scheduler_plans_recomputed",
            "Open next actions recomputed because their plan was made by older rules.",
            registry=registry,
        )
        self.purged = Counter(
            "keepwarm_scheduler_purged",
            "Rows deleted by retention (KEEPWARM_RETENTION_DAYS), by kind.",
            ["kind"],
            registry=registry,
        )
        self.pending_deliveries = Gauge(
            "keepwarm_outbox_pending_deliveries",
            "Webhook deliveries not yet acknowledged nor given up, as of the last tick.",
            registry=registry,
        )
        self.pending_events = Gauge(
            "keepwarm_outbox_pending_events",
            "Events with at least one pending delivery, as of the last tick.",
            registry=registry,
        )
        self.oldest_pending_age = Gauge(
            "keepwarm_outbox_oldest_pending_age_seconds",
            "Age of the oldest pending delivery (retries included), as of the last tick.",
            registry=registry,
        )
        self.overdue = Gauge(
            "keepwarm_outbox_overdue_seconds",
            "How long the most overdue pending delivery has been waiting to be sent.",
            registry=registry,
        )
        self.deliveries = Counter(
            "keepwarm_webhook_deliveries",
            "Webhook delivery attempts by outcome (delivered, retrying, gave_up), and sends "
            "a stop cut short (interrupted; sent again later under the same webhook-id).",
            ["outcome"],
            registry=registry,
        )
        self.delivery_duration = Histogram(
            "keepwarm_webhook_delivery_duration_seconds",
            "Time one webhook delivery attempt took, until the answer or the error.",
            registry=registry,
            buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15),
        )
        # Every label value shown from the start, at zero, so rates work from the first scrape.
        for outcome in TICK_OUTCOMES:
            self.ticks.labels(outcome)
        for outcome in DELIVERY_OUTCOMES:
            self.deliveries.labels(outcome)
        for kind in PURGED_KINDS:
            self.purged.labels(kind)

    def tick(self, *, ok: bool, seconds: float) -> None:
        """Count one tick and its duration."""
        self.ticks.labels("ok" if ok else "failed").inc()
        self.tick_duration.observe(seconds)

    def delivered(self, outcomes: Mapping[Outcome, int], durations_ms: list[int]) -> None:
        """Count a batch's recorded attempts by outcome, and their durations."""
        for outcome, count in outcomes.items():
            self.deliveries.labels(outcome.value).inc(count)
        for duration in durations_ms:
            self.delivery_duration.observe(duration / 1000)

    def backlog(self, backlog: Backlog, *, now: datetime) -> None:
        """Set the outbox gauges from one reading."""
        self.pending_deliveries.set(backlog.deliveries)
        self.pending_events.set(backlog.events)
        oldest = backlog.oldest_created_at
        self.oldest_pending_age.set(max((now - oldest).total_seconds(), 0) if oldest else 0)
        due = backlog.oldest_due_at
        self.overdue.set(max((now - due).total_seconds(), 0) if due else 0)
