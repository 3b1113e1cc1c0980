"""The only URL fetcher WeasyPrint gets: our own bundled assets and `data:` URLs, nothing else.

WeasyPrint's default fetcher opens any URL a document names, so a description reaching the
HTML as `<link rel="attachment" href="file:///etc/passwd">` would embed that file in the
PDF. User text is escaped by the templates; this fetcher is the second wall behind that.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSETS_DIR = Path(__file__).resolve().parent
ALLOWED_SUFFIXES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}


class RefusedURLError(ValueError):
    """A document asked for something outside the package's own assets."""


class PackageAssetFetcher(URLFetcher):
    """Serves files under psr_tui/exports (by suffix) and `data:`; refuses everything else.

    Refusals are fatal to the render (`fail_on_errors`): a refused fetch means hostile
    markup got into a document, and the export must stop rather than quietly continue.
    """

    def __init__(self) -> None:
        super().__init__(
            allowed_protocols={"data", "file"}, allow_redirects=False, fail_on_errors=True
        )

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file" and parts.netloc in ("", "localhost"):
            path = _asset_path(parts.path)
            if path is not None:
                return URLFetcherResponse(
                    path.as_uri(),
                    path.read_bytes(),
                    headers={"Content-Type": ALLOWED_SUFFIXES[path.suffix.lower()]},
                )
        raise RefusedURLError(f"refused to fetch {url[:120]!r}: only bundled report assets")


def _asset_path(url_path: str) -> Path | None:
    """The bundled file a file: URL names, or None when it is outside the package."""
    # resolve() follows symlinks and "..", so the containment check sees the real file.
    path = Path(url2pathname(url_path)).resolve()
    if not path.is_relative_to(ASSETS_DIR) or path.suffix.lower() not in ALLOWED_SUFFIXES:
        return None
    return path if path.is_file() else None
