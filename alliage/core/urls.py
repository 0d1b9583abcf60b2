from django.urls import path

from alliage.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("theme.css", views.theme_css, name="theme_css"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("langue/<str:code>/", views.set_language, name="set_language"),
    path("gestion/", views.staff_dashboard, name="staff_dashboard"),
    path("gestion/tableau-de-bord/<slug:key>/", views.dashboard_rows, name="dashboard_rows"),
    path("gestion/association/", views.association_edit, name="association_edit"),
    path("gestion/journal/", views.audit_log, name="audit_log"),
    path("gestion/courriels/", views.email_outbox, name="email_outbox"),
    path("gestion/courriels/<int:pk>/reessayer/", views.email_outbox_retry,
         name="email_outbox_retry"),
]
