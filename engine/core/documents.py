"""Building blocks for documentation models, and the check that turns pydantic errors into ours.

Every ``*_at`` value is an ISO 8601 date-time; one without an offset is Oslo time (the calendar's time
zone). Instants are normalised to UTC. Which instants may not lie in the future, or before the case's
own ``occurred_at``, is declared on the field type, so the rule travels with the model.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, get_args
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
)

from aktivitetsplikt.engine.core.i18n import N_
from aktivitetsplikt.engine.core.refs import text_problem
from aktivitetsplikt.engine.errors import DocumentationMissing, FieldProblem

OSLO = ZoneInfo("Europe/Oslo")
MIN_YEAR, MAX_YEAR = 1900, 2200
PLAUSIBLE_PAST = timedelta(days=10 * 366)
PLAUSIBLE_FUTURE = timedelta(days=5 * 366)


class ValidationContext(BaseModel):
    """What the instant rules compare against; passed to pydantic as validation context."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    now: datetime
    timezone: ZoneInfo = OSLO
    case_occurred_at: datetime | None = None


def _context(info: ValidationInfo) -> ValidationContext | None:
    ctx = info.context
    if isinstance(ctx, ValidationContext):
        return ctx
    return None


def _require_datetime_text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and "T" in value.upper():
        return value
    msg = "must be an ISO 8601 date-time like 2026-04-01T10:00 (Oslo time) or 2026-04-01T08:00Z"
    raise ValueError(msg)


def _to_utc(value: datetime, info: ValidationInfo) -> datetime:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        msg = f"is out of range; give a date between {MIN_YEAR} and {MAX_YEAR}"
        raise ValueError(msg)
    ctx = _context(info)
    if value.tzinfo is None:
        value = value.replace(tzinfo=ctx.timezone if ctx else OSLO)
    value = value.astimezone(UTC)
    if ctx is not None and not ctx.now - PLAUSIBLE_PAST <= value <= ctx.now + PLAUSIBLE_FUTURE:
        # A typo in the year (1900, 2206) would otherwise make a duty overdue at once or never due.
        msg = "is not a plausible date; give one within 10 years before and 5 years after today"
        raise ValueError(msg)
    return value


def _printable(value: str) -> str:
    problem = text_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _not_future(value: datetime, info: ValidationInfo) -> datetime:
    ctx = _context(info)
    if ctx is not None and value > ctx.now:
        msg = "lies in the future; record what has happened, when it happened"
        raise ValueError(msg)
    return value


def _not_before_case(value: datetime, info: ValidationInfo) -> datetime:
    ctx = _context(info)
    if ctx is not None and ctx.case_occurred_at is not None and value < ctx.case_occurred_at:
        shown = ctx.case_occurred_at.astimezone(ctx.timezone).isoformat(timespec="minutes")
        msg = f"lies before the case began ({shown}); check the date"
        raise ValueError(msg)
    return value


Instant = Annotated[datetime, BeforeValidator(_require_datetime_text), AfterValidator(_to_utc)]
"""Any instant: a planned date (an evaluation) or a date set by others (an authority's deadline)."""
PastInstant = Annotated[Instant, AfterValidator(_not_future)]
"""Something that has happened: never in the future."""
CaseInstant = Annotated[PastInstant, AfterValidator(_not_before_case)]
"""A step of the case (``occurred_at``, ``notified_at``, ``held_at``): not in the future, not before the case."""


class _FreeText:
    """The mark of free text in a documentation model: what erasure erases (``core.seal``)."""

    def __repr__(self) -> str:
        return "FREE_TEXT"


FREE_TEXT = _FreeText()
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000),
    AfterValidator(_printable),
    FREE_TEXT,
]
StaffRef = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), AfterValidator(_printable)
]
TextList = Annotated[list[Text], Field(max_length=200)]


class Document(BaseModel):
    """Base of every documentation model: unknown fields are refused, values are not coerced from
    look-alikes (``"yes"`` is not a boolean)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


_PROBLEMS = {
    "missing": N_("is required but missing"),
    "extra_forbidden": N_("is not a field of this documentation; remove it"),
}


def _problem(error: Any) -> FieldProblem:
    loc = ".".join(str(part) for part in error["loc"]) or "(document)"
    kind = error["type"]
    if kind in _PROBLEMS:
        return FieldProblem(loc, _PROBLEMS[kind])
    text = str(error["msg"])
    if text.startswith("Value error, "):
        text = text[len("Value error, ") :]
    return FieldProblem(loc, text[:1].lower() + text[1:])


def validate_document(model: type[Document], trigger: str, data: object, context: ValidationContext) -> Document:
    """Validate ``data`` against ``model``; raise :class:`DocumentationMissing` listing every bad field."""
    if not isinstance(data, dict):
        raise DocumentationMissing(trigger, [FieldProblem("(document)", N_("must be a JSON object"))])
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise DocumentationMissing(trigger, [_problem(e) for e in exc.errors()]) from None


def lookup(document: Document | dict[str, Any], path: str) -> Any:
    """A dotted field of a document (``heard.feels_safe``), or None when absent."""
    value: Any = document
    for part in path.split("."):
        if value is None:
            return None
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    return value


ITEMS = "[]."
"""In a path of :func:`each_value`: each item of the list before it (``measures[].responsible``)."""


def each_value(document: Document | dict[str, Any], paths: Iterable[str]) -> Iterator[tuple[str, Any]]:
    """Each (field path, value) the document holds at ``paths``; ``a[].b`` reads ``b`` of each item of the
    list ``a``, named ``a.<index>.b`` like a field problem. Absent values are left out."""
    for path in paths:
        head, sep, rest = path.partition(ITEMS)
        if not sep:
            value = lookup(document, path)
            if value is not None:
                yield path, value
            continue
        for index, item in enumerate(lookup(document, head) or []):
            value = lookup(item, rest)
            if value is not None:
                yield f"{head}.{index}.{rest}", value


def has_path(model: type[BaseModel], path: str) -> bool:
    """Whether a dotted field path exists, following nested models (also inside ``X | None``)."""
    current: Any = model
    for part in path.split("."):
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return False
        annotation = current.model_fields[part].annotation
        nested = [a for a in (get_args(annotation) or (annotation,)) if isinstance(a, type)]
        current = next((a for a in nested if issubclass(a, BaseModel)), annotation)
    return True
