"""The built web app (`web/dist`), served by the API process on the API's own port.

Hashed assets are cached for good and sent pre-compressed when the browser takes gzip. A
GET that no route answers, outside the API's own paths, answers the app's `index.html`, whose
router draws the page (history-style routes: `/b/<slug>`, `/manage/<id>`, `/reset-password`,
`/app/...`). Being the not-found fallback rather than a catch-all route, it never shadows a
route, whenever that route is added.
"""

import mimetypes
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response

from api.errors import http_error
from apptremind.errors import NotFound

IMMUTABLE = "public, max-age=31536000, immutable"
# Paths the app never draws: they stay the API's (404 problem+json when unknown).
RESERVED_PREFIXES = ("/api/", "/assets/", "/docs", "/redoc", "/openapi.json", "/healthz", "/readyz")


def install_web_app(app: FastAPI, dist: Path) -> None:
    index = dist / "index.html"

    @app.get("/assets/{path:path}", include_in_schema=False)
    async def asset(path: str, request: Request) -> Response:
        return _asset(dist, path, request.headers.get("accept-encoding", ""))

    async def page_or_not_found(request: Request, exc: Exception) -> Response:
        path = request.url.path
        if (
            request.method in ("GET", "HEAD")
            and not path.startswith(RESERVED_PREFIXES)
            and index.is_file()
        ):
            return FileResponse(index, headers={"Cache-Control": "no-cache"})
        return await http_error(request, exc)

    app.add_exception_handler(404, page_or_not_found)


def _asset(dist: Path, path: str, accept_encoding: str) -> Response:
    assets = (dist / "assets").resolve()
    file = (assets / path).resolve()
    if not file.is_relative_to(assets) or not file.is_file():
        raise NotFound("No such asset")
    media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding"}
    compressed = file.with_name(file.name + ".gz")
    if "gzip" in accept_encoding and compressed.is_file():
        headers["Content-Encoding"] = "gzip"
        return FileResponse(compressed, media_type=media_type, headers=headers)
    return FileResponse(file, media_type=media_type, headers=headers)
