import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import jwt

from api.app import create_app
from tests.helpers import bearer, register

PROFILE = "/api/v1/business/profile"


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def claims(**overrides) -> dict:
    return {
        "iss": "apptremind",
        "aud": "apptremind-api",
        "sub": str(uuid.uuid4()),
        "business_id": str(uuid.uuid4()),
        "role": "owner",
        "exp": datetime.now(UTC) + timedelta(minutes=5),
        **overrides,
    }


async def assert_unauthorized(client, headers: dict[str, str]) -> None:
    response = await client.get(PROFILE, headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"


async def test_a_missing_or_malformed_authorization_answers_401(client):
    await assert_unauthorized(client, {})
    await assert_unauthorized(client, {"Authorization": "Basic dXNlcjpwYXNz"})
    await assert_unauthorized(client, {"Authorization": "Bearer not.a.jwt"})


async def test_an_expired_token_answers_401(client, settings):
    token = jwt.encode(
        claims(exp=datetime.now(UTC) - timedelta(seconds=1)),
        settings.jwt_secret.get_secret_value(),
        "HS256",
    )
    await assert_unauthorized(client, bearer(token))


async def test_a_token_signed_with_another_secret_answers_401(client):
    token = jwt.encode(claims(), "someone else's secret, long enough to pass", "HS256")
    await assert_unauthorized(client, bearer(token))


async def test_an_unsigned_alg_none_token_answers_401(client):
    payload = {**claims(), "exp": int((datetime.now(UTC) + timedelta(minutes=5)).timestamp())}
    token = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(payload)}."
    await assert_unauthorized(client, bearer(token))


async def test_a_token_with_an_unknown_role_answers_401(client, settings):
    token = jwt.encode(claims(role="superuser"), settings.jwt_secret.get_secret_value(), "HS256")
    await assert_unauthorized(client, bearer(token))


async def test_a_genuine_token_passes_the_gateway(client, settings):
    """The claims the tests below spoil one at a time make a token the gateway accepts."""
    registered = await register(client, email="gate@example.com")
    user, business = registered["user_id"], registered["business_id"]
    token = jwt.encode(
        claims(sub=user, business_id=business), settings.jwt_secret.get_secret_value(), "HS256"
    )
    response = await client.get(PROFILE, headers=bearer(token))
    assert response.status_code == 200, response.text


async def test_a_token_for_another_audience_or_issuer_answers_401(client, settings):
    registered = await register(client, email="aud@example.com")
    genuine = {"sub": registered["user_id"], "business_id": registered["business_id"]}
    secret = settings.jwt_secret.get_secret_value()
    for spoiled in (
        {"aud": "another-service"},
        {"iss": "someone-else"},
        {"aud": None},
        {"iss": None},
    ):
        payload = {k: v for k, v in claims(**genuine, **spoiled).items() if v is not None}
        await assert_unauthorized(client, bearer(jwt.encode(payload, secret, "HS256")))


async def test_unknown_routes_and_methods_answer_problem_json(client):
    missing = await client.get("/api/v1/nowhere")
    wrong_method = await client.put("/api/v1/auth/login", json={})

    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert wrong_method.status_code == 405
    assert wrong_method.json()["title"] == "Method not allowed"


async def test_malformed_json_answers_400(client):
    response = await client.post(
        "/api/v1/auth/login", content=b'{"email": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["title"] == "Malformed JSON"


async def test_an_oversized_body_answers_413_declared_or_streamed(client, settings, sessionmaker):
    owner = await register(client)
    big = b'{"name": "' + b"x" * settings.max_body_bytes + b'"}'

    declared = await client.post(
        "/api/v1/business/services",
        content=big,
        headers={**bearer(owner["access_token"]), "content-type": "application/json"},
    )

    async def chunks():
        for start in range(0, len(big), 8192):
            yield big[start : start + 8192]

    streamed = await client.post(
        "/api/v1/business/services",
        content=chunks(),
        headers={**bearer(owner["access_token"]), "content-type": "application/json"},
    )

    assert declared.status_code == 413
    assert streamed.status_code == 413
    assert streamed.headers["content-type"] == "application/problem+json"
    services = await client.get("/api/v1/business/services", headers=bearer(owner["access_token"]))
    assert services.json() == []


async def test_openapi_and_docs_are_served(client):
    spec = await client.get("/openapi.json")
    docs = await client.get("/docs")

    assert "/api/v1/auth/register" in spec.json()["paths"]
    assert "/api/v1/public/book" in spec.json()["paths"]
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


async def test_cors_allows_the_configured_origins_only(settings, engine):
    app = create_app(settings.model_copy(update={"cors_origins": ["https://book.example.com"]}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        preflight = {"Access-Control-Request-Method": "POST"}
        allowed = await http.options(
            "/api/v1/auth/login", headers={"Origin": "https://book.example.com", **preflight}
        )
        refused = await http.options(
            "/api/v1/auth/login", headers={"Origin": "https://evil.example.com", **preflight}
        )
    await app.state.engine.dispose()

    assert allowed.headers["access-control-allow-origin"] == "https://book.example.com"
    assert "access-control-allow-origin" not in refused.headers


async def test_an_unexpected_error_is_a_500_problem_without_a_stack_trace(settings, engine):
    app = create_app(settings)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get("/boom")
    await app.state.engine.dispose()

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
