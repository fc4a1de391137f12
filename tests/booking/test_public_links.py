"""Links in customer and account emails, and the default phone country of a business."""

import uuid

import pytest

from apptremind.auth.links import password_reset_url
from apptremind.booking.manage_links import manage_token, manage_url
from apptremind.settings import Settings
from apptremind.timezones import country_of_timezone, is_valid_country


def test_manage_links_open_the_web_apps_manage_page():
    settings = Settings(public_base_url="https://book.example.com/", jwt_secret="s" * 40)
    appointment_id = uuid.uuid4()

    url = manage_url(settings, appointment_id)

    token = manage_token(settings.jwt_secret, appointment_id)
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
