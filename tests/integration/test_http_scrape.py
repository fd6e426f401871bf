"""/metrics takes the Prometheus scraper's static token ([http] metrics_token), which opens nothing else."""

from __future__ import annotations

import asyncio

import httpx

from aktivitetsplikt.engine import Engine
from aktivitetsplikt.engine.config.http import AuthSettings
from aktivitetsplikt.engine.http import TokenVerifier, create_app

SCRAPE = "scrape-" + "x" * 30


class TestScrapeToken:
    def test_the_scrape_token_opens_metrics_and_nothing_else(self, engine: Engine) -> None:
        """With it /metrics is 200; a wrong one is 401; as a bearer token for /cases it is refused."""
        verifier = TokenVerifier(AuthSettings(mode="development", dev_secret="s" * 40))
        app = create_app(engine, verifier, lambda: ("0001", "0001"), metrics_token=SCRAPE)

        async def ask() -> tuple[int, int, int]:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service") as client:
                metrics = await client.get("/metrics", headers={"Authorization": f"Bearer {SCRAPE}"})
                wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
                cases = await client.get("/cases", headers={"Authorization": f"Bearer {SCRAPE}"})
            return metrics.status_code, wrong.status_code, cases.status_code

        assert (200, 401, 401) == asyncio.run(ask())
