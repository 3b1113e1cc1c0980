"""`psr serve`: the workbench in a browser, only for whoever holds this run's secret.

Each browser session runs `psr` as the user who started the server, so a session is that
user's whole access to the data. textual-serve's `Server` has no credential of its own: here
its application is mounted under a random secret path (`/<token>/`, in the address printed
at start, as notebook servers do), and every request outside it is refused, as is any request
whose `Origin` is not the served address (a web page in the officer's browser cannot drive
it). The path rather than a cookie carries the secret: browsers send localhost cookies to
every port, that is to any other local user's server.

textual.js fetches downloads from `/download/KEY` at the root, outside the token: psr never
hands files to the browser (exports are written on the server), so that stays refused.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

NO_TOKEN = "psr serve: forbidden. Open the address psr serve printed, token included.\n"
FOREIGN_ORIGIN = "psr serve: forbidden. Requests from another site's page are refused.\n"

_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


def is_loopback(host: str) -> bool:
    """True if `host` names this machine only (127.0.0.0/8, ::1 or localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_public_url(host: str, port: int) -> str:
    """The address a browser uses for a server listening on `host`:`port`."""
    if host in ("", "0.0.0.0", "::"):
        host = socket.getfqdn()
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def origin_of(url: str) -> str:
    """scheme://host[:port] of `url`, as a browser sends it in `Origin` (lower case)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_origins(public_url: str) -> frozenset[str]:
    """The served origin; for a loopback address also its other loopback names."""
    origin = origin_of(public_url)
    parts = urlsplit(public_url)
    if parts.hostname is None or not is_loopback(parts.hostname):
        return frozenset({origin})
    port = f":{parts.port}" if parts.port else ""
    return frozenset({origin} | {f"{parts.scheme}://{name}{port}" for name in _LOOPBACK_NAMES})


class GuardedServer(Server):
    """textual-serve's Server behind a per-run secret and an Origin check."""

    def __init__(self, command: str, *, host: str, port: int, public_url: str) -> None:
        super().__init__(command, host=host, port=port, title="psr", public_url=public_url)
        self.token = secrets.token_urlsafe(32)
        self.origins = allowed_origins(public_url)

    @property
    def url(self) -> str:
        """The address to open: the only one that answers."""
        return f"{self.public_url.rstrip('/')}/{self.token}/"

    async def _make_app(self) -> web.Application:
        @web.middleware
        async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
            return await self._guard(request, handler)

        app = web.Application(middlewares=[guard])
        app.add_subapp(f"/{self.token}", await super()._make_app())
        app.on_response_prepare.append(_private_headers)
        return app

    def holds_token(self, request: web.Request) -> bool:
        path = request.raw_path.split("?", 1)[0]
        first = path[1:].split("/", 1)[0] if path.startswith("/") else ""
        return hmac.compare_digest(first.encode(), self.token.encode())

    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not self.holds_token(request):
            return web.Response(status=403, text=NO_TOKEN)
        origin = request.headers.get("Origin")
        # Browsers send Origin with every websocket and cross-site request; a client that
        # sends none is not a web page, and still needed the token to get here.
        if origin is not None and origin.lower() not in self.origins:
            return web.Response(status=403, text=FOREIGN_ORIGIN)
        return await handler(request)

    async def on_startup(self, app: web.Application) -> None:
        """Quiet: `psr serve` prints the address, token included."""


async def _private_headers(request: web.Request, response: web.StreamResponse) -> None:
    # The token is in every address of the page: never send it on in a Referer, and let no
    # other site frame the page.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
    response.headers["Cache-Control"] = "no-store"
