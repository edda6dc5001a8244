"""Every action in the command palette (ctrl+p), named as in the help screen."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.app.keys import KEYS, KeySpec, effective_keys


class FeedCommands(Provider):
    """Offers each entry of the key table; choosing one runs the same action as its key."""

    async def _run(self, spec: KeySpec) -> None:
        from tui.app.screens.main import MainScreen
        from tui.app.screens.reader import ReaderScreen

        screen = self.screen
        if isinstance(screen, ReaderScreen):
            if spec.target == "reader":
                await screen.run_action(spec.action)
            return
        if not isinstance(screen, MainScreen) or spec.target == "reader":
            return
        widget = {"list": screen.paper_list, "preview": screen.preview}.get(spec.target, screen)
        await widget.run_action(spec.action)

    def _offered(self, spec: KeySpec) -> bool:
        """The reader's entries in the reader, the others elsewhere: each does nothing on the
        other screen, so the palette does not list it there."""
        from tui.app.screens.reader import ReaderScreen

        return (spec.target == "reader") == isinstance(self.screen, ReaderScreen)

    def _help(self, spec: KeySpec) -> str:
        keymap = getattr(self.app, "keymap", {})
        return f"key: {effective_keys(spec, keymap)}"

    async def discover(self) -> Hits:
        for spec in filter(self._offered, KEYS):
            yield DiscoveryHit(spec.description, partial(self._run, spec), help=self._help(spec))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for spec in filter(self._offered, KEYS):
            score = matcher.match(spec.description)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(spec.description),
                    partial(self._run, spec),
                    text=spec.description,
                    help=self._help(spec),
                )
