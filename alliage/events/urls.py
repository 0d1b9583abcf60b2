from django.urls import path

from alliage.events import views

app_name = "events"

urlpatterns = [
    path("activites/", views.calendar, name="calendar"),
    path("activites/calendrier.ics", views.calendar_ics, name="calendar_ics"),
    path("activites/liste-attente/<str:token>/", views.waitlist_accept, name="waitlist_accept"),
    path("activites/<slug:slug>/", views.detail, name="detail"),
    path("activites/<slug:slug>.ics", views.event_ics, name="event_ics"),
    path("activites/<slug:slug>/attente/", views.waitlist_join, name="waitlist_join"),
    path("activites/<slug:slug>/attente/quitter/", views.waitlist_leave, name="waitlist_leave"),
    path("activites/<slug:slug>/annuler/", views.cancel, name="cancel"),
    path("gestion/activites/<slug:slug>/inscriptions/", views.attendees, name="attendees"),
    path("gestion/activites/<slug:slug>/inscriptions/<int:pk>/presence/", views.check_in,
         name="check_in"),
]
