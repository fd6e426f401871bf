"""``aktivitetsplikt serve``: bootstrap the engine, build the app, run it under uvicorn.

uvicorn's own access log is off: the app writes one structured line per request without paths or
queries (see ``app._access_log``), through the same structlog configuration as the daemon.
"""

from __future__ import annotations

import uvicorn

from aktivitetsplikt.engine.bootstrap import bootstrap, schema_status
from aktivitetsplikt.engine.config.settings import Settings
from aktivitetsplikt.engine.http.app import create_app
from aktivitetsplikt.engine.http.auth import TokenVerifier


def serve(settings: Settings, *, host: str, port: int) -> None:
    """Serve until SIGTERM or SIGINT; uvicorn finishes the requests in flight first."""
    verifier = TokenVerifier(settings.http.auth)  # refuses to start without issuer, audience and keys
    engine = bootstrap(settings, face="http")
    token = settings.http.metrics_token
    scrape = token.get_secret_value() if token is not None else None
    app = create_app(engine, verifier, lambda: schema_status(engine), metrics_token=scrape)
    uvicorn.run(app, host=host, port=port, access_log=False, log_config=None, server_header=False)
