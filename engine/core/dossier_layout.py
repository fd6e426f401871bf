"""How a workflow's dossier (the whole documentation of a case, for the supervising authority and the
archive) is laid out, and the words it says.

Data of the workflow's pack; ``reports/export`` renders any layout. The registry checks every trigger
and case attribute named here against the workflow's spec.

The words are per language (``nb``, ``nn``). A heading or a summary may name values in braces, filled
from the entry: ``{version}``, ``{number}`` (the entry's place in its section), ``{occurred_at}``,
``{trigger_label}``, or else a dotted field of its documentation (``{heard.at}``, ``{measures:count}``
for the number of items of a list). Instants are shown in the unit's time zone, values by their labels.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SectionWords(_Frozen):
    """What one section says in one language."""

    title: str
    intro: str = ""
    """A line under the title: what the section holds and, where it helps the reader, why."""
    empty: str = ""
    """Shown when the section holds nothing."""
    entry: str = ""
    """The heading of each entry (``pairs``: of each pair); the step's label when empty."""
    headings: dict[str, str] = Field(default_factory=dict)
    """Trigger -> the heading of its entries, over ``entry`` (``pairs``: of the step within the pair)."""
    groups: dict[str, str] = Field(default_factory=dict)
    """``groups``: group -> its heading."""
    group_empty: dict[str, str] = Field(default_factory=dict)
    """``groups``: group -> what is shown when it holds nothing."""
    unfinished: str = ""
    """``pairs``: shown when the second step has not followed the first yet."""


class DossierSection(_Frozen):
    """One section of the dossier, under ``key`` in the JSON export.

    - ``list``: the events of ``triggers``, in order;
    - ``pairs``: each event of ``triggers[0]`` with the event of ``triggers[1]`` that followed it (an
      investigation's start and its conclusion), under the two ``pair_keys``;
    - ``versions``: the events of ``triggers`` as versions of one document, each superseding the one before
      (the written plan and its revisions);
    - ``groups``: one list per name of ``groups`` (the notices: to the head, to the owner);
    - ``closing``: the events that took the case into a final state, whatever their trigger.
    """

    key: str
    kind: Literal["list", "pairs", "versions", "groups", "closing"] = "list"
    triggers: tuple[str, ...] = ()
    groups: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    anchor: str = ""
    """The section's anchor in the page (``#anchor``); ``key`` when empty."""
    pair_keys: tuple[str, str] = ("start", "end")
    """``pairs``: the JSON keys of the first and the second step of a pair."""
    words: dict[str, SectionWords] = Field(default_factory=dict)
    """Language -> the section's words; without them the section is titled by its key."""

    @property
    def all_triggers(self) -> tuple[str, ...]:
        return self.triggers + tuple(t for triggers in self.groups.values() for t in triggers)

    @model_validator(mode="after")
    def _pairs_have_two_steps(self) -> DossierSection:
        if self.kind == "pairs" and len(self.triggers) != 2:
            msg = f"section '{self.key}' pairs two steps; give exactly two triggers, not {len(self.triggers)}"
            raise ValueError(msg)
        return self


class DossierWords(_Frozen):
    """What the dossier as a whole says in one language."""

    title: str
    """The page's title, e.g. the documentation of which duty it is."""
    secrecy: str = ""
    """Why the document is confidential: the legal basis for keeping it from the public."""
    superseded: str = ""
    """How a duty closed by a later step that replaced it reads (a revised plan's evaluation)."""
    summaries: dict[str, str] = Field(default_factory=dict)
    """Trigger -> one line on a step: the timeline's detail, and the first line of the step's entry."""


class DossierLayout(_Frozen):
    """The sections of the dossier, in order, after the facts and the timeline, before the escalations,
    the duties and the check of the event log (which every dossier has)."""

    sections: tuple[DossierSection, ...] = Field(default_factory=tuple)
    case_attributes: tuple[str, ...] = ()
    """Case attributes shown among the facts (e.g. the accused employee under the stricter duty)."""
    flags: dict[str, str] = Field(default_factory=dict)
    """A boolean case attribute -> the case attribute whose fact shows it as a flag when it is true."""
    words: dict[str, DossierWords] = Field(default_factory=dict)
    """Language -> the dossier's words."""

    @model_validator(mode="after")
    def _flags_are_attributes(self) -> DossierLayout:
        for flag, target in self.flags.items():
            for name in (flag, target):
                if name not in self.case_attributes:
                    msg = f"flags names '{name}', which case_attributes does not list"
                    raise ValueError(msg)
        return self
