from django.urls import path

from alliage.events import views, views_guest

app_name = "events"

urlpatterns = [
    path("activites/", views.calendar, name="calendar"),
    path("activites/calendrier.ics", views.calendar_ics, name="calendar_ics"),
    path("activites/liste-attente/<str:token>/", views.waitlist_accept, name="waitlist_accept"),
    path("activites/commande/<str:token>/", views_guest.order, name="guest_order"),
    path("activites/commande/<str:token>/annuler/<int:pk>/", views_guest.cancel,
         name="guest_cancel"),
    path("activites/commande/<str:token>/facture.pdf", views_guest.invoice_pdf,
         name="guest_invoice"),
    path("activites/commande/<str:token>/compte/", views_guest.account, name="guest_account"),
    path("activites/<slug:slug>/", views.detail, name="detail"),
    path("activites/<slug:slug>/inscription/", views_guest.register, name="guest_register"),
    path("activites/<slug:slug>/inscriptions/<int:pk>/annuler/", views.company_cancel,
         name="company_cancel"),
    path("activites/<slug:slug>.ics", views.event_ics, name="event_ics"),
    path("activites/<slug:slug>/attente/", views.waitlist_join, name="waitlist_join"),
    path("activites/<slug:slug>/attente/quitter/", views.waitlist_leave, name="waitlist_leave"),
    path("activites/<slug:slug>/annuler/", views.cancel, name="cancel"),
    path("activites/<slug:slug>/mon-billet/", views.my_ticket, name="my_ticket"),
    path("attestations/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("attestations/<str:code>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("gestion/activites/", views.staff_list, name="staff_list"),
    path("gestion/activites/nouvelle/", views.staff_edit, name="staff_create"),
    path("gestion/activites/<slug:slug>/modifier/", views.staff_edit, name="staff_edit"),
    path("gestion/activites/accueil/<str:code>/", views.check_in_code, name="check_in_code"),
    path("gestion/activites/<slug:slug>/inscriptions/", views.attendees, name="attendees"),
    path("gestion/activites/<slug:slug>/accueil/", views.check_in_desk, name="check_in_desk"),
    path("gestion/activites/<slug:slug>/inscriptions/<int:pk>/decision/",
         views.registration_decide, name="registration_decide"),
    path("gestion/activites/<slug:slug>/seances/<int:session_id>/presences/",
         views.attendance, name="attendance"),
    path("gestion/activites/<slug:slug>/attestations/", views.certificates_issue,
         name="certificates_issue"),
    path("gestion/activites/<slug:slug>/porte-noms.pdf", views.badges, name="badges"),
    path("gestion/activites/<slug:slug>/annuler/", views.event_cancel, name="event_cancel"),
    path("gestion/activites/<slug:slug>/inscriptions/<int:pk>/presence/", views.check_in,
         name="check_in"),
]
