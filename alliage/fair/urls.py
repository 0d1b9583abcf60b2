from django.urls import path

from alliage.fair import views, views_matchmaking, views_staff

app_name = "fair"

urlpatterns = [
    path("salon/", views.fair_list, name="list"),
    path("salon/<slug:slug>/", views.fair, name="fair"),
    path("salon/<slug:slug>/pavillons/<slug:pavilion_slug>/", views.pavilion, name="pavilion"),
    path("salon/<slug:slug>/kiosques/<int:pk>/", views.booth, name="booth"),
    path("salon/<slug:slug>/kiosques/<int:pk>/carte/", views.booth_lead, name="booth_lead"),
    path("salon/<slug:slug>/kiosques/<int:pk>/modifier/", views.booth_edit, name="booth_edit"),
    path("salon/<slug:slug>/kiosques/<int:pk>/documents/", views.booth_document_add,
         name="document_add"),
    path("salon/<slug:slug>/kiosques/<int:pk>/documents/<int:document_id>/supprimer/",
         views.booth_document_delete, name="document_delete"),
    path("salon/<slug:slug>/kiosques/<int:pk>/pistes/", views.leads, name="leads"),
    path("salon/<slug:slug>/kiosques/<int:pk>/pistes/<int:lead_id>/", views.lead_note,
         name="lead_note"),
    path("salon/<slug:slug>/maillage/", views_matchmaking.matchmaking, name="matchmaking"),
    path("salon/<slug:slug>/maillage/demander/<int:participant_id>/",
         views_matchmaking.request_create, name="request_create"),
    path("salon/<slug:slug>/maillage/demandes/<int:pk>/reponse/",
         views_matchmaking.request_answer, name="request_answer"),
    path("salon/<slug:slug>/maillage/demandes/<int:pk>/annuler/",
         views_matchmaking.request_cancel, name="request_cancel"),
    path("salon/<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("salon/<slug:slug>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("gestion/salons/", views_staff.staff_list, name="staff_list"),
    path("gestion/salons/nouveau/", views_staff.fair_edit, name="staff_create"),
    path("gestion/salons/<slug:slug>/", views_staff.staff_fair, name="staff_fair"),
    path("gestion/salons/<slug:slug>/modifier/", views_staff.fair_edit, name="staff_edit"),
    path("gestion/salons/<slug:slug>/kiosques/", views_staff.booth_create,
         name="booth_create"),
    path("gestion/salons/<slug:slug>/kiosques/<int:pk>/facturer/", views_staff.booth_bill,
         name="booth_bill"),
    path("gestion/salons/<slug:slug>/planifier/", views_staff.schedule, name="schedule"),
    path("gestion/salons/<slug:slug>/rencontres/<int:pk>/absence/", views_staff.no_show,
         name="no_show"),
]
