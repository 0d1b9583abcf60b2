"""Bounces and complaints from email providers (django-anymail webhooks) and CSV imports."""

import csv
import io

from anymail.signals import tracking
from django.dispatch import receiver

KINDS = {"bounced": "hard", "rejected": "hard", "complained": "complaint",
         "deferred": "soft", "autoresponded": None, "unsubscribed": None}


@receiver(tracking)
def on_tracking(sender, event, esp_name, **kwargs):
    from alliage.mailing import services
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
