"""feedtui: a terminal reader for trending research papers."""

__version__ = "0.1.0"
