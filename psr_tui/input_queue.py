"""Keys in arrival order, each to the widget focused when its turn comes.

How Textual (8.x) moves a key. The driver thread posts every Key and Paste to the App's
message queue. The App takes it from there, runs the priority bindings, then *posts* it to
the focused widget's own queue (`App.on_event` -> `_forward_event`) and goes straight on to
the next message. Each widget runs its handlers in its own task; a key it does not stop
bubbles on by being posted to its parent's queue, and so on up to the App, whose `_on_key`
runs the ordinary bindings (tab, a screen's keys). `Widget.focus()` is itself a callback
posted to the App's queue, and a pushed screen composes, mounts and takes its first focus in
its own task.

So when keys come together (SSH delivers bursts; so does pasting) several are on their way
at once: a key a widget handles in `on_key` overtakes an earlier key still travelling up to
a binding (the scoring grid stored `23452311` for `12345123`), and the keys after a Tab, or
after the key that opens a form, are forwarded before the focus has moved (`R10<Tab>Burst`
put `Burst` into the first field).

The mend, once for every screen and dialog: the App takes one key at a time. A key or paste
is dispatched (exactly as Textual would, to whatever is focused then) only when the App and
every widget of the screen on view have handled what was sent to them before: the previous
key's whole trip, the bindings it ran, the focus it moved, the screen it pushed and that
screen's first focus. Otherwise it waits: in the App's hands while only widgets have
messages left (so whatever comes after it, keys or not, waits behind it in the App's queue),
or in line in `InputQueue` while the App has messages of its own to handle first (a focus
change, a key on its way to a binding, the next screen), and is released when they are.
Keys still to come and pure redraw messages do not count as unhandled. A key that finds
everything handled (the usual case when typing by hand) is dispatched at once, as before.
What a handler does after awaiting something is not waited for (no handler of psr's awaits
while handling a key; the App's own quit does, and keys then wait in the App's queue).

Textual keeps a pump's queue private: this module reads it (`_message_queue.values`,
`_pending_message`, `_next_callbacks`), and tests/app/test_key_bursts.py and
tests/app/test_terminal_bursts.py fail if a Textual upgrade changes what it relies on.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable
from typing import Any

from textual import events, messages
from textual.app import App, ScreenStackError
from textual.message import Message
from textual.message_pump import MessagePump

# A widget that keeps messages waiting longer than this is stuck: the keys after it then go
# on as Textual would send them rather than stall the whole app behind it.
STUCK_SECONDS = 10.0
# While waiting, look again at once many times (a widget empties its queue in a step of the
# event loop), then every few milliseconds (one is awaiting something slow).
QUICK_LOOKS = 200
LOOK_SECONDS = 0.005

# Keys that go on while the queue is held (`hold_until_resumed`): leaving must always work.
LEAVING_KEYS = frozenset({"ctrl+q", "ctrl+c"})

# Messages that only redraw: a key need not wait for them.
_DRAWING = (messages.Update, messages.Layout, messages.UpdateScroll, messages.Prompt)


def _is_new_input(message: Message) -> bool:
    """A key or paste from the terminal (not one on its way through the widgets)."""
    return isinstance(message, events.Key | events.Paste) and not message.is_forwarded


def _counts(message: Message | None) -> bool:
    """Whether a key arriving now must wait for `message` to be handled."""
    return message is not None and not isinstance(message, _DRAWING) and not _is_new_input(message)


def _unhandled(pump: MessagePump) -> bool:
    """True while `pump` has a message queued that a key must wait for, or callbacks due
    after its current message. The pump's loop takes the message after the one it handles
    out of the queue early (to see whether it supersedes the current one): it counts too."""
    if pump._closing or pump._closed:
        return False
    queued: Iterable[Message | None] = pump._message_queue.values
    return (
        bool(pump._next_callbacks)
        or _counts(pump._pending_message)
        or any(_counts(message) for message in queued)
    )


class InputQueue:
    """The App's keys and pastes, dispatched one at a time in the order they arrived."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._waiting: deque[events.Key | events.Paste] = deque()
        # Taken from the line and posted back to the App, which has not taken it yet.
        self._released: events.Event | None = None
        self._releasing: asyncio.Task[None] | None = None
        self._held = False

    def hold_until_resumed(self) -> None:
        """Keep every key and paste in line (but LEAVING_KEYS) until `resume`: typed before
        what they act on is there (the file read in the background), they apply after."""
        self._held = True

    def resume(self) -> None:
        """Let the keys kept meanwhile go, in the order they came."""
        self._held = False
        if self._waiting and self._releasing is None:
            self._releasing = asyncio.create_task(self._release_in_turn(), name="input queue")

    async def hold(self, event: events.Event) -> bool:
        """Called by the App for every event it takes from its queue: True if `event` is a
        key or paste that must wait for its turn (it is then kept here), False to dispatch
        it now: it is first in line and everything sent before it has been handled.

        While only widgets of the screen have messages to handle, the key waits here, in
        the App's hands (what comes after it waits in the App's queue). What is queued for
        the App itself (a focus change, a key on its way to a binding, the next screen) can
        only be handled once the App lets go: the key then waits in line outside.
        """
        if not _is_new_input(event):
            return False
        assert isinstance(event, events.Key | events.Paste)
        released = event is self._released
        if released:
            self._released = None
        elif self._held:
            if isinstance(event, events.Key) and event.key in LEAVING_KEYS:
                return False
            self._waiting.append(event)
            return True
        elif self._waiting or self._released is not None:
            # Behind the ones in line, and behind the one let go but not yet taken: it was
            # posted back to the App after this key, which would otherwise overtake it.
            self._waiting.append(event)
            return True
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STUCK_SECONDS
        looks = 0
        while (busy := self._unhandled_anywhere()) is not None and loop.time() < deadline:
            if busy is self._app:
                # First in line again when its turn comes (a released key at the front).
                if released:
                    self._waiting.appendleft(event)
                else:
                    self._waiting.append(event)
                if self._releasing is None:
                    self._releasing = asyncio.create_task(
                        self._release_in_turn(), name="input queue"
                    )
                return True
            looks += 1
            await asyncio.sleep(0 if looks < QUICK_LOOKS else LOOK_SECONDS)
        return False

    async def wait_until_handled(self) -> None:
        """Wait until every key that has arrived has been dispatched and handled."""
        while (
            self._waiting
            or self._released is not None
            or self._unhandled_anywhere()
            or any(map(_is_new_input, self._app._message_queue.values))
        ):
            await self._settle()
            await asyncio.sleep(0)  # let the released key's task take its turn

    def stop(self) -> None:
        """Drop what waits (the App is closing)."""
        self._waiting.clear()
        if self._releasing is not None:
            self._releasing.cancel()
            self._releasing = None

    # --- inside ------------------------------------------------------------------------

    def _unhandled_anywhere(self) -> MessagePump | None:
        """The App or a node of the screen on view with messages a key must wait for."""
        app = self._app
        if _unhandled(app):
            return app
        try:
            screen = app.screen
        except ScreenStackError:  # between screens: the next one is on its way
            return app
        return next(
            (node for node in screen.walk_children(with_self=True) if _unhandled(node)), None
        )

    async def _settle(self) -> None:
        """Wait until the App has taken the key released to it and nothing on view has
        messages a key must wait for (or something is stuck)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STUCK_SECONDS
        looks = 0
        busy: MessagePump | None = None
        while loop.time() < deadline:
            # Looking again at the pump last found busy is cheap; the whole screen less so.
            if self._released is None and (busy is None or not _unhandled(busy)):
                busy = self._unhandled_anywhere()
                if busy is None:
                    return
            looks += 1
            await asyncio.sleep(0 if looks < QUICK_LOOKS else LOOK_SECONDS)

    async def _release_in_turn(self) -> None:
        try:
            while self._waiting and not self._held:
                await self._settle()
                # The App checks again as it takes the key (see `hold`): whatever was posted
                # to it meanwhile, such as a focus change, is handled first.
                event = self._waiting.popleft()
                self._released = event
                if not self._app.post_message(event):
                    self._waiting.clear()
                    self._released = None
                    return
                await self._settle()
        finally:
            self._releasing = None
