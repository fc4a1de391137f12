"""Time zone names, and the country a zone belongs to (the phone number's default country)."""

import zoneinfo
from functools import lru_cache
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

# Used only where no zone.tab can be read (neither the system's tz database nor `tzdata`).
_FALLBACK_COUNTRIES = {
    "America/Chicago": "US",
    "America/Denver": "US",
    "America/Los_Angeles": "US",
    "America/New_York": "US",
    "America/Sao_Paulo": "BR",
    "America/Toronto": "CA",
    "Asia/Kolkata": "IN",
    "Asia/Tokyo": "JP",
    "Australia/Sydney": "AU",
    "Europe/Amsterdam": "NL",
    "Europe/Berlin": "DE",
    "Europe/Dublin": "IE",
    "Europe/London": "GB",
    "Europe/Madrid": "ES",
    "Europe/Paris": "FR",
    "Europe/Rome": "IT",
    "Europe/Vienna": "AT",
    "Europe/Zurich": "CH",
}


def is_valid_timezone(name: str) -> bool:
    """True for an IANA zone name such as Europe/Berlin or UTC; abbreviations like CET are not."""
    if not name or name != name.strip() or ("/" not in name and name != "UTC"):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def is_valid_country(code: str) -> bool:
    """An ISO 3166-1 alpha-2 code of a country phone numbers exist for, e.g. DE."""
    return len(code) == 2 and code.isascii() and code.isupper() and code in _regions()


def country_of_timezone(name: str) -> str | None:
    """The country a zone belongs to per the tz database's zone.tab (Europe/Berlin → DE);
    None for zones of no single country (UTC) or unknown names."""
    return _zone_countries().get(name)


@lru_cache(maxsize=1)
def _regions() -> frozenset[str]:
    return frozenset(phonenumbers.SUPPORTED_REGIONS)


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    text = _zone_tab()
    if text is None:
        return dict(_FALLBACK_COUNTRIES)
    countries: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) >= 3:
            countries[fields[2]] = fields[0]
    return countries


def _zone_tab() -> str | None:
    for directory in zoneinfo.TZPATH:
        path = Path(directory) / "zone.tab"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:  # the `tzdata` package, where the system has no tz database
        return resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return None
