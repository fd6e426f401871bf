"""Who may fire what on which case (spec section 1, Actor; section 3 for the stricter duty).

Authentication is the embedding tool's job. The engine checks that the actor acts on their own school
(a school owner on the schools configured for it), that the role may fire the trigger and is honoured
for the actor's id (``identity.py``), that a case handler is the case's appointed responsible, and that
an accused leadership is kept out, whatever role its people claim.
"""

from __future__ import annotations

from dataclasses import dataclass

from aktivitetsplikt.engine.core.model import Actor
from aktivitetsplikt.engine.core.spec import RoleRequirement, TransitionSpec
from aktivitetsplikt.engine.errors import NotPermitted


@dataclass(frozen=True)
class CaseAccess:
    """The facts about a case (or a case about to be opened) that decide who may act on it."""

    school: str
    school_owner: str
    responsible: str | None
    principal_replaced: bool
    number: str | None = None
    section: str = ""
    """The workflow's legal reference as people know it, for messages."""
    appoints: str | None = None
    """The trigger that appoints the case's responsible, for messages."""
    configured: frozenset[str] = frozenset()
    """The roles the actor's id is configured in at the case's unit (principal, deputy, school_owner)."""
    not_configured: str = ""
    """Which role the actor's id is not configured in, and how to configure it, for messages."""


def _school_scope(actor: Actor, access: CaseAccess) -> None:
    if actor.role == "system":
        msg = "The system actor only records escalations; fire triggers as a person with a role."
        raise NotPermitted(msg)
    if actor.role == "it_admin":
        msg = f"{actor.id} reads cases as an IT admin and acts on none; act as a person with a role in the case."
        raise NotPermitted(msg)
    if actor.role == "school_owner":
        if "school_owner" not in access.configured:
            raise NotPermitted(access.not_configured + ".")
        return
    if actor.school is None:
        msg = f"{actor.id} has no school; say which school the actor belongs to (it must be '{access.school}')."
        raise NotPermitted(msg)
    if actor.school != access.school:
        msg = (
            f"{actor.id} belongs to school '{actor.school}' and cannot act on a case of school "
            f"'{access.school}'; act as someone at that school."
        )
        raise NotPermitted(msg)
    # By identity too: the principal claiming to be staff is still the accused leadership.
    leader = actor.role in ("principal", "deputy") or access.configured & {"principal", "deputy"}
    if access.principal_replaced and leader:
        msg = (
            f"The leadership is accused in this {access.section} case, so the principal cannot act on it; "
            "the owner acts instead."
        )
        raise NotPermitted(msg)


def requirements_met(actor: Actor, access: CaseAccess) -> frozenset[RoleRequirement]:
    """What the actor counts as on this case; raises NotPermitted when they may not touch it at all."""
    _school_scope(actor, access)
    met: set[RoleRequirement] = {"staff+"}
    if actor.role == "school_owner":
        met.add("school_owner")  # _school_scope let only the unit's configured owner through
    if access.principal_replaced:
        if actor.role == "school_owner":
            met.add("principal")
    elif actor.role in ("principal", "deputy") and actor.role in access.configured:
        met.add("principal")
    if actor.role == "case_handler" and access.responsible is not None and actor.id == access.responsible:
        met.add("case_handler")
    return frozenset(met)


def _who(transition: TransitionSpec, access: CaseAccess) -> str:
    principal = "the school owner (acting as principal)" if access.principal_replaced else "the principal"
    names = {
        "staff+": "staff",
        "principal": principal,
        "case_handler": "the case's responsible",
        "school_owner": "the school owner",
    }
    return " or ".join(names[r] for r in transition.roles)


def authorize(actor: Actor, transition: TransitionSpec, access: CaseAccess) -> None:
    """Raise NotPermitted, saying who may, unless the actor may fire ``transition`` on the case."""
    met = requirements_met(actor, access)
    if met.intersection(transition.roles):
        return
    hint = ""
    if actor.role in ("principal", "deputy") and actor.role not in access.configured:
        hint = f" ({access.not_configured})"
    elif actor.role == "case_handler" and "case_handler" in transition.roles:
        appoints = f" with {access.appoints}" if access.appoints else ""
        hint = f" ({actor.id} is not the case's responsible; the principal appoints one{appoints})"
    msg = f"Only {_who(transition, access)} may fire '{transition.trigger}'; {actor.id} acts as {actor.role}{hint}."
    raise NotPermitted(msg)
