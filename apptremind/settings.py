"""One settings object, read from the environment (every name: docs/configuration.md)."""

import os
import re
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from phonenumbers import SUPPORTED_REGIONS
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from apptremind.notifications.deadlines import MAX_PROVIDER_TIMEOUT_SECONDS


def default_hash_threads() -> int:
    """One core fewer than the machine has, at least one: a core stays with the event loop."""
    return max(1, (os.cpu_count() or 1) - 1)


LOCAL_JWT_SECRET = "local-development-secret-change-me-0123456789"
# The environments whose built-in secrets and console providers are acceptable.
DEVELOPMENT_ENVIRONMENTS = ("local", "test")
MIN_SECRET_LENGTH = 32
REPOSITORY = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    # Anything but an explicit `local` or `test` runs as production: every secret must be
    # given and messages must go to a real provider (`make run` and the tests set it).
    environment: Literal["local", "test", "production"] = "production"

    database_url: str = "postgresql://postgres@127.0.0.1:55432/apptremind"
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    kafka_bootstrap_servers: str = "127.0.0.1:9092"

    # Required outside local/test; there the built-in one is used when it is unset.
    jwt_secret: SecretStr = SecretStr("")
    # Signs the customers' manage links (never the access tokens' key). Required outside
    # local/test; there it is derived from JWT_SECRET when unset.
    customer_link_secret: SecretStr = SecretStr("")
    jwt_expires_minutes: int = 60
    api_host: str = "127.0.0.1"
    api_port: int = 8080
    api_workers: int = Field(default=1, ge=1)  # API processes sharing the port
    # Where the web app is reached from outside: every link in emails and texts starts here
    # (`/manage/<appointment>?token=…`, `/reset-password?token=…`).
    public_base_url: str = "http://127.0.0.1:8080"
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_body_bytes: int = 64 * 1024
    # The built web app the API serves at `/` (`make run` builds it from `web/`).
    web_dist_dir: Path = REPOSITORY / "web" / "dist"

    email_provider: Literal["console", "smtp", "sendgrid"] = "console"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    email_from: str = "ApptRemind <no-reply@apptremind.local>"
    sendgrid_api_key: SecretStr = SecretStr("")
    sendgrid_api_base: str = "https://api.sendgrid.com"
    # `disabled`: texts are refused (their reminders fail) where no SMS provider is set up.
    sms_provider: Literal["console", "twilio", "disabled"] = "console"
    twilio_account_sid: str = ""
    twilio_auth_token: SecretStr = SecretStr("")
    twilio_from: str = ""
    twilio_api_base: str = "https://api.twilio.com"
    # The longest one call to an email or SMS provider may take, every round trip included.
    # A reminder's send holds its appointment's row lock for that long at most, so it must
    # fit in one attempt of the send activity: see apptremind/notifications/deadlines.py.
    provider_timeout_seconds: float = Field(default=15.0, gt=0)

    stripe_secret_key: SecretStr = SecretStr("")
    stripe_webhook_secret: SecretStr = SecretStr("")
    stripe_pro_price_id: str = ""
    stripe_api_base: str = ""
    redis_url: str = ""
    # Requests a minute per client address at the gateway (0: no limit), counted in Redis
    # when REDIS_URL is set (shared by every API process), else in each process; see
    # api/rate_limits.py.
    rate_limit_auth_per_minute: int = Field(default=10, ge=0)
    rate_limit_public_per_minute: int = Field(default=120, ge=0)
    rate_limit_api_per_minute: int = Field(default=600, ge=0)
    # The reverse proxies whose X-Forwarded-For names the client the limits count (addresses
    # or networks, comma-separated). "*" trusts every peer: only for an API that nothing but
    # the proxy can reach.
    forwarded_allow_ips: str = "127.0.0.1,::1"
    # Who may read the API's /metrics (addresses or networks, comma-separated): where
    # Prometheus scrapes from. Others get 404. A request that came through a trusted proxy
    # counts as its real client, so the public never reads it through the proxy.
    metrics_allow_ips: Annotated[list[IPv4Network | IPv6Network], NoDecode] = Field(
        default_factory=lambda: [
            ip_network(n)
            for n in ("127.0.0.0/8", "::1", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
        ]
    )
    # Password hashes (argon2, 64 MiB each) computed at once by an API process, in threads
    # beside its event loop. Unset: one core fewer than the machine has (at least one), so a
    # burst of sign-ins leaves a core to the loop that serves bookings.
    password_hash_threads: int = Field(default_factory=default_hash_threads, ge=1)

    # The public booking form against abuse (docs/public-booking-api.md).
    # Bookings one email address or phone number may make within an hour (0: no limit), at
    # one business and at all businesses together: each one sends a confirmation. Unset: 3
    # and 10, or no limit in the local and test environments (load runs book as one person).
    booking_limit_per_customer_per_business: int | None = Field(default=None, ge=0)
    booking_limit_per_customer: int | None = Field(default=None, ge=0)
    # The countries whose phone numbers bookings take (ISO 3166-1 alpha-2, comma-separated;
    # empty: any). Texts to far-away premium numbers are what SMS pumping bills.
    sms_allowed_countries: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # A Turnstile/hCaptcha-style check of each booking (its `siteverify` URL), off when empty.
    captcha_verify_url: str = ""
    captcha_secret: SecretStr = SecretStr("")
    # The widget the booking page draws while the check is on (all three are required then):
    # the provider whose script it is (`turnstile` defines window.turnstile, `hcaptcha`
    # window.hcaptcha), the public site key, and the script's https address, which the
    # pages' content policy then allows (see api/booking/captcha.py).
    captcha_widget: Literal["turnstile", "hcaptcha"] = "turnstile"
    captcha_site_key: str = ""
    captcha_script_url: str = ""
    # The OpenAPI document and its pages (/docs, /redoc, /openapi.json).
    api_docs_enabled: bool = True
    # Strict-Transport-Security on every answer: only for a deployment reached over HTTPS.
    hsts_enabled: bool = False
    # Reset emails one account is sent within an hour; more requests are answered alike.
    password_reset_limit_per_account: int = Field(default=3, ge=1)

    @field_validator("captcha_verify_url", "captcha_site_key", "captcha_script_url")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("metrics_allow_ips", mode="before")
    @classmethod
    def _split_networks(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return [ip_network(n.strip()) for n in value.split(",") if n.strip()]
            except ValueError as exc:
                raise ValueError(f"METRICS_ALLOW_IPS: {exc}") from None
        return value

    @field_validator("sms_allowed_countries", mode="before")
    @classmethod
    def _split_countries(cls, value: object) -> object:
        if isinstance(value, str):
            value = [code.strip() for code in value.split(",") if code.strip()]
        if isinstance(value, list):
            unknown = [c for c in value if c not in SUPPORTED_REGIONS]
            if unknown:
                raise ValueError(f"SMS_ALLOWED_COUNTRIES: unknown country codes {unknown}")
        return value

    notifications_task_queue: str = "notifications"
    appointments_task_queue: str = "appointments"
    # Appointment workflows one appointments worker keeps in memory between their tasks (the
    # sticky cache). One that is not cached fetches and replays its whole history on its next
    # task; when more fall due together than are cached, each replay evicts another that is
    # about to run. Sized above the reminders that fall due within a burst; each cached one
    # costs about 170 KB of the worker's memory.
    appointments_worker_cached_workflows: int = Field(default=2500, ge=0)
    # An appointment nobody closed counts as completed this long after it ended.
    auto_complete_after_minutes: int = 24 * 60
    outbox_batch_size: int = 100
    outbox_poll_seconds: float = 0.5
    # The relay measures the outbox backlog this often: /metrics gauges and a log line.
    outbox_backlog_interval_seconds: float = Field(default=15.0, gt=0)
    relay_metrics_host: str = "127.0.0.1"
    relay_metrics_port: int = 8088

    # Kafka consumers (analytics, billing usage): each serves /healthz and /metrics.
    consumer_metrics_host: str = "127.0.0.1"
    analytics_metrics_port: int = 8086
    billing_metrics_port: int = 8087
    # Temporal workers: /healthz and /metrics (their own and the SDK's) on these ports;
    # 0 serves none (`make run` and compose set 8089 and 8090).
    worker_metrics_host: str = "127.0.0.1"
    appointments_worker_metrics_port: int = Field(default=0, ge=0)
    notifications_worker_metrics_port: int = Field(default=0, ge=0)
    consumer_batch_size: int = 500
    consumer_max_attempts: int = 3  # for a batch that fails on its data, before dead-lettering
    consumer_session_timeout_ms: int = 10_000
    consumer_heartbeat_interval_ms: int = 3_000
    # How long a consumer remembers an applied event's id (0: for ever); see consumers/retention.
    consumer_processed_retention_days: int = Field(default=30, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _split_cors(cls, data: dict) -> dict:  # type: ignore[type-arg]
        raw = data.get("cors_origins") if isinstance(data, dict) else None
        if isinstance(raw, str):
            data["cors_origins"] = [o.strip() for o in raw.split(",") if o.strip()]
        return data

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> "Settings":
        if self.environment in DEVELOPMENT_ENVIRONMENTS:
            if not self.jwt_secret:
                self.jwt_secret = SecretStr(LOCAL_JWT_SECRET)
            if not self.customer_link_secret:
                self.customer_link_secret = SecretStr(
                    "customer-links:" + self.jwt_secret.get_secret_value()
                )
        else:
            self._refuse_development_defaults()
        if self.email_provider == "sendgrid" and not self.sendgrid_api_key:
            raise ValueError("EMAIL_PROVIDER=sendgrid needs SENDGRID_API_KEY")
        if self.provider_timeout_seconds > MAX_PROVIDER_TIMEOUT_SECONDS:
            raise ValueError(
                f"PROVIDER_TIMEOUT_SECONDS must be at most {MAX_PROVIDER_TIMEOUT_SECONDS:g}: one"
                " provider call has to fit in one attempt of the send activity"
            )
        twilio = (self.twilio_account_sid, self.twilio_auth_token, self.twilio_from)
        if self.sms_provider == "twilio" and not all(twilio):
            raise ValueError(
                "SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM"
            )
        self._check_captcha()
        return self

    def _check_captcha(self) -> None:
        """With the check on, the page must be able to draw the widget: otherwise every
        booking from it would be refused for a token it has no way to get."""
        if not self.captcha_verify_url:
            return
        needed = {
            "CAPTCHA_SECRET": self.captcha_secret.get_secret_value().strip(),
            "CAPTCHA_SITE_KEY": self.captcha_site_key,
            "CAPTCHA_SCRIPT_URL": self.captcha_script_url,
        }
        missing = [name for name, value in needed.items() if not value]
        if missing:
            raise ValueError(
                "CAPTCHA_VERIFY_URL turns the booking check on, which also needs "
                + ", ".join(missing)
                + " (the secret checks the tokens the booking page's widget gets with the others)"
            )
        if urlsplit(self.captcha_verify_url).scheme not in ("http", "https"):
            raise ValueError("CAPTCHA_VERIFY_URL must be an http(s) address")
        script_origin(self.captcha_script_url)  # raises naming CAPTCHA_SCRIPT_URL

    @property
    def captcha_script_origin(self) -> str:
        """The origin the widget's script is loaded from (`https://host[:port]`)."""
        return script_origin(self.captcha_script_url)

    def _refuse_development_defaults(self) -> None:
        unless = "(or ENVIRONMENT=local for development)"
        jwt_secret = self.jwt_secret.get_secret_value()
        if jwt_secret == LOCAL_JWT_SECRET or len(jwt_secret) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"JWT_SECRET must be set to a random value of {MIN_SECRET_LENGTH}+ characters"
                f" {unless}"
            )
        link_secret = self.customer_link_secret.get_secret_value()
        if len(link_secret) < MIN_SECRET_LENGTH or link_secret == jwt_secret:
            raise ValueError(
                f"CUSTOMER_LINK_SECRET must be set to a random value of {MIN_SECRET_LENGTH}+"
                f" characters, other than JWT_SECRET {unless}"
            )
        if self.email_provider == "console" or self.sms_provider == "console":
            raise ValueError(
                "EMAIL_PROVIDER and SMS_PROVIDER must name a real provider (console prints"
                f" messages instead of sending them) {unless}"
            )

    @property
    def sqlalchemy_url(self) -> str:
        """The DATABASE_URL with the psycopg 3 driver, whatever scheme it was given in."""
        url = self.database_url
        for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url

    @property
    def billing_page_url(self) -> str:
        """The owner app's billing page, where Stripe Checkout and the portal send owners back."""
        return f"{self.public_base_url.rstrip('/')}/app/billing"


@lru_cache
def get_settings() -> Settings:
    return Settings()


# Hosts a page may load a script from over plain http: this machine only.
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")
_ORIGIN_HOST = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\]")


def script_origin(url: str) -> str:
    """`scheme://host[:port]` of CAPTCHA_SCRIPT_URL, which goes into the Content-Security-Policy
    header: an https address (http only on loopback), with no credentials and nothing in its
    host that could end a policy directive."""
    refused = ValueError(
        "CAPTCHA_SCRIPT_URL must be the widget script's https address, e.g."
        " https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit"
    )
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        raise refused from None
    secure = parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK_HOSTS)
    netloc = parts.netloc.lower()
    host_part = netloc.rsplit(":", 1)[0] if port is not None else netloc
    if not secure or "@" in netloc or not _ORIGIN_HOST.fullmatch(host_part):
        raise refused
    return f"{parts.scheme}://{netloc}"
