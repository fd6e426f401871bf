"""The application layer: ports, the Engine service, the dispatcher, the default directory."""
