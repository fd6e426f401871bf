"""The dossier's last part: every read of the case (the access log), this export's own read included."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aktivitetsplikt.engine.core.access import FACE_WORDS, IT_ADMIN_WORD, READ_WORDS, AccessRecord, CaseReads
from aktivitetsplikt.engine.core.model import Case

if TYPE_CHECKING:
    from aktivitetsplikt.engine.app.service import Engine
    from aktivitetsplikt.engine.core.pack import Labels


def access_rows(records: list[AccessRecord], labels: Labels | None) -> list[dict[str, Any]]:
    """The reads as the dossier and ``case access-log`` show them: the record with its words."""
    roles = labels.roles if labels is not None else {}
    return [
        r.to_json()
        | {
            "role_label": IT_ADMIN_WORD if r.actor_role == "it_admin" else roles.get(r.actor_role, r.actor_role),
            "kind_label": READ_WORDS.get(r.kind, r.kind),
            "face_label": FACE_WORDS.get(r.face, r.face),
        }
        for r in records
    ]


def access_log(engine: Engine, case: Case, labels: Labels | None) -> list[dict[str, Any]]:
    """The case's access log for its dossier. The case was read (and that read logged) by whoever asked
    for the dossier, so reading its log here is part of that read, not another one."""
    with engine.uow() as uow:
        records = uow.access.of_cases([case.id])[case.id]
    return access_rows(records, labels)


def log_json(engine: Engine, log: CaseReads) -> dict[str, Any]:
    """A case's access log as the CLI's ``--json`` and the HTTP service give it."""
    return {
        "case_id": log.case_id,
        "number": log.number,
        "reads": access_rows(list(log.reads), engine.registry.words(log.workflow)),
    }
