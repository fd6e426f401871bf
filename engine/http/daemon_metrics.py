"""The daemon's own Prometheus endpoint: how long each sweep and each dispatch took, and whether it failed.

The service's /metrics reads the duties and the outbox from the database; the jobs run in the daemon's
process, so only the daemon can time them. ``aktivitetsplikt daemon`` starts this when ``[daemon]
metrics_port`` is set.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Histogram, start_http_server

BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
"""A sweep of a quiet night takes milliseconds; a dispatch waiting on a slow SMTP server, minutes."""


def job_histogram(registry: CollectorRegistry) -> Histogram:
    return Histogram(
        "aktivitetsplikt_job_seconds",
        "Duration of the daemon's jobs (sweep, dispatch) by outcome.",
        ["job", "outcome"],
        registry=registry,
        buckets=BUCKETS,
    )


def observer(histogram: Histogram) -> Callable[[str, float, bool], None]:
    def observe(job: str, seconds: float, ok: bool) -> None:
        histogram.labels(job, "ok" if ok else "failed").observe(seconds)

    return observe


def serve_job_metrics(host: str, port: int) -> Callable[[str, float, bool], None]:
    """Start serving /metrics on ``host:port`` in a thread; returns what the daemon tells each job run."""
    registry = CollectorRegistry()
    histogram = job_histogram(registry)
    start_http_server(port, addr=host, registry=registry)
    return observer(histogram)
