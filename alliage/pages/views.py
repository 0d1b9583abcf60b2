"""The public site: pages, contact form, sitemap.xml and robots.txt; staff edit the pages."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliage.core import confirm, throttle
from alliage.core.roles import is_staff, staff_required
from alliage.pages import services
from alliage.pages.forms import ContactForm, PageForm
from alliage.pages.models import ContactTopic, Page, Revision


def _chosen_language(request):
    """The language the visitor chose (the switcher's cookie, else their account), or None."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not chosen and request.user.is_authenticated:
        chosen = getattr(request.user, "language", None)
    return chosen if chosen in dict(settings.LANGUAGES) else None


def page(request, slug, language):
    """A page at its French (/pages/…) or English (/en/pages/…) address, each in its own
    language so search engines index both (hreflang). A visitor who chose the other
    language is sent to that version; one without a choice (a crawler) gets the address's."""
    item = get_object_or_404(Page, slug=slug)
    if item.status != Page.Status.PUBLISHED and not is_staff(request.user):
        raise Http404
    extra = {}
    if item.extra == Page.Extra.BOARD:
        from alliage.governance.elections import board_shown

        extra["board"] = board_shown()
    english = language == "en"
    if english and not item.has_english:
        return redirect(item.url_in("fr-ca"))
    chosen = _chosen_language(request)
    if chosen and chosen.startswith("en") != english and (item.has_english or english):
        return redirect(item.url_in(chosen))
    if not item.has_english:
        language = translation.get_language()     # one version: the interface stays the visitor's
    with translation.override(language):
        request.LANGUAGE_CODE = language
        base = settings.SITE_URL.rstrip("/")
        alternates = [("fr-CA", base + item.url_in("fr-ca")), ("en", base + item.url_in("en")),
                      ("x-default", base + item.url_in("fr-ca"))] if item.has_english else []
        response = render(request, "pages/page.html", {"page": item, "alternates": alternates,
                                                       **extra})
    response["Content-Language"] = language
    return response


def contact(request):
    if not ContactTopic.objects.exists():
        raise Http404
    form = ContactForm(request.POST or None, initial={"stamp": services.form_stamp()})
    wait = 0
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"] or not services.stamp_is_human(data["stamp"]):
            # A robot: answer as if sent, keep nothing.
            return redirect("pages:contact_sent")
        wait = throttle.attempt(request, "contact", address=data["email"])
        if wait:
            throttle.refuse(form, wait)
        else:
            services.contact_send(topic=data["topic"], name=data["name"], email=data["email"],
                                  company=data["company"], message=data["message"],
                                  language=get_language())
            return redirect("pages:contact_sent")
    if request.method == "POST":
        form.data = form.data.copy()
        form.data["stamp"] = services.form_stamp()
    response = render(request, "pages/contact.html", {"form": form})
    return throttle.mark(response, wait)


def contact_sent(request):
    return render(request, "pages/contact_sent.html")


def robots(request):
    lines = ["User-agent: *", "Disallow: /gestion/", "Disallow: /compte/",
             "Disallow: /mon-entreprise/", "Disallow: /admin/", "Disallow: /api/",
             f"Sitemap: {settings.SITE_URL.rstrip('/')}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def sitemap(request):
    from alliage.events.models import Event
    from alliage.mailing.models import Post
    from alliage.members.models import Organisation

    base = settings.SITE_URL.rstrip("/")
    urls = [(base + "/", None, ())]
    for p in Page.objects.filter(status=Page.Status.PUBLISHED):
        versions = [("fr-CA", base + p.url_in("fr-ca"))]
        if p.has_english:
            versions.append(("en", base + p.url_in("en")))
        # Each language's address, each listing all of them (Google's sitemap hreflang).
        urls += [(loc, p.updated_at, versions if len(versions) > 1 else ())
                 for _lang, loc in versions]
    urls += [(base + e.get_absolute_url(), None, ())
             for e in Event.objects.published().filter(members_only=False)]
    urls += [(base + n.get_absolute_url(), n.updated_at, ())
             for n in Post.objects.filter(published_at__lte=timezone.now())]
    urls += [(base + f"/repertoire/{slug}/", updated, ())
             for slug, updated in Organisation.objects.for_directory()
             .values_list("slug", "updated_at")]
    return render(request, "pages/sitemap.xml", {"urls": urls},
                  content_type="application/xml; charset=utf-8")


# --- Staff -----------------------------------------------------------------------------------

@staff_required
def staff_pages(request):
    return render(request, "pages/staff_pages.html", {"pages": Page.objects.all()})


@staff_required
def staff_page_edit(request, pk=None):
    item = get_object_or_404(Page, pk=pk) if pk else Page()
    form = PageForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        saved = services.page_save(form=form, actor=request.user, request=request)
        messages.success(request, _("Page saved."))
        return redirect("pages:staff_page_edit", pk=saved.pk)
    from alliage.mailing.models import CampaignImage

    return render(request, "pages/staff_page_edit.html", {
        "form": form, "page": item, "images": [
            {"src": request.build_absolute_uri(i.file.url), "alt": i.alt}
            for i in CampaignImage.objects.all()[:60]],
        "revisions": item.revisions.select_related("saved_by")[:20] if item.pk else []})


@staff_required
def staff_home_blocks(request):
    from alliage.core import home
    from alliage.pages.home_blocks import HomeBlocksForm

    form = HomeBlocksForm(request.POST or None, keys=home.section_keys())
    if request.method == "POST" and form.is_valid():
        services.home_blocks_save(choices=form.choices(), actor=request.user, request=request)
        messages.success(request, _("Home page blocks saved."))
        return redirect("pages:staff_home_blocks")
    return render(request, "pages/staff_home_blocks.html", {"form": form})


@staff_required
@require_POST
def staff_page_status(request, pk):
    item = get_object_or_404(Page, pk=pk)
    status = request.POST.get("status")
    if status not in Page.Status.values:
        messages.error(request, _("Unknown status."))
        return redirect("pages:staff_page_edit", pk=item.pk)
    services.page_set_status(page=item, actor=request.user, status=status, request=request)
    messages.success(request, _("Page published.") if status == Page.Status.PUBLISHED
                     else _("Page back to draft: visitors no longer see it."))
    return redirect("pages:staff_page_edit", pk=item.pk)


@staff_required
@require_POST
def staff_page_restore(request, pk, revision):
    rev = get_object_or_404(Revision, pk=revision, page_id=pk)
    asked = confirm.ask(request, _("Put this version back? The current text stays in the "
                                   "history."), danger=False)
    if asked:
        return asked
    services.page_restore(revision=rev, actor=request.user, request=request)
    messages.success(request, _("Version restored."))
    return redirect("pages:staff_page_edit", pk=pk)
