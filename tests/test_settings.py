import pytest
from pydantic import ValidationError

from apptremind.settings import LOCAL_JWT_SECRET, Settings


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


def test_production_refuses_the_default_jwt_secret():
    with pytest.raises(ValidationError, match="JWT_SECRET"):
        Settings(environment="production", jwt_secret=LOCAL_JWT_SECRET)
    with pytest.raises(ValidationError, match="JWT_SECRET"):
        Settings(environment="production", jwt_secret="short")
    assert Settings(environment="production", jwt_secret="s" * 40).jwt_secret == "s" * 40


def test_an_unknown_email_provider_is_a_configuration_error():
    with pytest.raises(ValidationError):
        Settings(email_provider="carrier-pigeon")
