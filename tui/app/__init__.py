"""The TUI: everything Textual, and the only package that imports it."""

from tui.app.app import FeedApp

__all__ = ["FeedApp"]
