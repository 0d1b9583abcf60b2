"""Bounces and complaints from email providers (django-anymail webhooks) and CSV imports.

Only the provider in use (``ANYMAIL_PROVIDER``) is mounted, and only with a secret: every
post must pass HTTP basic auth (401 otherwise) and the provider's signature where it signs
(403 otherwise). Events from any other webhook view are ignored, so nothing that did not
authenticate can suppress an address or write a withdrawal into the CASL ledger.
"""

import csv
import io
import logging

from anymail.exceptions import AnymailWebhookValidationFailure
from anymail.signals import tracking
from anymail.utils import get_request_basic_auth
from anymail.webhooks.base import AnymailCoreWebhookView
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import include, path
from django.utils.crypto import constant_time_compare

logger = logging.getLogger(__name__)

KINDS = {"bounced": "hard", "rejected": "hard", "complained": "complaint",
         "deferred": "soft", "autoresponded": None, "unsubscribed": None}


def _authenticated(view_class):
    """``view_class`` refusing every post without the shared secret and a valid signature.

    anymail would accept anyone when no secret is set (it only warns) and answers a bad
    secret with a 400; here a missing or wrong secret is a 401, a bad signature a 403."""

    class Authenticated(view_class):
        alliage_authenticated = True

        def post(self, request, *args, **kwargs):
            given = get_request_basic_auth(request) or ""
            if not self.basic_auth or not any(
                    constant_time_compare(given, secret) for secret in self.basic_auth):
                logger.warning("webhook %s: refused a post without the right basic auth "
                               "from %s", self.esp_name, request.META.get("REMOTE_ADDR"))
                response = HttpResponse(status=401)
                response["WWW-Authenticate"] = 'Basic realm="anymail", charset="UTF-8"'
                return response
            try:
                self.run_validators(request)
            except AnymailWebhookValidationFailure as exc:
                logger.warning("webhook %s: refused a post: %s", self.esp_name, exc)
                return HttpResponse(status=403)
            return super().post(request, *args, **kwargs)

    Authenticated.__name__ = Authenticated.__qualname__ = f"Authenticated{view_class.__name__}"
    return Authenticated


def webhook_urls():
    """URL patterns for config/urls.py: the provider in use, when a secret is set."""
    from anymail import urls as anymail_urls

    provider = settings.ANYMAIL_PROVIDER
    if not provider or not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        return []
    name = "mandrill_webhook" if provider == "mandrill" else f"{provider}_tracking_webhook"
    pattern = next(p for p in anymail_urls.urlpatterns if p.name == name)
    view = _authenticated(pattern.callback.view_class).as_view()
    return [path("anymail/", include(([path(str(pattern.pattern), view, name=name)],
                                      "anymail")))]


@receiver(tracking)
def on_tracking(sender, event, esp_name, **kwargs):
    from alliage.mailing import services

    if isinstance(sender, type) and issubclass(sender, AnymailCoreWebhookView) and \
            not getattr(sender, "alliage_authenticated", False):
        # A webhook view mounted without our guard: its posts proved nothing.
        logger.warning("ignored a %s %s event from an unauthenticated webhook",
                       esp_name, event.event_type)
        return
    from alliage.mailing.models import Subscriber

    if event.event_type == "unsubscribed" and event.recipient:
        subscriber = Subscriber.objects.filter(email=event.recipient.lower()).first()
        if subscriber:
            from alliage.mailing.models import ConsentEvent

            services.withdraw(subscriber=subscriber, basis=ConsentEvent.Basis.ONE_CLICK)
        return
    kind = KINDS.get(event.event_type)
    if kind:
        message_id = (event.message_id or "")
        services.bounce(email=event.recipient, kind=kind, source=f"anymail:{esp_name}",
                        message_id=message_id if message_id.startswith("<") else "",
                        detail=event.description or event.mta_response or "")


def import_csv(content):
    """Rows "email,kind" (hard, soft or complaint); returns (done, errors)."""
    from django.core.validators import validate_email
    from django.utils.translation import gettext as _

    from alliage.mailing import services

    done, errors = 0, []
    reader = csv.reader(io.StringIO(content))
    rows = []
    for line, row in enumerate(reader, start=1):
        if not row or row[0].strip().lower() in ("email", "courriel"):
            continue
        email = row[0].strip()
        kind = (row[1].strip().lower() if len(row) > 1 else "hard") or "hard"
        try:
            validate_email(email)
        except Exception:  # noqa: BLE001
            errors.append(_("Line %(line)s: invalid address %(email)s.")
                          % {"line": line, "email": email})
            continue
        if kind not in ("hard", "soft", "complaint"):
            errors.append(_("Line %(line)s: unknown kind %(kind)s (hard, soft, complaint).")
                          % {"line": line, "kind": kind})
            continue
        rows.append((email, kind))
    if errors:
        return 0, errors
    from django.db import transaction

    with transaction.atomic():
        for email, kind in rows:
            services.bounce(email=email, kind=kind, source="import")
            done += 1
    return done, []
