"""The public site: pages, contact form, sitemap.xml and robots.txt; staff edit the pages."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliage.core import confirm, throttle
from alliage.core.roles import is_staff, staff_required
from alliage.pages import services
from alliage.pages.forms import ContactForm, PageForm
from alliage.pages.models import ContactTopic, Page, Revision


def page(request, slug):
    item = get_object_or_404(Page, slug=slug)
    if item.status != Page.Status.PUBLISHED and not is_staff(request.user):
        raise Http404
    return render(request, "pages/page.html", {"page": item})


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
    urls = [(base + "/", None)]
    urls += [(base + p.get_absolute_url(), p.updated_at)
             for p in Page.objects.filter(status=Page.Status.PUBLISHED)]
    urls += [(base + e.get_absolute_url(), None)
             for e in Event.objects.published().filter(members_only=False)]
    urls += [(base + n.get_absolute_url(), n.updated_at)
             for n in Post.objects.filter(published_at__lte=timezone.now())]
    urls += [(base + f"/repertoire/{slug}/", updated)
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
    return render(request, "pages/staff_page_edit.html", {
        "form": form, "page": item,
        "revisions": item.revisions.select_related("saved_by")[:20] if item.pk else []})


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
