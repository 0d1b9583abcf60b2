"""Shared API pieces: authentication, the one error format, input bounds, the viewer helper."""

from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.params.functions import Path, Query
from ninja.security import HttpBearer, SessionAuth

_token_lookup = None


def register_token_lookup(lookup):
    """Set how a raw bearer token becomes a token row (accounts registers
    ``api_token_lookup`` in its ``ready()``: core knows no domain app). ``lookup(raw)``
    returns an object with ``user`` and ``read_only``, or None for an unknown, revoked or
    expired token; until one is registered every token is refused."""
    global _token_lookup
    _token_lookup = lookup


class TokenAuth(HttpBearer):
    """``Authorization: Bearer alk_…`` personal tokens (revoked or expired ones answer 401).

    A read-only token is refused with 403 on any method but GET, HEAD and OPTIONS, whatever
    the endpoint (this is the one place every token request passes).
    """

    def authenticate(self, request, token):
        found = _token_lookup(token) if _token_lookup else None
        if found is None:
            return None
        if found.read_only and request.method not in ("GET", "HEAD", "OPTIONS"):
            raise HttpError(403, _("This token is read-only."))
        request.user = found.user
        request.api_token = found
        return found.user


class StaffSessionAuth(SessionAuth):
    pass


AUTH = [TokenAuth(), SessionAuth()]


def viewer(request):
    """The user behind a request to a public endpoint (token first, then session)."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = TokenAuth().authenticate(request, header[7:].strip())
        if user is None:
            raise AuthenticationError()
        return user
    return request.user


def error_body(code, message, details=None):
    return {"error": {"code": code, "message": str(message), "details": details or []}}


# --- The error contract, as documented in the OpenAPI ----------------------------------

class ErrorDetail(Schema):
    field: str | None
    message: str


class ErrorBody(Schema):
    code: str
    message: str
    details: list[ErrorDetail]


class ErrorOut(Schema):
    """Every 4xx: ``{"error": {"code", "message", "details"}}``."""

    error: ErrorBody


def responses(ok, *errors, status=200):
    """A route's ``response=`` mapping: its success schema and each error it can answer.

    Declaring them all keeps the OpenAPI honest (the fuzzing test checks that no route
    answers a status it does not document). On public routes 401 comes from a wrong
    ``Authorization: Bearer`` header (see ``viewer``); 403 is for a signed-in caller who
    may not see the thing; 422 for a parameter out of its declared bounds. Every route may
    answer 400 (a NUL character anywhere in the request, refused before any route by
    ``core.middleware.RequestSanityMiddleware``).
    """
    return {status: ok, **dict.fromkeys((400, *errors), ErrorOut)}


# --- Input bounds ------------------------------------------------------------------------
# Beyond these a request is a 422 in the error format, never a database error: ids are
# 64-bit in PostgreSQL and SQLite, and offset + limit must stay well inside that.

MAX_ID = 2**63 - 1
MAX_OFFSET = 1_000_000
MAX_TEXT = 200
# PostgreSQL refuses NUL characters in text; say so in the contract instead of failing.
NO_NUL = r"^[^\x00]*$"

ObjectId = Annotated[int, Path(ge=1, le=MAX_ID, description="A positive 64-bit id.")]
Offset = Annotated[int, Query(0, ge=0, le=MAX_OFFSET, description="Rows to skip.")]


def Limit(default, maximum):  # noqa: N802 (a type, used like Offset)
    return Annotated[int, Query(default, ge=1, le=maximum,
                                description=f"Rows to return (1 to {maximum}).")]


def Text(max_length=MAX_TEXT, **extra):  # noqa: N802
    return Annotated[str, Query("", max_length=max_length, pattern=NO_NUL, **extra)]


OptionalId = Annotated[int | None, Query(None, ge=1, le=MAX_ID)]


def install_error_handlers(api):
    """Every 4xx answers ``{"error": {"code", "message", "details"}}``."""

    def respond(request, status, code, message, details=None):
        return api.create_response(request, error_body(code, message, details), status=status)

    @api.exception_handler(ValidationError)
    def on_validation(request, exc):
        details = [{"field": ".".join(str(p) for p in e.get("loc", [])[1:]) or None,
                    "message": e.get("msg", "")} for e in exc.errors]
        return respond(request, 422, "invalid", _("The request is not valid."), details)

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(request, exc):
        if hasattr(exc, "message_dict"):
            details = [{"field": f, "message": str(m)} for f, ms in exc.message_dict.items()
                       for m in ms]
        else:
            details = [{"field": None, "message": str(m)} for m in exc.messages]
        return respond(request, 422, "invalid", _("The request is not valid."), details)

    @api.exception_handler(AuthenticationError)
    def on_auth(request, exc):
        return respond(request, 401, "unauthenticated", _("Authentication is required."))

    @api.exception_handler(PermissionDenied)
    def on_denied(request, exc):
        return respond(request, 403, "forbidden", _("You may not do this."))

    @api.exception_handler(Http404)
    def on_404(request, exc):
        return respond(request, 404, "not_found", _("Not found."))

    @api.exception_handler(HttpError)
    def on_http_error(request, exc):
        codes = {400: "bad_request", 401: "unauthenticated", 403: "forbidden",
                 404: "not_found", 405: "method_not_allowed", 409: "conflict",
                 429: "throttled"}
        return respond(request, exc.status_code, codes.get(exc.status_code, "error"),
                       str(exc))
