"""Build one campaign message: personalised, FR or EN, text + HTML, CASL footer, RFC 8058."""

import re
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

from alliage.core.mail import render_text
from alliage.core.models import Association
from alliage.mailing.models import single_line
from alliage.mailing.richtext import as_text, is_html

SALT = "alliage.mailing.subscriber"
TOKENS = ("{{prenom}}", "{{ prenom }}", "{{first_name}}", "{{ first_name }}")
ORG_TOKENS = ("{{entreprise}}", "{{ entreprise }}", "{{organisation}}", "{{ organisation }}")


def token_for(subscriber_id):
    # No compression: a payload this small never shrinks (signing keeps it as it is), and
    # trying costs a zlib set-up for every newsletter sent.
    return signing.dumps({"s": subscriber_id}, salt=SALT)


def subscriber_from(token):
    """The subscriber id in a token, or None when it was tampered with."""
    try:
        return signing.loads(token, salt=SALT)["s"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


TRACK_SALT = "alliage.mailing.track"
TRACK_MARK = "ZZDTOKZZ"
GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00"
       b"\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def delivery_token(campaign_id, delivery_id):
    """Signed (campaign, delivery) for the open image and the click redirects."""
    return signing.dumps({"c": campaign_id, "d": delivery_id}, salt=TRACK_SALT)


def delivery_from(token):
    try:
        data = signing.loads(token, salt=TRACK_SALT)
        return int(data["c"]), int(data["d"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _track_links(campaign_id, html):
    """Every http(s) link of the body goes through /infolettre/c/<token>/<n>/; the URLs are
    stored (CampaignLink) so the redirect never takes its target from the request."""
    import re
    from html import unescape

    from alliage.mailing.models import CampaignLink

    found = []

    def swap(match):
        url = unescape(match.group(1))
        if url not in found:
            found.append(url)
        position = found.index(url) + 1
        return 'href="{}{}"'.format(settings.SITE_URL, reverse(
            "mailing:track_click", args=[TRACK_MARK, position]))

    html = re.sub(r'href="(https?://[^"]+)"', swap, html)
    CampaignLink.objects.bulk_create(
        [CampaignLink(campaign_id=campaign_id, position=i, url=url[:2000])
         for i, url in enumerate(found, start=1)], ignore_conflicts=True)
    return html


BUTTON = re.compile(r"\[\[([^\[\]\n]{1,80})\]\]\((https?://[^)\s]+)\)")
BUTTON_STYLE = ("display:inline-block;padding:10px 20px;border-radius:4px;color:#ffffff;"
                "text-decoration:none;font-weight:bold;background:%s")


def markdown_html(text, colour=None, inline=True):
    """Markdown → sanitised HTML. `[[Label]](https://…)` makes a button: with an inline style
    in mail (mail programs ignore style sheets), with the `mail-button` class on our pages
    (whose CSP allows no inline style)."""
    from django.utils.html import escape

    def button(match):
        href, label = escape(match.group(2)), escape(match.group(1))
        return f'<a class="mail-button" href="{href}">{label}</a>'

    text = BUTTON.sub(button, text or "")
    # The composer writes HTML (sanitised again below); older campaigns hold Markdown.
    html = text if is_html(text) else markdown.markdown(text, extensions=["extra", "sane_lists"])
    html = nh3.clean(html, tags={"p", "a", "strong", "em", "ul", "ol", "li", "h1", "h2", "h3",
                                 "h4", "blockquote", "br", "hr", "img", "table", "thead",
                                 "tbody", "tr", "th", "td", "code", "pre"},
                     attributes={"a": {"href", "title", "class"},
                                 "img": {"src", "alt", "width"}},
                     url_schemes={"http", "https", "mailto"})
    if not inline:
        return re.sub(r'class="[^"]*"', lambda m: m.group(0)
                      if m.group(0) == 'class="mail-button"' else "", html)
    colour = colour if colour and re.fullmatch(r"#[0-9a-fA-F]{6}", colour) else "#1f4e79"
    html = re.sub(r'class="[^"]*"', lambda m: 'style="%s"' % (BUTTON_STYLE % colour)
                  if m.group(0) == 'class="mail-button"' else "", html)
    return html.replace("<img ", '<img style="max-width:100%;height:auto" ')


def _identity():
    """The association's row as part of a cache key: any save changes its `updated_at`."""
    association = Association.current()
    return association.pk, association.updated_at


def _news(lang):
    from django.utils import timezone

    from alliage.mailing.models import Post

    with translation.override(lang):
        return tuple((p.title, settings.SITE_URL + p.get_absolute_url(), p.summary)
                     for p in Post.objects.filter(published_at__lte=timezone.now())[:3])


def campaign_parts(campaign, lang):
    """Subject, HTML and text of a campaign in one language, from what the campaign holds
    now. The cache is keyed on that content (subject, body, news, association), not on the
    campaign's id: an edit saved by any process is seen by the next preview, test send or
    batch of every process, and nothing needs clearing."""
    news = _news(lang) if campaign.include_news else ()
    return _parts(campaign.pk, lang, single_line(campaign.subject(lang)), campaign.body(lang),
                  news, campaign.tracked, _identity())


@lru_cache(maxsize=64)
def _parts(campaign_id, lang, subject, body, news, tracked, identity):
    """Rendered once per content (see `campaign_parts`); `identity` only keys the cache."""
    association = Association.current()
    with translation.override(lang):
        html = render_to_string("mailing/email.html", {
            "body": markdown_html(body, association.primary_colour), "news": news,
            "association": association, "subject": subject, "lang": lang})
        text = render_text("mailing/email.txt", {
            "body": as_text(body), "news": news, "association": association})
    if tracked:
        html = _track_links(campaign_id, html)
        pixel = '<img src="{}{}" width="1" height="1" alt="">'.format(
            settings.SITE_URL, reverse("mailing:track_open", args=[TRACK_MARK]))
        html = html.replace("<!--footer-->", pixel + "<!--footer-->")
    return subject, html, text


def footers(lang, tracked=False):
    """The CASL footer in one language, with placeholders for the recipient's links."""
    return _footers(lang, tracked, _identity())


@lru_cache(maxsize=16)
def _footers(lang, tracked, identity):
    context = {"association": Association.current(), "prefs": "__PREFS__",
               "unsubscribe": "__UNSUBSCRIBE__", "tracked": tracked}
    with translation.override(lang):
        return (render_text("mailing/footer.txt", context),
                render_to_string("mailing/footer.html", context))


def personalise(text, subscriber, *, html=False, first=None, org=None):
    """Replace the personalisation tokens (values escaped in HTML)."""
    from django.utils.html import escape

    first = single_line(subscriber.first_name) if first is None else first
    org = single_line(subscriber.organisation_name) if org is None else org
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
    subject, html, text = campaign_parts(campaign, lang)
    token = "ZZTOKENZZ" if template else token_for(subscriber.pk)
    prefs = settings.SITE_URL + reverse("mailing:preferences", args=[token])
    one_click = settings.SITE_URL + reverse("mailing:unsubscribe", args=[token])
    footer_text, footer_html = (
        part.replace("__PREFS__", prefs).replace("__UNSUBSCRIBE__", one_click)
        for part in footers(lang, campaign.tracked))
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
    html = html if template else html.replace(
        TRACK_MARK, delivery_token(campaign.pk, delivery_id if not test else 0))
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
        self.tracked = TRACK_MARK.encode() in self.data
        # A line must stay under SMTP's 998 characters once the marks are replaced.
        longest = max((len(line) + 120 * line.count(TRACK_MARK.encode())
                       for line in self.data.split(b"\r\n")), default=0)
        self.usable = (longest < 900 and not any(t in subject for t in TOKENS + ORG_TOKENS)
                       and b"quoted-printable" not in self.data
                       and b"base64" not in self.data and b"ZZFIRSTZZ" not in
                       self.data.split(b"\r\n\r\n", 1)[0])

    def render(self, subscriber, delivery_id):
        from django.utils.html import escape

        domain = settings.MAILING_DOMAIN
        message_id = f"<alliage.c{self.campaign_id}.d{delivery_id}@{domain}>"
        first = single_line(subscriber.first_name)
        org = single_line(subscriber.organisation_name)
        data = self.data
        if self.tracked:                 # signed only when the message has tracked links
            data = data.replace(TRACK_MARK.encode(),
                                delivery_token(self.campaign_id, delivery_id).encode())
        for mark, value in (
                (b"<alliage.c%d.dZZDELIVERYZZ@%s>" % (self.campaign_id, domain.encode()),
                 message_id.encode()),
                (b"zz-to@placeholder.invalid", subscriber.email.encode()),
                (b"ZZTOKENZZ", token_for(subscriber.pk).encode()),
                (b"ZZFIRSTZZ", first.encode()),
                (b"ZZORGZZ", org.encode()),
                (b"ZZHFIRSTZZ", escape(first).encode()),
                (b"ZZHORGZZ", escape(org).encode())):
            data = data.replace(mark, value)
        return data, message_id
