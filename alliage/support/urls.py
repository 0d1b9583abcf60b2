from django.urls import path

from alliage.support import views

app_name = "support"
urlpatterns = [
    path("financement/", views.catalogue, name="catalogue"),
    path("financement/<int:pk>/", views.program_detail, name="program"),
    path("mon-entreprise/<int:pk>/accompagnement/", views.my_support, name="my_support"),
    path("mon-entreprise/<int:pk>/accompagnement/projets/nouveau/", views.project_create,
         name="project_create"),
    path("mon-entreprise/<int:pk>/accompagnement/projets/<int:project>/", views.project_detail,
         name="project"),
    path("mon-entreprise/<int:pk>/accompagnement/projets/<int:project>/aide/",
         views.project_ask_help, name="project_ask_help"),
    path("mon-entreprise/<int:pk>/accompagnement/demande/", views.case_request,
         name="case_request"),
    path("mon-entreprise/<int:pk>/accompagnement/dossiers/<int:case>/", views.my_case,
         name="my_case"),
    path("gestion/accompagnement/", views.staff_cases, name="staff_cases"),
    path("gestion/accompagnement/dossiers/<int:pk>/", views.staff_case, name="staff_case"),
    path("gestion/accompagnement/dossiers/<int:pk>/modifier/", views.staff_case_update,
         name="staff_case_update"),
    path("gestion/accompagnement/dossiers/<int:pk>/note/", views.staff_case_note,
         name="staff_case_note"),
    path("gestion/accompagnement/dossiers/<int:pk>/fermer/", views.staff_case_close,
         name="staff_case_close"),
    path("gestion/accompagnement/dossiers/<int:pk>/rouvrir/", views.staff_case_reopen,
         name="staff_case_reopen"),
    path("gestion/financement/", views.staff_programs, name="staff_programs"),
    path("gestion/financement/nouveau/", views.staff_program_edit, name="staff_program_create"),
    path("gestion/financement/<int:pk>/", views.staff_program_edit, name="staff_program_edit"),
    path("gestion/plan-strategique/", views.plan, name="plan"),
    path("gestion/plan-strategique/objectifs/<int:objective>/indicateurs/",
         views.indicator_add, name="indicator_add"),
    path("gestion/plan-strategique/indicateurs/<int:indicator>/valeurs/", views.reading_add,
         name="reading_add"),
]
