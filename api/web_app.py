"""The built web app (`web/dist`), served by the API process on the API's own port.

Hashed assets are cached for good and sent pre-compressed when the browser takes gzip;
any other path outside `/api` answers the app's `index.html`, whose router draws the page
(history-style routes: `/b/<slug>`, `/manage/<id>`, `/reset-password`, `/app/...`).
"""

import mimetypes
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response

from apptremind.errors import NotFound

IMMUTABLE = "public, max-age=31536000, immutable"
# Paths the app never draws: they stay the API's (404 problem+json when unknown).
RESERVED_PREFIXES = ("api/", "docs", "redoc", "openapi.json", "healthz", "readyz")


def install_web_app(app: FastAPI, dist: Path) -> None:
    index = dist / "index.html"

    @app.get("/{path:path}", include_in_schema=False)
    async def web_app(path: str, request: Request) -> Response:
        if path.startswith(RESERVED_PREFIXES) or not index.is_file():
            raise NotFound("No such resource")
        if path.startswith("assets/"):
            return _asset(dist, path, request.headers.get("accept-encoding", ""))
        return FileResponse(index, headers={"Cache-Control": "no-cache"})


def _asset(dist: Path, path: str, accept_encoding: str) -> Response:
    file = (dist / path).resolve()
    if not file.is_relative_to(dist.resolve()) or not file.is_file():
        raise NotFound("No such asset")
    media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding"}
    compressed = file.with_name(file.name + ".gz")
    if "gzip" in accept_encoding and compressed.is_file():
        headers["Content-Encoding"] = "gzip"
        return FileResponse(compressed, media_type=media_type, headers=headers)
    return FileResponse(file, media_type=media_type, headers=headers)
