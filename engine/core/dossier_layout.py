"""How a workflow's dossier (the case documentation for Statsforvaltaren and the archive) is laid out.

Data of the workflow's pack; ``reports/export.py`` renders any layout. The registry checks every trigger
and field named here against the workflow's spec.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DossierSection(_Frozen):
    """One section of the dossier, under ``key`` in the JSON export.

    - ``list``: the events of ``triggers``, in order;
    - ``pairs``: each event of ``triggers[0]`` with the event of ``triggers[1]`` that followed it (an
      investigation's start and its conclusion);
    - ``versions``: the events of ``triggers`` as versions of one document, each superseding the one before
      (the written plan and its revisions);
    - ``groups``: one list per name of ``groups`` (the notices: to the head, to the owner).
    """

    key: str
    kind: Literal["list", "pairs", "versions", "groups"] = "list"
    triggers: tuple[str, ...] = ()
    groups: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @property
    def all_triggers(self) -> tuple[str, ...]:
        return self.triggers + tuple(t for triggers in self.groups.values() for t in triggers)


class DossierLayout(_Frozen):
    """The sections of the dossier, in order, after the facts and before the timeline."""

    sections: tuple[DossierSection, ...] = Field(default_factory=tuple)
    case_attributes: tuple[str, ...] = ()
    """Case attributes shown among the facts (e.g. the accused employee under § 12-5)."""
