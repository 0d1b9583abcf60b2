from django.urls import path

from alliage.symbiosis import views

app_name = "symbiosis"
urlpatterns = [
    path("symbiose/", views.listing, name="listing"),
    path("symbiose/mes-flux/", views.my_streams, name="my_streams"),
    path("symbiose/flux/nouveau/", views.stream_edit, name="stream_create"),
    path("symbiose/flux/suggestions/", views.code_suggestions, name="suggestions"),
    path("symbiose/flux/<int:pk>/", views.stream_detail, name="stream"),
    path("symbiose/flux/<int:pk>/modifier/", views.stream_edit, name="stream_edit"),
    path("symbiose/flux/<int:pk>/publier/", views.stream_publish, name="stream_publish"),
    path("symbiose/correspondances/<int:pk>/introduction/", views.introduction_request,
         name="introduction_request"),
    path("symbiose/introductions/<int:pk>/", views.introduction, name="introduction"),
    path("symbiose/flux/<int:pk>/fichiers/", views.stream_file_add, name="stream_file_add"),
    path("symbiose/flux/<int:pk>/fichiers/<int:file_id>/", views.stream_file,
         name="stream_file"),
    path("symbiose/diagnostic-besoins/", views.needs_assessment, name="needs_assessment"),
    path("gestion/symbiose/", views.dashboard, name="dashboard"),
    path("gestion/symbiose/caracterisations/", views.characterisations,
         name="characterisations"),
    path("gestion/symbiose/introductions/<int:pk>/synergie/", views.synergy_create,
         name="synergy_create"),
]
