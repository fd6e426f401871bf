"""The internal audit (internrevisjon) of a school year's cases (spec section 7).

Hellerud's plan has the principal go through every case of the school year in June: were the routines
followed, is each case documented well enough. The audit is generic: what it demands of a case comes
from its workflow pack (the :class:`~aktivitetsplikt.engine.core.audit_profile.AuditProfile`) and the
words of its sentences from the pack's bokmål labels. Five checks, each a machine name and a tally:

- ``steps``: each step the case's progress proves was taken is documented (``steps.py``);
- ``deadlines``: every duty met by its deadline, or how many days late on the unit's calendar;
- ``pupil_heard``: the own views of the person the case is about where the profile asks for them;
- ``school_owner``: the owner told when the case is serious, or always when the workflow says so;
- ``chain``: the event log is as it was recorded (the hash chain).

Each finding carries an English ``code`` for machines and a bokmål ``label`` for people. The modules:
``model`` (a case's audit and its CSV row), ``summary`` (per school, the report), ``review`` (the plan
of a workflow and the case under review), ``steps`` and ``checks`` (the checks), ``run`` (one case, or a
school year through the :class:`Engine`).
"""

from aktivitetsplikt.engine.reports.audit.checks import school_days_late
from aktivitetsplikt.engine.reports.audit.model import CSV_FIELDS, CaseAudit, Check, Finding, Tally
from aktivitetsplikt.engine.reports.audit.run import audit_case, audit_cases, audit_school_year, count_audit_cases
from aktivitetsplikt.engine.reports.audit.summary import SUMMARY_FIELDS, AuditReport, SchoolSummary, summarize
from aktivitetsplikt.engine.reports.lookup import pack_lookup, spec_lookup

__all__ = [
    "CSV_FIELDS",
    "SUMMARY_FIELDS",
    "AuditReport",
    "CaseAudit",
    "Check",
    "Finding",
    "SchoolSummary",
    "Tally",
    "audit_case",
    "audit_cases",
    "audit_school_year",
    "count_audit_cases",
    "pack_lookup",
    "school_days_late",
    "spec_lookup",
    "summarize",
]
