"""Secrets kept out of what people and logs see: credentials in URLs, and secret values in texts.

A webhook URL may carry ``user:password@`` or a ``?token=`` (many receivers authenticate that way), and a
database URL a password; error messages, ``last_error``, ``outbox --json`` and logs show them redacted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["MASK", "redact_text", "redact_url"]

MASK = "***"
_SECRET_PARAMETERS = re.compile(r"(token|key|secret|sig|signature|password|passwd|pwd|auth|code|credential)", re.I)
_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>]+")


def redact_url(url: str) -> str:
    """``url`` with its password (or whole user info) and secret-looking query values masked."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return MASK
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, host = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:{MASK}@{host}" if ":" in userinfo else f"{MASK}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, MASK if _SECRET_PARAMETERS.search(k) else v) for k, v in pairs], safe="*")
        if not any(_SECRET_PARAMETERS.search(k) for k, _ in pairs):
            query = parts.query
    if (netloc, query) == (parts.netloc, parts.query):
        return url  # nothing to mask; rebuilt, sqlite:////abs/path would lose a slash and name another file
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every URL in it redacted and every non-empty value of ``secrets`` masked."""
    redacted = _URL.sub(lambda match: redact_url(match.group(0)), text)
    for secret in secrets:
        if secret:
            redacted = redacted.replace(secret, MASK)
    return redacted
