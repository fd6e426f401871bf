"""Benchmarks of design.md section 7, each a ratio against a floor measured in the same run."""
