"""The ground every layer stands on: errors with positions, limits, files read and written, YAML with positions and strict validation, word matching."""
