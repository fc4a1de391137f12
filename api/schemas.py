import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

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


OneLine = Annotated[str, AfterValidator(_one_line)]
TextBlock = Annotated[str, AfterValidator(_text_block)]
