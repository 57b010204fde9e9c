"""Prometheus metrics: requests per route template, and the process's own."""

from __future__ import annotations

from typing import Any

from prometheus_client import Counter, Histogram
from starlette.types import Scope

from service.scheduler.metrics import process_registry

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class Metrics:
    """The app's own registry (nothing global: many apps may live in one test process).

    Other parts of the process register their metrics on `registry` too.
    """

    def __init__(self) -> None:
        # CPU, memory, open files, start time; the Python version; garbage collections.
        self.registry = process_registry()
        self.requests = Counter(
            "keepwarm_http_requests",
            "HTTP requests answered.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "keepwarm_http_request_duration_seconds",
            "Time to answer an HTTP request.",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        # labels() validates and locks on every call; the series are few, so keep them.
        self._series: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def record(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request and its duration."""
        series = self._series.get((method, route, status))
        if series is None:
            series = (
                self.requests.labels(method, route, str(status)),
                self.latency.labels(method, route),
            )
            self._series[(method, route, status)] = series
        series[0].inc()
        series[1].observe(seconds)

    def record_request(self, scope: Scope, status: int, seconds: float) -> None:
        """Count an HTTP request by its matched route template (service.api.headers)."""
        route = scope.get("route")
        template = getattr(route, "path", None) or "unmatched"
        # Clients choose the method: unknown ones share a label, so series stay bounded.
        method = scope["method"] if scope["method"] in KNOWN_METHODS else "other"
        self.record(method, template, status, seconds)
