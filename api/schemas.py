import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from apptremind.errors import Unprocessable

# Line and paragraph separators break lines as surely as a newline does.
_BREAKS = {"Zl", "Zp"}


class StrictModel(BaseModel):
    """Request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _one_line(value: str) -> str:
    """Names reach email subjects, SMS texts and calendar files: one line of printable text."""
    for char in value:
        if unicodedata.category(char) == "Cc" or unicodedata.category(char) in _BREAKS:
            raise ValueError("must be one line without control characters")
    return value


def _text_block(value: str) -> str:
    """Free text of several lines: line breaks and tabs, no other control characters."""
    normalized = value.replace("\r\n", "\n")
    for char in normalized:
        if char in "\n\t":
            continue
        if unicodedata.category(char) == "Cc" or unicodedata.category(char) in _BREAKS:
            raise ValueError("must not contain control characters other than line breaks and tabs")
    return normalized


# A scheme, `www.`, or a host name followed by a path or ending in a top-level domain that
# link spam uses. Loose on purpose: dotted names such as "J.R.R. Tolkien" or "St.John" pass.
_LINK = re.compile(
    r"://|\bwww\.|\b[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}/"
    r"|\b[a-z0-9-]+\.(com|net|org|info|biz|io|co|ly|me|ru|cn|xyz|top|site|online|shop|link"
    r"|click|app|club|live|store)\b",
    re.IGNORECASE,
)


def _no_links(value: str) -> str:
    """A customer's name is repeated in the business's emails: it must not carry a link."""
    if _LINK.search(value):
        raise ValueError("must be a name, not a web address or link")
    return value


OneLine = Annotated[str, AfterValidator(_one_line)]
PersonName = Annotated[str, AfterValidator(_one_line), AfterValidator(_no_links)]
TextBlock = Annotated[str, AfterValidator(_text_block)]


def field_refused(location: tuple[str, ...], message: str) -> Unprocessable:
    """A 422 naming one field, shaped like the request validation's own (`errors`), for
    checks that need more than the request body: settings, other services."""
    field = ".".join(location[1:])
    return Unprocessable(
        f"{field}: {message}",
        errors=[
            {
                "loc": list(location),
                "msg": message,
                "field": field,
                "location": location[0],
                "message": message,
                "type": "value_error",
            }
        ],
    )
