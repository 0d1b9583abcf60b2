"""Build one campaign message: personalised, FR or EN, text + HTML, CASL footer, RFC 8058."""

from email.utils import formatdate, make_msgid
from functools import lru_cache

import markdown
import nh3
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from alliage.core.models import Association

SALT = "alliage.mailing.subscriber"
TOKENS = ("{{prenom}}", "{{ prenom }}", "{{first_name}}", "{{ first_name }}")
ORG_TOKENS = ("{{entreprise}}", "{{ entreprise }}", "{{organisation}}", "{{ organisation }}")


def token_for(subscriber_id):
    return signing.dumps({"s": subscriber_id}, salt=SALT, compress=True)


def subscriber_from(token):
    """The subscriber id in a token, or None when it was tampered with."""
    try:
        return signing.loads(token, salt=SALT)["s"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


def markdown_html(text):
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"])
    return nh3.clean(html, tags={"p", "a", "strong", "em", "ul", "ol", "li", "h1", "h2", "h3",
                                 "h4", "blockquote", "br", "hr", "img", "table", "thead",
                                 "tbody", "tr", "th", "td", "code", "pre"},
                     attributes={"a": {"href", "title"}, "img": {"src", "alt", "width"}},
                     url_schemes={"http", "https", "mailto"})


@lru_cache(maxsize=64)
def _parts(campaign_id, lang, version):
    """Subject, HTML and text of a campaign in one language (cached per edit)."""
    from alliage.mailing.models import Campaign, Post

    campaign = Campaign.objects.get(pk=campaign_id)
    body = campaign.body(lang)
    news = []
    if campaign.include_news:
        from django.utils import timezone

        with translation.override(lang):
            news = [(p.title, settings.SITE_URL + p.get_absolute_url(), p.summary)
                    for p in Post.objects.filter(published_at__lte=timezone.now())[:3]]
    with translation.override(lang):
        html = render_to_string("mailing/email.html", {
            "body": markdown_html(body), "news": news, "association": Association.current(),
            "subject": campaign.subject(lang), "lang": lang})
        text = render_to_string("mailing/email.txt", {
            "body": body, "news": news, "association": Association.current()})
    return campaign.subject(lang), html, text


@lru_cache(maxsize=16)
def _footers(lang, version):
    """The CASL footer in one language, with placeholders for the recipient's links."""
    context = {"association": Association.current(), "prefs": "__PREFS__",
               "unsubscribe": "__UNSUBSCRIBE__"}
    with translation.override(lang):
        return (render_to_string("mailing/footer.txt", context),
                render_to_string("mailing/footer.html", context))


def personalise(text, subscriber, *, html=False, first=None, org=None):
    """Replace the personalisation tokens (values escaped in HTML)."""
    from django.utils.html import escape

    first = subscriber.first_name or "" if first is None else first
    org = subscriber.organisation_name or "" if org is None else org
    if html:
        first, org = escape(first), escape(org)
    for token in TOKENS:
        text = text.replace(token, first)
    for token in ORG_TOKENS:
        text = text.replace(token, org)
    return text


def build(campaign, subscriber, delivery_id, *, test=False, template=False):
    """The EmailMultiAlternatives for one recipient; its Message-ID is fixed per delivery.

    `template=True` builds it with placeholders instead (see `Prebuilt`)."""
    lang = subscriber.language if subscriber.language in ("fr", "en") else "fr"
    version = campaign.pk if test else f"{campaign.pk}:{campaign.started_at}"
    subject, html, text = _parts(campaign.pk, lang, version)
    token = "ZZTOKENZZ" if template else token_for(subscriber.pk)
    prefs = settings.SITE_URL + reverse("mailing:preferences", args=[token])
    one_click = settings.SITE_URL + reverse("mailing:unsubscribe", args=[token])
    footer_text, footer_html = (
        part.replace("__PREFS__", prefs).replace("__UNSUBSCRIBE__", one_click)
        for part in _footers(lang, version))
    domain = settings.MAILING_DOMAIN
    message_id = make_msgid(idstring=f"c{campaign.pk}.d{delivery_id}", domain=domain) if test \
        else f"<alliage.c{campaign.pk}.d{delivery_id}@{domain}>"
    marks = {"first": "ZZFIRSTZZ", "org": "ZZORGZZ"} if template else {}
    message = EmailMultiAlternatives(
        subject=("[TEST] " if test else "") + personalise(subject, subscriber),
        body=personalise(text, subscriber, **marks) + footer_text,
        from_email=settings.MAILING_FROM, to=[subscriber.email],
        headers={
            "Message-ID": message_id, "Date": formatdate(localtime=True),
            "List-Unsubscribe": f"<mailto:{settings.MAILING_UNSUBSCRIBE_MAILBOX}"
                                f"?subject=unsubscribe%20{token}>, <{one_click}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{Association.current().short_name} <newsletter.{domain}>",
            "Precedence": "bulk",
        })
    html_marks = {"first": "ZZHFIRSTZZ", "org": "ZZHORGZZ"} if template else {}
    message.attach_alternative(personalise(html, subscriber, html=True, **html_marks).replace(
        "<!--footer-->", footer_html), "text/html")
    return message, message_id


class Prebuilt:
    """A campaign's message serialised once per language, personalised by replacing
    placeholders in the bytes: the same message `build` makes, without rebuilding MIME for
    every recipient. Only when the subject is not personalised and the body parts are 8-bit
    (short lines); otherwise `usable` is False and the sender builds each message."""

    def __init__(self, campaign, lang):
        from alliage.mailing.models import Subscriber

        subject = campaign.subject(lang)
        placeholder = Subscriber(pk=0, email="zz-to@placeholder.invalid", language=lang)
        message, _id = build(campaign, placeholder, "ZZDELIVERYZZ", template=True)
        self.data = message.message().as_bytes(linesep="\r\n")
        self.from_email = message.from_email
        self.campaign_id = campaign.pk
        self.usable = (not any(t in subject for t in TOKENS + ORG_TOKENS)
                       and b"quoted-printable" not in self.data
                       and b"base64" not in self.data and b"ZZFIRSTZZ" not in
                       self.data.split(b"\r\n\r\n", 1)[0])

    def render(self, subscriber, delivery_id):
        from django.utils.html import escape

        domain = settings.MAILING_DOMAIN
        message_id = f"<alliage.c{self.campaign_id}.d{delivery_id}@{domain}>"
        data = self.data
        for mark, value in (
                (b"<alliage.c%d.dZZDELIVERYZZ@%s>" % (self.campaign_id, domain.encode()),
                 message_id.encode()),
                (b"zz-to@placeholder.invalid", subscriber.email.encode()),
                (b"ZZTOKENZZ", token_for(subscriber.pk).encode()),
                (b"ZZFIRSTZZ", (subscriber.first_name or "").encode()),
                (b"ZZORGZZ", (subscriber.organisation_name or "").encode()),
                (b"ZZHFIRSTZZ", escape(subscriber.first_name or "").encode()),
                (b"ZZHORGZZ", escape(subscriber.organisation_name or "").encode())):
            data = data.replace(mark, value)
        return data, message_id
