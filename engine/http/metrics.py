"""Prometheus metrics of the service: the duties and the outbox read from the database at each scrape,
and the latency of every request by route template (never by a case ref or a query string).

Each app has its own registry, so two apps in one process (tests, a benchmark) count apart. The sweep's
and the dispatcher's durations are the daemon's to measure; it serves them itself (``[daemon] metrics_port``).
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from aktivitetsplikt.engine.app.service import Engine
from aktivitetsplikt.engine.reports.gauges import gauges

OUTBOX_STATUSES = ("pending", "failed")


class DutyCollector(Collector):
    """Open, overdue and stuck duties per unit, and outbox messages pending and failed, read at scrape."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        found = gauges(self.engine)
        families = {
            "open": GaugeMetricFamily("aktivitetsplikt_duties_open", "Open duties per unit.", labels=["school"]),
            "overdue": GaugeMetricFamily(
                "aktivitetsplikt_duties_overdue", "Open duties past their deadline per unit.", labels=["school"]
            ),
            "stuck": GaugeMetricFamily(
                "aktivitetsplikt_duties_stuck",
                "Open duties escalated to the last level (the owner) per unit.",
                labels=["school"],
            ),
        }
        for row in found.duties:
            for name, family in families.items():
                family.add_metric([row.school], getattr(row, name))
        yield from families.values()
        outbox = GaugeMetricFamily("aktivitetsplikt_outbox_messages", "Outbox messages by status.", labels=["status"])
        for status in OUTBOX_STATUSES:
            outbox.add_metric([status], found.outbox.get(status, 0))
        yield outbox


class Metrics:
    """One registry per app: the database gauges and the request latency histogram."""

    def __init__(self, engine: Engine) -> None:
        self.registry = CollectorRegistry()
        self.registry.register(DutyCollector(engine))
        self.requests = Histogram(
            "aktivitetsplikt_http_request_seconds",
            "HTTP request latency by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
