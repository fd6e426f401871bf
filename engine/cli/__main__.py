"""``python -m aktivitetsplikt.engine.cli``."""

from aktivitetsplikt.engine.cli import main

main()
