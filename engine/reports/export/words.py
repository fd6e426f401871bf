"""The words of one dossier: the pack's labels and layout words in one language, and how a value reads.

Every word of the law (steps, states, duties, roles, field and value labels, section titles) comes from
the workflow's pack; the few words here are the dossier's own (statuses of a duty, ladder levels, yes/no).
Instants are shown in the unit's time zone. A field holds an instant when its name is ``at`` or ends in
``_at`` (the documentation models' convention), and a deadline when it ends in ``due_at``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from markupsafe import Markup, escape

from aktivitetsplikt.engine.core import texts
from aktivitetsplikt.engine.core.chain import ERASURE_LABELS, ERASURE_TRIGGER
from aktivitetsplikt.engine.core.documents import lookup
from aktivitetsplikt.engine.core.dossier_layout import DossierLayout, DossierSection, DossierWords, SectionWords
from aktivitetsplikt.engine.core.escalation import LAST_LEVEL
from aktivitetsplikt.engine.core.pack import Labels, Language
from aktivitetsplikt.engine.reports.export.page_words import page_word

NOTHING = "-"
UNTITLED = "Dokumentasjon av saken"
"""The title of a dossier whose pack gives none."""
STATUSES = {
    "met_on_time": "oppfylt i tide",
    "met_late": "oppfylt for sent",
    "superseded": "erstattet",
    "open": "åpen",
    "overdue": "forfalt",
}
"""How a duty ended (or not); the pack may say what replaced a superseded one."""
LEVELS = {0: "påminnelse før fristen", 1: "fristen er gått ut"}
"""The ladder's levels before the last; the last one names who was told (see :meth:`Words.level`)."""
_SLOT = re.compile(r"\{([A-Za-z_][\w.]*)(:count)?\}")


def first_upper(text: str) -> str:
    """``barnet`` -> ``Barnet``; unlike str.capitalize the rest is left as it is (``sak HEL-1``)."""
    return text[:1].upper() + text[1:]


def first_lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def is_instant(path: str) -> bool:
    name = path.rpartition(".")[2]
    return name == "at" or name.endswith("_at")


@dataclass(frozen=True)
class Words:
    """The pack's words in one language, and the time zone instants are shown in."""

    labels: Labels
    layout: DossierLayout
    language: Language
    zone: tzinfo

    @property
    def dossier(self) -> DossierWords:
        words = self.layout.words
        return words.get(self.language) or words.get("nb") or DossierWords(title=self.t(UNTITLED))

    def section(self, section: DossierSection) -> SectionWords:
        words = section.words
        return words.get(self.language) or words.get("nb") or SectionWords(title=section.key)

    def step(self, trigger: str) -> str:
        if trigger == ERASURE_TRIGGER and trigger not in self.labels.steps:
            return ERASURE_LABELS[self.language]
        return self.labels.steps.get(trigger, trigger)

    def state(self, state: str | None) -> str | None:
        return None if state is None else self.labels.states.get(state, state)

    def duty(self, kind: str) -> str:
        return self.labels.duties.get(kind, kind)

    def role(self, role: str) -> str:
        return self.labels.roles.get(role, role)

    def field(self, path: str) -> str:
        """A field's label: by its dotted path, else by its name, else the name itself."""
        name = path.rpartition(".")[2]
        return self.labels.fields.get(path) or self.labels.fields.get(name) or name

    def t(self, text: str, **values: object) -> str:
        """One of the page's own words (bokmål) in the dossier's language, its ``{name}`` slots filled."""
        return page_word(text, self.language, **values)

    def status(self, status: str) -> str:
        if status == "superseded" and self.dossier.superseded:
            return self.dossier.superseded
        return self.t(STATUSES[status]) if status in STATUSES else status

    def level(self, level: int) -> str:
        if level >= LAST_LEVEL:
            return self.t("meldt til {owner}", owner=self.role("school_owner"))
        return self.t(LEVELS[level]) if level in LEVELS else str(level)

    def yesno(self, value: bool | None) -> str:
        return NOTHING if value is None else self.t(yesno(value))

    # --- values --------------------------------------------------------------------------------------

    def when(self, value: datetime | str | None) -> str:
        """``02.09.2026 kl. 10:00`` in the unit's time zone (spec section 9)."""
        if not value:
            return NOTHING
        return f"{texts.instant(value).astimezone(self.zone):%d.%m.%Y kl. %H:%M}"

    def deadline(self, value: datetime | str | None) -> str:
        """A deadline at 00:00 reads as the end of the day before: ``utgangen av 03.09.2026``."""
        return texts.dated_deadline(value, self.zone) if value else NOTHING

    def value(self, path: str, value: Any) -> str:
        """One recorded value as people read it: an instant, yes/no, a value's label, a list of them."""
        if value is None:
            return NOTHING
        if isinstance(value, bool):
            return self.yesno(value)
        if isinstance(value, list):
            return ", ".join(self.value(path, item) for item in value)
        if isinstance(value, str) and is_instant(path):
            return self.deadline(value) if path.endswith("due_at") else self.when(value)
        name = path.rpartition(".")[2]
        return self.labels.values.get(name, {}).get(str(value), str(value))

    def labelled(self, path: str) -> bool:
        """Whether a field's values have labels (a choice, not free text)."""
        return path.rpartition(".")[2] in self.labels.values

    # --- headings and summaries ----------------------------------------------------------------------

    def fill(self, template: str, entry: Mapping[str, Any], number: int | None = None) -> Markup:
        """``template`` with each ``{name}`` filled from the entry, else from its documentation; escaped."""
        context = {"number": number, **entry}
        document = entry.get("document") or {}
        out: list[str] = []
        last = 0
        for match in _SLOT.finditer(template):
            path, count = match.group(1), match.group(2)
            found = lookup(context, path)
            if found is None:
                found = lookup(document, path)
            shown = (str(len(found)) if isinstance(found, list) else "0") if count else self.value(path, found)
            out += [escape(template[last : match.start()]), escape(shown)]
            last = match.end()
        out.append(escape(template[last:]))
        return Markup("".join(out))  # every piece escaped above

    def heading(self, section: SectionWords, entry: Mapping[str, Any], number: int) -> Markup:
        """An entry's heading: its step's own heading, the section's, or the step's label."""
        trigger = str(entry.get("trigger", ""))
        template = section.headings.get(trigger) or section.entry
        return self.fill(template, entry, number) if template else Markup(escape(entry.get("trigger_label", "")))

    def summary(self, entry: Mapping[str, Any]) -> Markup | None:
        template = self.dossier.summaries.get(str(entry.get("trigger", "")))
        return self.fill(template, entry) if template else None


def yesno(value: bool | None) -> str:
    return NOTHING if value is None else ("ja" if value else "nei")
