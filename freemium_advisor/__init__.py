"""freemium-advisor: which features to give away, which to limit, which to gate, and why."""

__version__ = "0.1.0"
