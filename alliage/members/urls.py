from django.urls import path

from alliage.members import views, views_crm, views_import, views_people, views_self

app_name = "members"

urlpatterns = [
    # Public directory
    path("repertoire/", views.directory, name="directory"),
    path("repertoire/carte/", views.directory_map, name="directory_map"),
    path("repertoire/<slug:slug>/", views.directory_detail, name="directory_detail"),
    path("devenir-membre/", views_self.apply, name="apply"),
    # Member-company self-service
    path("mon-entreprise/", views_self.my_organisations, name="my_organisations"),
    path("mon-entreprise/<int:pk>/", views_self.my_organisation, name="my_organisation"),
    path("mon-entreprise/<int:pk>/equipe/", views_self.my_colleagues, name="my_colleagues"),
    path("mon-entreprise/<int:pk>/equipe/<int:affiliation_id>/retirer/",
         views_self.colleague_remove, name="colleague_remove"),
    path("mon-entreprise/<int:pk>/sites/", views_self.my_sites, name="my_sites"),
    path("mon-entreprise/<int:pk>/facturation/", views_self.my_billing, name="my_billing"),
    path("mon-entreprise/<int:pk>/renouveler/", views_self.my_renew, name="my_renew"),
    path("factures/<int:pk>.pdf", views_self.invoice_pdf, name="invoice_pdf"),
    # Law 25: a person's own data
    path("compte/mes-donnees.json", views_people.my_data, name="my_data"),
    path("compte/effacement/", views_people.my_erasure_request, name="my_erasure_request"),
    # Staff CRM
    path("gestion/personnes/", views_people.people_list, name="people_list"),
    path("gestion/personnes/<int:pk>/", views_people.person_detail, name="person_detail"),
    path("gestion/personnes/<int:pk>/modifier/", views_people.person_edit, name="person_edit"),
    path("gestion/personnes/<int:pk>/export.json", views_people.person_export,
         name="person_export"),
    path("gestion/personnes/<int:pk>/effacement/", views_people.person_erasure,
         name="person_erasure"),
    path("gestion/confidentialite/", views_people.erasure_requests, name="erasure_requests"),
    path("gestion/confidentialite/<int:pk>/decision/", views_people.erasure_decide,
         name="erasure_decide"),
    path("gestion/entreprises/", views_crm.crm_list, name="crm_list"),
    path("gestion/entreprises/nouvelle/", views_crm.crm_edit, name="crm_create"),
    path("gestion/entreprises/segments/", views_crm.segment_save, name="segment_save"),
    path("gestion/a-risque/", views_crm.at_risk, name="at_risk"),
    path("gestion/import/", views_import.import_upload, name="import_upload"),
    path("gestion/import/confirmer/", views_import.import_confirm, name="import_confirm"),
    path("gestion/adhesions/demandes/", views_crm.crm_applications, name="crm_applications"),
    path("gestion/entreprises/<int:pk>/", views_crm.crm_detail, name="crm_detail"),
    path("gestion/entreprises/<int:pk>/modifier/", views_crm.crm_edit, name="crm_edit"),
    path("gestion/entreprises/<int:pk>/notes/", views_crm.note_add, name="note_add"),
    path("gestion/entreprises/<int:pk>/notes/<int:note_id>/fait/", views_crm.note_done,
         name="note_done"),
    path("gestion/entreprises/<int:pk>/personnes/<int:contact_id>/doublon/",
         views_crm.applicant_resolve, name="applicant_resolve"),
    path("gestion/entreprises/<int:pk>/adhesions/<int:membership_id>/decision/",
         views_crm.membership_decide, name="membership_decide"),
    path("gestion/entreprises/<int:pk>/adhesions/<int:membership_id>/statut/",
         views_crm.membership_override, name="membership_override"),
    path("gestion/entreprises/<int:pk>/factures/<int:invoice_id>/paiement/",
         views_crm.payment_add, name="payment_add"),
    path("gestion/entreprises/<int:pk>/factures/<int:invoice_id>/note-de-credit/",
         views_crm.credit_note_add, name="credit_note_add"),
]
