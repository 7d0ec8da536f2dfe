"""Revoking API tokens over HTTP (administrators; the operator's command is `opencse revoketoken`)."""

from ninja import Field, Router, Schema

from opencse.api.schemas import ErrorOut
from opencse.api.security import AuthenticatedRequest, allow
from opencse.security.selectors import user_by_username
from opencse.security.services import revoke_api_tokens

router = Router(tags=["tokens"])


class TokenRevokeIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    label: str = Field("", max_length=80, description="only the user's tokens with this label")


class TokenRevokeOut(Schema):
    revoked: int


@router.post("/tokens/revoke", response={200: TokenRevokeOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
@allow("users.manage")
def token_revoke(request: AuthenticatedRequest, payload: TokenRevokeIn) -> object:
    user = user_by_username(payload.username)
    return {"revoked": revoke_api_tokens(actor=request.user, user=user, label=payload.label)}
