from django.contrib import admin

from alliage.billing.models import CreditNote, Invoice, Payment


class ReadOnlyAdmin(admin.ModelAdmin):
    """Issued documents are corrected by credit notes, never edited (staff use the CRM)."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "organisation", "issued_on", "total_cents", "status"]
    list_filter = ["status"]
    search_fields = ["number", "organisation__legal_name"]


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdmin):
    list_display = ["number", "invoice", "issued_on", "total_cents"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "amount_cents", "method", "received_on"]
