from django.urls import path

from alliage.surveys import views

app_name = "surveys"

urlpatterns = [
    path("sondages/", views.survey_list, name="list"),
    path("sondages/<slug:slug>/", views.answer, name="answer"),
    path("sondages/<slug:slug>/merci/", views.thanks, name="thanks"),
    path("sondages/<slug:slug>/resultats/", views.survey_results, name="results"),
    path("sondages/<slug:slug>/resultats.<str:fmt>", views.survey_export, name="export"),
    path("gestion/sondages/", views.staff_list, name="staff_list"),
    path("gestion/sondages/nouveau/", views.staff_edit, name="staff_create"),
    path("gestion/sondages/<int:pk>/", views.staff_edit, name="staff_edit"),
    path("gestion/sondages/<int:pk>/ouvrir/", views.survey_open, name="open"),
    path("gestion/sondages/<int:pk>/fermer/", views.survey_close, name="close"),
    path("gestion/sondages/<int:pk>/inviter/", views.survey_invite, name="invite"),
    path("gestion/sondages/<int:pk>/questions/nouvelle/", views.question_edit,
         name="question_create"),
    path("gestion/sondages/<int:pk>/questions/<int:question_pk>/", views.question_edit,
         name="question_edit"),
    path("gestion/sondages/<int:pk>/questions/<int:question_pk>/supprimer/",
         views.question_delete, name="question_delete"),
]
