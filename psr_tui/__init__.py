"""psr-tui: a terminal workbench for a public service reform programme office."""

__version__ = "0.1.0"
