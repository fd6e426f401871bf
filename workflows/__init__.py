"""The built-in workflow definitions: § 12-4 and § 12-5 of opplæringslova, as data."""

from aktivitetsplikt.workflows.aktivitetsplikt import AKTIVITETSPLIKT
from aktivitetsplikt.workflows.documents import DOCUMENTS
from aktivitetsplikt.workflows.skjerpa import SKJERPA_AKTIVITETSPLIKT

BUILTIN_WORKFLOWS = (AKTIVITETSPLIKT, SKJERPA_AKTIVITETSPLIKT)

__all__ = ["AKTIVITETSPLIKT", "BUILTIN_WORKFLOWS", "DOCUMENTS", "SKJERPA_AKTIVITETSPLIKT"]
