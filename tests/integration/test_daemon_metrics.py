"""The daemon's job timings: every run observed with its outcome, served to Prometheus on its own port."""

from __future__ import annotations

import httpx

from aktivitetsplikt.engine.daemon import guarded
from aktivitetsplikt.engine.http.daemon_metrics import serve_job_metrics
from tests.e2e.http_support import free_port


def _fail() -> None:
    msg = "database down"
    raise ConnectionError(msg)


class TestJobTimings:
    def test_each_run_is_observed_with_its_outcome(self) -> None:
        """A job that returns is ok, one that raises is failed; both are timed and the failure swallowed."""
        seen: list[tuple[str, bool]] = []

        def observe(job: str, seconds: float, ok: bool) -> None:
            assert seconds >= 0
            seen.append((job, ok))

        guarded("sweep", list, observe)()
        guarded("dispatch", _fail, observe)()

        assert [("sweep", True), ("dispatch", False)] == seen

    def test_the_daemon_serves_the_histogram(self) -> None:
        """serve_job_metrics answers /metrics on its port with the job histogram by job and outcome."""
        port = free_port()
        observe = serve_job_metrics("127.0.0.1", port)
        observe("sweep", 0.2, True)

        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text

        assert 'aktivitetsplikt_job_seconds_count{job="sweep",outcome="ok"} 1.0' in text
