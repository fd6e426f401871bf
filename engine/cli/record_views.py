"""How the record's checks read on a terminal: a case's verdict and a checkpoint's findings (Norwegian)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from aktivitetsplikt.engine.core.checkpoint import CheckpointFinding
    from aktivitetsplikt.engine.core.verdict import CaseVerdict

NUMBERING = {"missing": "mangler (et nummer er hoppet over)", "duplicate": "er brukt to ganger"}
CHECKPOINT = {
    "removed": "er borte fra databasen",
    "rewritten": "har en logg som er skrevet om",
    "moved": "har fått nytt nummer, ny enhet, nytt skoleår eller ny åpningstid",
    "backdated": "er lagt til med en åpningstid før sjekkpunktet",
    "number_reused": "har et nummer som en annen sak hadde",
    "signature": "Signaturen stemmer ikke med nøkkelen",
    "root": "Sjekkpunktfilen stemmer ikke med seg selv",
    "format": "Filen er ikke et sjekkpunkt",
}


def print_verdict(verdict: CaseVerdict) -> None:
    chain = verdict.chain
    if chain.intact:
        typer.echo(f"Kjeden er intakt: {chain.events} hendelser er som de ble registrert.")
    else:
        typer.echo(f"Kjeden er brutt ved hendelse {chain.broken_at}: {chain.problem}.", err=True)
    for d in verdict.differences:
        typer.echo(f"Avvik fra loggen: {d.field} er lagret som {d.stored!r}, loggen sier {d.derived!r}.", err=True)
    for n in verdict.numbering:
        typer.echo(f"Saksnummer {n.number} ({n.school}, {n.school_year}) {NUMBERING[n.code]}.", err=True)
    if verdict.unsealed:
        typer.echo(
            f"{verdict.unsealed} hendelser er fra før virkningene ble ført i loggen; "
            "feltene er sjekket så langt loggen viser."
        )
    if verdict.intact:
        typer.echo("Saken stemmer med loggen.")


def print_checkpoint_findings(findings: list[CheckpointFinding], count: int) -> None:
    if not findings:
        typer.echo(f"Ingen av de {count} sakene i sjekkpunktet er skrevet om, fjernet eller tilbakedatert.")
        return
    for f in findings:
        what = CHECKPOINT[f.code]
        if f.case_id is None:
            typer.echo(f"{what}.", err=True)
        else:
            typer.echo(f"Sak {f.number} ({f.case_id}) {what}.", err=True)
