"""The HTTP face: the library as an ASGI service for school tools not written in Python.

``aktivitetsplikt serve`` runs it; :func:`create_app` builds it for an embedder's own ASGI server. The
service authenticates (OIDC bearer tokens), the engine authorizes. Needs the ``http`` extra
(``pip install aktivitetsplikt[http]``); nothing here is imported by the library or the CLI's ``--help``.
"""

from __future__ import annotations

from aktivitetsplikt.engine.http.app import create_app
from aktivitetsplikt.engine.http.auth import Identity, TokenVerifier

__all__ = ["Identity", "TokenVerifier", "create_app"]
