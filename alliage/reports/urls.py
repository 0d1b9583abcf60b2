from django.urls import path

from alliage.reports import views

app_name = "reports"

urlpatterns = [
    path("gestion/rapports/", views.report_list, name="list"),
    path("gestion/rapports/nouveau/", views.report_create, name="create"),
    path("gestion/rapports/<int:pk>/", views.report_detail, name="detail"),
    path("gestion/rapports/<int:pk>/modifier/", views.report_edit, name="edit"),
    path("gestion/rapports/<int:pk>/publier/", views.report_publish, name="publish"),
    path("gestion/rapports/<int:pk>/supprimer/", views.report_delete, name="delete"),
    path("gestion/rapports/<int:pk>/pdf/<str:language>/", views.report_pdf, name="pdf"),
    path("gestion/rapports/fichier/<int:pk>/", views.report_file, name="file"),
    path("rapports-annuels/", views.public_list, name="public"),
    path("rapports-annuels/<int:pk>/<str:language>.pdf", views.public_pdf, name="public_pdf"),
]
