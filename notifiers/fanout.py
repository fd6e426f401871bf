"""Several channels behind one Notifier."""

from __future__ import annotations

from collections.abc import Sequence

from aktivitetsplikt.engine.app.ports import Notifier
from aktivitetsplikt.engine.core.model import OutboxMessage
from aktivitetsplikt.notifiers.errors import DeliveryError

__all__ = ["FanOutNotifier"]


class FanOutNotifier:
    """Sends each message through every channel, in order, and raises if any of them failed.

    The outbox knows one status per message, not per channel: when one channel fails, the dispatcher
    retries the message and it goes out through *every* channel again. Receivers can recognise the
    repeat by the e-mail ``Message-ID`` and the webhook ``Idempotency-Key``, both the message id.
    """

    def __init__(self, channels: Sequence[tuple[str, Notifier]]) -> None:
        if not channels:
            msg = "FanOutNotifier needs at least one channel."
            raise ValueError(msg)
        self.channels = tuple(channels)

    def send(self, message: OutboxMessage) -> None:
        failures: list[tuple[str, Exception]] = []
        for name, channel in self.channels:
            try:
                channel.send(message)
            except Exception as exc:
                failures.append((name, exc))
        if failures:
            listed = "; ".join(f"{name}: {exc}" for name, exc in failures)
            failed = f"{len(failures)} of {len(self.channels)} channels"
            msg = f"Message {message.id} failed on {failed} ({listed}); a retry sends it through all of them."
            raise DeliveryError(msg) from failures[0][1]
