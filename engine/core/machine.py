"""One cached ``transitions`` machine per (workflow, version); cases are attached only while a trigger runs.

transitions' defaults are unsafe for a legal workflow, so the machine is built with
``auto_transitions=False`` (no ``to_<state>()`` bypassing every rule), an explicit ``model_attribute``,
and ``ignore_invalid_triggers=False``. A case is attached with ``add_model`` and always detached again:
a machine per case costs memory without bound (pytransitions issue 146).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from transitions import EventData, Machine, MachineError

from aktivitetsplikt.engine.core.documents import lookup
from aktivitetsplikt.engine.core.spec import NEW_STATE, Outcome, WorkflowSpec

if TYPE_CHECKING:
    from transitions.core import StateIdentifier  # defined only in transitions' stubs


class _Subject:
    """What is attached to the machine for one trigger: a state and the outcome that was taken."""

    def __init__(self) -> None:
        self.state: str = NEW_STATE
        self.outcome: Outcome | None = None


def outcome_matches(outcome: Outcome, document: Any, attributes: Mapping[str, Any]) -> bool:
    """Whether a document (and the case's attributes) select this outcome of a transition."""
    for path, wanted in outcome.when.items():
        actual = attributes.get(path.removeprefix("case.")) if path.startswith("case.") else lookup(document, path)
        if actual != wanted:
            return False
    return True


def _condition(outcome: Outcome) -> Any:
    def check(event: EventData) -> bool:
        return outcome_matches(outcome, event.kwargs["document"], event.kwargs["attributes"])

    return check


def _taken(outcome: Outcome) -> Any:
    def record(event: EventData) -> None:
        # transitions types a model as ``object``; this machine only ever carries a _Subject.
        cast("_Subject", event.model).outcome = outcome

    return record


class WorkflowMachine:
    """The state graph of one workflow version, shared by every case of it."""

    def __init__(self, spec: WorkflowSpec) -> None:
        self.spec = spec
        self._lock = threading.Lock()
        self._machine = Machine(
            model=None,
            states=[NEW_STATE, *(s.id for s in spec.states)],
            initial=NEW_STATE,
            auto_transitions=False,
            ignore_invalid_triggers=False,
            model_attribute="state",
            send_event=True,
        )
        for transition in spec.transitions:
            sources: list[StateIdentifier] = list(spec.source_states(transition))
            for outcome in transition.outcomes:
                self._machine.add_transition(
                    transition.trigger,
                    sources,
                    outcome.dest,  # None: an internal step, the case stays where it is
                    conditions=[_condition(outcome)],
                    after=[_taken(outcome)],
                )

    def triggers_from(self, state: str) -> list[str]:
        """Triggers defined from a state, in declaration order."""
        return [t.trigger for t in self.spec.transitions if state in self.spec.source_states(t)]

    def run(self, state: str, trigger: str, document: Any, attributes: Mapping[str, Any]) -> tuple[str, Outcome] | None:
        """Fire ``trigger`` from ``state``: the new state and the outcome taken, or None when the trigger
        is not defined there. Raises nothing for a refused condition; returns None for it too."""
        if trigger not in self._machine.events:
            return None
        subject = _Subject()
        with self._lock:
            self._machine.add_model(subject, initial=state)
            try:
                # What the model's added ``trigger()`` does, minus the attribute mypy cannot see.
                fired = self._machine.events[trigger].trigger(subject, document=document, attributes=attributes)
            except MachineError:
                return None
            finally:
                self._machine.remove_model(subject)
        if not fired or subject.outcome is None:
            return None
        return subject.state, subject.outcome
