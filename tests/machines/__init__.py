"""Test-only workflow packs with ids of their own (in the style of python-statemachine's
``tests/machines/``): they prove the engine runs any pack, not just the law it ships with."""
