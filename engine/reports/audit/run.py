"""The audit of one case, and of a school year's cases through the :class:`Engine`.

:func:`audit_case` is pure: it trusts neither the validation at the time (a document may come from an
older version or have been changed since) nor the projection more than the log. The helpers below reach
storage only through ``engine.uow()``, and count days on each case's own unit calendar.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from aktivitetsplikt.engine.core.access import AccessRecord
from aktivitetsplikt.engine.core.audit_profile import AuditedCase
from aktivitetsplikt.engine.core.calendar import SchoolCalendar
from aktivitetsplikt.engine.core.model import Actor, Case, OutboxMessage, Party
from aktivitetsplikt.engine.core.numbering import NumberingFinding, numbering_findings
from aktivitetsplikt.engine.core.pack import WorkflowPack
from aktivitetsplikt.engine.core.projection import SpecOf
from aktivitetsplikt.engine.core.spec import WorkflowSpec
from aktivitetsplikt.engine.reports.audit.checks import check_chain, check_deadlines, check_owner, check_voice
from aktivitetsplikt.engine.reports.audit.model import CaseAudit
from aktivitetsplikt.engine.reports.audit.reads import check_reads
from aktivitetsplikt.engine.reports.audit.record import check_record
from aktivitetsplikt.engine.reports.audit.review import Review, plan_of
from aktivitetsplikt.engine.reports.audit.steps import check_steps
from aktivitetsplikt.engine.reports.audit.summary import AuditReport, summarize
from aktivitetsplikt.engine.reports.lookup import pack_lookup, spec_lookup

if TYPE_CHECKING:
    from aktivitetsplikt.engine.app.service import Engine


def audit_case(
    case: Case,
    spec: WorkflowSpec,
    pack: WorkflowPack,
    calendar: SchoolCalendar,
    now: datetime,
    person: Callable[[str], str | None] | None = None,
    *,
    reads: Sequence[AccessRecord] | None = None,
    parties: Sequence[Party] = (),
    record: Record | None = None,
) -> CaseAudit:
    """Audit one case with its ``events`` and ``obligations`` loaded, as of ``now``, by its pack's profile;
    ``calendar`` is the calendar of the case's unit, ``person`` the directory's person of a ref there. With
    ``reads`` (its access log) and ``parties``, the reads by people with no role in the case are findings too.
    With ``record``, every stored field that is not what the log says, and a reused number, are findings."""
    if case.events is None:
        msg = f"Case {case.number} was loaded without its events; the audit needs the whole log."
        raise ValueError(msg)
    r = Review(case, plan_of(spec, pack), calendar, now, case.events)
    steps = check_steps(r)
    deadlines, late = check_deadlines(r)
    voice = check_voice(r)
    owner = check_owner(r)
    chain = check_chain(r)
    if record is not None:
        check_record(r, record.spec_of, record.messages, parties, record.numbering)
    audited = AuditedCase(case, case.events, calendar, person or _nobody)
    for name in r.plan.profile.hooks:
        for found in pack.audit_hooks[name](audited):
            r.find(found.check, found.code, found.label, **found.detail)
    outsiders = None if reads is None else check_reads(r, reads, parties)
    return CaseAudit(
        case_id=case.id,
        number=case.number,
        school=case.school,
        school_year=case.school_year,
        workflow=case.workflow,
        workflow_version=case.workflow_version,
        state=case.state,
        serious=case.serious,
        opened_at=case.opened_at,
        closed_at=case.closed_at,
        findings=tuple(r.findings),
        steps=steps,
        deadlines=deadlines,
        late_school_days=late,
        pupil_heard=voice,
        school_owner=owner,
        chain=chain,
        closed_apart=r.apart,
        reads_without_role=outsiders,
    )


@dataclass(frozen=True)
class Record:
    """What the record check of one case needs besides the case: the workflows, its outbox rows, and the
    numbering findings of its unit's school year."""

    spec_of: SpecOf
    messages: Sequence[OutboxMessage] | None = None
    numbering: Sequence[NumberingFinding] = ()


def _nobody(ref: str) -> str | None:
    """A directory that knows nobody: every ref stands for itself."""
    return None


def count_audit_cases(engine: Engine, school_year: str, school: str | None = None, *, actor: Actor) -> int:
    """How many cases an audit of the school year (at one school) by ``actor`` would check (a count, not
    a read of any case)."""
    scope = engine.scope(actor)
    with engine.uow() as uow:
        return uow.reports.count_for_audit(school_year, school, scope)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk audit.

    A school year is hundreds of thousands of small objects without reference cycles, most of them kept
    until the report is done; the collector would walk them again and again while they are made (a
    fifth to a quarter of the time). Reference counting still frees what is dropped, and the collector
    is enabled again afterwards if it was before.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def audit_cases(
    engine: Engine,
    school_year: str,
    school: str | None = None,
    *,
    actor: Actor,
    batch: int = 500,
    now: datetime | None = None,
    reads: bool = False,
) -> Iterator[CaseAudit]:
    """Audit the school year's cases ``actor`` may read one by one, in case number order, loading them
    batch by batch; as of ``now`` (default: the engine's clock). Every case is logged as read before it
    is loaded; with ``reads``, each case's reads by people with no role in it are findings."""
    now = now or engine.clock.now()
    calendar_of = engine.decider.policy.calendar_of
    spec_of, pack_of = spec_lookup(engine.registry), pack_lookup(engine.registry)
    scope = engine.scope(actor)
    with engine.uow() as uow:
        units = uow.reports.audit_ids(school_year, school, scope)
        # Logged in its own short transaction, before any case is loaded: a long audit never holds the
        # write lock (SQLite) while it reads, and no case is read without its record.
        engine.log_reads(engine.records(actor, units, "audit"))
        numbering = numbering_findings(uow.reports.numbering(school_year, school))
        ids = list(units)
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            log = uow.access.of_cases(chunk) if reads else {}
            parties = uow.access.parties(chunk)
            outbox = uow.reports.outbox_of(chunk)
            for case in uow.reports.cases_by_ids(chunk, batch):
                record = Record(engine.spec_or_none, outbox[case.id], numbering)
                yield audit_case(
                    case,
                    spec_of(case),
                    pack_of(case),
                    calendar_of(case.school),
                    now,
                    partial(engine.directory.person, case.school),
                    reads=log.get(case.id) if reads else None,
                    parties=parties.get(case.id, ()),
                    record=record,
                )


def audit_school_year(
    engine: Engine,
    school_year: str,
    school: str | None = None,
    *,
    actor: Actor,
    batch: int = 500,
    on_case: Callable[[CaseAudit], None] | None = None,
    reads: bool = False,
) -> AuditReport:
    """The whole audit of a school year (or one school's part of it) as ``actor`` may read it; ``on_case``
    sees each audit as it is made (a progress bar); ``reads``: also list reads by people with no role."""
    generated_at = engine.clock.now()
    audits: list[CaseAudit] = []
    with _collector_paused():
        cases = audit_cases(engine, school_year, school, actor=actor, batch=batch, now=generated_at, reads=reads)
        for audit in cases:
            audits.append(audit)
            if on_case is not None:
                on_case(audit)
    names = {school_id: s.name for school_id, s in engine.settings.units().items()}
    with engine.uow() as uow:
        audited = {a.school for a in audits}  # only the units the reader's cases are at
        numbering = [n for n in numbering_findings(uow.reports.numbering(school_year, school)) if n.school in audited]
    return AuditReport(school_year, school, generated_at, audits, summarize(audits, names), tuple(numbering))
