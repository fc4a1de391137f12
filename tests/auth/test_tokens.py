"""Access tokens name their issuer and audience; reset tokens of any text are refused."""

import uuid

import jwt
import pytest
from pydantic import SecretStr

from apptremind.auth.exceptions import InvalidResetToken, InvalidToken
from apptremind.auth.tokens import (
    AUDIENCE,
    ISSUER,
    Principal,
    issue_access_token,
    parse_password_reset_token,
    password_reset_token,
    read_access_token,
)

SECRET = SecretStr("s" * 40)
PRINCIPAL = Principal(user_id=uuid.uuid4(), business_id=uuid.uuid4(), role="owner")


def test_access_tokens_carry_and_require_issuer_and_audience():
    token = issue_access_token(PRINCIPAL, SECRET, 5)

    claims = jwt.decode(token, "s" * 40, algorithms=["HS256"], audience=AUDIENCE)
    assert (claims["iss"], claims["aud"]) == (ISSUER, AUDIENCE)
    assert read_access_token(token, SECRET) == PRINCIPAL


@pytest.mark.parametrize(
    "spoiled", [{"aud": "billing"}, {"iss": "elsewhere"}, {"aud": None}, {"iss": None}]
)
def test_tokens_for_another_audience_or_from_another_issuer_are_refused(spoiled):
    claims = jwt.decode(
        issue_access_token(PRINCIPAL, SECRET, 5), "s" * 40, algorithms=["HS256"], audience=AUDIENCE
    )
    claims = {k: v for k, v in {**claims, **spoiled}.items() if v is not None}

    with pytest.raises(InvalidToken):
        read_access_token(jwt.encode(claims, "s" * 40, "HS256"), SECRET)


@pytest.mark.parametrize("suffix", ["é", "\udcff", "ü" * 43])
def test_a_reset_token_of_any_text_is_refused_not_an_error(suffix):
    genuine = password_reset_token(uuid.uuid4(), SECRET)
    forged = genuine.split(".")[0] + "." + suffix

    with pytest.raises(InvalidResetToken):
        parse_password_reset_token(forged, SECRET)
    assert parse_password_reset_token(genuine, SECRET)
