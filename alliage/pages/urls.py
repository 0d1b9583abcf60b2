from django.urls import path

from alliage.pages import views

app_name = "pages"
urlpatterns = [
    path("pages/<slug:slug>/", views.page, {"language": "fr-ca"}, name="page"),
    path("en/pages/<slug:slug>/", views.page, {"language": "en"}, name="page_en"),
    path("contact/", views.contact, name="contact"),
    path("contact/merci/", views.contact_sent, name="contact_sent"),
    path("robots.txt", views.robots, name="robots"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("gestion/site/", views.staff_pages, name="staff_pages"),
    path("gestion/site/accueil/", views.staff_home_blocks, name="staff_home_blocks"),
    path("gestion/site/nouvelle/", views.staff_page_edit, name="staff_page_create"),
    path("gestion/site/<int:pk>/", views.staff_page_edit, name="staff_page_edit"),
    path("gestion/site/<int:pk>/statut/", views.staff_page_status, name="staff_page_status"),
    path("gestion/site/<int:pk>/versions/<int:revision>/restaurer/", views.staff_page_restore,
         name="staff_page_restore"),
]
