"""The command palette: app-wide commands, and every key of the current screen as a command.

App-wide commands (sections, exports, rounds, themes) come from `PsrApp.get_system_commands`
through `LiteralSystemCommands`; `ScreenKeysProvider` adds the keys of the screen the palette
was opened on, so anything a key does can also be found by name.

Titles name user records (a round's name): Textual's providers read titles and help as
markup, where `a [/] b` raised inside the search (dropping every hit) and `[@click=...]`
became a live action. Here every entry is drawn as literal text, its help included.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.fuzzy import Matcher
from textual.screen import Screen
from textual.system_commands import SystemCommandsProvider

from psr_tui.widgets.text import literal

# As the palette draws help text given as `help=` (which it would read as markup).
HELP_STYLE = "dim not bold"


def entry(title: Content, help_text: str) -> Content:
    """A palette entry: its title, then its help on the line below, both literal."""
    return Content("\n").join([title, literal(help_text, HELP_STYLE)]) if help_text else title


def highlighted(matcher: Matcher, title: str) -> Content:
    """`title` as literal text, with the characters the query matched highlighted."""
    content = literal(title)
    score, offsets = matcher.fuzzy_search.match(matcher.query, title)
    for offset in offsets if score else ():
        if not title[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class LiteralSystemCommands(SystemCommandsProvider):
    """The app's system commands, drawn as literal text."""

    async def discover(self) -> Hits:
        commands = sorted(self.app.get_system_commands(self.screen), key=lambda c: c.title)
        for command in commands:
            if command.discover:
                yield DiscoveryHit(
                    entry(literal(command.title), command.help),
                    command.callback,
                    text=command.title,
                )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.app.get_system_commands(self.screen):
            if (score := matcher.match(command.title)) > 0:
                yield Hit(
                    score,
                    entry(highlighted(matcher, command.title), command.help),
                    command.callback,
                    text=command.title,
                )


@dataclass(frozen=True)
class KeyHelp:
    """One action and every key bound to it."""

    keys: str
    description: str
    tooltip: str
    action: str
    node: DOMNode
    everywhere: bool


def screen_keys(screen: Screen[object]) -> list[KeyHelp]:
    """The described bindings active on `screen`, one per meaning (node, description and
    tooltip: the digits that each set a level are one "1-9 Score"), screen's own first. A
    binding's `key_display` names every key of its meaning."""
    app = screen.app
    found: dict[tuple[int, str, str], KeyHelp] = {}
    named: set[tuple[int, str, str]] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.system or not binding.description:
            continue
        display = binding.key_display or app.get_key_display(binding)
        tooltip = binding.tooltip or active.tooltip or ""
        key = (id(active.node), binding.description, tooltip)
        known = found.get(key)
        if known is not None and key not in named:
            keys = display if binding.key_display else f"{known.keys} {display}"
            found[key] = KeyHelp(
                keys, known.description, known.tooltip, known.action, known.node, known.everywhere
            )
        elif known is None:
            found[key] = KeyHelp(
                display,
                binding.description,
                tooltip,
                binding.action,
                active.node,
                isinstance(active.node, App),
            )
        if binding.key_display:
            named.add(key)
    # The screen's own keys first, then the focused widget's (cursor keys), then the app's.
    return sorted(found.values(), key=lambda k: (k.everywhere, k.node is not screen))


class ScreenKeysProvider(Provider):
    """Offers the keys of the current screen (not the app-wide ones) as commands."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Awaitable[bool]]]]:
        return [
            (
                f"{k.description} ({k.keys})",
                k.tooltip or k.description,
                partial(self.app.run_action, k.action, k.node),
            )
            for k in screen_keys(self.screen)
            # App keys are system commands already; a widget's plain cursor keys are noise.
            if not k.everywhere and (k.node is self.screen or k.tooltip)
        ]

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(entry(literal(title), help_text), callback, text=title)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            if (score := matcher.match(title)) > 0:
                yield Hit(
                    score, entry(highlighted(matcher, title), help_text), callback, text=title
                )
