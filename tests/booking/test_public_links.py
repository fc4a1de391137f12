"""Links in customer and account emails, and the default phone country of a business."""

import base64
import hashlib
import hmac
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from apptremind.auth.links import password_reset_url
from apptremind.booking.manage_links import (
    LINK_VALID_AFTER_END,
    manage_token,
    manage_url,
    token_is_valid,
)
from apptremind.settings import Settings
from apptremind.timezones import country_of_timezone, is_valid_country


def test_manage_links_open_the_web_apps_manage_page():
    settings = Settings(public_base_url="https://book.example.com/", jwt_secret="s" * 40)
    appointment_id, end = uuid.uuid4(), datetime(2026, 12, 7, 10, tzinfo=UTC)

    url = manage_url(settings, appointment_id, end)

    token = manage_token(settings, appointment_id, end)
    assert url == f"https://book.example.com/manage/{appointment_id}?token={token}"


def test_reset_links_open_the_web_apps_reset_page_with_the_token_encoded():
    settings = Settings(public_base_url="http://127.0.0.1:8080")

    assert password_reset_url(settings, "a+b/c") == (
        "http://127.0.0.1:8080/reset-password?token=a%2Bb%2Fc"
    )


def test_public_base_url_defaults_to_the_local_api(monkeypatch):
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    assert Settings().public_base_url == "http://127.0.0.1:8080"
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://salon.example")
    assert Settings().public_base_url == "https://salon.example"


@pytest.mark.parametrize(
    ("zone", "country"),
    [
        ("Europe/Berlin", "DE"),
        ("America/New_York", "US"),
        ("Asia/Tokyo", "JP"),
        ("Australia/Sydney", "AU"),
        ("UTC", None),
        ("Etc/GMT+5", None),
        ("Not/AZone", None),
    ],
)
def test_a_time_zone_names_its_country_only_when_it_has_one(zone, country):
    assert country_of_timezone(zone) == country


@pytest.mark.parametrize(
    ("code", "valid"),
    [("DE", True), ("GB", True), ("ZZ", False), ("de", False), ("DEU", False), ("", False)],
)
def test_only_upper_case_iso_country_codes_are_valid(code, valid):
    assert is_valid_country(code) is valid


def _legacy_token(jwt_secret: str, appointment_id: uuid.UUID) -> str:
    """A link as sent before links expired: an HMAC of the id under JWT_SECRET."""
    key = hmac.new(jwt_secret.encode(), b"apptremind/manage-appointment/v1", hashlib.sha256)
    digest = hmac.new(key.digest(), appointment_id.bytes, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


LINKS = Settings(environment="test", jwt_secret="j" * 40, customer_link_secret="c" * 40)
END = datetime(2026, 12, 7, 10, tzinfo=UTC)


def test_a_link_works_until_some_time_after_the_appointment_ends():
    appointment_id = uuid.uuid4()
    token = manage_token(LINKS, appointment_id, END)

    assert token_is_valid(LINKS, appointment_id, token, END, END)
    last = END + LINK_VALID_AFTER_END - timedelta(seconds=1)
    assert token_is_valid(LINKS, appointment_id, token, END, last)
    assert not token_is_valid(LINKS, appointment_id, token, END, END + LINK_VALID_AFTER_END)


def test_the_expiry_cannot_be_extended_nor_the_token_moved():
    appointment_id = uuid.uuid4()
    expiry, mac = manage_token(LINKS, appointment_id, END).split(".")
    later = f"{int(expiry, 16) + 86400 * 365:x}.{mac}"

    assert not token_is_valid(LINKS, appointment_id, later, END, END)
    assert not token_is_valid(LINKS, uuid.uuid4(), f"{expiry}.{mac}", END, END)
    for spoiled in ("", ".", f".{mac}", f"-1.{mac}", f"{'f' * 40}.{mac}", f"{expiry}.", "x.y"):
        assert not token_is_valid(LINKS, appointment_id, spoiled, END, END)


def test_links_are_signed_with_their_own_key_not_the_access_tokens():
    appointment_id = uuid.uuid4()
    token = manage_token(LINKS, appointment_id, END)
    other_key = Settings(environment="test", jwt_secret="j" * 40, customer_link_secret="d" * 40)

    assert not token_is_valid(other_key, appointment_id, token, END, END)
    same_key = Settings(environment="test", jwt_secret="k" * 40, customer_link_secret="c" * 40)
    assert token_is_valid(same_key, appointment_id, token, END, END)


def test_links_sent_before_expiries_work_until_they_would_have_expired():
    appointment_id = uuid.uuid4()
    legacy = _legacy_token("j" * 40, appointment_id)

    assert token_is_valid(LINKS, appointment_id, legacy, END, END)
    assert not token_is_valid(LINKS, appointment_id, legacy, END, END + LINK_VALID_AFTER_END)
    assert not token_is_valid(LINKS, uuid.uuid4(), legacy, END, END)


@pytest.mark.parametrize("token", ["é", "ü" * 43, "\udcff", "1.é", "\x00"])
def test_any_text_is_a_wrong_token_never_an_error(token):
    assert not token_is_valid(LINKS, uuid.uuid4(), token, END, END)
