"""The HTTP service for end-to-end tests: uvicorn on 127.0.0.1 in a thread, tokens signed by a test RSA
key that a local JWKS endpoint publishes, as an identity provider would."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from aktivitetsplikt.engine import Engine, bootstrap, load_settings
from aktivitetsplikt.engine.app.clock import FixedClock
from aktivitetsplikt.engine.bootstrap import schema_status
from aktivitetsplikt.engine.http import TokenVerifier, create_app

ISSUER = "https://idp.test.example"
AUDIENCE = "aktivitetsplikt-test"
KID = "test-key-1"
GROUPS = {"staff": "ansatte", "case_handler": "saksbehandlere", "principal": "rektorer", "school_owner": "skoleeiere"}


def auth_config(jwks_url: str) -> str:
    groups = "\n".join(f'"{group}" = "{role}"' for role, group in GROUPS.items())
    return f"""
[http.auth]
issuer = "{ISSUER}"
audience = "{AUDIENCE}"
jwks_url = "{jwks_url}"
groups_claim = "groups"
unit_claim = "school"
[http.auth.groups]
{groups}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def new_key() -> RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@contextmanager
def jwks_server(key: RSAPrivateKey) -> Iterator[str]:
    """Publish the public half of ``key`` at http://127.0.0.1:<port>/jwks.json."""
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key())) | {"kid": KID, "use": "sig", "alg": "RS256"}
    body = json.dumps({"keys": [jwk]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Http:
    """The running service: its URL, its engine, and a way to mint tokens."""

    url: str
    engine: Engine
    key: RSAPrivateKey

    def token(
        self,
        actor_id: str,
        role: str,
        schools: list[str] | None = None,
        *,
        key: RSAPrivateKey | None = None,
        **claims: Any,
    ) -> str:
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": actor_id,
            "iat": now,
            "exp": now + 300,
            "groups": ["alle", GROUPS[role]],
            "school": schools if schools is not None else ["hellerud"],
        }
        payload.update(claims)
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": KID})

    def client(self, actor_id: str | None = None, role: str = "staff", **kwargs: Any) -> httpx.Client:
        headers = {} if actor_id is None else {"Authorization": f"Bearer {self.token(actor_id, role, **kwargs)}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


@contextmanager
def running(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free port of 127.0.0.1 until the block ends."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            msg = "uvicorn did not start"
            raise RuntimeError(msg)
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@contextmanager
def http_service(config_file: Path, clock: FixedClock, database_url: str | None = None) -> Iterator[Http]:
    """The whole service on ``config_file`` (plus [http.auth]) with the engine's clock frozen at ``clock``."""
    key = new_key()
    with jwks_server(key) as jwks_url:
        with config_file.open("a", encoding="utf-8") as file:
            file.write(auth_config(jwks_url))
        settings = load_settings(config_file)
        if database_url is not None:
            settings = settings.model_copy(
                update={"database": settings.database.model_copy(update={"url": database_url})}
            )
        engine = bootstrap(settings, clock=clock, upgrade=True, face="http")
        app = create_app(engine, TokenVerifier(settings.http.auth), lambda: schema_status(engine))
        try:
            with running(app) as url:
                yield Http(url, engine, key)
        finally:
            engine.uow.engine.dispose()  # type: ignore[attr-defined]
