"""Handing papers to the tools a researcher cites from: the Zotero desktop app (through its
local connector) and papis (through its command line). No Textual here: the TUI runs these in
its workers and the CLI calls them directly."""
