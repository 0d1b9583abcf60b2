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


def personalise(text, subscriber):
    for token in TOKENS:
        text = text.replace(token, subscriber.first_name or "")
    for token in ORG_TOKENS:
        text = text.replace(token, subscriber.organisation_name or "")
    return text


def build(campaign, subscriber, delivery_id, *, test=False):
    """The EmailMultiAlternatives for one recipient; its Message-ID is fixed per delivery."""
    lang = subscriber.language if subscriber.language in ("fr", "en") else "fr"
    version = campaign.pk if test else f"{campaign.pk}:{campaign.started_at}"
    subject, html, text = _parts(campaign.pk, lang, version)
    token = token_for(subscriber.pk)
    prefs = settings.SITE_URL + reverse("mailing:preferences", args=[token])
    one_click = settings.SITE_URL + reverse("mailing:unsubscribe", args=[token])
    with translation.override(lang):
        footer_text = render_to_string("mailing/footer.txt", {
            "association": Association.current(), "prefs": prefs, "unsubscribe": one_click})
        footer_html = render_to_string("mailing/footer.html", {
            "association": Association.current(), "prefs": prefs, "unsubscribe": one_click})
    domain = settings.MAILING_DOMAIN
    message_id = make_msgid(idstring=f"c{campaign.pk}.d{delivery_id}", domain=domain) if test \
        else f"<alliage.c{campaign.pk}.d{delivery_id}@{domain}>"
    message = EmailMultiAlternatives(
        subject=("[TEST] " if test else "") + personalise(subject, subscriber),
        body=personalise(text, subscriber) + footer_text,
        from_email=settings.MAILING_FROM, to=[subscriber.email],
        headers={
            "Message-ID": message_id, "Date": formatdate(localtime=True),
            "List-Unsubscribe": f"<mailto:{settings.MAILING_UNSUBSCRIBE_MAILBOX}"
                                f"?subject=unsubscribe%20{token}>, <{one_click}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{Association.current().short_name} <newsletter.{domain}>",
            "Precedence": "bulk",
        })
    message.attach_alternative(personalise(html, subscriber).replace(
        "<!--footer-->", footer_html), "text/html")
    return message, message_id
