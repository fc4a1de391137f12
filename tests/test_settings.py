import pytest
from pydantic import ValidationError

from apptremind import cli
from apptremind.devstack.supervisor import Supervisor
from apptremind.settings import LOCAL_JWT_SECRET, Settings, get_settings


def test_settings_read_the_contract_environment_names(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db:5432/x")
    monkeypatch.setenv("TEMPORAL_ADDRESS", "temporal:7233")
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
    monkeypatch.setenv("EMAIL_PROVIDER", "smtp")
    monkeypatch.setenv("SMTP_HOST", "mail.local")
    monkeypatch.setenv("SMTP_PORT", "2525")
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example")

    settings = Settings()

    assert settings.sqlalchemy_url == "postgresql+psycopg://u@db:5432/x"
    assert settings.temporal_address == "temporal:7233"
    assert settings.kafka_bootstrap_servers == "kafka:9092"
    assert (settings.email_provider, settings.smtp_host, settings.smtp_port) == (
        "smtp",
        "mail.local",
        2525,
    )
    assert settings.cors_origins == ["https://a.example", "https://b.example"]


PRODUCTION = {
    "environment": "production",
    "jwt_secret": "j" * 40,
    "customer_link_secret": "c" * 40,
    "email_provider": "smtp",
    "sms_provider": "disabled",
}


def test_production_refuses_the_default_jwt_secret():
    with pytest.raises(ValidationError, match="JWT_SECRET"):
        Settings(**{**PRODUCTION, "jwt_secret": LOCAL_JWT_SECRET})
    with pytest.raises(ValidationError, match="JWT_SECRET"):
        Settings(**{**PRODUCTION, "jwt_secret": "short"})
    with pytest.raises(ValidationError, match="JWT_SECRET"):
        Settings(**{**PRODUCTION, "jwt_secret": ""})
    assert Settings(**PRODUCTION).jwt_secret.get_secret_value() == "j" * 40


def test_without_an_explicit_development_environment_secrets_are_required(monkeypatch):
    for name in ("ENVIRONMENT", "JWT_SECRET", "CUSTOMER_LINK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValidationError, match="JWT_SECRET"):
        Settings()
    monkeypatch.setenv("JWT_SECRET", "j" * 40)
    with pytest.raises(ValidationError, match="CUSTOMER_LINK_SECRET"):
        Settings()


@pytest.mark.parametrize("environment", ["local", "test"])
def test_local_and_test_fall_back_to_built_in_secrets(monkeypatch, environment):
    for name in ("JWT_SECRET", "CUSTOMER_LINK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(environment=environment)
    assert settings.jwt_secret.get_secret_value() == LOCAL_JWT_SECRET
    link_secret = settings.customer_link_secret.get_secret_value()
    assert link_secret
    assert link_secret != LOCAL_JWT_SECRET
    given = Settings(environment=environment, jwt_secret="a" * 40)
    assert given.customer_link_secret.get_secret_value() != link_secret  # derived from it


def test_customer_links_need_a_key_of_their_own_outside_development():
    with pytest.raises(ValidationError, match="CUSTOMER_LINK_SECRET"):
        Settings(**{**PRODUCTION, "customer_link_secret": ""})
    with pytest.raises(ValidationError, match="CUSTOMER_LINK_SECRET"):
        Settings(**{**PRODUCTION, "customer_link_secret": "short"})
    with pytest.raises(ValidationError, match="CUSTOMER_LINK_SECRET"):
        Settings(**{**PRODUCTION, "customer_link_secret": "j" * 40})  # JWT_SECRET's


@pytest.mark.parametrize("provider", ["email_provider", "sms_provider"])
def test_console_providers_are_refused_outside_development(provider):
    with pytest.raises(ValidationError, match="EMAIL_PROVIDER and SMS_PROVIDER"):
        Settings(**{**PRODUCTION, provider: "console"})
    assert Settings(**{**PRODUCTION, "environment": "local", provider: "console"})


def test_secrets_are_never_shown():
    secrets = {
        "jwt_secret": "J" * 40,
        "customer_link_secret": "C" * 40,
        "sendgrid_api_key": "SG.sendgrid-key",
        "twilio_auth_token": "twilio-auth-token",
        "stripe_secret_key": "sk_test_stripe",
        "stripe_webhook_secret": "whsec_stripe",
    }
    providers = {
        "email_provider": "sendgrid",
        "sms_provider": "twilio",
        "twilio_account_sid": "AC1",
        "twilio_from": "+15550001",
    }
    settings = Settings(**{**PRODUCTION, **secrets, **providers})
    shown = repr(settings) + str(settings) + settings.model_dump_json()
    for value in secrets.values():
        assert value not in shown
    assert settings.sendgrid_api_key.get_secret_value() == "SG.sendgrid-key"


def test_a_refused_configuration_stops_the_process_naming_the_setting(monkeypatch, capsys):
    monkeypatch.delenv("ENVIRONMENT", raising=False)
    monkeypatch.setenv("JWT_SECRET", "short-never-printed")
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as exited:
            cli.main(["migrate"])
    finally:
        get_settings.cache_clear()
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "JWT_SECRET must be set" in error
    assert "short-never-printed" not in error


def test_make_run_starts_the_platform_as_local_development(monkeypatch, tmp_path):
    monkeypatch.delenv("ENVIRONMENT", raising=False)
    assert Supervisor(tmp_path).env["ENVIRONMENT"] == "local"
    monkeypatch.setenv("ENVIRONMENT", "production")
    assert Supervisor(tmp_path).env["ENVIRONMENT"] == "production"


def test_an_unknown_email_provider_is_a_configuration_error():
    with pytest.raises(ValidationError):
        Settings(email_provider="carrier-pigeon")


# --- the CAPTCHA check and its widget ----------------------------------------------------

CAPTCHA_ON = {
    "environment": "test",
    "captcha_verify_url": "https://challenges.cloudflare.com/turnstile/v0/siteverify",
    "captcha_secret": "0x4AAA-secret",
    "captcha_site_key": "0x4AAA-site-key",
    "captcha_script_url": "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit",
}


@pytest.mark.parametrize("missing", ["captcha_secret", "captcha_site_key", "captcha_script_url"])
def test_the_captcha_check_needs_its_secret_site_key_and_script(missing):
    with pytest.raises(ValidationError, match=missing.upper()):
        Settings(**{**CAPTCHA_ON, missing: ""})
    with pytest.raises(ValidationError, match=missing.upper()):
        Settings(**{**CAPTCHA_ON, missing: "   "})


def test_with_the_check_off_no_widget_setting_is_needed():
    settings = Settings(environment="test")
    assert settings.captcha_verify_url == ""
    assert settings.captcha_widget == "turnstile"


@pytest.mark.parametrize(
    "script_url",
    [
        "http://challenges.cloudflare.com/turnstile/v0/api.js",  # not https: mixed content
        "https://user:pass@cdn.example/api.js",
        "https://cdn.example;script-src*/api.js",
        "https://cdn.example 'unsafe-inline'/api.js",
        "javascript:alert(1)",
        "//cdn.example/api.js",
        "https://cdn.example:99999/api.js",
        "api.js",
    ],
)
def test_a_widget_script_address_that_is_no_https_origin_is_refused(script_url):
    with pytest.raises(ValidationError, match="CAPTCHA_SCRIPT_URL"):
        Settings(**{**CAPTCHA_ON, "captcha_script_url": script_url})


@pytest.mark.parametrize(
    ("script_url", "origin"),
    [
        (CAPTCHA_ON["captcha_script_url"], "https://challenges.cloudflare.com"),
        ("https://JS.hCaptcha.com/1/api.js?render=explicit", "https://js.hcaptcha.com"),
        ("http://127.0.0.1:4567/widget.js", "http://127.0.0.1:4567"),
        ("http://[::1]:4567/widget.js", "http://[::1]:4567"),
        ("  https://cdn.example:8443/api.js  ", "https://cdn.example:8443"),
    ],
)
def test_the_widget_script_origin_goes_into_the_content_policy(script_url, origin):
    assert Settings(**{**CAPTCHA_ON, "captcha_script_url": script_url}).captcha_script_origin == (
        origin
    )


def test_an_unknown_captcha_widget_is_refused():
    with pytest.raises(ValidationError, match="captcha_widget"):
        Settings(**{**CAPTCHA_ON, "captcha_widget": "recaptcha"})


def test_a_captcha_check_without_its_widget_stops_the_process_naming_the_setting(
    monkeypatch, capsys
):
    monkeypatch.setenv("ENVIRONMENT", "test")
    monkeypatch.setenv("CAPTCHA_VERIFY_URL", CAPTCHA_ON["captcha_verify_url"])
    monkeypatch.setenv("CAPTCHA_SECRET", "never-printed-secret")
    monkeypatch.setenv("CAPTCHA_SITE_KEY", "site-key")
    monkeypatch.delenv("CAPTCHA_SCRIPT_URL", raising=False)
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as exited:
            cli.main(["migrate"])
    finally:
        get_settings.cache_clear()
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "CAPTCHA_SCRIPT_URL" in error
    assert "CAPTCHA_SITE_KEY" not in error
    assert "never-printed-secret" not in error
