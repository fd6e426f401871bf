"""The pure core: the model, workflow definitions, machines, decisions and rules. No I/O."""
