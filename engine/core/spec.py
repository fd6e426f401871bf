"""Workflow definitions as data.

A workflow is declared with these pydantic models (see ``aktivitetsplikt.workflows`` for the two built-in
ones) and validated when it is registered: a bad definition fails at once with a precise message, never
halfway through a case. Custom workflows can be loaded from TOML or JSON through the same models; their
documentation models are referred to by name, never by code.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

Role = Literal["staff", "case_handler", "principal", "deputy", "school_owner", "system", "it_admin"]
"""Who an actor is. ``it_admin`` reads for operations (``[access] it_admins``) and acts on no case."""
#: What a transition may require of its actor. ``staff+`` is any employee, whatever their role;
#: ``school_owner`` only the owner of the case's unit, even where the owner does not act as the head.
RoleRequirement = Literal["staff+", "principal", "case_handler", "school_owner"]
#: Who a duty or a message is for; resolved to addresses by the Directory port.
RecipientRole = Literal["reporter", "principal", "responsible", "school_owner"]
RECIPIENT_ROLES: tuple[str, ...] = get_args(RecipientRole)

ANY_STATE = "*"
OPEN_STATES = "open"
NEW_STATE = "new"
"""The pseudo-state a case is in before its creating trigger (``report``) has fired."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StateSpec(_Frozen):
    id: str
    label: str
    final: bool = False
    obligation: str | None = None
    """The duty (obligation kind) that keeps a case from resting in this state without a deadline."""
    no_deadline_reason: str | None = None


class ObligationKind(_Frozen):
    kind: str
    label: str
    responsible_role: RecipientRole
    deadline: Literal["configured", "document"]
    """``configured``: a duration from ``[deadlines.<workflow>]``; ``document``: a date in the documentation."""


class CreateObligation(_Frozen):
    kind: str
    counted_from: str = "event"
    """``event`` (when the step happened) or a dotted documentation field holding an instant. For a
    ``document`` deadline this field is the due instant itself."""
    unless_exists: bool | Literal["cycle"] = False
    """Skip when the case already has this duty, open or met (e.g. the school owner was already told);
    ``"cycle"``: only a duty created in the current cycle (since the creating step or the latest
    reopening) counts."""
    for_each: str | None = None
    """A list field of the documentation: one duty per item, due at the item's ``item_due`` and keyed by
    its ``item_key`` (each measure an authority imposed, with its own deadline)."""
    item_due: str | None = None
    item_key: str | None = None

    @model_validator(mode="after")
    def _items_named_whole(self) -> CreateObligation:
        named = (self.for_each, self.item_due, self.item_key)
        if any(n is not None for n in named) and any(n is None for n in named):
            msg = f"a duty '{self.kind}' per item needs for_each, item_due and item_key together"
            raise ValueError(msg)
        return self


class Notify(_Frozen):
    recipient: RecipientRole


class Outcome(_Frozen):
    when: dict[str, Any] = Field(default_factory=dict)
    """Dotted documentation fields (or ``case.<attribute>``) and the values they must have."""
    dest: str | None = None
    """The state after the step; ``None`` keeps the case where it is."""
    create: tuple[CreateObligation, ...] = ()
    satisfy: tuple[str, ...] = ()
    satisfy_all_open_except: tuple[str, ...] | None = None
    satisfy_key: dict[str, str] = Field(default_factory=dict)
    """Duty kind -> a documentation field holding a key: meets the open duty of that kind with that key
    (a per-item duty); refused, naming the field, when there is none."""
    supersede: tuple[str, ...] = ()
    """Open duties of these kinds are closed as replaced by this step (a revised plan's evaluation)."""
    notify: tuple[Notify, ...] = ()
    set_case: dict[str, str] = Field(default_factory=dict)
    """Case fields or attributes set from dotted documentation fields."""


class TransitionSpec(_Frozen):
    trigger: str
    label: str
    sources: tuple[str, ...] | Literal["*", "open"]
    document: str
    roles: tuple[RoleRequirement, ...]
    outcomes: tuple[Outcome, ...] = Field(min_length=1)
    occurred_field: str | None = None
    """The documentation field that says when the step happened; otherwise it happened when recorded."""
    rules: tuple[str, ...] = ()
    """Named rules from ``aktivitetsplikt.engine.core.rules`` checked after the documentation is valid."""
    creates_case: bool = False
    reopens: bool = False
    """May leave a final state (``reopen``)."""
    identify: tuple[str, ...] = ()
    """List fields of the documentation whose items get an ``id`` when the caller gave none, short and
    unique within the case, so a later step can name an item (a revision that keeps a measure)."""


class WorkflowSpec(_Frozen):
    id: str
    version: str
    label: str
    legal_basis: str
    states: tuple[StateSpec, ...]
    transitions: tuple[TransitionSpec, ...]
    obligations: tuple[ObligationKind, ...]
    case_occurred_field: str = "occurred_at"
    """The creating document's field that says when the case's events began."""
    principal_replaced_when: str | None = None
    """A case attribute that, when true, takes the principal out of the case: the owner acts and is
    notified instead (the stricter duty, when the unit's leadership is accused)."""
    accused_attribute: str | None = None
    """A case attribute naming a person kept out of the case by identity (``engine.core.accused``): they
    take no step, are named in none of ``person_fields``, and when they are the head of the unit or a
    deputy, ``principal_replaced_when`` is set whatever the documentation said."""
    person_fields: tuple[str, ...] = ()
    """Documentation fields naming people the accused may not be (``responsible``,
    ``measures[].responsible`` for each item of a list)."""

    def state(self, state_id: str) -> StateSpec:
        for state in self.states:
            if state.id == state_id:
                return state
        msg = f"Workflow {self.id} has no state '{state_id}'."
        raise KeyError(msg)

    def transition(self, trigger: str) -> TransitionSpec | None:
        for transition in self.transitions:
            if transition.trigger == trigger:
                return transition
        return None

    def obligation(self, kind: str) -> ObligationKind:
        for obligation in self.obligations:
            if obligation.kind == kind:
                return obligation
        msg = f"Workflow {self.id} has no obligation kind '{kind}'."
        raise KeyError(msg)

    def source_states(self, transition: TransitionSpec) -> tuple[str, ...]:
        """The states a transition may fire from, with ``*`` and ``open`` spelled out."""
        if transition.creates_case:
            return (NEW_STATE,)
        if isinstance(transition.sources, tuple):
            return transition.sources
        if transition.sources == ANY_STATE:
            return tuple(s.id for s in self.states)
        return tuple(s.id for s in self.states if not s.final)  # OPEN_STATES, the only other literal

    def setting(self, attribute: str) -> str | None:
        """The first trigger that sets the case field or attribute ``attribute``, if any."""
        for transition in self.transitions:
            if any(attribute in outcome.set_case for outcome in transition.outcomes):
                return transition.trigger
        return None

    @property
    def creating_transition(self) -> TransitionSpec:
        for transition in self.transitions:
            if transition.creates_case:
                return transition
        msg = f"Workflow {self.id} has no transition that creates a case."
        raise KeyError(msg)
