"""The API process serves the built web app: history routes fall back to the app, hashed
assets go out pre-compressed and cached for good, and the API's own paths stay the API's."""

import gzip
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app

INDEX = "<!doctype html><html lang='en'><div id='root'></div></html>"
SCRIPT = "console.log('booking page');" * 50


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX)
    (tmp_path / "assets" / "index-abc123.js").write_text(SCRIPT)
    (tmp_path / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(SCRIPT.encode()))
    (tmp_path.parent / "secret.txt").write_text("not for the web")
    return tmp_path


async def serving(settings, dist: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={"web_dist_dir": dist}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    await app.state.engine.dispose()


@pytest.fixture
async def web(settings, engine, dist: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for http in serving(settings, dist):
        yield http


@pytest.mark.parametrize(
    "path", ["/", "/b/salon-ada", "/manage/8d3c?token=abc", "/reset-password?token=t", "/app/x"]
)
async def test_history_routes_answer_the_app(web, path):
    response = await web.get(path)

    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"  # a new build is seen at once


async def test_assets_go_out_compressed_and_cached_for_good(web):
    compressed = await web.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
    plain = await web.get("/assets/index-abc123.js", headers={"Accept-Encoding": "identity"})

    assert compressed.headers["content-encoding"] == "gzip"
    assert compressed.text == SCRIPT  # httpx decodes it
    assert int(compressed.headers["content-length"]) < len(SCRIPT)
    assert "content-encoding" not in plain.headers
    assert plain.text == SCRIPT
    for response in (compressed, plain):
        assert response.headers["content-type"].startswith("text/javascript")
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize("path", ["/assets/missing.js", "/assets/%2e%2e/%2e%2e/secret.txt"])
async def test_unknown_or_escaping_assets_are_not_found(web, path):
    response = await web.get(path)

    assert response.status_code == 404
    assert "not for the web" not in response.text


async def test_the_api_keeps_its_own_paths(web):
    unknown = await web.get("/api/v1/no-such-thing")
    docs = await web.get("/docs")
    schema = await web.get("/openapi.json")

    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()
    assert schema.json()["info"]["title"] == "ApptRemind"
    assert "/{path}" not in schema.json()["paths"]  # the app's fallback is not an API route


async def test_without_a_build_pages_are_a_clear_not_found(settings, engine, tmp_path):
    async for http in serving(settings, tmp_path / "no-build"):
        response = await http.get("/b/salon-ada")

        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
