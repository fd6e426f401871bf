"""The Norwegian words of the kindergarten workflows (barnehageloven §§ 42 and 43), in bokmål (``NB_*``)
and nynorsk (``NN_*``).

The kindergarten is led by its director (styrer/styrar) and owned by its owner (barnehageeier/
barnehageeigar); the case is about the child (barnet); deadlines run in working days (arbeidsdager/
arbeidsdagar). The specs in ``_barnehage.py`` take their bokmål labels from here.
"""

from __future__ import annotations

from collections.abc import Mapping

from aktivitetsplikt.engine.core.pack import Labels, Language
from aktivitetsplikt.workflows import _labels as school

# The school's words serve where the law uses the same ones; each kindergarten word is written here once.
_HEAD = {"principal_notified": "director_notified", "notify_principal": "notify_director"}
_OWNER = {"notify_school_owner": "notify_owner"}
_ENFORCEMENT = ("register_enforcement", "respond_to_statsforvalter")


def _adapted(school: Mapping[str, str], own: Mapping[str, str]) -> dict[str, str]:
    """The school's words with the kindergarten's ids and words: renamed ids keep their place, the steps
    of Statsforvaltaren are left out, and ``own`` gives every word that differs."""
    renamed = {**_HEAD, **_OWNER}
    words = {renamed.get(key, key): word for key, word in school.items() if key not in _ENFORCEMENT}
    unknown = set(own) - set(words)
    if unknown:
        msg = f"No school word to adapt for {', '.join(sorted(unknown))}."
        raise KeyError(msg)
    return words | dict(own)


NB_STATES = _adapted(school.NB_STATES, {"director_notified": "Styrer varslet"})
NN_STATES = _adapted(school.NN_STATES, {"director_notified": "Styrar varsla"})
NB_STEPS = _adapted(
    school.NB_STEPS,
    {
        "notify_director": "Varsle styrer",
        "notify_owner": "Varsle barnehageeier",
        "adopt_plan": "Vedta skriftlig plan",
        "revise_plan": "Revidere planen",
    },
)
NN_STEPS = _adapted(
    school.NN_STEPS,
    {
        "notify_director": "Varsle styrar",
        "notify_owner": "Varsle barnehageeigar",
        "adopt_plan": "Vedta skriftleg plan",
        "revise_plan": "Revidere planen",
    },
)
NB_DUTIES = _adapted(
    school.NB_DUTIES,
    {"notify_director": "Varsle styrer", "notify_owner": "Varsle barnehageeier", "adopt_plan": "Vedta skriftlig plan"},
)
NN_DUTIES = _adapted(
    school.NN_DUTIES,
    {"notify_director": "Varsle styrar", "notify_owner": "Varsle barnehageeigar", "adopt_plan": "Vedta skriftleg plan"},
)
# The role ids are the engine's: ``principal`` is the head of the unit, ``school_owner`` its owner.
NB_ROLES = school.NB_ROLES | {"principal": "styrer", "deputy": "styrers stedfortreder", "school_owner": "barnehageeier"}
NN_ROLES = school.NN_ROLES | {
    "principal": "styrar",
    "deputy": "stedfortredar for styrar",
    "school_owner": "barnehageeigar",
}
NB_VALUES = {
    "source": {
        "staff_observation": school.NB_VALUES["source"]["staff_observation"],
        "child": "barnet selv",
        "parents": "foreldrene",
        "other": school.NB_VALUES["source"]["other"],
    },
    "kinds": school.NB_VALUES["kinds"],
    "how": {"conversation": "samtale med barnet", "observation": "observasjon av barnet"},
    "conclusion": {"measures_needed": "tiltak er nødvendig", "safe": "barnet har et trygt og godt barnehagemiljø"},
    "decision": school.NB_VALUES["decision"],
}
NN_VALUES = {
    "source": {
        "staff_observation": school.NN_VALUES["source"]["staff_observation"],
        "child": "barnet sjølv",
        "parents": "foreldra",
        "other": school.NN_VALUES["source"]["other"],
    },
    "kinds": school.NN_VALUES["kinds"],
    "how": {"conversation": "samtale med barnet", "observation": "observasjon av barnet"},
    "conclusion": {"measures_needed": "tiltak er naudsynte", "safe": "barnet har eit trygt og godt barnehagemiljø"},
    "decision": school.NN_VALUES["decision"],
}


_SCHOOL_ONLY_FIELDS = (
    "pupils_involved",
    "pupil_heard",
    "pupil_heard.at",
    "views",
    "pupil_participation",
    "guardians_informed_at",
    "received_at",
    "reference",
    "response_due_at",
    "sent_at",
)


def _fields(school_fields: Mapping[str, str], own: Mapping[str, str]) -> dict[str, str]:
    """The school's field labels without the pupil's and Statsforvaltaren's, with the kindergarten's own."""
    return {key: word for key, word in school_fields.items() if key not in _SCHOOL_ONLY_FIELDS} | dict(own)


NB_FIELDS = _fields(
    school.NB_FIELDS,
    {
        "children_involved": "Andre barn involvert",
        "accused_is_leadership": "I barnehagens ledelse",
        "child_heard": "Barnet hørt",
        "child_heard.at": "Hørt",
        "how": "Hvordan barnet ble hørt",
        "expression": "Barnets uttrykk",
        "feels_safe": "Trygt",
        "child_participation": "Barnets medvirkning",
        "parents_informed_at": "Foreldrene informert",
    },
)
NN_FIELDS = _fields(
    school.NN_FIELDS,
    {
        "children_involved": "Andre born involverte",
        "accused_is_leadership": "I leiinga i barnehagen",
        "child_heard": "Barnet høyrt",
        "child_heard.at": "Høyrt",
        "how": "Korleis barnet vart høyrt",
        "expression": "Uttrykket til barnet",
        "feels_safe": "Trygt",
        "child_participation": "Medverknaden til barnet",
        "parents_informed_at": "Foreldra informerte",
    },
)


def kindergarten_labels(workflow: Mapping[Language, str], legal_basis: str, section: str) -> dict[Language, Labels]:
    """The labels of a kindergarten workflow in both languages; only its name and legal basis differ."""
    return {
        "nb": Labels(
            workflow=workflow["nb"],
            legal_basis=legal_basis,
            section=section,
            states=NB_STATES,
            steps=NB_STEPS,
            duties=NB_DUTIES,
            roles=NB_ROLES,
            values=NB_VALUES,
            fields=NB_FIELDS,
            unit="barnehage",
            pupil="barnet",
            day=("arbeidsdag", "arbeidsdager"),
        ),
        "nn": Labels(
            workflow=workflow["nn"],
            legal_basis=legal_basis,
            section=section,
            states=NN_STATES,
            steps=NN_STEPS,
            duties=NN_DUTIES,
            roles=NN_ROLES,
            values=NN_VALUES,
            fields=NN_FIELDS,
            unit="barnehage",
            pupil="barnet",
            day=("arbeidsdag", "arbeidsdagar"),
        ),
    }
