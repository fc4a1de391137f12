"""`GET /public/config`: what the public pages need to know about this deployment before a
customer books — today, whether bookings need a CAPTCHA token and which widget gives one."""

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.booking import captcha
from api.deps import SettingsDep

router = APIRouter(prefix="/public", tags=["public booking"])


class CaptchaWidgetConfig(BaseModel):
    widget: Literal["turnstile", "hcaptcha"] = Field(
        description="the provider: its script defines window.turnstile or window.hcaptcha"
    )
    site_key: str = Field(description="the widget's public site key")
    script_url: str = Field(
        description="the provider's script; the web app's content policy allows its origin"
    )


class PublicConfigResponse(BaseModel):
    captcha: CaptchaWidgetConfig | None = Field(
        description="null: bookings need no `captcha_token`; otherwise the widget that gives one"
    )


@router.get("/config", response_model=PublicConfigResponse)
async def public_config(settings: SettingsDep) -> PublicConfigResponse:
    widget = captcha.widget(settings)
    return PublicConfigResponse(
        captcha=None
        if widget is None
        else CaptchaWidgetConfig(
            widget=widget.kind, site_key=widget.site_key, script_url=widget.script_url
        )
    )
