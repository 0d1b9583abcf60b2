from django.urls import path

from alliage.members.views import crm, directory, imports, people, self_service

app_name = "members"

urlpatterns = [
    # Public directory
    path("repertoire/", directory.directory, name="directory"),
    path("repertoire/carte/", directory.directory_map, name="directory_map"),
    path("repertoire/<slug:slug>/", directory.directory_detail, name="directory_detail"),
    path("devenir-membre/", self_service.apply, name="apply"),
    # Member-company self-service
    path("mon-entreprise/", self_service.my_organisations, name="my_organisations"),
    path("mon-entreprise/<int:pk>/", self_service.my_organisation, name="my_organisation"),
    path("mon-entreprise/<int:pk>/equipe/", self_service.my_colleagues, name="my_colleagues"),
    path("mon-entreprise/<int:pk>/equipe/<int:affiliation_id>/retirer/",
         self_service.colleague_remove, name="colleague_remove"),
    path("mon-entreprise/<int:pk>/sites/", self_service.my_sites, name="my_sites"),
    path("mon-entreprise/<int:pk>/facturation/", self_service.my_billing, name="my_billing"),
    path("mon-entreprise/<int:pk>/renouveler/", self_service.my_renew, name="my_renew"),
    path("factures/<int:pk>.pdf", self_service.invoice_pdf, name="invoice_pdf"),
    # Law 25: a person's own data
    path("compte/mes-donnees.json", people.my_data, name="my_data"),
    path("compte/effacement/", people.my_erasure_request, name="my_erasure_request"),
    # Staff CRM
    path("gestion/personnes/", people.people_list, name="people_list"),
    path("gestion/personnes/<int:pk>/", people.person_detail, name="person_detail"),
    path("gestion/personnes/<int:pk>/modifier/", people.person_edit, name="person_edit"),
    path("gestion/personnes/<int:pk>/export.json", people.person_export,
         name="person_export"),
    path("gestion/personnes/<int:pk>/effacement/", people.person_erasure,
         name="person_erasure"),
    path("gestion/confidentialite/", people.erasure_requests, name="erasure_requests"),
    path("gestion/confidentialite/<int:pk>/decision/", people.erasure_decide,
         name="erasure_decide"),
    path("gestion/entreprises/", crm.crm_list, name="crm_list"),
    path("gestion/entreprises/nouvelle/", crm.crm_edit, name="crm_create"),
    path("gestion/entreprises/segments/", crm.segment_save, name="segment_save"),
    path("gestion/a-risque/", crm.at_risk, name="at_risk"),
    path("gestion/import/", imports.import_upload, name="import_upload"),
    path("gestion/import/confirmer/", imports.import_confirm, name="import_confirm"),
    path("gestion/adhesions/demandes/", crm.crm_applications, name="crm_applications"),
    path("gestion/entreprises/<int:pk>/", crm.crm_detail, name="crm_detail"),
    path("gestion/entreprises/<int:pk>/modifier/", crm.crm_edit, name="crm_edit"),
    path("gestion/entreprises/<int:pk>/notes/", crm.note_add, name="note_add"),
    path("gestion/entreprises/<int:pk>/notes/<int:note_id>/fait/", crm.note_done,
         name="note_done"),
    path("gestion/entreprises/<int:pk>/personnes/<int:contact_id>/doublon/",
         crm.applicant_resolve, name="applicant_resolve"),
    path("gestion/entreprises/<int:pk>/adhesions/<int:membership_id>/decision/",
         crm.membership_decide, name="membership_decide"),
    path("gestion/entreprises/<int:pk>/adhesions/<int:membership_id>/statut/",
         crm.membership_override, name="membership_override"),
    path("gestion/entreprises/<int:pk>/factures/<int:invoice_id>/paiement/",
         crm.payment_add, name="payment_add"),
    path("gestion/entreprises/<int:pk>/factures/<int:invoice_id>/note-de-credit/",
         crm.credit_note_add, name="credit_note_add"),
]
