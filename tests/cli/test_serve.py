"""`psr serve`: the workbench in a browser, for whoever holds the address it printed.

A real `psr serve` process and a real HTTP/websocket client (aiohttp), speaking the
textual-serve protocol as textual.js does.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import PSR, run_psr
from tests.helpers.planted import plant_package

# Bounds for a failing test (a server that never answers); not performance assertions.
STARTUP_LIMIT_SECONDS = 60
OUTPUT_LIMIT_SECONDS = 90


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    port: int

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _start(db: Path, *extra: str, cwd: Path | None = None) -> tuple[subprocess.Popen[str], int]:
    port = _free_port()
    process = subprocess.Popen(
        [str(PSR), "serve", "--db", str(db), "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
    )
    return process, port


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def _serving(db: Path, cwd: Path | None = None) -> Iterator[Served]:
    process, port = _start(db, cwd=cwd)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # printed before the server starts listening
        found = re.search(r"at (http://\S+/) ", line)
        # Not stderr in the message: reading it waits for a server that still runs.
        assert found, line
        yield Served(process, found.group(1), port)
    finally:
        _stop(process)


@pytest.fixture
def served(demo_path: Path) -> Iterator[Served]:
    with _serving(demo_path) as served:
        yield served


async def _get(url: str, **headers: str) -> tuple[int, str]:
    """GET `url` once the server listens; (status, body)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STARTUP_LIMIT_SECONDS
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(url, headers=headers, allow_redirects=False) as reply:
                    return reply.status, await reply.text()
            except aiohttp.ClientConnectionError:
                if loop.time() > deadline:
                    raise
                await asyncio.sleep(0.2)


@contextlib.asynccontextmanager
async def _app_shown(
    socket_url: str, origin: str
) -> AsyncIterator[aiohttp.ClientWebSocketResponse]:
    """A websocket to the served app, once the app's first screen has come back on it."""
    output = b""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(socket_url + "?width=100&height=30", origin=origin) as ws,
    ):
        # textual.js sends its size and focus; the app's frames come back as binary messages.
        await ws.send_json(["resize", {"width": 100, "height": 30}])
        await ws.send_json(["focus"])
        async with asyncio.timeout(OUTPUT_LIMIT_SECONDS):
            while b"Chorley Public Service Reform Partnership" not in output:
                message = await ws.receive()
                assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT)
                if message.type == aiohttp.WSMsgType.BINARY:
                    output += message.data
        yield ws


async def _ws_status(url: str, origin: str | None) -> int:
    """The HTTP status a websocket handshake to `url` gets (101 when it opens)."""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, origin=origin):
                return 101
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status


async def test_the_printed_address_loads_and_its_websocket_shows_the_app(served: Served) -> None:
    assert re.fullmatch(rf"http://127\.0\.0\.1:{served.port}/[A-Za-z0-9_-]{{40,}}/", served.url)
    status, page = await _get(served.url)
    assert status == 200
    socket_url = re.search(r'data-session-websocket-url="([^"]+)"', page)
    assert socket_url and socket_url.group(1).startswith(f"ws://127.0.0.1:{served.port}/")
    script = re.search(r'<script src="([^"]+textual\.js)"', page)
    assert script and (await _get(script.group(1)))[0] == 200

    async with _app_shown(socket_url.group(1), served.origin) as ws:
        await ws.send_json(["ping", "x"])  # the protocol's keep-alive answers "pong"
        async with asyncio.timeout(OUTPUT_LIMIT_SECONDS):
            while True:
                message = await ws.receive()
                if message.type == aiohttp.WSMsgType.TEXT and message.json() == ["pong", "x"]:
                    break


async def test_the_app_served_is_never_a_psr_tui_folder_where_serve_was_started(
    demo_path: Path, tmp_path: Path
) -> None:
    # Started in a shared /tmp holding someone's `psr_tui` package: each browser session's
    # app is the installed psr, not that package running as the officer.
    planted, ran = tmp_path / "shared", tmp_path / "ran"
    plant_package(planted, ran)
    with _serving(demo_path, cwd=planted) as served:
        status, page = await _get(served.url)
        socket_url = re.search(r'data-session-websocket-url="([^"]+)"', page)
        assert status == 200 and socket_url
        async with _app_shown(socket_url.group(1), served.origin):
            pass
    assert not ran.exists()


async def test_requests_without_the_token_or_from_another_site_are_refused(
    served: Served,
) -> None:
    base = served.origin
    token = served.url.rstrip("/").rsplit("/", 1)[1]
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    for url in (
        f"{base}/",
        f"{base}/static/js/textual.js",
        f"{base}/ws",
        f"{base}/download/x",
        f"{base}/{wrong}/",
        f"{base}/{wrong}/static/js/textual.js",
        f"{base}/{token[:8]}/",
        f"{base}/x/{token}/",
        f"{base}/?token={token}",
    ):
        status, body = await _get(url)
        assert (status, body.strip()) == (
            403,
            "psr serve: forbidden. Open the address psr serve printed, token included.",
        ), url

    socket_url = f"ws://127.0.0.1:{served.port}/{token}/ws?width=80&height=24"
    assert await _ws_status(f"ws://127.0.0.1:{served.port}/ws?width=80", served.origin) == 403
    assert await _ws_status(socket_url.replace(token, wrong), served.origin) == 403
    # A page on another site, in the officer's own browser, holding the address.
    assert await _ws_status(socket_url, "http://evil.example") == 403
    assert await _ws_status(socket_url, f"http://127.0.0.1:{served.port + 1}") == 403
    status, body = await _get(served.url, Origin="http://evil.example")
    assert status == 403 and "another site" in body
    # The same server under its other loopback name is not another site.
    assert await _ws_status(socket_url, f"http://localhost:{served.port}") == 101


async def test_a_host_other_than_loopback_is_warned_about(demo_path: Path) -> None:
    process, port = _start(demo_path, "--host", "0.0.0.0", "--public-url", "http://psr.test:1")
    try:
        assert process.stdout is not None and process.stderr is not None
        assert "warning: listening on 0.0.0.0" in process.stderr.readline()
        found = re.search(r"http://psr\.test:1/([^/]+)/", process.stdout.readline())
        assert found
        page = f"http://127.0.0.1:{port}/{found.group(1)}/"
        # Only pages from the public address may connect.
        assert (await _get(page, Origin=f"http://127.0.0.1:{port}"))[0] == 403
        assert (await _get(page, Origin="http://psr.test:1"))[0] == 200
    finally:
        _stop(process)


def test_help_says_what_it_protects_and_what_not() -> None:
    result = run_psr("serve", "--help")
    text = " ".join(result.stdout.split())
    assert "default 127.0.0.1" in text
    for claim in (
        "keeps out the other users of this server and the web pages open in your browser",
        "does not keep out anyone who sees the address",
        "plain HTTP unless a TLS proxy is in front",
        "the audit records you",
    ):
        assert claim in text


def test_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    result = run_psr("serve", "--db", tmp_path / "none.json", "--port", "1")
    assert result.returncode == 1
    assert "no database at" in result.stderr
    assert "Traceback" not in result.stderr
