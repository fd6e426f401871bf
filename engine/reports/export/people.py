"""The people in a dossier: each shown by name and role, with the ref the case records beside.

A name comes from the directory when it knows one (:class:`PersonNames`, optional: the default directory
reads addresses from the config, not names); without one the person is shown by their role. The role is
the one they acted in (an event's role) or had (the case's responsible), else the one the unit's
configuration gives them (principal, deputy, owner); a ref named in a documentation field with neither
a known name nor a configured role is shown as it is (the field's label says what they do).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from aktivitetsplikt.engine.core.directory import PersonNames
from aktivitetsplikt.engine.core.documents import ITEMS
from aktivitetsplikt.engine.reports.export.words import Words, first_upper

if TYPE_CHECKING:
    from aktivitetsplikt.engine.app.service import Engine
    from aktivitetsplikt.engine.core.model import Case
    from aktivitetsplikt.engine.core.pack import WorkflowPack
    from aktivitetsplikt.engine.core.spec import WorkflowSpec

CONFIGURED_ORDER = ("principal", "deputy", "school_owner")
"""When one person holds several configured roles, the first of these names them."""


@dataclass(frozen=True)
class People:
    """Who the refs of one case are, in its dossier's words."""

    words: Words
    name_of: Callable[[str], str | None]
    configured: Callable[[str], frozenset[str]]
    fields: frozenset[str]
    """Documentation paths (``measures.responsible``) and case attributes (``accused_staff``) that
    name a person."""

    @classmethod
    def of(cls, engine: Engine, case: Case, spec: WorkflowSpec, pack: WorkflowPack, words: Words) -> People:
        directory, school = engine.directory, case.school
        names = directory if isinstance(directory, PersonNames) else None
        identities = engine.decider.identities

        def name_of(ref: str) -> str | None:
            return names.name(school, ref) if names is not None else None

        def configured(ref: str) -> frozenset[str]:
            return identities.configured(school, ref) if school in engine.decider.policy.units else frozenset()

        paths = {path.replace(ITEMS, ".") for path in spec.person_fields}
        paths |= {path for holders in pack.access.measure_holders.values() for path in holders}
        paths |= {
            source
            for t in spec.transitions
            for o in t.outcomes
            for key, source in o.set_case.items()
            if key == "responsible"
        }
        paths |= {a for a in (spec.accused_attribute, pack.access.accused) if a}
        return cls(words, name_of, configured, frozenset(paths))

    def role(self, ref: str, role: str | None = None) -> str | None:
        """The role label of ``ref``: ``role`` if given, else their configured role, else None."""
        if role is None:
            held = self.configured(ref)
            role = next((r for r in CONFIGURED_ORDER if r in held), None)
        return self.words.role(role) if role is not None else None

    def show(self, ref: str | None, role: str | None = None) -> Markup:
        """``Kari Nordmann (saksansvarlig, t-18)``; without a known name ``Saksansvarlig (t-18)``; with
        neither a name nor a role the ref alone. Escaped: a ref and a name are text from outside."""
        if not ref:
            return Markup("")
        label = self.role(ref, role)
        name = self.name_of(ref)
        if name:
            beside = f"{label}, {ref}" if label else ref
            return Markup('{} <span class="muted">({})</span>').format(name, beside)
        if label:
            return Markup('{} <span class="muted">({})</span>').format(first_upper(label), ref)
        return Markup("{}").format(ref)

    def named(self, ref: str | None) -> Markup:
        """Where the role is said already (the access log's role column, the responsible's label): the
        name and the ref beside, or the ref alone."""
        if not ref:
            return Markup("")
        name = self.name_of(ref)
        return Markup('{} <span class="muted">({})</span>').format(name, ref) if name else Markup("{}").format(ref)

    def names_a_person(self, path: str) -> bool:
        return path in self.fields
