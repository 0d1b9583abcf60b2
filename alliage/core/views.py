"""Home, health, theme and the staff pages of the core app."""

import time

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST

from alliage.core import dashboard
from alliage.core import home as home_figures
from alliage.core.dashboard import reader_required as dashboard_reader_required
from alliage.core.forms import AssociationForm
from alliage.core.http import posted, uploaded
from alliage.core.mail import email_retry
from alliage.core.models import Association, AuditLog, Email
from alliage.core.roles import is_staff, staff_required
from alliage.core.services import association_update


def home(request):
    """What is alive in the association: figures and each app's section (core.home)."""
    return render(request, "core/home.html", {"figures": home_figures.figures(),
                                              "sections": home_figures.sections(request)})


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers: the database answers and the task queue drains."""
    started = time.monotonic()
    report = {"database": "ok", "tasks": "ok"}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        report["database"] = "error"
        status = 503
    try:
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(status="READY")
        report["tasks_waiting"] = waiting.count()
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        report["oldest_task_age_seconds"] = (
            int((timezone.now() - oldest).total_seconds()) if oldest else 0
        )
        if report["oldest_task_age_seconds"] > 600:
            report["tasks"] = "stalled"
            status = 503
    except Exception:  # noqa: BLE001
        report["tasks"] = "error"
        status = 503
    report["elapsed_ms"] = round((time.monotonic() - started) * 1000, 1)
    report["status"] = "ok" if status == 200 else "error"
    return JsonResponse(report, status=status)


@require_GET
@cache_control(max_age=300)
def theme_css(request):
    """The association's colours as CSS custom properties (no inline style under CSP)."""
    a = Association.current()
    fonts = Association.FONT_STACKS
    css = (f":root{{--brand:{a.primary_colour};--accent:{a.accent_colour};}}\n"
           f"body{{font-family:{fonts.get(a.font, fonts['system'])};}}\n"
           f"h1,h2,h3,h4{{font-family:{fonts.get(a.heading_font, fonts['system'])};}}\n")
    return HttpResponse(css, content_type="text/css; charset=utf-8")


@dashboard_reader_required
def staff_dashboard(request):
    """Where staff land: what waits for a decision today, and the key figures of a period
    against the same period last year. The board reads the figures (core.dashboard)."""
    form = dashboard.PeriodForm(request.GET or None)
    period = form.chosen()
    staff = is_staff(request.user)
    decisions = dashboard.to_decide() if staff else []
    return render(request, "core/dashboard.html", {
        "staff": staff, "decisions": decisions, "summary": dashboard.summary(decisions),
        "form": form, "period": period, "sections": dashboard.sections(period, request.user)})


@dashboard_reader_required
def dashboard_rows(request, key):
    """The rows behind one figure of the dashboard, for the period chosen there."""
    form = dashboard.PeriodForm(request.GET or None)
    period = form.chosen()
    table = dashboard.rows_for(key, period, request.user)
    if table is None:
        raise Http404
    if table is False:
        raise PermissionDenied(_("These rows are for the association's staff."))
    return render(request, "core/dashboard_rows.html", {
        "table": table, "rows": dashboard.cells(table), "key": key, "period": period,
        "form": form, "staff": is_staff(request.user),
        "back": f"{reverse('core:staff_dashboard')}?{period.query()}"})


@staff_required
def association_edit(request):
    association = Association.current()
    form = AssociationForm(posted(request), uploaded(request), instance=association)
    if request.method == "POST" and form.is_valid():
        association_update(form=form, actor=request.user, request=request)
        messages.success(request, _("The association's identity was saved."))
        return redirect("core:association_edit")
    return render(request, "core/association_form.html", {"form": form})


@staff_required
def audit_log(request):
    entries = AuditLog.objects.select_related("actor")
    if q := request.GET.get("type"):
        entries = entries.filter(object_type=q)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    from alliage.core import auditview

    return render(request, "core/audit_log.html",
                  {"page": page, "entries": auditview.entries(page)})


@staff_required
def email_outbox(request):
    """Transactional mail that failed: still retrying, or given up and waiting for staff."""
    page = Paginator(Email.objects.troubled().order_by("-created_at"), 50).get_page(
        request.GET.get("page"))
    return render(request, "core/email_outbox.html", {"page": page})


@staff_required
@require_POST
def email_outbox_retry(request, pk):
    email = get_object_or_404(Email, pk=pk)
    try:
        email_retry(email=email, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The message to %(to)s is being sent again.")
                         % {"to": email.to})
    return redirect("core:email_outbox")


def privacy(request):
    return render(request, "core/privacy.html")


def set_language(request, code):
    """Switch the interface language of this browser (a cookie, so a plain link) and go back.

    The language saved on the account (its emails) changes only from the profile form: a
    link followed from another site must never change what is stored for a signed-in user.
    """
    from django.conf import settings
    from django.utils.http import url_has_allowed_host_and_scheme

    if code not in dict(settings.LANGUAGES):
        code = settings.LANGUAGE_CODE
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = redirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600,
                        samesite="Lax", secure=settings.LANGUAGE_COOKIE_SECURE,
                        httponly=False)
    return response


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent with an expired or missing security token (left open
    for hours, opened in another tab before logging in or out, cookies blocked). Said in
    plain words in the site's layout, 403, with a link that reloads the form: rendering this
    page sets a fresh token, so the reloaded form goes through."""
    from django.middleware.csrf import REASON_NO_CSRF_COOKIE
    from django.utils.http import url_has_allowed_host_and_scheme

    referer = request.META.get("HTTP_REFERER", "")
    back = referer if referer and url_has_allowed_host_and_scheme(
        referer, {request.get_host()}, require_https=request.is_secure()) else ""
    return render(request, "403_csrf.html",
                  {"back": back, "no_cookie": reason == REASON_NO_CSRF_COOKIE}, status=403)
