"""The public site's personal data in the Law 25 registry: messages sent through the contact
form (name, email, company, the message), kept two years."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from alliage.core import privacy
from alliage.pages.models import ContactMessage, ContactTopic, Page, Revision

KEPT_DAYS = 2 * 365


def _messages_of(subject):
    return ContactMessage.objects.filter(email__in=list(subject.emails))


def _export(subject):
    return [{"subject": m.topic.label if m.topic_id else None, "name": m.name,
             "email": m.email, "company": m.company, "message": m.message,
             "sent_at": privacy.iso(m.created_at)}
            for m in _messages_of(subject).select_related("topic")]


def _anonymise(subject, actor):
    _messages_of(subject).delete()


def _retain(now):
    count, _rows = ContactMessage.objects.filter(
        created_at__lt=now - timedelta(days=KEPT_DAYS)).delete()
    return count


def register():
    privacy.register(
        "contact_messages", title=_("Messages sent through the contact form"),
        models=[ContactMessage], export=_export, anonymise=_anonymise, retention=_retain,
        summary="contact_messages_deleted",
        rule=_("Messages sent through the contact form are deleted after two years."))
    privacy.exempt(Page, "the association's public pages")
    privacy.exempt(Revision, "versions of the association's public pages")
    privacy.exempt(ContactTopic, "staff's work address for a subject")
