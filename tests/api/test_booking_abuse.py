"""The public booking form can't be turned into a weapon: no links in customers' names, one
email address or phone can't be mail-bombed or burn a business's bookings, phones only of
the allowed countries, and an optional CAPTCHA verified with its service."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from urllib.parse import parse_qs

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from api.app import create_app
from api.booking.guards import customer_limits
from apptremind.booking.models import Appointment
from tests.fake_http import Answer, FakeApi
from tests.scenarios import API, a_day_ahead, at, setup_business

PROBLEM = "application/problem+json"
# What the booking page draws with the check on (required with it).
WIDGET = {
    "captcha_site_key": "site-key",
    "captcha_script_url": "https://challenges.cloudflare.com/turnstile/v0/api.js",
}
ClientWith = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def client_with(settings, engine) -> ClientWith:
    """A client of an API whose settings differ from the suite's by `changes`."""

    @asynccontextmanager
    async def open_client(**changes) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(settings.model_copy(update=changes))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http
        await app.state.captcha_http.aclose()
        await app.state.engine.dispose()

    return open_client


@pytest.fixture
def fake_captcha():
    api = FakeApi(Answer(200, {"success": True}))
    api.start()
    yield api
    api.stop()


async def booking(client, biz, hour, customer=None, **extra) -> httpx.Response:
    return await client.post(
        f"{API}/public/book",
        json={
            "staff_id": biz["staff_id"],
            "service_id": biz["service_id"],
            "time": at(a_day_ahead(), hour),
            "customer_info": customer or {"name": "Ada", "email": "ada@example.com"},
            **extra,
        },
    )


async def appointments(sessionmaker) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Appointment)))


def refused_field(response: httpx.Response) -> str:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    return response.json()["errors"][0]["field"]


# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Ada https://win.example/prize",
        "Ada hxxp://x",
        "Claim at www.prize-now",
        "bit.ly/abc123",
        "Ada cheap-pills.com",
        "Ada\r\nBcc: everyone@example.com",
        "Ada\rX",
    ],
)
async def test_a_customer_name_with_a_link_or_line_break_is_refused(client, sessionmaker, name):
    biz = await setup_business(client)

    response = await booking(client, biz, 10, {"name": name, "email": "ada@example.com"})

    assert refused_field(response) == "customer_info.name"
    assert await appointments(sessionmaker) == 0


@pytest.mark.parametrize("name", ["J.R.R. Tolkien", "Mary St.John", "Zoë O'Neil-Müller"])
async def test_ordinary_names_with_dots_are_booked(client, name):
    biz = await setup_business(client)

    response = await booking(client, biz, 10, {"name": name, "email": "ada@example.com"})

    assert response.status_code == 201, response.text


async def test_a_note_keeps_its_line_breaks_for_the_business(client):
    biz = await setup_business(client)

    response = await booking(client, biz, 10, note="Ring twice\r\nsecond floor")

    assert response.status_code == 201, response.text
    shown = await client.get(
        f"{API}/appointments/{response.json()['appointment_id']}", headers=biz["auth"]
    )
    assert shown.json()["note"] == "Ring twice\nsecond floor"


# --- throttles ---------------------------------------------------------------------------


async def test_one_email_books_a_business_at_most_the_limit_within_the_hour(
    client_with, sessionmaker
):
    async with client_with(
        booking_limit_per_customer_per_business=2, booking_limit_per_customer=0
    ) as client:
        biz = await setup_business(client)
        assert (await booking(client, biz, 9)).status_code == 201
        assert (await booking(client, biz, 10)).status_code == 201

        refused = await booking(client, biz, 11, {"name": "Ada", "email": "ADA@example.com"})
        someone_else = await booking(client, biz, 12, {"name": "Bo", "email": "bo@example.com"})

    assert refused.status_code == 429, refused.text
    assert refused.headers["content-type"] == PROBLEM
    assert refused.json()["title"] == "Too many bookings"
    assert someone_else.status_code == 201
    assert await appointments(sessionmaker) == 3


async def test_cancelled_bookings_still_count_their_confirmation(client_with, sessionmaker):
    async with client_with(booking_limit_per_customer_per_business=1) as client:
        biz = await setup_business(client)
        first = await booking(client, biz, 9)
        async with sessionmaker() as session:
            appointment = await session.get(Appointment, first.json()["appointment_id"])
            assert appointment is not None
            appointment.status = "cancelled"
            await session.commit()

        again = await booking(client, biz, 9)

    assert again.status_code == 429


async def test_one_phone_is_throttled_whatever_email_comes_with_it(client_with):
    async with client_with(booking_limit_per_customer_per_business=1) as client:
        biz = await setup_business(client)
        first = {"name": "Ada", "email": "a1@example.com", "phone": "+49 170 1234567"}
        second = {"name": "Ada", "email": "a2@example.com", "phone": "+491701234567"}
        assert (await booking(client, biz, 9, first)).status_code == 201

        response = await booking(client, biz, 10, second)

    assert response.status_code == 429


async def test_one_email_is_throttled_across_businesses(client_with):
    async with client_with(
        booking_limit_per_customer_per_business=0, booking_limit_per_customer=2
    ) as client:
        businesses = [await setup_business(client) for _ in range(3)]
        answers = [(await booking(client, biz, 10)).status_code for biz in businesses]

    assert answers == [201, 201, 429]


def test_limits_are_on_by_default_except_in_local_and_test(settings):
    assert not customer_limits(settings).active
    production = customer_limits(settings.model_copy(update={"environment": "production"}))
    assert (production.per_business, production.everywhere) == (3, 10)
    off = settings.model_copy(
        update={"environment": "production", "booking_limit_per_customer_per_business": 0}
    )
    assert customer_limits(off).per_business == 0


# --- SMS countries -----------------------------------------------------------------------


async def test_a_phone_of_a_country_not_allowed_is_refused_at_its_field(client_with, sessionmaker):
    async with client_with(sms_allowed_countries=["DE", "AT"]) as client:
        biz = await setup_business(client)
        foreign = {"name": "Ada", "email": "ada@example.com", "phone": "+44 7400 123456"}
        refused = await booking(client, biz, 9, foreign)
        german = {"name": "Ada", "email": "ada@example.com", "phone": "+49 170 1234567"}
        accepted = await booking(client, biz, 10, german)
        email_only = await booking(client, biz, 11)

    assert refused_field(refused) == "customer_info.phone"
    assert "AT, DE" in refused.json()["errors"][0]["message"]
    assert accepted.status_code == 201
    assert email_only.status_code == 201
    assert await appointments(sessionmaker) == 2


# --- CAPTCHA -----------------------------------------------------------------------------


async def test_without_a_captcha_setting_no_token_is_needed(client):
    biz = await setup_business(client)

    assert (await booking(client, biz, 10)).status_code == 201


async def test_with_a_captcha_a_booking_needs_a_token_the_service_accepts(
    client_with, fake_captcha, sessionmaker
):
    url = f"{fake_captcha.url}/siteverify"
    async with client_with(
        captcha_verify_url=url, captcha_secret=SecretStr("sekret"), **WIDGET
    ) as client:
        biz = await setup_business(client)
        missing = await booking(client, biz, 9)
        fake_captcha.answer_next(Answer(200, {"success": False, "error-codes": ["bad"]}))
        refused = await booking(client, biz, 9, captcha_token="forged")
        accepted = await booking(client, biz, 10, captcha_token="widget-token")

    assert refused_field(missing) == "captcha_token"
    assert refused_field(refused) == "captcha_token"
    assert accepted.status_code == 201, accepted.text
    assert await appointments(sessionmaker) == 1
    assert len(fake_captcha.received) == 2  # a missing token is not sent to the service
    sent = parse_qs(fake_captcha.received[-1].body.decode())
    assert sent["secret"] == ["sekret"]
    assert sent["response"] == ["widget-token"]
    assert fake_captcha.received[-1].path == "/siteverify"


@pytest.mark.parametrize(
    "answer", [Answer(500, {}), Answer(200, raw=b"<html>", content_type="text/html")]
)
async def test_a_captcha_service_that_fails_answers_503_and_books_nothing(
    client_with, fake_captcha, sessionmaker, answer
):
    fake_captcha.answer_next(answer)
    async with client_with(
        captcha_verify_url=fake_captcha.url, captcha_secret=SecretStr("s"), **WIDGET
    ) as client:
        biz = await setup_business(client)
        response = await booking(client, biz, 9, captcha_token="t")

    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM
    assert await appointments(sessionmaker) == 0
