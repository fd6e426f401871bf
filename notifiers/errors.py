"""The one error the notifiers add to the engine's hierarchy."""

from __future__ import annotations

from aktivitetsplikt.engine.errors import AktivitetspliktError

__all__ = ["DeliveryError"]


class DeliveryError(AktivitetspliktError):
    """A message could not be delivered through a channel. The dispatcher counts it as a failed attempt
    and tries again later; the message says what went wrong in one sentence."""
