from django.contrib import admin

from alliage.core.models import Association, AuditLog, Email, Municipality, Park, Region


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "email"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "mrc", "latitude", "longitude"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "latitude", "longitude"]
    list_filter = ["municipality"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "sent_at", "failed_at", "attempts",
                    "holds_secret"]
    search_fields = ["to", "subject"]
    # A credential waiting to be sent is never shown (the body holds only its marker).
    exclude = ["secret_values"]
    readonly_fields = [f.name for f in Email._meta.fields if f.name != "secret_values"]
