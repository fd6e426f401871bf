"""The dossier of a school case, as Statsforvaltaren reads it (§ 12-6), shared by §§ 12-4 and 12-5."""

from __future__ import annotations

from aktivitetsplikt.engine.core.dossier_layout import DossierLayout, DossierSection

SCHOOL_DOSSIER = DossierLayout(
    sections=(
        DossierSection(key="reports", triggers=("report", "reopen")),
        DossierSection(
            key="notices",
            kind="groups",
            groups={"principal": ("notify_principal",), "school_owner": ("notify_school_owner",)},
        ),
        DossierSection(key="seriousness", triggers=("assess_seriousness",)),
        DossierSection(key="investigations", kind="pairs", triggers=("start_investigation", "conclude_investigation")),
        DossierSection(key="plans", kind="versions", triggers=("adopt_plan", "revise_plan")),
        DossierSection(key="evaluations", triggers=("evaluate",)),
        DossierSection(key="notes", triggers=("add_note",)),
        DossierSection(
            key="enforcement",
            kind="groups",
            groups={"registered": ("register_enforcement",), "responses": ("respond_to_statsforvalter",)},
        ),
    ),
)

SKJERPA_DOSSIER = SCHOOL_DOSSIER.model_copy(update={"case_attributes": ("accused_staff", "accused_is_leadership")})
