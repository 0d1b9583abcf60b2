from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from alliage.core import confirm as confirmation
from alliage.core import throttle
from alliage.core.clientip import client_ip
from alliage.core.http import posted
from alliage.core.roles import staff_required
from alliage.mailing import bounces, services, stats
from alliage.mailing.forms import CampaignForm, PostForm, PreferencesForm, SubscribeForm
from alliage.mailing.models import (
    Campaign,
    ConsentEvent,
    Delivery,
    MailingList,
    Post,
    Subscriber,
    Subscription,
)
from alliage.mailing.render import build, markdown_html, subscriber_from


def _ip(request):
    return client_ip(request)  # the visitor's, not the reverse proxy's (CASL evidence)


def subscribe(request):
    form = SubscribeForm(posted(request), initial={"language": translation.get_language()[:2]})
    wait = 0
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        wait = throttle.attempt(request, "subscribe", address=data["email"])
        if wait:
            throttle.refuse(form, wait)
        else:
            services.subscribe(email=data["email"], lists=list(data["lists"]),
                               first_name=data["first_name"],
                               organisation_name=data["organisation_name"],
                               language=data["language"], ip=_ip(request))
            return render(request, "mailing/subscribe_sent.html", {"email": data["email"]})
    return throttle.mark(render(request, "mailing/subscribe.html",
                                {"form": form, "wording": services.FORM_WORDING}), wait)


def _subscriber(token):
    pk = subscriber_from(token)
    subscriber = Subscriber.objects.filter(pk=pk).first() if pk else None
    if subscriber is None:
        raise Http404
    return subscriber


def confirm(request, token):
    subscriber = _subscriber(token)
    if request.method == "POST":
        from alliage.core.models import Association

        done = services.confirm(subscriber=subscriber, ip=_ip(request),
                                wording=services.FORM_WORDING.format(
                                    name=Association.current().name),
                                source=request.build_absolute_uri())
        return render(request, "mailing/confirmed.html", {"subscriber": subscriber,
                                                          "done": done})
    return render(request, "mailing/confirm.html", {"subscriber": subscriber})


def preferences(request, token):
    """Change lists and language, or unsubscribe, without logging in (signed link)."""
    subscriber = _subscriber(token)
    active = MailingList.objects.filter(subscriptions__subscriber=subscriber,
                                        subscriptions__status=Subscription.Status.ACTIVE)
    form = PreferencesForm(posted(request), initial={"language": subscriber.language,
                                                     "lists": list(active)})
    if request.method == "POST":
        if request.POST.get("everything"):
            services.withdraw(subscriber=subscriber, basis=ConsentEvent.Basis.PREFERENCES,
                              ip=_ip(request))
            messages.success(request, _("You are unsubscribed from every list."))
            return redirect("mailing:preferences", token=token)
        if form.is_valid():
            chosen = set(form.cleaned_data["lists"])
            subscriber.language = form.cleaned_data["language"]
            subscriber.save(update_fields=["language"])
            services.withdraw(subscriber=subscriber, basis=ConsentEvent.Basis.PREFERENCES,
                              lists=[m for m in active if m not in chosen], ip=_ip(request))
            added = [m for m in chosen if m not in set(active)]
            if added:
                services.subscribe(email=subscriber.email, lists=added,
                                   language=subscriber.language, ip=_ip(request))
                messages.info(request, _("Confirm the new lists from the message we sent you."))
            messages.success(request, _("Your preferences are saved."))
            return redirect("mailing:preferences", token=token)
    return render(request, "mailing/preferences.html", {
        "form": form, "subscriber": subscriber, "token": token})


@csrf_exempt
def unsubscribe(request, token):
    """RFC 8058: a POST (from the mail client, no session, no CSRF token) unsubscribes at
    once; a GET only shows a button, since link scanners follow links."""
    subscriber = _subscriber(token)
    if request.method == "POST":
        services.withdraw(subscriber=subscriber, basis=ConsentEvent.Basis.ONE_CLICK,
                          ip=_ip(request))
        return render(request, "mailing/unsubscribed.html", {"subscriber": subscriber})
    return render(request, "mailing/unsubscribe.html", {"subscriber": subscriber,
                                                        "token": token})


def track_open(request, token):
    """The 1×1 image of a tracked newsletter: the first open is noted on the delivery."""
    from alliage.mailing.render import GIF, delivery_from

    found = delivery_from(token)
    if found and found[1]:
        Delivery.objects.filter(pk=found[1], campaign_id=found[0], campaign__tracked=True,
                                opened_at__isnull=True).update(opened_at=timezone.now())
    response = HttpResponse(GIF, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response


def track_click(request, token, position):
    """A tracked link: note the click, then go to the URL stored for that position."""
    from django.db.models import F
    from django.db.models.functions import Coalesce

    from alliage.mailing.models import CampaignLink
    from alliage.mailing.render import delivery_from

    found = delivery_from(token)
    if found is None:
        raise Http404
    link = get_object_or_404(CampaignLink, campaign_id=found[0], position=position)
    if found[1]:
        now = timezone.now()
        Delivery.objects.filter(
            pk=found[1], campaign_id=found[0], clicked_at__isnull=True).update(
            clicked_at=now, opened_at=Coalesce(F("opened_at"), now))
        if Delivery.objects.filter(pk=found[1], campaign_id=found[0]).exists():
            CampaignLink.objects.filter(pk=link.pk).update(clicks=F("clicks") + 1)
    return redirect(link.url)


def archive(request):
    campaigns = Campaign.objects.filter(status=Campaign.Status.SENT,
                                        lists__is_public=True).distinct().order_by(
        "-finished_at")
    return render(request, "mailing/archive.html", {"campaigns": campaigns})


def archive_detail(request, pk):
    campaign = get_object_or_404(Campaign.objects.filter(
        status=Campaign.Status.SENT, lists__is_public=True).distinct(), pk=pk)
    lang = translation.get_language()[:2]
    return render(request, "mailing/archive_detail.html", {
        "campaign": campaign, "subject": campaign.subject(lang),
        "body": markdown_html(campaign.body(lang).replace("{{prenom}}", "").replace(
            "{{ prenom }}", ""), inline=False)})


def posts(request):
    items = Post.objects.filter(published_at__lte=timezone.now())
    kind = request.GET.get("type", "")
    if kind in Post.Kind.values:
        items = items.filter(kind=kind)
    return render(request, "mailing/posts.html", {"posts": items[:50], "kind": kind})


def post_detail(request, slug):
    post = get_object_or_404(Post, slug=slug, published_at__lte=timezone.now())
    return render(request, "mailing/post.html", {"post": post,
                                                 "body": markdown_html(post.body, inline=False)})


class PostFeed(Feed):
    feed_type = Atom1Feed
    link = "/nouvelles/"

    def title(self):
        from alliage.core.models import Association
        from alliage.core.templatetags.alliage import de_name_text

        return _("News %(of_name)s") % {"of_name": de_name_text(Association.current().short_name)}

    def items(self):
        return Post.objects.filter(published_at__lte=timezone.now())[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return markdown_html(item.body, inline=False)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


# --- Staff ------------------------------------------------------------------------------

@staff_required
def dashboard(request):
    lists = MailingList.objects.annotate(active=Count(
        "subscriptions", filter=Q(subscriptions__status=Subscription.Status.ACTIVE)))
    return render(request, "mailing/dashboard.html", {
        "campaigns": Campaign.objects.all()[:50], "lists": lists,
        "growth_svg": stats.growth_svg(), "suppressed": Subscriber.objects.exclude(
            suppressed="").count()})


@staff_required
def campaign_edit(request, pk=None):
    campaign = get_object_or_404(Campaign, pk=pk) if pk else None
    if campaign and campaign.status not in (Campaign.Status.DRAFT, Campaign.Status.SCHEDULED):
        return redirect("mailing:campaign", pk=campaign.pk)
    form = CampaignForm(posted(request), instance=campaign)
    if request.method == "POST" and form.is_valid():
        campaign = services.campaign_save(form=form, actor=request.user, request=request)
        messages.success(request, _("The campaign was saved."))
        return redirect("mailing:campaign", pk=campaign.pk)
    from alliage.mailing import preview
    from alliage.mailing.models import CampaignImage

    return render(request, "mailing/campaign_edit.html", {
        "form": form, "campaign": campaign, "suggestions": preview.suggestions(campaign),
        "sample": preview.sample(), "images": [
            {"src": request.build_absolute_uri(i.file.url), "alt": i.alt}
            for i in CampaignImage.objects.all()[:60]]})


@staff_required
def images(request):
    """Images for newsletters: upload one, copy its Markdown into the message."""
    from alliage.core.http import uploaded
    from alliage.mailing.forms import CampaignImageForm
    from alliage.mailing.models import CampaignImage

    form = CampaignImageForm(posted(request), uploaded(request))
    if request.method == "POST":
        if form.is_valid():
            services.image_add(form=form, actor=request.user, request=request)
            messages.success(request, _("The image was added: copy its code into the message."))
            return redirect("mailing:images")
        messages.error(request, _("Please correct the errors below."))
    return render(request, "mailing/images.html", {
        "form": form, "images": CampaignImage.objects.all()[:60]})


@staff_required
@require_POST
def live_preview(request):
    """The message as the chosen recipient will read it, while it is typed (htmx)."""
    from alliage.mailing import preview

    lang = "en" if request.POST.get("lang") == "en" else "fr"
    person = preview.recipient(request.POST.get("recipient"))
    subject = request.POST.get(f"subject_{lang}") or request.POST.get("subject_fr") or ""
    return render(request, "mailing/_preview.html", {
        "person": person, "lang": lang, "asked": request.POST.get("recipient", "").strip(),
        "subject": preview.personalised(subject[:200], person, html=False),
        "body": preview.body_html(request.POST.get(f"body_{lang}") or "", person)})


@staff_required
def campaign_detail(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    recipients = services.audience(campaign).count() if campaign.status in (
        Campaign.Status.DRAFT, Campaign.Status.SCHEDULED) else None
    return render(request, "mailing/campaign.html", {
        "campaign": campaign, "report": services.report(campaign), "recipients": recipients})


@staff_required
@csp_replace({"style-src": ["'unsafe-inline'"], "img-src": ["'self'", "data:", "https:", "http:"],
              "script-src": ["'none'"], "sandbox": True})
def campaign_preview(request, pk):
    """The message as one recipient will see it (HTML), in their language."""
    campaign = get_object_or_404(Campaign, pk=pk)
    email = request.GET.get("email", "").strip().lower()
    subscriber = Subscriber.objects.filter(email=email).first() if email else None
    if subscriber is None:
        subscriber = Subscriber(pk=0, email=request.user.email,
                                first_name=request.user.first_name,
                                language=request.GET.get("lang", "fr"))
    message, _id = build(campaign, subscriber, 0, test=True)
    html = message.alternatives[0][0]
    if not subscriber.pk:
        # A sample recipient has no preferences page: its footer links open a page that
        # says where they lead in the real message (they gave 404s).
        # (Matched by prefix: the signed token carries a timestamp, so one signed again
        # a second later differs.)
        import re

        from django.conf import settings

        sample = reverse("mailing:preview_link")
        for name in ("mailing:preferences", "mailing:unsubscribe"):
            real = settings.SITE_URL + reverse(name, args=["T"])[:-2]
            html = re.sub(re.escape(real) + r'[^"/]+/', f"{sample}?lien={name.split(':')[1]}",
                          html)
    return HttpResponse(html)


@staff_required
def preview_link(request):
    """Where a footer link of the preview leads in the message a subscriber receives."""
    return render(request, "mailing/preview_link.html",
                  {"unsubscribe": request.GET.get("lien") == "unsubscribe"})


@staff_required
@require_POST
def campaign_action(request, pk):
    from alliage.mailing.tasks import send_test

    campaign = get_object_or_404(Campaign, pk=pk)
    action = request.POST.get("action")
    if action == "test":
        send_test.enqueue(campaign.pk, request.POST.get("email") or request.user.email,
                          request.POST.get("lang", "fr"))
        messages.success(request, _("The test message is on its way."))
    elif action == "start":
        if asked := confirmation.ask(request, _("Send to every recipient now?")):
            return asked
        services.campaign_start(campaign=campaign, actor=request.user)
        messages.success(request, _("Sending started."))
    elif action in ("pause", "resume", "cancel"):
        if action == "cancel" and (asked := confirmation.ask(
                request, _("Cancel this campaign? Recipients not reached yet will not get "
                           "it."))):
            return asked
        status = {"pause": Campaign.Status.PAUSED, "resume": Campaign.Status.SENDING,
                  "cancel": Campaign.Status.CANCELLED}[action]
        services.campaign_set(campaign=campaign, actor=request.user, status=status)
    else:
        raise PermissionDenied
    return redirect("mailing:campaign", pk=pk)


@staff_required
def bounce_import(request):
    errors, done = [], None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or upload.size > 5 * 1024 * 1024:
            errors = [_("Choose a CSV file (5 MB at most).")]
        else:
            try:
                content = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                errors = [_("The file is not UTF-8 text.")]
            else:
                done, errors = bounces.import_csv(content)
        if not errors:
            messages.success(request, ngettext("%(n)s bounce recorded.", "%(n)s bounces recorded.",
                                                      done) % {"n": done})
            return redirect("mailing:dashboard")
    return render(request, "mailing/bounce_import.html", {"errors": errors})


@staff_required
def ledger(request):
    email = request.GET.get("email", "").strip().lower()
    events = ConsentEvent.objects.filter(email=email).select_related(
        "mailing_list", "actor") if email else []
    from alliage.mailing.consent import has_consent

    return render(request, "mailing/ledger.html", {
        "email": email, "events": events, "valid": has_consent(email) if email else None})


@staff_required
def post_edit(request, pk=None):
    post = get_object_or_404(Post, pk=pk) if pk else None
    form = PostForm(posted(request), instance=post)
    if request.method == "POST" and form.is_valid():
        services.post_save(form=form, actor=request.user, request=request)
        messages.success(request, _("Saved."))
        return redirect("mailing:post_list")
    return render(request, "mailing/post_edit.html", {"form": form, "post": post})


@staff_required
def post_list(request):
    return render(request, "mailing/post_list.html", {"posts": Post.objects.all()[:200]})
