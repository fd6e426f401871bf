"""The one error hierarchy of aktivitetsplikt.

Every error carries structured attributes and a message that is one plain sentence saying what to do.
Embedders catch :class:`AktivitetspliktError`; the CLI maps each class to an exit code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class AktivitetspliktError(Exception):
    """Base class of every error the engine raises on purpose."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
        msg = f"The documentation for '{trigger}' is incomplete or invalid; fix these fields and try again: {listed}."
        super().__init__(msg)


class TransitionNotAllowed(AktivitetspliktError):
    """The trigger cannot be fired on the case in its current state (or a rule of the law forbids it now)."""

    def __init__(self, trigger: str, state: str, allowed: Sequence[str], reason: str | None = None) -> None:
        self.trigger = trigger
        self.state = state
        self.allowed = tuple(allowed)
        allowed_text = ", ".join(self.allowed) if self.allowed else "none"
        if reason is None:
            msg = (
                f"'{trigger}' is not allowed while the case is in state '{state}'; "
                f"the triggers allowed there are: {allowed_text}."
            )
        else:
            msg = f"'{trigger}' is not allowed now: {reason}"
        super().__init__(msg)


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
        msg = f"No case has the id or number '{ref}'; check it with 'aktivitetsplikt cases'."
        super().__init__(msg)


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
            detail = f" (expected version {expected}, found {actual})"
        else:
            detail = ""
        msg = f"Case {case_ref} was changed by someone else{detail}; load it again and retry."
        super().__init__(msg)


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
    "deadlock": ("transactions kept waiting for each other (deadlock)", "transaksjoner ventet på hverandre (vranglås)"),
    "serialization": ("concurrent transactions could not be serialised", "samtidige transaksjoner kunne ikke ordnes"),
    "locked": ("another writer held the database lock", "en annen skriver holdt låsen på databasen"),
    "lock_timeout": ("a lock was not released in time", "en lås ble ikke ledig i tide"),
    "contended": ("the case kept changing while the step was decided", "saken ble endret mens steget ble avgjort"),
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
        english, norwegian = _BUSY.get(reason, _BUSY["locked"])
        msg = f"The database is busy ({english}); nothing was stored, try again in a moment."
        super().__init__(msg)
        self.nb = f"Databasen er opptatt ({norwegian}); ingenting ble lagret, prøv igjen om litt."
        """The sentence in Norwegian (bokmål) for people, e.g. on the command line."""


class DatabaseUnavailable(ConfigError):
    """The database cannot be reached: the server is down, refuses connections or the connection broke.
    ``where`` names the server and database (never credentials). Exit code 5."""

    def __init__(self, where: str) -> None:
        self.where = where
        msg = f"The database {where} cannot be reached; check that its server runs and accepts connections, then retry."
        super().__init__(msg)
        self.nb = f"Databasen {where} svarer ikke; sjekk at databaseserveren kjører og kan nås, og prøv igjen."
        """The sentence in Norwegian (bokmål) for people, e.g. on the command line."""


class SchemaOutdated(ConfigError):
    """The database schema is behind the code."""

    def __init__(self, current: str | None, head: str) -> None:
        self.current = current
        self.head = head
        at = current or "empty"
        msg = (
            f"The database schema is at revision {at} but this version needs {head}; "
            "run 'aktivitetsplikt db upgrade' first."
        )
        super().__init__(msg)
