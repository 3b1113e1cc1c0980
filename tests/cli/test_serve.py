"""`psr serve`: the workbench over HTTP on localhost."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import PSR, run_psr

STARTUP_LIMIT_SECONDS = 30  # bounds a failing test; not a performance assertion


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_with_the_app_page_then_stops(demo_path: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [str(PSR), "serve", "--db", str(demo_path), "--port", str(port), "--host", "127.0.0.1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = ""
        deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as reply:
                    page = reply.read().decode()
                    break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        assert server.poll() is None, server.stderr.read() if server.stderr else ""
        assert "psr" in page and "textual" in page.lower()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    result = run_psr("serve", "--db", tmp_path / "none.json", "--port", "1")
    assert result.returncode == 1
    assert "no database at" in result.stderr
    assert "Traceback" not in result.stderr
