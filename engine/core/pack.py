"""A workflow pack: everything one workflow of the law brings to the generic engine.

The engine knows no law. A pack (one per workflow id, under ``workflows/``) carries the workflow's
versions (:class:`WorkflowSpec`), its documentation models, its named rules, its default deadlines, its
audit profile, its dossier layout, its access profile and its labels in bokmål and nynorsk. A version may
audit and show its cases its own way (an :class:`Edition`); the labels cover every id of every version. The
registry checks that everything a pack names exists in its spec when the pack is registered, so a misspelt
id is a definition error at start, never a silent pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from aktivitetsplikt.engine.core import i18n
from aktivitetsplikt.engine.core.access_profile import AccessProfile
from aktivitetsplikt.engine.core.audit_profile import AuditHook, AuditProfile
from aktivitetsplikt.engine.core.calendar import Duration
from aktivitetsplikt.engine.core.documents import Document
from aktivitetsplikt.engine.core.dossier_layout import DossierLayout
from aktivitetsplikt.engine.core.rules import Rule
from aktivitetsplikt.engine.core.spec import WorkflowSpec

Language = i18n.Language
LANGUAGES = i18n.LANGUAGES
Institution = Literal["school", "kindergarten"]


class Labels(BaseModel):
    """The Norwegian words of one workflow in one language."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    workflow: str
    """The workflow's name as people know it."""
    legal_basis: str
    """The full legal reference: the act and its section."""
    section: str
    """The short reference shown in lists: the section alone."""
    states: dict[str, str]
    steps: dict[str, str]
    """Trigger -> label, for every trigger of the spec."""
    duties: dict[str, str]
    """Duty kind -> label, for every duty kind of the spec."""
    roles: dict[str, str]
    """Role -> label for every actor and recipient role, as the unit's people call them."""
    values: dict[str, dict[str, str]] = Field(default_factory=dict)
    """Documentation values shown to people, by field name, then value."""
    fields: dict[str, str] = Field(default_factory=dict)
    """Documentation fields shown to people: a dotted path (``heard.at``) or a field name -> its label.
    The path wins over the name, so a name shared by several documents needs one label only."""
    unit: str
    """What the unit (a school, a kindergarten) is called, lower case."""
    pupil: str
    """Who the case is about, definite form, lower case."""
    day: tuple[str, str]
    """The counted day of the unit's calendar, singular and plural."""

    def days(self, count: int) -> str:
        """``1 skoledag``, ``3 skoledager``."""
        return f"{count} {self.day[0] if count == 1 else self.day[1]}"


@dataclass(frozen=True)
class Retention:
    """How long a closed case's content stays after closing, and whether the archive gets it first.

    ``aktivitetsplikt retention run`` erases the pupil ref and every free-text value of a case closed
    ``years`` ago (with no duty open), after writing its dossier to the configured archive folder when
    ``archive`` says so. ``[retention.<workflow>]`` in config overrides either."""

    years: int = 3
    archive: bool = True


@dataclass(frozen=True)
class Edition:
    """What one version of a workflow audits and shows its own way; what it leaves out is the pack's."""

    audit: AuditProfile | None = None
    dossier: DossierLayout | None = None


@dataclass(frozen=True)
class WorkflowPack:
    """One workflow of the law as data, rules and words; see the module docstring."""

    id: str
    institution: Institution
    versions: tuple[WorkflowSpec, ...]
    documents: Mapping[str, type[Document]]
    labels: Mapping[Language, Labels]
    deadlines: Mapping[str, Duration]
    """Default durations by name: each ``configured`` duty kind, and the rules' own (e.g. the longest
    interval between evaluations). ``[deadlines.<workflow>]`` in config overrides them, name by name."""
    audit: AuditProfile
    dossier: DossierLayout
    rules: Mapping[str, Rule] = field(default_factory=dict)
    editions: Mapping[str, Edition] = field(default_factory=dict)
    """Version -> what that version audits and shows differently (a case keeps its version's edition)."""
    audit_hooks: Mapping[str, AuditHook] = field(default_factory=dict)
    """The pack's own audit checks by name, for what an audit profile cannot declare (``hooks``)."""
    access: AccessProfile = field(default_factory=AccessProfile)
    """Where the law names the people with a part in a case (who hold a measure, who is accused)."""
    retention: Retention = field(default_factory=Retention)
    """The default retention of the workflow's closed cases (``[retention.<workflow>]`` overrides it)."""

    @property
    def latest(self) -> WorkflowSpec:
        return max(self.versions, key=lambda spec: spec.version)

    def label(self, language: Language = "nb") -> Labels:
        return self.labels[language]

    def audit_for(self, version: str) -> AuditProfile:
        """The audit profile of a version: its edition's, else the pack's."""
        edition = self.editions.get(version)
        return edition.audit if edition is not None and edition.audit is not None else self.audit

    def dossier_for(self, version: str) -> DossierLayout:
        """The dossier layout of a version: its edition's, else the pack's."""
        edition = self.editions.get(version)
        return edition.dossier if edition is not None and edition.dossier is not None else self.dossier
