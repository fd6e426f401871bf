"""What a family of duty-to-act workflows (the school's, the kindergarten's) names its own way; the
machine they share is built from it in ``_common.py`` and ``_steps.py``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """What one family of duty-to-act workflows (the school's, the kindergarten's) names its own way."""

    version: str
    head_notified: str
    """The state once the head of the unit has been told (``principal_notified``)."""
    notify_head: str
    """The step, and the duty, of telling the head (``notify_principal``)."""
    notify_owner: str
    """The step, and the duty, of telling the owner (``notify_school_owner``)."""
    documents: Mapping[str, str]
    """Model names by the part they play: ``report``, ``offence_report``, ``notify_head``, ``notify_owner``."""
    rules: Mapping[str, str]
    """Rule names by the part they play: ``safe_conclusion``, ``safe_to_close``, ``owner_told``."""
    states: Mapping[str, str]
    steps: Mapping[str, str]
    duties: Mapping[str, str]
    """Bokmål labels of the spec (the pack's ``Labels`` give both languages)."""
    enforcement: bool
    """Whether Statsforvaltaren takes up single cases (opplæringslova § 12-6): its steps and duty."""

    @property
    def active(self) -> tuple[str, ...]:
        """The open states after the head knows."""
        return (self.head_notified, "investigating", "planning", "measures_active")
