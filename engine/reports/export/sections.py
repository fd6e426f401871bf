"""The dossier as data: the facts, the timeline, the pack's sections, the escalations and the duties.

English keys, instants in ISO 8601 UTC; labels in the pack's words. Which events make up a section comes
from the pack's :class:`DossierLayout`, never from a trigger name known here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aktivitetsplikt.engine.core.escalation import TRIGGER as ESCALATED
from aktivitetsplikt.engine.core.model import Case, Event, iso
from aktivitetsplikt.engine.core.pack import Language, WorkflowPack
from aktivitetsplikt.engine.reports.export.duties import duties
from aktivitetsplikt.engine.reports.export.people import People
from aktivitetsplikt.engine.reports.export.words import Words

if TYPE_CHECKING:
    from aktivitetsplikt.engine.app.service import Engine
    from aktivitetsplikt.engine.core.calendar import SchoolCalendar
    from aktivitetsplikt.engine.core.dossier_layout import DossierLayout, DossierSection
    from aktivitetsplikt.engine.core.spec import WorkflowSpec

Item = dict[str, Any]
CORRECTS = "corrects"
"""A documentation field holding the seq of the earlier event a step corrects (a correction note)."""


@dataclass(frozen=True)
class Dossier:
    """One case with everything its dossier reads: its definition, its pack and its version's layout, its
    words and calendar, and who its people are."""

    engine: Engine
    case: Case
    spec: WorkflowSpec
    pack: WorkflowPack
    words: Words
    calendar: SchoolCalendar
    layout: DossierLayout
    people: People

    @classmethod
    def of(cls, engine: Engine, case: Case, language: Language = "nb") -> Dossier:
        pack = engine.registry.pack(case.workflow)
        layout = pack.dossier_for(case.workflow_version)
        calendar = engine.decider.policy.calendar_of(case.school)
        words = Words(pack.labels[language], layout, language, calendar.tz)
        spec = engine.registry.spec(case.workflow, case.workflow_version)
        return cls(engine, case, spec, pack, words, calendar, layout, People.of(engine, case, spec, pack, words))

    @property
    def events(self) -> list[Event]:
        return self.case.events or []

    def item(self, event: Event) -> Item:
        """One documented step: who, when (recorded and occurred), and its documentation as recorded."""
        base: Item = {
            "seq": event.seq,
            "trigger": event.trigger,
            "trigger_label": self.words.step(event.trigger),
            "recorded_at": iso(event.at),
            "occurred_at": iso(event.occurred_at),
            "actor_id": event.actor_id,
            "actor_role": event.actor_role,
        }
        document = dict(event.document)
        if event.trigger == ESCALATED:
            document["obligation_label"] = self.words.duty(str(document.get("obligation")))
            base["trigger_label"] = self.words.t("Påminnelse" if document.get("level") == 0 else "Eskalering")
        return base | {"document": document}

    def sections(self) -> dict[str, Any]:
        """Every part of the documentation, in the pack's order (see the module docstring)."""
        by: dict[str, list[Item]] = defaultdict(list)
        for event in self.events:
            by[event.trigger].append(self.item(event))
        data: dict[str, Any] = {"facts": self.facts(), "timeline": self.timeline()}
        for section in self.layout.sections:
            data[section.key] = self.section(section, by)
        data["escalations"] = by[ESCALATED]
        data["duties"] = duties(self.spec, self.words, self.calendar, self.case, self.engine.clock.now())
        return data

    def section(self, section: DossierSection, by: dict[str, list[Item]]) -> Any:
        def of(triggers: tuple[str, ...]) -> list[Item]:
            return sorted((i for t in dict.fromkeys(triggers) for i in by[t]), key=lambda i: int(i["seq"]))

        if section.kind == "groups":
            return {name: of(triggers) for name, triggers in section.groups.items()}
        if section.kind == "pairs":
            first, second = section.triggers[0], section.triggers[1]
            return pairs(by[first], by[second], section.pair_keys)
        if section.kind == "versions":
            return versions(of(section.triggers))
        if section.kind == "closing":
            return [self.item(e) for e in self.events if self.closes(e)]
        return of(section.triggers)

    def facts(self) -> dict[str, Any]:
        case, labels = self.case, self.words.labels
        unit = self.engine.decider.policy.units.get(case.school)
        facts: dict[str, Any] = {
            "id": case.id,
            "number": case.number,
            "school": case.school,
            "school_name": unit.name if unit else case.school,
            "workflow": case.workflow,
            "workflow_label": labels.workflow,
            "workflow_version": case.workflow_version,
            "legal_basis": labels.legal_basis,
            "state": case.state,
            "state_label": self.words.state(case.state),
            "serious": case.serious,
            "responsible": case.responsible,
            "pupil": case.pupil,
            "occurred_at": iso(case.occurred_at),
            "opened_at": iso(case.opened_at),
            "closed_at": iso(case.closed_at),
            "school_year": case.school_year,
            "case_url": self.engine.settings.links.case_url.format(id=case.id),
            "exported_at": iso(self.engine.clock.now()),
        }
        for key in self.layout.case_attributes:
            if key in case.attributes:
                facts[key] = case.attributes[key]
        return facts

    def timeline(self) -> list[Item]:
        corrected_by: dict[int, list[int]] = defaultdict(list)
        for event in self.events:
            target = corrected(event)
            if target is not None:
                corrected_by[target].append(event.seq)
        rows = []
        for event in self.events:
            row = {k: v for k, v in self.item(event).items() if k != "document"}
            row |= {
                "from_state": event.from_state,
                "from_state_label": self.words.state(event.from_state),
                "to_state": event.to_state,
                "to_state_label": self.words.state(event.to_state),
                "corrected_by": corrected_by.get(event.seq, []),
                "hash": event.hash,
            }
            rows.append(row)
        return rows

    def closes(self, event: Event) -> bool:
        """Whether the event took the case into a final state (a step within the final state does not)."""
        if not self.spec.state(event.to_state).final:
            return False
        return event.from_state is None or not self.spec.state(event.from_state).final


def corrected(event: Event) -> int | None:
    """The seq of the earlier event this one corrects, if it is a correction."""
    target = event.document.get(CORRECTS)
    return target if isinstance(target, int) and not isinstance(target, bool) else None


def pairs(first: list[Item], second: list[Item], keys: tuple[str, str]) -> list[dict[str, Item | None]]:
    """Each first step with the second that followed it (a reopened case has several pairs)."""
    start, end = keys
    runs: list[dict[str, Item | None]] = [{start: item, end: None} for item in first]
    for item in second:
        open_runs = [r for r in runs if r[end] is None and 0 < _seq(r[start]) < _seq(item)]
        if open_runs:
            open_runs[-1][end] = item
        else:
            runs.append({start: None, end: item})
    return sorted(runs, key=lambda r: _seq(r[start]) or _seq(r[end]))


def _seq(item: Item | None) -> int:
    return int(item["seq"]) if item is not None else 0


def versions(items: list[Item]) -> list[Item]:
    """Every version of one document, oldest first; each later one supersedes the one before."""
    result = []
    for number, item in enumerate(items, start=1):
        following = items[number] if number < len(items) else None
        result.append(
            item
            | {
                "version": number,
                "current": following is None,
                "superseded_by_seq": following["seq"] if following else None,
            }
        )
    return result
