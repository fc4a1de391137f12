import logging


async def test_every_response_carries_a_request_id(client):
    first = await client.get("/healthz")
    second = await client.get("/api/v1/nowhere")

    assert len(first.headers["x-request-id"]) == 32
    assert second.headers["x-request-id"] != first.headers["x-request-id"]


async def test_a_well_formed_incoming_request_id_is_kept_and_a_hostile_one_replaced(client):
    kept = await client.get("/healthz", headers={"X-Request-ID": "edge-1234abcd"})
    replaced = await client.get("/healthz", headers={"X-Request-ID": "x\r\nSet-Cookie: a=b"})

    assert kept.headers["x-request-id"] == "edge-1234abcd"
    assert replaced.headers["x-request-id"] != "x\r\nSet-Cookie: a=b"
    assert "set-cookie" not in replaced.headers


async def test_access_log_names_path_and_status_but_not_the_query(client, caplog):
    with caplog.at_level(logging.INFO, logger="apptremind.api.access"):
        await client.get("/healthz?email=someone@example.com")

    [line] = [r.getMessage() for r in caplog.records if r.name == "apptremind.api.access"]
    assert line.startswith("GET /healthz 200")
    assert "someone@example.com" not in line
