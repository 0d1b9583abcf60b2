"""The public site's rules: saving a page keeps a version, restoring one is a new save,
publishing is explicit; a contact message is routed, confirmed and noted in the CRM."""

from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from alliage.core import audit
from alliage.core.mail import queue_email
from alliage.mailing.richtext import clean
from alliage.pages.models import ContactMessage, Page, Revision

CONTENT = ("title_fr", "title_en", "body_fr", "body_en")


def _revision(page, actor):
    return Revision.objects.create(page=page, saved_by=actor,
                                   **{f: getattr(page, f) for f in CONTENT})


@transaction.atomic
def page_save(*, form, actor, request=None):
    """Save a page from its form: the texts sanitised, a version kept, an audit entry."""
    creating = form.instance.pk is None
    before = {} if creating else audit.snapshot(Page.objects.get(pk=form.instance.pk))
    page = form.save(commit=False)
    page.body_fr, page.body_en = clean(page.body_fr), clean(page.body_en)
    page.save()
    _revision(page, actor)
    audit.record(actor=actor, action="pages.page_created" if creating else "pages.page_saved",
                 obj=page, changes=None if creating else audit.diff(before, audit.snapshot(page)),
                 request=request)
    return page


@transaction.atomic
def page_set_status(*, page, actor, status, request=None):
    page = Page.objects.select_for_update().get(pk=page.pk)
    if page.status != status:
        old = page.status
        page.status = status
        page.save(update_fields=["status", "updated_at"])
        audit.record(actor=actor, action=f"pages.page_{status}", obj=page,
                     changes={"status": [old, status]}, request=request)
    return page


@transaction.atomic
def page_restore(*, revision, actor, request=None):
    """Put a kept version back: the current text stays in the history (a new version)."""
    page = Page.objects.select_for_update().get(pk=revision.page_id)
    for f in CONTENT:
        setattr(page, f, getattr(revision, f))
    page.body_fr, page.body_en = clean(page.body_fr), clean(page.body_en)
    page.save()
    _revision(page, actor)
    audit.record(actor=actor, action="pages.page_restored", obj=page,
                 changes={"revision": [None, revision.pk]}, request=request)
    return page


# --- Contact form --------------------------------------------------------------------------

MIN_SECONDS, MAX_SECONDS = 3, 24 * 60 * 60
SALT = "alliage.pages.contact"


def form_stamp():
    """A signed time for the form: a post sooner than a person can type is refused."""
    return signing.TimestampSigner(salt=SALT).sign("contact")


def stamp_is_human(stamp):
    signer = signing.TimestampSigner(salt=SALT)
    try:
        signer.unsign(stamp, max_age=MAX_SECONDS)
    except signing.BadSignature:
        return False
    try:
        signer.unsign(stamp, max_age=MIN_SECONDS)
    except signing.SignatureExpired:
        return True                           # older than a few seconds: a person typed
    except signing.BadSignature:
        return False
    return False


def _known_organisation(email):
    from alliage.members.models import Contact, Organisation

    contact = Contact.objects.filter(email__iexact=email).first()
    if contact is not None:
        org = Organisation.objects.filter(affiliations__contact=contact,
                                          affiliations__ended_on__isnull=True).first()
        if org is not None:
            return org
    return Organisation.objects.filter(email__iexact=email).first()


@transaction.atomic
def contact_send(*, topic, name, email, company, message, language):
    """Store the message, note it on the company's CRM timeline when the sender is known,
    send it to the subject's staff member and a confirmation to the sender."""
    from alliage.members.models import Note

    org = _known_organisation(email)
    msg = ContactMessage.objects.create(topic=topic, name=name, email=email.lower(),
                                        company=company, message=message, organisation=org)
    if org is not None:
        Note.objects.create(organisation=org, body=_(
            "Message from %(name)s through the contact form (%(topic)s): %(message)s") % {
            "name": name, "topic": topic.label, "message": message})
    context = {"msg": msg, "topic": topic.label}
    transaction.on_commit(lambda: (
        queue_email(key=f"contact-{msg.pk}-staff", to=topic.recipient,
                    template="contact_staff", context=context, organisation=org),
        queue_email(key=f"contact-{msg.pk}-sender", to=msg.email,
                    template="contact_received", context=context, language=language)))
    return msg


@transaction.atomic
def home_blocks_save(*, choices, actor, request=None):
    """Save staff's choice of home page blocks [(key, shown, position)]; the cached home
    page is rebuilt."""
    from alliage.core import home
    from alliage.pages.models import HomeBlock

    before = {b.key: (b.shown, b.position) for b in HomeBlock.objects.all()}
    for key, shown, position in choices:
        block, _created = HomeBlock.objects.update_or_create(
            key=key, defaults={"shown": shown, "position": position})
        if before.get(key) != (shown, position):
            old = before.get(key, (None, None))
            audit.record(actor=actor, action="pages.home_block_saved", obj=block, changes={
                "shown": [old[0], shown], "position": [old[1], position]}, request=request)
    transaction.on_commit(home.bump)
