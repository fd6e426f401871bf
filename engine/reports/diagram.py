"""Workflow diagrams generated from the definitions: Mermaid and a Markdown table of the steps for the
README, rows for a table."""

from __future__ import annotations

from aktivitetsplikt.engine.core.spec import NEW_STATE, WorkflowSpec


def mermaid(spec: WorkflowSpec) -> str:
    """A Mermaid ``stateDiagram-v2`` of the workflow's state changes (steps that keep the state are
    listed in the table form)."""
    lines = ["stateDiagram-v2"]
    for state in spec.states:
        lines.append(f"    {state.id}: {state.id} ({state.label})")
    seen: set[tuple[str, str, str]] = set()
    for transition in spec.transitions:
        for source in spec.source_states(transition):
            for outcome in transition.outcomes:
                if outcome.dest is None:
                    continue
                start = "[*]" if source == NEW_STATE else source
                edge = (start, outcome.dest, transition.trigger)
                if edge in seen:
                    continue
                seen.add(edge)
                condition = ", ".join(f"{k}={v}" for k, v in outcome.when.items() if not k.startswith("case."))
                label = f"{transition.trigger} [{condition}]" if condition else transition.trigger
                lines.append(f"    {start} --> {outcome.dest}: {label}")
    for state in spec.states:
        if state.final:
            lines.append(f"    {state.id} --> [*]")
    return "\n".join(lines) + "\n"


def rows(spec: WorkflowSpec) -> list[dict[str, str]]:
    """One row per trigger: where it may fire, where it leads, who may fire it, what it demands."""
    table: list[dict[str, str]] = []
    for transition in spec.transitions:
        sources = "(ny)" if transition.creates_case else ", ".join(spec.source_states(transition))
        dests = sorted({o.dest or "(samme)" for o in transition.outcomes})
        duties = sorted({c.kind for o in transition.outcomes for c in o.create})
        met = sorted({k for o in transition.outcomes for k in o.satisfy})
        met += sorted({f"{kind} ({path})" for o in transition.outcomes for kind, path in o.satisfy_key.items()})
        kept = {
            ", ".join(o.satisfy_all_open_except) for o in transition.outcomes if o.satisfy_all_open_except is not None
        }
        met += [f"alle åpne unntatt {k}" if k else "alle åpne" for k in sorted(kept)]
        table.append(
            {
                "trigger": transition.trigger,
                "label": transition.label,
                "from": sources,
                "to": ", ".join(dests),
                "roles": ", ".join(transition.roles),
                "document": transition.document,
                "creates": ", ".join(duties),
                "satisfies": ", ".join(met),
            }
        )
    return table


def markdown(spec: WorkflowSpec) -> str:
    """Every step as a Markdown table (the README's, next to the diagram): where it may fire, where it
    leads, who may fire it, the duties it creates and those it meets."""
    columns = ("trigger", "from", "to", "roles", "creates", "satisfies")
    lines = [
        "| " + " | ".join(columns) + " |",
        "| " + " | ".join("---" for _ in columns) + " |",
    ]
    for row in rows(spec):
        lines.append("| " + " | ".join(f"`{row['trigger']}`" if c == "trigger" else row[c] for c in columns) + " |")
    return "\n".join(lines) + "\n"
