from django.urls import path

from alliage.billing import views

app_name = "billing"

urlpatterns = [
    path("gestion/comptabilite/", views.accounting_page, name="accounting"),
    path("gestion/comptabilite/<slug:report>.<slug:fmt>", views.accounting_export,
         name="accounting_export"),
    path("gestion/factures/", views.invoice_list, name="invoice_list"),
]
