from django.urls import path

from alliage.governance import views, views_staff

app_name = "governance"

urlpatterns = [
    path("vie-associative/", views.hub, name="hub"),
    path("vie-associative/conseil/", views.board, name="board"),
    path("vie-associative/assemblees/<int:pk>/", views.assembly_detail, name="assembly"),
    path("vie-associative/assemblees/<int:pk>/procuration/", views.proxy_give,
         name="proxy_give"),
    path("vie-associative/assemblees/<int:pk>/procuration/<int:proxy_pk>/retirer/",
         views.proxy_withdraw, name="proxy_withdraw"),
    path("vie-associative/elections/<int:pk>/", views.election_detail, name="election"),
    path("gestion/reglements/", views_staff.bylaws_edit, name="bylaws"),
    path("gestion/assemblees/", views_staff.assembly_list, name="staff_list"),
    path("gestion/assemblees/nouvelle/", views_staff.assembly_edit, name="staff_assembly_create"),
    path("gestion/assemblees/<int:pk>/", views_staff.assembly_edit, name="staff_assembly"),
    path("gestion/assemblees/<int:pk>/convoquer/", views_staff.assembly_convene,
         name="convene"),
    path("gestion/assemblees/<int:pk>/registre/", views_staff.assembly_desk, name="desk"),
    path("gestion/assemblees/<int:pk>/registre/presence/", views_staff.attendance_add,
         name="attendance_add"),
    path("gestion/assemblees/<int:pk>/registre/procuration/", views_staff.proxy_add,
         name="proxy_add"),
    path("gestion/assemblees/<int:pk>/registre/procuration/<int:proxy_pk>/retirer/",
         views_staff.proxy_remove, name="proxy_remove"),
    path("gestion/assemblees/<int:pk>/resolutions/", views_staff.resolution_add,
         name="resolution_add"),
    path("gestion/assemblees/<int:pk>/resolutions/<int:resolution_pk>/vote/",
         views_staff.resolution_vote, name="resolution_vote"),
    path("gestion/assemblees/<int:pk>/cloturer/", views_staff.assembly_close, name="close"),
    path("gestion/elections/nouvelle/", views_staff.election_edit, name="staff_election_create"),
    path("gestion/elections/<int:pk>/", views_staff.election_edit, name="staff_election"),
    path("gestion/elections/<int:pk>/candidats/", views_staff.candidate_add,
         name="candidate_add"),
    path("gestion/elections/<int:pk>/ouvrir/", views_staff.election_open, name="election_open"),
    path("gestion/elections/<int:pk>/fermer/", views_staff.election_close,
         name="election_close"),
    path("gestion/elections/<int:pk>/publier/", views_staff.election_publish,
         name="election_publish"),
]
