"""Reading what billing wrote, and a business that went through checkout."""

from sqlalchemy import text

from tests.scenarios import API


async def outbox(sessionmaker, event_type: str) -> list[dict]:
    async with sessionmaker() as session:
        rows = await session.execute(
            text("SELECT envelope FROM outbox.events WHERE event_type = :t ORDER BY id"),
            {"t": event_type},
        )
        return [row.envelope["data"] for row in rows]


async def scalar(sessionmaker, sql: str, **params):
    async with sessionmaker() as session:
        return await session.scalar(text(sql), params)


async def checkout(client, auth) -> dict:
    response = await client.post(f"{API}/billing/checkout", headers=auth)
    assert response.status_code == 200, response.text
    return response.json()


async def business_id(client, auth) -> str:
    return (await client.get(f"{API}/business/profile", headers=auth)).json()["id"]


async def stripe_customer(sessionmaker, business: str) -> str:
    return await scalar(
        sessionmaker,
        "SELECT stripe_customer_id FROM billing.customers WHERE business_id = :b",
        b=business,
    )
