"""Configuration: config.toml with AKTIVITETSPLIKT_* environment overrides."""
