"""The one error hierarchy of aktivitetsplikt.

Every error carries structured attributes and a message that is one plain sentence saying what to do.
Embedders catch :class:`AktivitetspliktError`; the CLI maps each class to an exit code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from aktivitetsplikt.engine.core.i18n import N_


class AktivitetspliktError(Exception):
    """Base class of every error the engine raises on purpose.

    ``message`` is the English sentence (logs, ``--json``, tools). An error raised with ``params`` keeps
    its sentence as a template (``"No case has the number '%(ref)s'"``), a message id of the gettext
    catalogs: :meth:`text` gives the sentence a person reads, in bokmål or nynorsk. An error raised with
    a finished sentence has no translation and is shown in English.
    """

    exit_code = 1

    def __init__(self, message: str, /, **params: object) -> None:
        self.template = message
        self.params = params
        self.message = message % params if params else message
        super().__init__(self.message)

    def text(self, translate: Callable[[str], str], labelled: Mapping[str, object] | None = None) -> str:
        """The sentence for a person, through ``translate`` (a catalog's ``gettext``); ``labelled`` replaces
        parameters by what a person calls them (a step's label for its trigger id)."""
        if not self.params:
            return translate(self.message)
        params = {**self.params, **(labelled or {})}
        return translate(self.template) % {k: _shown(v, translate) for k, v in params.items()}


def _shown(value: object, translate: Callable[[str], str]) -> object:
    """A parameter as shown: a :class:`Phrase` translated, anything else as it is."""
    return value.text(translate) if isinstance(value, Phrase) else value


@dataclass(frozen=True)
class Phrase:
    """A part of an error's sentence that is itself a message id (``none``), translated with it."""

    message: str

    def __str__(self) -> str:
        return self.message

    def text(self, translate: Callable[[str], str]) -> str:
        return translate(self.message)


@dataclass(frozen=True)
class FieldProblem:
    """One missing or invalid documentation field: a dotted path and what is wrong with it."""

    field: str
    problem: str

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "problem": self.problem}


class DocumentationMissing(AktivitetspliktError):
    """The documentation of a trigger is missing fields or has invalid values."""

    def __init__(self, trigger: str, problems: Iterable[FieldProblem]) -> None:
        self.trigger = trigger
        self.fields: tuple[FieldProblem, ...] = tuple(problems)
        listed = "; ".join(f"{p.field}: {p.problem}" for p in self.fields)
        msg = N_(
            "The documentation for '%(trigger)s' is incomplete or invalid; fix these fields and try again: %(listed)s."
        )
        super().__init__(msg, trigger=trigger, listed=listed)


class TransitionNotAllowed(AktivitetspliktError):
    """The trigger cannot be fired on the case in its current state (or a rule of the law forbids it now)."""

    def __init__(self, trigger: str, state: str, allowed: Sequence[str], reason: str | None = None) -> None:
        self.trigger = trigger
        self.state = state
        self.allowed = tuple(allowed)
        self.reason = reason
        allowed_text: object = ", ".join(self.allowed) if self.allowed else Phrase(N_("none"))
        if reason is None:
            msg = N_(
                "'%(trigger)s' is not allowed while the case is in state '%(state)s'; "
                "the triggers allowed there are: %(allowed)s."
            )
            super().__init__(msg, trigger=trigger, state=state, allowed=allowed_text)
        else:
            super().__init__(N_("'%(trigger)s' is not allowed now: %(reason)s"), trigger=trigger, reason=reason)


class NotPermitted(AktivitetspliktError):
    """The actor's role or school does not allow this action."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class NotAuthenticated(AktivitetspliktError):
    """The caller proved no identity: no bearer token, or one that is expired, foreign or forged. Raised
    by the HTTP face before the engine is asked anything; the library itself trusts the embedder's actor."""

    exit_code = 2


class CaseNotFound(AktivitetspliktError):
    """No case has the given id or number."""

    exit_code = 3

    def __init__(self, ref: str) -> None:
        self.ref = ref
        super().__init__(N_("No case has the id or number '%(ref)s'; check it with 'aktivitetsplikt cases'."), ref=ref)


class MessageNotFound(AktivitetspliktError):
    """No outbox message has the given id."""

    exit_code = 3


class ConcurrencyConflict(AktivitetspliktError):
    """Someone else changed the case since it was read."""

    exit_code = 4

    def __init__(self, case_ref: str, expected: int | None = None, actual: int | None = None) -> None:
        self.case_ref = case_ref
        self.expected = expected
        self.actual = actual
        if expected is not None and actual is not None:
            msg = N_(
                "Case %(case)s was changed by someone else (expected version %(expected)s, found %(actual)s); "
                "load it again and retry."
            )
            super().__init__(msg, case=case_ref, expected=expected, actual=actual)
        else:
            super().__init__(N_("Case %(case)s was changed by someone else; load it again and retry."), case=case_ref)


class WorkflowDefinitionError(AktivitetspliktError):
    """A workflow definition is inconsistent or names a workflow that is not registered."""

    exit_code = 5


class WorkflowNotFound(WorkflowDefinitionError):
    """No workflow (or no version of it) with the given id is registered: a lookup, not a broken definition."""

    exit_code = 3


class InvalidInput(AktivitetspliktError, ValueError):
    """A value given to the engine outside any documentation (an actor, a pupil ref, a version) is not
    usable: too long, not text, of the wrong type. The message names the value's role, never the value."""

    exit_code = 2


class ConfigError(AktivitetspliktError):
    """The configuration or the database setup is wrong."""

    exit_code = 5


_BUSY = {
    "deadlock": N_("transactions kept waiting for each other (deadlock)"),
    "serialization": N_("concurrent transactions could not be serialised"),
    "locked": N_("another writer held the database lock"),
    "lock_timeout": N_("a lock was not released in time"),
    "contended": N_("the case kept changing while the step was decided"),
}


class DatabaseBusy(ConfigError):
    """The database was too busy for this call: a lock wait timed out, or transient conflicts (deadlock,
    serialization failure, SQLite busy) outlasted the engine's own retries. Nothing was stored; calling
    again later is safe. ``reason`` is one of ``deadlock``, ``serialization``, ``locked``, ``lock_timeout``,
    ``contended``; ``retryable`` says whether the engine retries it itself (with a short jittered backoff)
    before it reaches a caller. A ConfigError subclass, exit code 5, so handlers of database trouble see it."""

    def __init__(self, reason: str, *, retryable: bool) -> None:
        self.reason = reason
        self.retryable = retryable
        msg = N_("The database is busy (%(why)s); nothing was stored, try again in a moment.")
        super().__init__(msg, why=Phrase(_BUSY.get(reason, _BUSY["locked"])))


class DatabaseUnavailable(ConfigError):
    """The database cannot be reached: the server is down, refuses connections or the connection broke.
    ``where`` names the server and database (never credentials). Exit code 5."""

    def __init__(self, where: str) -> None:
        self.where = where
        msg = N_(
            "The database %(where)s cannot be reached; check that its server runs and accepts connections, "
            "then try again."
        )
        super().__init__(msg, where=where)


class SchemaOutdated(ConfigError):
    """The database schema is behind the code."""

    def __init__(self, current: str | None, head: str) -> None:
        self.current = current
        self.head = head
        msg = N_(
            "The database schema is at revision %(current)s but this version needs %(head)s; "
            "run 'aktivitetsplikt db upgrade' first."
        )
        super().__init__(msg, current=current or Phrase(N_("empty")), head=head)
