"""Files feedtui ships that are not code: the bundled sample feed and the example config.

This folder is installed as the ``tui.assets`` package (see pyproject.toml), so
``importlib.resources.files("tui.assets")`` finds it from a source checkout and an installed wheel.
"""
