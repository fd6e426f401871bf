"""aktivitetsplikt package."""
