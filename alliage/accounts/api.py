from datetime import datetime

from django.http import Http404
from ninja import Router, Schema, Status

from alliage.accounts.services import api_token_revoke
from alliage.core.api_support import AUTH, ObjectId, responses
from alliage.core.roles import roles_of

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    language: str
    roles: list[str]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scope: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


@router.get("/me", response=responses(MeOut, 401), auth=AUTH, summary="The authenticated user")
def me(request):
    user = request.auth
    return {"id": user.pk, "email": user.email, "first_name": user.first_name,
            "last_name": user.last_name, "language": user.language,
            "roles": sorted(str(r) for r in roles_of(user))}


@router.get("/tokens", response=responses(list[TokenOut], 401), auth=AUTH, summary="My API tokens")
def tokens(request):
    return list(request.auth.api_tokens.all())


@router.delete("/tokens/{token_id}", response=responses(None, 401, 403, 404, 422, status=204),
               auth=AUTH, summary="Revoke one of my API tokens (not with a read-only token)")
def token_revoke(request, token_id: ObjectId):
    if not api_token_revoke(user=request.auth, token_id=token_id):
        raise Http404
    return Status(204, None)
