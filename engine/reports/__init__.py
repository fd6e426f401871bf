"""Reports over stored cases: the internal audit, the meeting agenda, the dossier, diagrams."""
