"""The built-in workflow packs: §§ 12-4 and 12-5 of opplæringslova and §§ 42 and 43 of barnehageloven,
as data, rules and words.

Only the composition root (``aktivitetsplikt.engine.bootstrap``) imports this package.
"""

from aktivitetsplikt.workflows.aktivitetsplikt import AKTIVITETSPLIKT, AKTIVITETSPLIKT_PACK
from aktivitetsplikt.workflows.barnehage import BARNEHAGE_AKTIVITETSPLIKT, BARNEHAGE_PACK
from aktivitetsplikt.workflows.barnehage_skjerpa import SKJERPA_BARNEHAGE_AKTIVITETSPLIKT, SKJERPA_BARNEHAGE_PACK
from aktivitetsplikt.workflows.documents import DOCUMENTS
from aktivitetsplikt.workflows.skjerpa import SKJERPA_AKTIVITETSPLIKT, SKJERPA_PACK

BUILTIN_PACKS = (AKTIVITETSPLIKT_PACK, SKJERPA_PACK, BARNEHAGE_PACK, SKJERPA_BARNEHAGE_PACK)
BUILTIN_WORKFLOWS = (
    AKTIVITETSPLIKT,
    SKJERPA_AKTIVITETSPLIKT,
    BARNEHAGE_AKTIVITETSPLIKT,
    SKJERPA_BARNEHAGE_AKTIVITETSPLIKT,
)

__all__ = [
    "AKTIVITETSPLIKT",
    "AKTIVITETSPLIKT_PACK",
    "BARNEHAGE_AKTIVITETSPLIKT",
    "BARNEHAGE_PACK",
    "BUILTIN_PACKS",
    "BUILTIN_WORKFLOWS",
    "DOCUMENTS",
    "SKJERPA_AKTIVITETSPLIKT",
    "SKJERPA_BARNEHAGE_AKTIVITETSPLIKT",
    "SKJERPA_BARNEHAGE_PACK",
    "SKJERPA_PACK",
]
